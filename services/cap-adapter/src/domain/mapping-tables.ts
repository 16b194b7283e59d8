import type { CaseBody } from '@alert-exchange/contracts';

/**
 * The tables that translate between CAP's all-hazard vocabulary and the exchange's
 * (docs/CAP.md gives them as tables). CAP has no category for a missing child, so the
 * exchange's category travels as an `eventCode`; CAP's own category is derived from it.
 */

export type Category = CaseBody['category'];
export type Urgency = CaseBody['urgency'];

export const CATEGORY_CODE = 'alert-exchange:category';
export const COUNTRY_ROLE_CODE = 'alert-exchange:country-role';
export const ISO_COUNTRY_CODE = 'ISO3166-1';
/** Geocode names national systems use for ISO 3166-1 alpha-2 codes. */
export const isIsoCountryCodeName = (name: string): boolean =>
  /^iso[ _-]?3166(-1)?([ _-]?alpha-?2)?$/i.test(name.trim());

export const CATEGORIES: readonly Category[] = [
  'RUNAWAY',
  'PARENTAL_ABDUCTION',
  'MISSING_MIGRANT_MINOR',
  'THIRD_PARTY_ABDUCTION',
  'LOST_INJURED_OTHER',
];

/** Exchange category → CAP category and the `event` text of the exported info blocks. */
export const CAP_CATEGORY: Readonly<Record<Category, { category: string; event: string }>> = {
  RUNAWAY: { category: 'Safety', event: 'Missing child: runaway' },
  PARENTAL_ABDUCTION: { category: 'Security', event: 'Missing child: parental abduction' },
  MISSING_MIGRANT_MINOR: { category: 'Safety', event: 'Missing child: missing migrant minor' },
  THIRD_PARTY_ABDUCTION: { category: 'Security', event: 'Missing child: abduction' },
  LOST_INJURED_OTHER: { category: 'Rescue', event: 'Missing child: lost, injured or other' },
};

/** CAP category → exchange category, when the alert carries no category eventCode. */
export const CATEGORY_WITHOUT_CODE: Readonly<Record<string, Category>> = {
  Security: 'THIRD_PARTY_ABDUCTION',
  Rescue: 'LOST_INJURED_OTHER',
  Safety: 'LOST_INJURED_OTHER',
};

export const CAP_URGENCY: Readonly<Record<Urgency, string>> = {
  IMMEDIATE: 'Immediate',
  EXPECTED: 'Expected',
  FUTURE: 'Future',
};

/**
 * CAP urgency → exchange urgency. `Unknown` is decided by severity and certainty: an
 * Extreme or Severe alert that is Observed or Likely is IMMEDIATE, anything else EXPECTED.
 * `Past` has no exchange urgency (an alert that no longer applies is a Cancel or an
 * Update with responseType AllClear).
 */
export function urgencyOf(urgency: string, severity: string, certainty: string): Urgency | null {
  switch (urgency) {
    case 'Immediate':
      return 'IMMEDIATE';
    case 'Expected':
      return 'EXPECTED';
    case 'Future':
      return 'FUTURE';
    case 'Unknown':
      return ['Extreme', 'Severe'].includes(severity) && ['Observed', 'Likely'].includes(certainty)
        ? 'IMMEDIATE'
        : 'EXPECTED';
    default:
      return null;
  }
}

/**
 * The CAP severity of a case: Extreme when a risk factor is flagged or the child was
 * abducted by a third party, Severe when the case is IMMEDIATE, Moderate otherwise.
 */
export function severityOf(body: CaseBody): string {
  const risks = body.riskFactors ?? {};
  const risky =
    risks.medicalNeeds || risks.exploitationRisk || risks.traffickingRisk || risks.selfHarmRisk;
  if (risky || body.category === 'THIRD_PARTY_ABDUCTION') return 'Extreme';
  return body.urgency === 'IMMEDIATE' ? 'Severe' : 'Moderate';
}

/** The part a country plays in a case, as the `alert-exchange:country-role` geocode. */
export type CountryRole = 'case' | 'last-seen' | 'destination' | 'route';
export const COUNTRY_ROLES: readonly CountryRole[] = ['case', 'last-seen', 'destination', 'route'];
