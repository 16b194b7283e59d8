import { judgeStep, measureStep, type Arrival, type Sent } from './measure';

const sent = (eventId: string, sentAt: number, acceptedAt: number): Sent => ({
  eventId,
  sentAt,
  acceptedAt,
});
const arrival = (
  recipientId: string,
  eventId: string,
  at: number,
  deliveryId = `${eventId}-${recipientId}`,
): Arrival => ({
  recipientId,
  deliveryId,
  eventId,
  at,
});

describe('measuring a step: each delivery timed from its alert first publish attempt', () => {
  it('two alerts to two recipients, every delivery acknowledged', () => {
    const figures = measureStep({
      sent: [sent('e1', 0, 10), sent('e2', 1_000, 1_020)],
      arrivals: [
        arrival('a', 'e1', 50),
        arrival('b', 'e1', 70),
        arrival('a', 'e2', 1_100),
        arrival('b', 'e2', 1_300),
      ],
      ackedAt: new Map([
        ['a e1-a', 60],
        ['b e1-b', 90],
        ['a e2-a', 1_150],
        ['b e2-b', 1_400],
      ]),
      fanOut: 2,
    });
    expect(figures).toMatchObject({
      sent: 2,
      accepted: 2,
      refused: 0,
      achievedRate: 1,
      expectedDeliveries: 4,
      delivered: 4,
      acknowledged: 4,
      duplicates: 0,
      deliveryRate: 4 / 1.3,
      lastArrivalAfterEndMs: 280,
    });
    expect(figures.publish).toMatchObject({ count: 2, p50: 10, max: 20 });
    expect(figures.delivery).toMatchObject({ count: 4, p50: 70, p99: 300, max: 300 });
    expect(figures.acknowledgement).toMatchObject({ count: 4, p50: 90, max: 400 });
  });

  it.each([
    {
      name: 'a repeat of a delivery counts once, as a duplicate, timed at its first arrival',
      arrivals: [arrival('a', 'e1', 50), arrival('a', 'e1', 500)],
      expected: { delivered: 1, duplicates: 1, max: 50 },
    },
    {
      name: "an earlier step's straggler is left out",
      arrivals: [arrival('a', 'other', 50), arrival('a', 'e1', 40)],
      expected: { delivered: 1, duplicates: 0, max: 40 },
    },
    {
      name: 'nothing arrived',
      arrivals: [],
      expected: { delivered: 0, duplicates: 0, max: NaN },
    },
  ])('$name', ({ arrivals, expected }) => {
    const figures = measureStep({
      sent: [sent('e1', 0, 10)],
      arrivals,
      ackedAt: new Map(),
      fanOut: 1,
    });
    expect(figures.delivered).toBe(expected.delivered);
    expect(figures.duplicates).toBe(expected.duplicates);
    expect(figures.delivery.max).toBe(expected.max);
  });

  it('a refused or unaccepted alert is sent but expects no delivery', () => {
    const figures = measureStep({
      sent: [sent('e1', 0, 10), { sentAt: 5, refused: '400 bad body' }, { sentAt: 6 }],
      arrivals: [arrival('a', 'e1', 30)],
      ackedAt: new Map(),
      fanOut: 1,
    });
    expect(figures).toMatchObject({
      sent: 3,
      accepted: 1,
      refused: 1,
      expectedDeliveries: 1,
      delivered: 1,
      acknowledged: 0,
    });
  });
});

const figures = (more: Partial<Parameters<typeof judgeStep>[0]> = {}) => ({
  ...measureStep({ sent: [], arrivals: [], ackedAt: new Map(), fanOut: 1 }),
  sent: 1_000,
  accepted: 1_000,
  achievedRate: 100,
  expectedDeliveries: 10_000,
  delivered: 10_000,
  acknowledged: 10_000,
  lastArrivalAfterEndMs: 300,
  ...more,
});

describe('the verdict of a step', () => {
  it.each([
    {
      name: 'all delivered and acknowledged at pace',
      more: {},
      passed: true,
      lost: 0,
      reasons: [] as string[],
    },
    {
      name: 'a delivery lost',
      more: { delivered: 9_999, acknowledged: 9_999 },
      passed: false,
      lost: 1,
      reasons: ['1 of 10000 deliveries had not arrived by the end of the drain'],
    },
    {
      name: 'delivered but not acknowledged',
      more: { acknowledged: 9_990 },
      passed: false,
      lost: 0,
      reasons: ['10 deliveries not acknowledged'],
    },
    {
      name: 'the publisher could not reach the rate',
      more: { achievedRate: 90 },
      passed: false,
      lost: 0,
      reasons: ['accepted 90.0/s of 100/s asked'],
    },
    {
      name: 'a backlog: the last delivery long after publishing ended',
      more: { lastArrivalAfterEndMs: 25_000 },
      passed: false,
      lost: 0,
      reasons: ['last delivery 25.0 s after publishing ended (backlog)'],
    },
    {
      name: 'a refusal',
      more: { refused: 2 },
      passed: false,
      lost: 0,
      reasons: ['2 publications refused'],
    },
  ])('$name', ({ more, passed, lost, reasons }) => {
    expect(judgeStep(figures(more), 100, 10_000)).toEqual({ passed, lost, reasons });
  });

  it('the floor is not acknowledged: only arrivals count', () => {
    expect(judgeStep(figures({ acknowledged: 0 }), 100, 10_000, false).passed).toBe(true);
  });
});

describe('the rate achieved: how fast the accepted alerts were sent', () => {
  it.each([
    { name: 'on schedule at 10/s', sends: [0, 100, 200, 300, 400], expected: 10 },
    { name: 'fallen behind: 2/s', sends: [0, 500, 1_000], expected: 2 },
    { name: 'a single alert has no rate', sends: [0], expected: 0 },
    { name: 'nothing accepted', sends: [], expected: 0 },
  ])('$name', ({ sends, expected }) => {
    const figures = measureStep({
      sent: sends.map((at, i) => sent(`e${i}`, at, at + 3_000)),
      arrivals: [],
      ackedAt: new Map(),
      fanOut: 1,
    });
    expect(figures.achievedRate).toBeCloseTo(expected, 6);
  });
});
