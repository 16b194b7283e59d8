/**
 * A demo federation shaped like the real one, with fictional names and real country codes:
 * a 116 000 hotline in each of 32 countries, 31 member NGOs across 26 countries, a
 * cross-border mediator network covering 40 countries, one operator and one auditor.
 * Two member NGOs receive by webhook (DEMO_WEBHOOK_ORGANISATIONS), the others pull.
 * Pure data, as bodies of POST /v1/admin/organisations.
 */

/** The body of POST /v1/admin/organisations. */
export interface OrganisationBody {
  id: string;
  name: string;
  country: string;
  roles: string[];
  coverage: { countries: string[]; categories: string[] };
  languages: string[];
  delivery: { mode: 'pull' } | { mode: 'webhook'; url: string };
  ackWithin: string;
}

/** Countries with a 116 000 hotline in the demo (32), with a working language each. */
const HOTLINE_COUNTRIES: ReadonlyArray<[string, string]> = [
  ['AT', 'de'],
  ['BE', 'fr'],
  ['BG', 'bg'],
  ['HR', 'hr'],
  ['CY', 'el'],
  ['CZ', 'cs'],
  ['DK', 'da'],
  ['EE', 'et'],
  ['FI', 'fi'],
  ['FR', 'fr'],
  ['DE', 'de'],
  ['GR', 'el'],
  ['HU', 'hu'],
  ['IE', 'en'],
  ['IT', 'it'],
  ['LV', 'lv'],
  ['LT', 'lt'],
  ['LU', 'fr'],
  ['MT', 'mt'],
  ['NL', 'nl'],
  ['PL', 'pl'],
  ['PT', 'pt'],
  ['RO', 'ro'],
  ['SK', 'sk'],
  ['SI', 'sl'],
  ['ES', 'es'],
  ['SE', 'sv'],
  ['NO', 'nb'],
  ['CH', 'de'],
  ['GB', 'en'],
  ['AL', 'sq'],
  ['RS', 'sr'],
];

/** Countries with member NGOs (26); five of them have two members each (31 in all). */
const NGO_COUNTRIES = [
  'BE',
  'FR',
  'DE',
  'IT',
  'ES',
  'NL',
  'PT',
  'GR',
  'PL',
  'RO',
  'BG',
  'HU',
  'CZ',
  'SK',
  'AT',
  'SE',
  'DK',
  'FI',
  'IE',
  'CY',
  'MT',
  'LT',
  'LV',
  'GB',
  'CH',
  'RS',
];

/** The mediator network's 40 countries: the hotline countries and eight more. */
const MEDIATOR_COUNTRIES = [
  ...HOTLINE_COUNTRIES.map(([c]) => c),
  'IS',
  'LI',
  'UA',
  'MD',
  'TR',
  'MA',
  'TN',
  'BA',
];

const ALL_CATEGORIES: string[] = [];

/**
 * Where the demo webhook organisations' URLs point: a loopback address where nothing
 * listens yet (a demo receiver comes with the integration kit), so their deliveries will
 * be retried and dead-lettered until one does.
 */
export const DEMO_WEBHOOK_RECEIVER = 'http://127.0.0.1:8099/demo-receiver';

/** The demo organisations that receive by webhook (and so hold a signing secret). */
export const DEMO_WEBHOOK_ORGANISATIONS: readonly string[] = ['ngo-de-1', 'ngo-fr-1'];

/**
 * Every organisation of the demo federation; with `webhookBase`, every hotline, member NGO
 * and the mediators receive by webhook at `<webhookBase>/<id>`.
 */
export function demoFederation(webhookBase?: string): OrganisationBody[] {
  const delivery = (id: string): OrganisationBody['delivery'] =>
    webhookBase
      ? { mode: 'webhook', url: `${webhookBase}/${id}` }
      : DEMO_WEBHOOK_ORGANISATIONS.includes(id)
        ? { mode: 'webhook', url: `${DEMO_WEBHOOK_RECEIVER}/${id}` }
        : { mode: 'pull' };
  const hotlines = HOTLINE_COUNTRIES.map(([country, lang]): OrganisationBody => {
    const id = `hotline-${country.toLowerCase()}`;
    return {
      id,
      name: `116 000 Hotline ${country} (demo)`,
      country,
      roles: ['hotline'],
      coverage: { countries: [country], categories: ALL_CATEGORIES },
      languages: [...new Set([lang, 'en'])],
      delivery: delivery(id),
      ackWithin: 'PT15M',
    };
  });
  const ngos: OrganisationBody[] = [];
  const extra: Record<string, number> = { BE: 2, FR: 2, DE: 2, IT: 2, ES: 2 };
  for (const country of NGO_COUNTRIES) {
    for (let n = 1; n <= (extra[country] ?? 1); n++) {
      const id = `ngo-${country.toLowerCase()}-${n}`;
      ngos.push({
        id,
        name: `Missing Children ${country} ${n} (demo)`,
        country,
        roles: ['member-ngo'],
        coverage: { countries: [country], categories: ALL_CATEGORIES },
        languages: ['en'],
        delivery: delivery(id),
        ackWithin: 'PT1H',
      });
    }
  }
  const mediators: OrganisationBody = {
    id: 'mediators-network',
    name: 'Cross-border Family Mediators (demo)',
    country: 'BE',
    roles: ['mediator'],
    coverage: { countries: MEDIATOR_COUNTRIES, categories: ['PARENTAL_ABDUCTION'] },
    languages: ['en', 'fr', 'de'],
    delivery: delivery('mediators-network'),
    ackWithin: 'PT4H',
  };
  const staff: OrganisationBody[] = [
    {
      id: 'federation-operator',
      name: 'Federation Operations Desk (demo)',
      country: 'BE',
      roles: ['operator'],
      coverage: { countries: [], categories: [] },
      languages: ['en'],
      delivery: { mode: 'pull' },
      ackWithin: 'PT15M',
    },
    {
      id: 'federation-auditor',
      name: 'Federation Audit (demo)',
      country: 'BE',
      roles: ['auditor'],
      coverage: { countries: [], categories: [] },
      languages: ['en'],
      delivery: { mode: 'pull' },
      ackWithin: 'P1D',
    },
  ];
  return [...hotlines, ...ngos, mediators, ...staff];
}
