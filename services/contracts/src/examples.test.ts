import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Type } from 'avsc';
import { loadCatalogue, SCHEMAS_DIR } from './catalogue';
import {
  ageBandOf,
  ageOn,
  toAlertEvent,
  toCaseBody,
  toEventBody,
  toEventOnCase,
  type CaseBody,
  type EventBody,
} from './domain/alert-body';
import type { AlertEvent } from './generated/avro-types';

const EXAMPLES = join(SCHEMAS_DIR, 'examples');
const read = <T>(file: string): T => JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8')) as T;
const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.json'));
const alertType = Type.forSchema(
  loadCatalogue().find((e) => e.fullName === 'eu.alertexchange.AlertEvent')!.schema as never,
);
const meta = {
  eventId: '6f1c2a9e-3b7d-4e51-9a0c-1d2e3f405162',
  caseId: '0b8e7d6c-5a4f-4321-8fed-cba987654321',
  publishedAt: Date.parse('2026-11-22T12:00:00.000Z'),
  originatingOrganisation: 'example-ngo-de',
};
/** Through Avro and back, as Kafka carries it. */
const overTheWire = (event: AlertEvent): AlertEvent =>
  alertType.fromBuffer(alertType.toBuffer(event)) as AlertEvent;

describe('schemas/examples', () => {
  it('hold a raise per category and an event per event type', () => {
    const raises = files
      .filter((f) => f.startsWith('raise-'))
      .map((f) => read<CaseBody>(f).category);
    const events = files.filter((f) => f.startsWith('event-')).map((f) => read<EventBody>(f).type);
    expect(raises.sort()).toEqual([
      'LOST_INJURED_OTHER',
      'MISSING_MIGRANT_MINOR',
      'PARENTAL_ABDUCTION',
      'RUNAWAY',
      'THIRD_PARTY_ABDUCTION',
    ]);
    expect(events.sort()).toEqual(['RESOLVED', 'SIGHTING_REPORTED', 'UPDATED', 'WITHDRAWN']);
  });

  it('carry names in several scripts', () => {
    const scripts = new Set(
      files
        .filter((f) => f.startsWith('raise-'))
        .flatMap((f) => read<CaseBody>(f).child.names.map((n) => n.script)),
    );
    expect([...scripts].sort()).toEqual(['Arab', 'Cyrl', 'Grek', 'Latn']);
  });

  it.each(files.filter((f) => f.startsWith('raise-')))(
    '%s converts to Avro and back without loss',
    (file) => {
      const body = read<CaseBody>(file);
      const event = toAlertEvent(body, { ...meta, eventType: 'RAISED' });
      expect(alertType.isValid(event)).toBe(true);
      const back = overTheWire(event);
      expect(back).toEqual(event);
      expect(toCaseBody(back)).toEqual(body);
    },
  );

  it.each(files.filter((f) => f.startsWith('event-')))(
    '%s on a raised case converts to Avro and back without loss',
    (file) => {
      const body = read<EventBody>(file);
      const event = toEventOnCase(body, read<CaseBody>('raise-runaway.json'), meta);
      expect(event.eventType).toBe(body.type);
      expect(toEventBody(overTheWire(event))).toEqual(body);
    },
  );

  it('keeps personal data out of the clear routing fields', () => {
    const event = toAlertEvent(read<CaseBody>('raise-missing-migrant-minor.json'), {
      ...meta,
      eventType: 'RAISED',
    });
    const { personal: _personal, ...clear } = event;
    const text = JSON.stringify(clear);
    for (const secret of ['محمد', 'Mohammed', 'Catania', 'asylum', 'scar'])
      expect(text).not.toContain(secret);
    expect(event.personal.clear?.names[0]?.given).toBe('محمد');
  });
});

describe('age', () => {
  it.each([
    [null, null],
    [3, 'UNDER_6'],
    [6, 'AGE_6_12'],
    [12, 'AGE_6_12'],
    [13, 'AGE_13_15'],
    [17, 'AGE_16_17'],
    [18, 'UNKNOWN'],
  ])('a child of %s years is in band %s', (age, band) => {
    expect(ageBandOf(age)).toBe(band);
  });

  it.each([
    ['2012-03-04', '2026-03-03T23:59:59.000Z', 13],
    ['2012-03-04', '2026-03-04T00:00:00.000Z', 14],
    ['2016-02-29', '2026-02-28T12:00:00.000Z', 9],
  ])('born %s, on %s is %i', (dob, at, age) => {
    expect(ageOn(dob, Date.parse(at))).toBe(age);
  });
});
