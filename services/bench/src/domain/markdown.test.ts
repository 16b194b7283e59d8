import { MACHINE, PLAN, step } from './fixtures.test-helper';
import { renderMarkdown } from './markdown';
import { buildReport } from './report';

const report = (quick: boolean) =>
  buildReport({
    startedAt: new Date('2026-12-04T15:00:00Z'),
    finishedAt: new Date('2026-12-04T15:10:00Z'),
    quick,
    machine: MACHINE,
    plan: PLAN,
    floor: [step('floor', 'fixed', 100, 5)],
    exchange: [
      step('exchange', 'fixed', 100, 40),
      step('exchange', 'sustain', 200, 60, { lose: 2 }),
    ],
  });

describe('the Markdown report', () => {
  const text = renderMarkdown(report(false), 'latency.svg');

  it.each([
    ['the machine', '2 CPUs (Test CPU @ 2.0GHz), 7.8 GiB memory, Node v20.19.0'],
    ['the load on the machine', 'load average at the end 1.5, 1.2, 0.9'],
    [
      'the goals with their verdicts',
      '| p99 publish-to-delivered ≤ 250 ms at 100 alerts/s, fan-out 10 | **met** | p99 49 ms |',
    ],
    ['the floor row', '| 100 | '],
    [
      'a step that did not hold, and why',
      '**not held**: 2 of 1000 deliveries had not arrived by the end of the drain',
    ],
    ['the ratio at 100/s', '| 100 | 4.9× | 3.5× |'],
    ['the chart', '![latency chart](latency.svg)'],
    ['the processes', '| exchange fixed 100/s | 20 | 120 | 10 | 600 |'],
    ['no sustained rate found', 'Highest rate sustained with zero loss: none found.'],
  ])('shows %s', (_what, expected) => {
    expect(text).toContain(expected);
  });

  it.each([
    [true, 'Quick run'],
    [false, 'Full run'],
  ])('says whether it was a quick run (%s)', (quick, expected) => {
    expect(renderMarkdown(report(quick))).toContain(expected);
  });

  it('every table row has as many cells as its header', () => {
    const tables = text.split('\n\n').filter((block) => block.startsWith('|'));
    expect(tables.length).toBeGreaterThanOrEqual(4);
    for (const block of tables) {
      const counts = block
        .trim()
        .split('\n')
        .map((line) => line.split(' | ').length);
      expect(new Set(counts).size).toBe(1);
    }
  });
});
