import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  toAlertEvent,
  toEventOnCase,
  type AlertEvent,
  type CaseBody,
  type EventBody,
} from '@alert-exchange/contracts';
import { caseAccess, foldCase, fullCaseView, refuseEvent, type CaseState } from './case-state';

const EXAMPLES = join(__dirname, '..', '..', '..', '..', 'schemas', 'examples');
const read = <T>(file: string): T => JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8')) as T;
const caseId = '0b8e7d6c-5a4f-4321-8fed-cba987654321';
const raisedBody = read<CaseBody>('raise-runaway.json');
let clock = Date.parse('2026-11-22T12:00:00.000Z');
let n = 0;
const meta = () => ({
  caseId,
  eventId: `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
  publishedAt: (clock += 1000),
  originatingOrganisation: 'ngo-de',
});
const raised = (): AlertEvent => toAlertEvent(raisedBody, { ...meta(), eventType: 'RAISED' });
const on = (file: string, actor = 'ngo-de'): AlertEvent =>
  toEventOnCase(read<EventBody>(file), raisedBody, { ...meta(), actor });

describe('foldCase', () => {
  it('knows no case without its RAISED event', () => {
    expect(foldCase([])).toBeUndefined();
    expect(foldCase([on('event-updated.json')])).toBeUndefined();
  });

  it.each<[string, () => AlertEvent[], Partial<CaseState>]>([
    ['raised', () => [raised()], { status: 'OPEN', eventCount: 1, topic: 'alerts.de' }],
    [
      'raised, sighted by another organisation',
      () => [raised(), on('event-sighting-reported.json', 'hotline-cz')],
      { status: 'OPEN', eventCount: 2 },
    ],
    [
      'raised, updated, resolved',
      () => [raised(), on('event-updated.json'), on('event-resolved.json')],
      { status: 'RESOLVED', eventCount: 3 },
    ],
    ['raised, withdrawn', () => [raised(), on('event-withdrawn.json')], { status: 'WITHDRAWN' }],
  ])('%s', (_what, events, expected) => {
    const list = events();
    const state = foldCase(list)!;
    expect(state).toMatchObject({ ...expected, originator: 'ngo-de', caseId });
    expect(state.lastEventId).toBe(list.at(-1)!.eventId);
    expect(state.raisedAt).toBe(list[0]!.publishedAt);
  });

  it('keeps every sighting with its reporter, and the view shows them', () => {
    const state = foldCase([
      raised(),
      on('event-sighting-reported.json', 'hotline-cz'),
      on('event-sighting-reported.json', 'ngo-at'),
    ])!;
    expect(state.sightings.map((s) => s.reportedBy)).toEqual(['hotline-cz', 'ngo-at']);
    const view = fullCaseView(state);
    expect(view.sightings).toHaveLength(2);
    expect(view.case.child.names).toEqual(raisedBody.child.names);
    expect(view.resolution).toBeNull();
  });

  it('a second record of one event (a retry published again) counts once', () => {
    const first = raised();
    const sighting = on('event-sighting-reported.json', 'hotline-cz');
    const resolved = on('event-resolved.json');
    const state = foldCase([first, first, sighting, resolved, sighting, resolved])!;
    expect(state).toMatchObject({ status: 'RESOLVED', eventCount: 3 });
    expect(state.eventIds).toEqual([first.eventId, sighting.eventId, resolved.eventId]);
    expect(state.sightings).toHaveLength(1);
    expect(state.lastEventId).toBe(resolved.eventId);
  });

  it('the full view of an erased case says so and holds nothing personal; the rest stays', () => {
    const resolved = on('event-resolved.json');
    const state = foldCase([raised(), resolved])!;
    const erased = {
      ...state,
      latest: {
        ...state.latest,
        personal: { ...state.latest.personal, encoding: 'ERASED' as const, clear: null },
      },
    };
    expect(fullCaseView(state).personalDataErased).toBe(false);
    const view = fullCaseView(erased);
    expect(view.personalDataErased).toBe(true);
    expect(view.case.child).toMatchObject({ names: [], descriptions: [], dateOfBirth: null });
    expect(view.case.lastSeen?.place).toBeNull();
    expect(view.case.category).toBe(raisedBody.category);
    expect(view.resolution?.eventId).toBe(resolved.eventId);
    const text = JSON.stringify(view);
    for (const name of raisedBody.child.names) expect(text).not.toContain(name.given);
  });

  it('an update replaces the case', () => {
    const updated = on('event-updated.json');
    const view = fullCaseView(foldCase([raised(), updated])!);
    expect(view.case.urgency).toBe(read<CaseBody>('event-updated.json').urgency);
  });
});

describe('who may see and add to a case', () => {
  const open = (): CaseState => foldCase([raised()])!;
  const closed = (): CaseState => foldCase([raised(), on('event-resolved.json')])!;
  const ngo = { organisationId: 'ngo-de', roles: ['member-ngo'] };
  const operator = { organisationId: 'exchange-operator', roles: ['operator'] };
  const recipient = { organisationId: 'hotline-at', roles: ['hotline'] };
  const stranger = { organisationId: 'ngo-fr', roles: ['member-ngo'] };
  const auditor = { organisationId: 'auditors', roles: ['auditor'] };
  const routed = new Set(['hotline-at']);

  it.each([
    [ngo, 'full'],
    [operator, 'full'],
    [recipient, 'routed'],
    [stranger, 'none'],
    [auditor, 'none'],
  ] as const)('%o sees %s', (caller, access) => {
    expect(caseAccess(open(), caller, routed)).toBe(access);
  });

  it.each([
    ['originator updates', open, ngo, 'UPDATED', undefined],
    ['operator withdraws', open, operator, 'WITHDRAWN', undefined],
    ['recipient reports a sighting', open, recipient, 'SIGHTING_REPORTED', undefined],
    ['recipient resolves', open, recipient, 'RESOLVED', 'forbidden'],
    ['stranger reports a sighting', open, stranger, 'SIGHTING_REPORTED', 'not-found'],
    ['originator adds to a closed case', closed, ngo, 'UPDATED', 'conflict'],
    ['anyone adds to no case', (): CaseState | undefined => undefined, ngo, 'UPDATED', 'not-found'],
  ] as const)('%s → %s', (_what, state, caller, type, refusal) => {
    expect(refuseEvent(state(), caller, type, routed)?.kind).toBe(refusal);
  });
});
