import { capExample } from '../cap.test-helper';
import { messageKey } from './cap-model';
import { capToExchange } from './cap-to-exchange';
import { readCap } from './read-cap';

const CASE_ID = '6f1c2b4e-8a43-4f7e-9d0a-1b2c3d4e5f60';
const KNOWN = new Map([
  [messageKey({ sender: 'cases@example-ngo.de', identifier: 'DE-BER-2026-00417' }), CASE_ID],
]);

const read = (xml: string) => {
  const alert = readCap(xml);
  if (!alert.ok) throw new Error(JSON.stringify(alert.problems));
  return alert.value;
};
const importOf = (xml: string, known = KNOWN) => capToExchange(read(xml), known);
/** The runaway Alert with `change` applied to its text. */
const runaway = (change: (xml: string) => string = (x) => x) =>
  change(capExample('alert-runaway.xml'));

describe('importing CAP 1.2 into the exchange', () => {
  it('an Alert raises a case: the identifier is the origin reference, info blocks give the descriptions per language', () => {
    const request = importOf(runaway());
    expect(request.ok && request.value.kind).toBe('raise');
    if (!request.ok || request.value.kind !== 'raise') return;
    const { body, message } = request.value;
    expect(message).toEqual({
      sender: 'cases@example-ngo.de',
      identifier: 'DE-BER-2026-00417',
      sent: '2026-11-20T19:30:00+01:00',
    });
    expect(body).toMatchObject({
      category: 'RUNAWAY',
      urgency: 'IMMEDIATE',
      originCaseReference: 'DE-BER-2026-00417',
      occurredAt: '2026-11-20T19:30:00+01:00',
      countries: {
        caseCountry: 'DE',
        lastSeenCountry: 'DE',
        suspectedDestinations: ['AT'],
        knownRoute: [],
      },
      lastSeen: {
        at: '2026-11-20T17:45:00+01:00',
        place: 'Berlin Hauptbahnhof, platform 14',
        latitude: 52.5251,
        longitude: 13.3694,
      },
      riskFactors: { selfHarmRisk: true },
      contact: { desk: 'Berlin 24h desk', phone: '+493012345678' },
    });
    expect(body.child.names).toEqual([
      { given: 'Ελένη', family: 'Παπαδοπούλου', script: 'Grek' },
      { given: 'Eleni', family: 'Papadopoulou' },
    ]);
    expect(body.child.descriptions?.map((d) => d.lang)).toEqual(['en', 'de']);
    expect(body.child.nationalities).toEqual(['GR', 'DE']);
  });

  it('an Update becomes an UPDATED event on the case its references name, with the whole case', () => {
    const request = importOf(capExample('update-runaway.xml'));
    expect(request.ok && request.value.kind === 'event' && request.value.caseId).toBe(CASE_ID);
    expect(request.ok && request.value.body).toMatchObject({
      type: 'UPDATED',
      originCaseReference: 'DE-BER-2026-00417',
      countries: { caseCountry: 'DE', lastSeenCountry: 'DE', suspectedDestinations: ['CZ', 'AT'] },
    });
  });

  it('a Cancel becomes WITHDRAWN, its note the reason', () => {
    const request = importOf(capExample('cancel-runaway.xml'));
    expect(request.ok && request.value).toMatchObject({
      kind: 'event',
      caseId: CASE_ID,
      body: {
        type: 'WITHDRAWN',
        occurredAt: '2026-11-21T10:15:00+01:00',
        reason: "Reported in error: the child was at a friend's home.",
      },
    });
  });

  it('an Update with responseType AllClear resolves the case', () => {
    const xml = capExample('update-runaway.xml').replace(
      '<urgency>Immediate</urgency>',
      '<responseType>AllClear</responseType><urgency>Past</urgency>',
    );
    expect(importOf(xml).ok && (importOf(xml) as any).value.body).toEqual({
      type: 'RESOLVED',
      occurredAt: '2026-11-21T09:00:00+01:00',
      resolution: { outcome: 'OTHER', note: null },
    });
  });

  it.each([
    ['Security', 'THIRD_PARTY_ABDUCTION'],
    ['Rescue', 'LOST_INJURED_OTHER'],
    ['Safety', 'LOST_INJURED_OTHER'],
  ])('without a category eventCode, CAP category %s is %s', (capCategory, category) => {
    const xml = runaway((x) =>
      x
        .replace(/<eventCode>[\s\S]*?<\/eventCode>/, '')
        .replace('<category>Safety</category>', `<category>${capCategory}</category>`),
    );
    expect(importOf(xml).ok && (importOf(xml) as any).value.body.category).toBe(category);
  });

  it.each([
    ['Immediate', 'Minor', 'Possible', 'IMMEDIATE'],
    ['Expected', 'Extreme', 'Observed', 'EXPECTED'],
    ['Future', 'Moderate', 'Likely', 'FUTURE'],
    ['Unknown', 'Extreme', 'Observed', 'IMMEDIATE'],
    ['Unknown', 'Severe', 'Likely', 'IMMEDIATE'],
    ['Unknown', 'Severe', 'Possible', 'EXPECTED'],
    ['Unknown', 'Moderate', 'Observed', 'EXPECTED'],
  ])('urgency %s, severity %s, certainty %s give %s', (urgency, severity, certainty, expected) => {
    const xml = runaway((x) =>
      x
        .replace('<urgency>Immediate</urgency>', `<urgency>${urgency}</urgency>`)
        .replace('<severity>Extreme</severity>', `<severity>${severity}</severity>`)
        .replace('<certainty>Observed</certainty>', `<certainty>${certainty}</certainty>`),
    );
    expect(importOf(xml).ok && (importOf(xml) as any).value.body.urgency).toBe(expected);
  });

  it.each([
    ['status Test', runaway((x) => x.replace('>Actual<', '>Test<')), '/alert/status'],
    ['msgType Ack', runaway((x) => x.replace('>Alert<', '>Ack<')), '/alert/msgType'],
    ['an unknown msgType', runaway((x) => x.replace('>Alert<', '>Warning<')), '/alert/msgType'],
    ['sent without offset', runaway((x) => x.replace('+01:00</sent>', 'Z</sent>')), '/alert/sent'],
    [
      'an Update of an unknown message',
      capExample('update-runaway.xml').replace('DE-BER-2026-00417,', 'DE-BER-1999-1,'),
      '/alert/references',
    ],
    [
      'malformed references',
      capExample('update-runaway.xml').replace(
        /<references>.*<\/references>/,
        '<references>just-an-id</references>',
      ),
      '/alert/references',
    ],
    ['urgency Past', runaway((x) => x.replace('>Immediate<', '>Past<')), '/alert/info[1]/urgency'],
    [
      'an unknown exchange category',
      runaway((x) => x.replace('>RUNAWAY<', '>KIDNAPPING<')),
      '/alert/info[1]/eventCode[1]/value',
    ],
    [
      'CAP category Met without an eventCode',
      runaway((x) =>
        x.replace(/<eventCode>[\s\S]*?<\/eventCode>/, '').replace('>Safety<', '>Met<'),
      ),
      '/alert/info[1]/eventCode',
    ],
    [
      'a country code that is not ISO 3166',
      runaway((x) => x.replace('<value>AT</value>', '<value>XX</value>')),
      '/alert/info[1]/area[3]/geocode[1]/value',
    ],
    [
      'no country at all',
      runaway((x) => x.replace(/<area>[\s\S]*<\/area>/, '')),
      '/alert/info[1]/area',
    ],
    [
      'no given name',
      runaway((x) => x.replace(/\/child\/names\/\d\/given/g, '/child/names/0/family')),
      '/alert/info[1]/parameter',
    ],
    [
      'a boolean parameter that is not true or false',
      runaway((x) => x.replace('<value>true</value>', '<value>yes</value>')),
      '/alert/info[1]/parameter[10]/value',
    ],
    [
      'a parameter naming no case field',
      runaway((x) => x.replace('/circumstances', '/child/favouriteColour')),
      '/alert/info[1]/parameter[11]/value',
    ],
    [
      'an Alert without info',
      runaway((x) => x.replace(/<info>[\s\S]*<\/info>/, '')),
      '/alert/info',
    ],
    [
      'a language in upper case',
      runaway((x) => x.replace('<language>de</language>', '<language>DE</language>')),
      '/alert/info[2]/language',
    ],
  ])('%s is a problem naming the CAP element', (_name, xml, path) => {
    const request = importOf(xml);
    expect(request.ok).toBe(false);
    expect(!request.ok && request.problems.map((p) => p.path)).toContain(path);
  });
});
