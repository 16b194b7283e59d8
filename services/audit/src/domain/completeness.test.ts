import { completenessReport, type DeliveryState, type EventState } from './completeness';

const T = Date.parse('2026-11-23T10:00:00.000Z');
const from = T;
const to = T + 3_600_000;

const event = (id: string, publishedAt: number, routedAt: number | null): EventState => ({
  eventId: id,
  caseId: `case-${id}`,
  kind: 'PUBLISHED',
  eventType: 'RAISED',
  publishedAt,
  routedAt,
});

const delivery = (id: string, more: Partial<DeliveryState>): DeliveryState => ({
  deliveryId: id,
  recipient: 'hotline-fr',
  caseId: 'case-1',
  routedAt: T + 1_000,
  state: 'ROUTED',
  deliveredAt: null,
  acknowledgedAt: null,
  deadLetteredAt: null,
  ...more,
});

describe('the completeness report', () => {
  it('is complete when every event was routed and every delivery reached an end', () => {
    const report = completenessReport(
      from,
      to,
      [event('e1', T, T + 5), event('e2', T + 10, T + 20)],
      [
        delivery('d-push', { state: 'DELIVERED', deliveredAt: T + 2_000 }),
        delivery('d-pull', { state: 'ACKNOWLEDGED', acknowledgedAt: T + 9_000 }),
        delivery('d-dead', { state: 'ESCALATED', deadLetteredAt: T + 90_000 }),
      ],
    );
    expect(report).toEqual({
      window: { from: '2026-11-23T10:00:00.000Z', to: '2026-11-23T11:00:00.000Z' },
      complete: true,
      events: { published: 2, routed: 2, exceptions: [] },
      deliveries: { routed: 3, delivered: 1, acknowledged: 1, deadLettered: 1, exceptions: [] },
    });
  });

  it('lists an event without a routing record and a delivery still in flight, oldest first', () => {
    const report = completenessReport(
      from,
      to,
      [event('late', T + 50, null), event('early', T + 5, null), event('ok', T, T)],
      [
        delivery('retrying', { routedAt: T + 30, state: 'ATTEMPTED' }),
        delivery('waiting', { routedAt: T + 10 }),
      ],
    );
    expect(report.complete).toBe(false);
    expect(report.events.exceptions).toEqual([
      {
        eventId: 'early',
        caseId: 'case-early',
        eventType: 'RAISED',
        publishedAt: '2026-11-23T10:00:00.005Z',
        problem: 'NOT_ROUTED',
      },
      {
        eventId: 'late',
        caseId: 'case-late',
        eventType: 'RAISED',
        publishedAt: '2026-11-23T10:00:00.050Z',
        problem: 'NOT_ROUTED',
      },
    ]);
    expect(report.events.routed).toBe(1);
    expect(report.deliveries.exceptions.map((d) => [d.deliveryId, d.latestState])).toEqual([
      ['waiting', 'ROUTED'],
      ['retrying', 'ATTEMPTED'],
    ]);
  });

  it.each([
    ['at the start of the window', T, 1],
    ['just before the end', to - 1, 1],
    ['at the end (the window is half-open)', to, 0],
    ['before the window', T - 1, 0],
  ])('counts what happened %s', (_name, at, count) => {
    const report = completenessReport(
      from,
      to,
      [event('e', at, null)],
      [delivery('d', { routedAt: at })],
    );
    expect(report.events.published).toBe(count);
    expect(report.deliveries.routed).toBe(count);
    expect(report.complete).toBe(count === 0);
  });

  it('counts a dead letter that was replayed and delivered under both', () => {
    const report = completenessReport(
      from,
      to,
      [],
      [delivery('d', { state: 'DELIVERED', deadLetteredAt: T + 5, deliveredAt: T + 9 })],
    );
    expect(report.deliveries).toMatchObject({ delivered: 1, deadLettered: 1, exceptions: [] });
  });
});
