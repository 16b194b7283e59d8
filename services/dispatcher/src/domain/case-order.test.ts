import { CaseOrder, type OrderedDelivery } from './case-order';

/** `de/a#2`: recipient `de`, case `a`, sequence 2; the deliveryId is the same text. */
const d = (id: string): OrderedDelivery => {
  const match = /^([^/]+)\/([^#]+)#(\d+)$/.exec(id);
  if (!match) throw new Error(`bad fixture ${id}`);
  return { deliveryId: id, recipientId: match[1]!, caseId: match[2]!, sequence: Number(match[3]) };
};

const ACTIONS = {
  add: (order: CaseOrder, x: OrderedDelivery) => order.add(x),
  send: (order: CaseOrder, x: OrderedDelivery) => order.markInFlight(x),
  fail: (order: CaseOrder, x: OrderedDelivery) => order.markAttemptFailed(x),
  done: (order: CaseOrder, x: OrderedDelivery) => order.markDone(x), // delivered or dead-lettered
} as const;

/** The order after a script such as `add de/a#1, send de/a#1, fail de/a#1`. */
function run(script: string, order: CaseOrder = new CaseOrder()): CaseOrder {
  for (const step of script
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [action, id] = step.split(' ') as [keyof typeof ACTIONS, string];
    ACTIONS[action](order, d(id));
  }
  return order;
}

/** What may be attempted now, space-separated. */
const sendable = (order: CaseOrder): string =>
  order
    .deliverable()
    .map((x) => x.deliveryId)
    .join(' ');

describe('per (recipient, case) order', () => {
  const cases: Array<[string, string, string]> = [
    ['nothing to send at first', '', ''],
    ['a first event may go', 'add de/a#1', 'de/a#1'],
    [
      'a later event of a case waits for the earlier',
      'add de/a#1, add de/a#2, add de/a#3',
      'de/a#1',
    ],
    ['an attempt under way is not offered again', 'add de/a#1, add de/a#2, send de/a#1', ''],
    [
      'once delivered, the next event goes',
      'add de/a#1, add de/a#2, send de/a#1, done de/a#1',
      'de/a#2',
    ],
    [
      'a failed attempt is offered again and still blocks the later events of its case',
      'add de/a#1, add de/a#2, send de/a#1, fail de/a#1',
      'de/a#1',
    ],
    [
      'failures keep blocking until the delivery is dead-lettered',
      'add de/a#1, add de/a#2, send de/a#1, fail de/a#1, send de/a#1, fail de/a#1, done de/a#1',
      'de/a#2',
    ],
    [
      'a failing case holds back no other case of the same recipient',
      'add de/a#1, add de/a#2, add de/b#1, send de/a#1, fail de/a#1, send de/b#1, done de/b#1, add de/b#2',
      'de/a#1 de/b#2',
    ],
    [
      'a failing recipient holds back no other recipient of the same case',
      'add de/a#1, add fr/a#1, add de/a#2, add fr/a#2, send de/a#1, send fr/a#1, fail de/a#1, done fr/a#1',
      'de/a#1 fr/a#2',
    ],
    [
      'an attempt under way holds back no other case',
      'add de/a#1, add de/b#1, send de/a#1',
      'de/b#1',
    ],
    [
      'a recipient routed from event 4 on waits for nothing earlier',
      'add nl/a#4, add nl/a#7',
      'nl/a#4',
    ],
    [
      'gaps in the sequence are not waited for',
      'add nl/a#4, send nl/a#4, done nl/a#4, add nl/a#7',
      'nl/a#7',
    ],
    ['an earlier event added after a later one goes first', 'add de/a#3, add de/a#2', 'de/a#2'],
    [
      'an earlier event added while a later one is in flight waits behind it',
      'add de/a#3, send de/a#3, add de/a#2, done de/a#3',
      'de/a#2',
    ],
    [
      'the same delivery read twice waits once',
      'add de/a#1, add de/a#1, send de/a#1, done de/a#1',
      '',
    ],
    [
      'a done delivery read again (after a restart or a rebalance) is not sent again',
      'add de/a#1, send de/a#1, done de/a#1, add de/a#1',
      '',
    ],
    [
      'an event older than a done one is not sent after it',
      'add de/a#2, send de/a#2, done de/a#2, add de/a#1',
      '',
    ],
    [
      'marking a done delivery done again changes nothing',
      'add de/a#1, add de/a#2, send de/a#1, done de/a#1, done de/a#1',
      'de/a#2',
    ],
    [
      'a pending delivery may be dead-lettered with no attempt under way',
      'add de/a#1, add de/a#2, done de/a#1',
      'de/a#2',
    ],
    [
      'a whole case drains in order',
      'add de/a#1, add de/a#2, add de/a#3, send de/a#1, done de/a#1, send de/a#2, fail de/a#2, send de/a#2, done de/a#2, send de/a#3, done de/a#3',
      '',
    ],
  ];
  it.each(cases)('%s', (_name, script, want) => {
    expect(sendable(run(script))).toBe(want);
  });
});

describe('order changes', () => {
  it('say whether an add or a done changed anything', () => {
    const order = run('add de/a#1, send de/a#1, done de/a#1');
    expect(order.add(d('de/a#2'))).toBe(true);
    expect(order.add(d('de/a#2'))).toBe(false);
    expect(order.add(d('de/a#1'))).toBe(false);
    expect(order.markDone(d('de/a#1'))).toBe(false);
    expect(sendable(order)).toBe('de/a#2');
  });

  it.each<[string, string, string, string]>([
    ['a pending first event, in the first lane', 'add de/a#1', 'de/a', 'de/a#1@0'],
    ['nothing while its attempt is under way', 'add de/a#1, send de/a#1', 'de/a', 'none'],
    [
      'the next event once the first is done, in the lane first seen',
      'add de/a#1, add de/b#1, add de/a#2, send de/a#1, done de/a#1',
      'de/a',
      'de/a#2@0',
    ],
    ['lanes counted as first seen', 'add de/a#1, add fr/a#1, add de/b#1', 'de/b', 'de/b#1@2'],
    ['nothing for a lane never seen', 'add de/a#1', 'fr/a', 'none'],
  ])('name the head that may go for a lane: %s', (_name, script, lane, want) => {
    const [recipientId, caseId] = lane.split('/') as [string, string];
    const head = run(script).pendingHead(recipientId, caseId);
    expect(head ? `${head.delivery.deliveryId}@${head.rank}` : 'none').toBe(want);
  });
});

describe('out-of-turn changes are bugs, and throw', () => {
  it.each<[string, string, RegExp]>([
    ['sending a later event first', 'add de/a#1, add de/a#2, send de/a#2', /not next in its case/],
    ['sending what is in flight', 'add de/a#1, send de/a#1, send de/a#1', /in-flight, not pending/],
    ['failing an attempt never started', 'add de/a#1, fail de/a#1', /pending, not in-flight/],
    [
      'finishing a later event first',
      'add de/a#1, add de/a#2, done de/a#2',
      /not next in its case/,
    ],
    ['finishing a delivery never added', 'done de/a#1', /not next in its case/],
    ['sending a delivery never added', 'send de/a#1', /not next in its case/],
  ])('%s', (_name, script, error) => {
    expect(() => run(script)).toThrow(error);
  });
});
