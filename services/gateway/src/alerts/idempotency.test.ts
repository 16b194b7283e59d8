import { fingerprintOf, keyedRequestIds } from './idempotency';

describe('keyedRequestIds: the ids a request with an Idempotency-Key publishes under', () => {
  const body = { category: 'RUNAWAY', child: { names: ['Ελένη'] } };
  const raise = fingerprintOf('POST /v1/alerts', body);
  const caseId = '0b8e7d6c-5a4f-4321-8fed-cba987654321';
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

  it('are the same for a retry, so a retry after Redis lost the key publishes one event', () => {
    const first = keyedRequestIds('ngo-de', 'k-1', raise);
    expect(keyedRequestIds('ngo-de', 'k-1', raise)).toEqual(first);
    expect(first.caseId).toMatch(uuid);
    expect(first.eventId).toMatch(uuid);
    expect(first.caseId).not.toBe(first.eventId);
  });

  it.each<[string, () => ReturnType<typeof keyedRequestIds>]>([
    ['another organisation with the same key', () => keyedRequestIds('ngo-fr', 'k-1', raise)],
    ['another key', () => keyedRequestIds('ngo-de', 'k-2', raise)],
    [
      'the same key on another body (a key reused after 24 hours)',
      () => keyedRequestIds('ngo-de', 'k-1', fingerprintOf('POST /v1/alerts', { ...body, x: 1 })),
    ],
  ])('differ for %s', (_what, other) => {
    const first = keyedRequestIds('ngo-de', 'k-1', raise);
    expect(other().caseId).not.toBe(first.caseId);
    expect(other().eventId).not.toBe(first.eventId);
  });

  it('an event on a case keeps the case and names its own event', () => {
    const route = fingerprintOf(`POST /v1/alerts/${caseId}/events`, { type: 'RESOLVED' });
    const ids = keyedRequestIds('ngo-de', 'k-1', route, caseId);
    expect(ids.caseId).toBe(caseId);
    expect(ids).toEqual(keyedRequestIds('ngo-de', 'k-1', route, caseId));
    expect(ids.eventId).not.toBe(keyedRequestIds('ngo-de', 'k-1', raise).eventId);
  });
});
