import { breakerAfter, breakerAllows, CLOSED, type Breaker, type BreakerSettings } from './breaker';

/** Opens after 3 failures in a row for 1 s, doubling on each failed probe up to 5 s. */
const SETTINGS: BreakerSettings = { failures: 3, cooldownMs: 1000, maxCooldownMs: 5000 };

/** The breaker after attempts such as `fail@0, fail@10, ok@20` (outcome @ when it ended). */
function run(script: string, from: Breaker = CLOSED): Breaker {
  return script
    .split(',')
    .map((step) => step.trim())
    .filter(Boolean)
    .reduce((breaker, step) => {
      const [outcome, at] = step.split('@') as ['ok' | 'fail', string];
      return breakerAfter(breaker, outcome === 'ok', Number(at), SETTINGS);
    }, from);
}

/** `closed, 2 failed` or `open until 1020, cooldown 1000`. */
const state = (breaker: Breaker): string =>
  breaker.openUntil === null
    ? `closed, ${breaker.failures} failed`
    : `open until ${breaker.openUntil}, cooldown ${breaker.cooldownMs}`;

const OPENED = 'fail@0, fail@10, fail@20'; // open until 1020

describe('breakerAfter', () => {
  const cases: Array<[string, string, string]> = [
    ['a new breaker is closed', '', 'closed, 0 failed'],
    ['one failure leaves it closed', 'fail@0', 'closed, 1 failed'],
    ['failures below the threshold leave it closed', 'fail@0, fail@10', 'closed, 2 failed'],
    [
      'the third failure in a row opens it for cooldownMs',
      OPENED,
      'open until 1020, cooldown 1000',
    ],
    ['a success ends the run of failures', 'fail@0, fail@10, ok@20, fail@30', 'closed, 1 failed'],
    [
      'failures count only in a row',
      'fail@0, fail@10, ok@20, fail@30, fail@40',
      'closed, 2 failed',
    ],
    [
      'a failure started before it opened, ending during the cooldown, does not extend it',
      `${OPENED}, fail@500`,
      'open until 1020, cooldown 1000',
    ],
    [
      'a success started before it opened, ending during the cooldown, closes it',
      `${OPENED}, ok@500`,
      'closed, 0 failed',
    ],
    ['a successful probe closes it', `${OPENED}, ok@1020`, 'closed, 0 failed'],
    [
      'a failed probe opens it again for twice as long',
      `${OPENED}, fail@1020`,
      'open until 3020, cooldown 2000',
    ],
    [
      'a probe failing long after the cooldown opens it from when it failed',
      `${OPENED}, fail@9000`,
      'open until 11000, cooldown 2000',
    ],
    [
      'each failed probe doubles the cooldown again',
      `${OPENED}, fail@1020, fail@3020`,
      'open until 7020, cooldown 4000',
    ],
    [
      'the cooldown stops growing at maxCooldownMs',
      `${OPENED}, fail@1020, fail@3020, fail@7020`,
      'open until 12020, cooldown 5000',
    ],
    [
      'and stays there',
      `${OPENED}, fail@1020, fail@3020, fail@7020, fail@12020`,
      'open until 17020, cooldown 5000',
    ],
    [
      'a successful probe after failed ones closes it',
      `${OPENED}, fail@1020, fail@3020, ok@7020`,
      'closed, 0 failed',
    ],
    [
      'once closed again, it needs as many failures to open',
      `${OPENED}, fail@1020, ok@3020, fail@3030, fail@3040`,
      'closed, 2 failed',
    ],
    [
      'and opens for cooldownMs again, not the longer cooldown it had',
      `${OPENED}, fail@1020, fail@3020, ok@7020, fail@8000, fail@8010, fail@8020`,
      'open until 9020, cooldown 1000',
    ],
  ];
  it.each(cases)('%s', (_name, script, want) => {
    expect(state(run(script))).toBe(want);
  });

  it('a success gives back the closed breaker', () => {
    expect(run(`${OPENED}, fail@1020, ok@3020`)).toEqual(CLOSED);
  });

  it('leaves the breaker it was given as it was', () => {
    const before = run('fail@0, fail@10');
    run('fail@20, fail@1020', before);
    expect(state(before)).toBe('closed, 2 failed');
    expect(CLOSED).toEqual({ failures: 0, openUntil: null, cooldownMs: 0 });
  });
});

describe('breakerAllows', () => {
  type Row = [name: string, script: string, now: number, inFlight: number, allows: boolean];
  const cases: Row[] = [
    ['a closed breaker allows an attempt', '', 0, 0, true],
    ['a closed breaker does not limit attempts under way', '', 0, 10, true],
    ['failures below the threshold still allow attempts', 'fail@0, fail@10', 20, 3, true],
    ['an open breaker allows nothing', OPENED, 20, 0, false],
    ['nor later during the cooldown', OPENED, 1019, 0, false],
    ['when the cooldown has passed, a probe may go (half-open)', OPENED, 1020, 0, true],
    ['long after the cooldown, still a probe', OPENED, 60_000, 0, true],
    ['half-open, a second attempt waits while the probe is under way', OPENED, 1020, 1, false],
    ['half-open, attempts started before it opened hold the probe back', OPENED, 60_000, 2, false],
    [
      'after a failed probe, nothing during the longer cooldown',
      `${OPENED}, fail@1020`,
      3019,
      0,
      false,
    ],
    ['after the longer cooldown, a probe again', `${OPENED}, fail@1020`, 3020, 0, true],
    ['after a successful probe, attempts go freely', `${OPENED}, ok@1020`, 1030, 5, true],
  ];
  it.each(cases)('%s', (_name, script, now, inFlight, allows) => {
    expect(breakerAllows(run(script), now, inFlight)).toBe(allows);
  });

  it('half-open, lets exactly one of many waiting deliveries through', () => {
    const breaker = run(OPENED);
    let inFlight = 0;
    for (let waiting = 0; waiting < 10; waiting++) {
      if (breakerAllows(breaker, 1020, inFlight)) inFlight++;
    }
    expect(inFlight).toBe(1);
  });
});
