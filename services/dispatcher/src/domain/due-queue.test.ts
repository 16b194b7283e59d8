import { DueQueue, MinHeap, type DueEntry } from './due-queue';

/** `de/a@3 rank 1`: lane de/a, recipient de, due at 3 (`-` for at once), rank 1. */
const entry = (text: string): DueEntry => {
  const match = /^(([^/]+)\/[^@]+)@(\d+|-) rank (\d+)$/.exec(text);
  if (!match) throw new Error(`bad fixture ${text}`);
  return {
    lane: match[1]!,
    deliveryId: `${match[1]}#d`,
    recipientId: match[2]!,
    rank: Number(match[4]),
    dueAt: match[3] === '-' ? null : Number(match[3]),
  };
};

/** Runs `put <entry>`, `remove <lane>`; then takes everything of `recipient` due at `now`. */
function takeAll(script: string[], recipient: string, now: number): string {
  const queue = new DueQueue();
  for (const step of script) {
    const [action, ...rest] = step.split(' ');
    if (action === 'put') queue.put(entry(rest.join(' ')));
    else queue.remove(rest.join(' '));
  }
  const taken: string[] = [];
  for (let e = queue.take(recipient, now); e; e = queue.take(recipient, now)) taken.push(e.lane);
  return taken.join(' ');
}

describe('what is due, per recipient', () => {
  it.each<[string, string[], string, number, string]>([
    ['nothing put, nothing due', [], 'de', 10, ''],
    ['a lane due at once', ['put de/a@- rank 0'], 'de', 10, 'de/a'],
    [
      'due lanes in rank order, not in due-time order',
      ['put de/c@9 rank 2', 'put de/a@5 rank 0', 'put de/b@- rank 1'],
      'de',
      10,
      'de/a de/b de/c',
    ],
    [
      'a lane not yet due is held back',
      ['put de/a@11 rank 0', 'put de/b@10 rank 1'],
      'de',
      10,
      'de/b',
    ],
    ["another recipient's lanes are not given", ['put fr/a@- rank 0'], 'de', 10, ''],
    ['a removed lane is not given', ['put de/a@- rank 0', 'remove de/a'], 'de', 10, ''],
    [
      'a lane put again counts as last put: later',
      ['put de/a@- rank 0', 'put de/a@20 rank 0'],
      'de',
      10,
      '',
    ],
    [
      'a lane put again counts as last put: sooner',
      ['put de/a@20 rank 0', 'put de/a@5 rank 0', 'put de/b@- rank 1'],
      'de',
      10,
      'de/a de/b',
    ],
    [
      'a lane removed and put again is given once',
      ['put de/a@- rank 0', 'remove de/a', 'put de/a@- rank 0'],
      'de',
      10,
      'de/a',
    ],
  ])('%s', (_name, script, recipient, now, want) => {
    expect(takeAll(script, recipient, now)).toBe(want);
  });

  it('gives a taken entry again once it is put back, and lists recipients with entries', () => {
    const queue = new DueQueue();
    queue.put(entry('de/a@- rank 0'));
    queue.put(entry('fr/a@- rank 0'));
    expect(queue.recipients().sort()).toEqual(['de', 'fr']);
    const taken = queue.take('de', 0)!;
    expect(queue.take('de', 0)).toBeUndefined();
    expect(queue.size).toBe(1);
    queue.put(taken);
    expect(queue.take('de', 0)?.lane).toBe('de/a');
    expect(queue.take('de', 0)).toBeUndefined();
    expect(queue.recipients()).toEqual(['fr']);
  });

  it('takes a lane due later once its time comes', () => {
    const queue = new DueQueue();
    queue.put(entry('de/a@100 rank 0'));
    expect(queue.take('de', 99)).toBeUndefined();
    expect(queue.take('de', 100)?.lane).toBe('de/a');
  });
});

describe('a min-heap', () => {
  it.each([
    ['a few, with a repeat', [5, 3, 8, 1, 9, 2, 2, 7]],
    ['none', []],
    ['one', [1]],
    ['200 scattered', Array.from({ length: 200 }, (_, i) => (i * 7919) % 211)],
  ])('gives back %s smallest first', (_name, values) => {
    const heap = new MinHeap<number>((a, b) => a < b);
    for (const v of values) heap.push(v);
    expect(heap.size).toBe(values.length);
    const out: number[] = [];
    for (let v = heap.pop(); v !== undefined; v = heap.pop()) out.push(v);
    expect(out).toEqual([...values].sort((a, b) => a - b));
  });
});
