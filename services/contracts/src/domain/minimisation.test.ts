import type { AlertEvent, OrganisationRole } from '../generated/avro-types';
import { toAlertEvent, type CaseBody } from './alert-body';
import { exampleMeta, readExample } from '../examples.test-helper';
import {
  VIEW_LEVELS,
  highestViewLevel,
  minimiseAlert,
  moreThan,
  viewLevelCeiling,
  viewLevelFor,
  viewLevelRank,
  type ViewLevel,
} from './minimisation';

const read = readExample;
const meta = exampleMeta;

/**
 * The minimisation table (docs/ROUTING.md reproduces it row for row): each field of
 * AlertEvent and PersonalData, its sensitivity class (docs/SCHEMAS.md), and the lowest
 * level that receives it. `personal.*` are the fields of the envelope's PersonalData.
 */
const TABLE: ReadonlyArray<[fields: string, sensitivity: string, from: ViewLevel]> = [
  ['eventId, caseId, eventType, occurredAt, publishedAt', 'public', 'NOTICE'],
  ['originatingOrganisation, category, urgency, supersedes', 'public', 'NOTICE'],
  [
    'countries.caseCountry, countries.lastSeenCountry, countries.suspectedDestinations, countries.knownRoute',
    'public',
    'NOTICE',
  ],
  ['sighting.country, sighting.reportedBy, contact.organisationId', 'public', 'NOTICE'],
  ['countries.nationalityCountries, originCaseReference, lastSeenAt', 'restricted', 'SPOT'],
  [
    'riskFactors.medicalNeeds, riskFactors.exploitationRisk, riskFactors.traffickingRisk, riskFactors.selfHarmRisk',
    'restricted',
    'SPOT',
  ],
  ['childSummary.ageBand, childSummary.languagesSpoken', 'restricted', 'SPOT'],
  ['sighting.at, sighting.place, sighting.note', 'restricted', 'SPOT'],
  ['resolution.outcome, resolution.note, withdrawalReason', 'restricted', 'SPOT'],
  ['contact.desk, contact.phone, contact.email', 'restricted', 'SPOT'],
  ['personal.names[].given, personal.names[].script, personal.names[].lang', 'personal', 'SPOT'],
  [
    'personal.descriptions[].lang, personal.descriptions[].text, personal.photoRef',
    'personal',
    'SPOT',
  ],
  ['personal.names[].family, personal.dateOfBirth, personal.ageYears', 'personal', 'MEDIATE'],
  ['personal.sex, personal.nationalities, personal.circumstances', 'personal', 'MEDIATE'],
  [
    'personal.lastSeenPlace, personal.lastSeenLatitude, personal.lastSeenLongitude',
    'personal',
    'IDENTIFY',
  ],
  ['personal.medicalNotes (only when riskFactors.medicalNeeds)', 'special', 'IDENTIFY_SPECIAL'],
  ['personal.migrationStatus (only for MISSING_MIGRANT_MINOR)', 'special', 'IDENTIFY_SPECIAL'],
];
const fieldsOf = (row: string): string[] => row.split(', ').map((f) => f.replace(/ \(.*\)$/, ''));
const ALL_FIELDS = TABLE.flatMap(([fields]) => fieldsOf(fields));
const fieldsAt = (level: ViewLevel): string[] =>
  TABLE.filter(([, , from]) => viewLevelRank(level) >= viewLevelRank(from)).flatMap(([fields]) =>
    fieldsOf(fields),
  );

/** Every leaf of a JSON-like value, as a dotted path (`[]` for the elements of an array of records). */
function leafPaths(value: unknown, prefix = ''): string[] {
  const at = (key: string): string => (prefix ? `${prefix}.${key}` : key);
  if (Array.isArray(value)) {
    if (value.length === 0 || value.some((v) => typeof v !== 'object' || v === null))
      return [prefix];
    return [...new Set(value.flatMap((v) => leafPaths(v, `${prefix}[]`)))];
  }
  if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value))
    return Object.entries(value).flatMap(([k, v]) => leafPaths(v, at(k)));
  return [prefix];
}

/** A migrant minor with medical needs, on an event carrying every optional part: no real event has all of them, but every field must be placed. */
function everyFieldSet(): AlertEvent {
  const body = read<CaseBody>('raise-missing-migrant-minor.json');
  return toAlertEvent(
    {
      ...body,
      child: { ...body.child, dateOfBirth: '2011-05-02', photoRef: 'photo:it-sic-0093' },
      riskFactors: { ...body.riskFactors, medicalNeeds: true, medicalNotes: 'Insulin twice daily' },
    },
    {
      ...meta,
      eventType: 'SIGHTING_REPORTED',
      sighting: {
        at: Date.parse('2026-11-22T10:00:00.000Z'),
        country: 'FR',
        place: 'Menton, station',
        note: 'With two adults',
        reportedBy: 'hotline-fr',
      },
      resolution: { outcome: 'FOUND_SAFE', note: 'Placed in care' },
      withdrawalReason: 'Duplicate report',
      supersedes: '11111111-2222-4333-8444-555555555555',
    },
  );
}

describe('minimiseAlert', () => {
  const event = everyFieldSet();

  it('the table places every field of AlertEvent and PersonalData, once', () => {
    const eventFields = leafPaths(event)
      .filter((p) => !/^personal\.(encoding|keyId|iv|ciphertext)$/.test(p))
      .map((p) => p.replace(/^personal\.clear\./, 'personal.'));
    expect([...ALL_FIELDS].sort()).toEqual(eventFields.sort());
    expect(new Set(ALL_FIELDS).size).toBe(ALL_FIELDS.length);
  });

  it.each(VIEW_LEVELS)(
    '%s: the view holds exactly the fields the table gives the level',
    (level) => {
      const view = minimiseAlert(event, level);
      expect(view.level).toBe(level);
      const shown = leafPaths(view).filter((p) => p !== 'level');
      expect(shown.sort()).toEqual(fieldsAt(level).sort());
    },
  );

  it.each(VIEW_LEVELS)(
    '%s: the view is JSON, with ISO-8601 timestamps and dates as YYYY-MM-DD',
    (level) => {
      const view = minimiseAlert(event, level);
      expect(JSON.parse(JSON.stringify(view))).toEqual(view);
      expect(view.publishedAt).toBe('2026-11-22T12:00:00.000Z');
      if (level !== 'NOTICE') expect(view.sighting?.at).toBe('2026-11-22T10:00:00.000Z');
      if (moreThan(level, 'SPOT')) expect(view.personal?.dateOfBirth).toBe('2011-05-02');
    },
  );

  it('gives medical notes only when the originator flagged medical needs', () => {
    const noNeeds = { ...event, riskFactors: { ...event.riskFactors, medicalNeeds: false } };
    expect(minimiseAlert(noNeeds, 'IDENTIFY_SPECIAL').personal).not.toHaveProperty('medicalNotes');
    expect(minimiseAlert(event, 'IDENTIFY_SPECIAL').personal?.medicalNotes).toBe(
      'Insulin twice daily',
    );
  });

  it('gives migration status only for a missing migrant minor', () => {
    const runaway: AlertEvent = { ...event, category: 'RUNAWAY' };
    expect(minimiseAlert(runaway, 'IDENTIFY_SPECIAL').personal).not.toHaveProperty(
      'migrationStatus',
    );
    expect(minimiseAlert(event, 'IDENTIFY_SPECIAL').personal?.migrationStatus).toBe(
      'Unaccompanied minor, asylum application pending',
    );
  });

  it.each(['AES_256_GCM', 'ERASED', 'UNKNOWN'] as const)(
    'omits every personal field when the envelope is %s (decryption is the privacy layer’s)',
    (encoding) => {
      const sealed: AlertEvent = { ...event, personal: { ...event.personal, encoding } };
      const view = minimiseAlert(sealed, 'IDENTIFY_SPECIAL');
      expect(view).not.toHaveProperty('personal');
      expect(view.originCaseReference).toBe('IT-SIC-2026-0093');
    },
  );

  const raises = [
    'raise-runaway.json',
    'raise-parental-abduction.json',
    'raise-missing-migrant-minor.json',
    'raise-third-party-abduction.json',
    'raise-lost-injured-other.json',
  ];
  it.each(raises)(
    '%s: no name in a NOTICE view, no family name in a SPOT view, no coordinates below IDENTIFY',
    (file) => {
      const body = read<CaseBody>(file);
      const alert = toAlertEvent(body, meta);
      const text = (level: ViewLevel): string => JSON.stringify(minimiseAlert(alert, level));
      for (const name of body.child.names) {
        expect(text('NOTICE')).not.toContain(name.given);
        expect(text('NOTICE')).not.toContain(name.family);
        expect(text('SPOT')).not.toContain(name.family);
        expect(text('SPOT')).toContain(name.given);
        expect(text('MEDIATE')).toContain(name.family);
      }
      for (const level of ['NOTICE', 'SPOT', 'MEDIATE'] as const) {
        expect(text(level)).not.toContain(String(body.lastSeen!.latitude));
        expect(text(level)).not.toContain(body.lastSeen!.place);
      }
      if (body.riskFactors?.medicalNotes) {
        expect(text('IDENTIFY')).not.toContain(body.riskFactors.medicalNotes);
        expect(text('IDENTIFY_SPECIAL')).toContain(body.riskFactors.medicalNotes);
      }
    },
  );
});

describe('viewLevelFor', () => {
  /** The level by role and reason (docs/ROUTING.md reproduces it row for row). */
  it.each<[roles: OrganisationRole[], rules: string[], level: ViewLevel]>([
    [['HOTLINE'], ['hotline-of-case-country'], 'IDENTIFY_SPECIAL'],
    [['HOTLINE'], ['hotline-of-last-seen-country'], 'IDENTIFY_SPECIAL'],
    [['HOTLINE'], ['hotline-of-destination'], 'IDENTIFY_SPECIAL'],
    [['HOTLINE'], ['hotline-of-nationality'], 'IDENTIFY'],
    [['HOTLINE'], ['hotline-of-route'], 'SPOT'],
    [['MEMBER_NGO'], ['ngo-of-case-country'], 'IDENTIFY_SPECIAL'],
    [['MEMBER_NGO'], ['ngo-of-last-seen-country'], 'IDENTIFY_SPECIAL'],
    [['MEMBER_NGO'], ['ngo-of-destination'], 'IDENTIFY_SPECIAL'],
    [['MEMBER_NGO'], ['ngo-of-nationality'], 'IDENTIFY'],
    [['MEMBER_NGO'], ['ngo-of-route'], 'SPOT'],
    [['MEDIATOR'], ['mediator-parental-abduction'], 'MEDIATE'],
    [['HOTLINE'], ['subscription:sub-1'], 'NOTICE'],
    [['OPERATOR'], ['subscription:sub-1'], 'NOTICE'],
    [['MEMBER_NGO'], ['earlier-recipient'], 'NOTICE'],
    [['MEMBER_NGO'], ['sighting-for-originator'], 'IDENTIFY_SPECIAL'],
    [['HOTLINE'], ['hotline-of-route', 'hotline-of-destination'], 'IDENTIFY_SPECIAL'],
    [['HOTLINE', 'MEDIATOR'], ['hotline-of-route', 'mediator-parental-abduction'], 'MEDIATE'],
    [['MEMBER_NGO'], ['hotline-of-case-country'], 'NOTICE'],
    [['AUDITOR'], ['ngo-of-case-country'], 'NOTICE'],
    [['HOTLINE'], ['a-rule-nobody-defined'], 'NOTICE'],
    [['HOTLINE'], [], 'NOTICE'],
  ])('%j routed for %j sees %s', (roles, rules, level) => {
    expect(viewLevelFor(roles, rules)).toBe(level);
  });
});

describe('levels', () => {
  it('are ordered, each showing more than the one before', () => {
    expect(VIEW_LEVELS.map(viewLevelRank)).toEqual([0, 1, 2, 3, 4]);
    expect(moreThan('IDENTIFY', 'MEDIATE')).toBe(true);
    expect(moreThan('SPOT', 'SPOT')).toBe(false);
    expect(highestViewLevel(['SPOT', 'IDENTIFY', 'MEDIATE'])).toBe('IDENTIFY');
    expect(highestViewLevel([])).toBe('NOTICE');
  });

  it.each<[OrganisationRole[], ViewLevel]>([
    [['HOTLINE'], 'IDENTIFY_SPECIAL'],
    [['MEMBER_NGO'], 'IDENTIFY_SPECIAL'],
    [['MEDIATOR'], 'MEDIATE'],
    [['OPERATOR'], 'NOTICE'],
    [['AUDITOR'], 'NOTICE'],
    [[], 'NOTICE'],
  ])('the most any rule gives %j is %s', (roles, level) => {
    expect(viewLevelCeiling(roles)).toBe(level);
  });
});
