import { isCountryCode, type CaseBody } from '@alert-exchange/contracts';
import type { CapArea, CapValue } from './cap-model';
import type { CapProblem } from './cap-problems';
import {
  COUNTRY_ROLE_CODE,
  COUNTRY_ROLES,
  ISO_COUNTRY_CODE,
  isIsoCountryCodeName,
  type CountryRole,
} from './mapping-tables';

/**
 * CAP areas ↔ the countries of a case. Each country is an area with an ISO 3166-1
 * alpha-2 geocode; the exchange's own geocode `alert-exchange:country-role` says its part
 * (case, last-seen, destination, route). Without roles, the first country is the case and
 * last-seen country and the others suspected destinations. The last-seen area carries the
 * last-seen place (areaDesc) and coordinates (a circle "lat,lon 0").
 */

export interface AreaCountries {
  countries: CaseBody['countries'];
  lastSeen: { place: string | null; latitude: number | null; longitude: number | null };
}

const geocode = (
  area: CapArea,
  test: (name: string) => boolean,
): [CapValue, number] | undefined => {
  const index = area.geocode.findIndex((code) => test(code.valueName));
  return index < 0 ? undefined : [area.geocode[index]!, index];
};

function circleCentre(circle: string | undefined): { latitude: number; longitude: number } | null {
  const match = /^\s*(-?\d+(?:\.\d+)?),\s*(-?\d+(?:\.\d+)?)\s+\d+(?:\.\d+)?\s*$/.exec(circle ?? '');
  return match ? { latitude: Number(match[1]), longitude: Number(match[2]) } : null;
}

export function countriesOfAreas(
  areas: readonly CapArea[],
  path: string,
): { value?: AreaCountries; problems: CapProblem[] } {
  const problems: CapProblem[] = [];
  const found: Array<{ country: string; role?: CountryRole; area: CapArea }> = [];
  areas.forEach((area, i) => {
    const iso = geocode(area, isIsoCountryCodeName);
    if (!iso) return;
    const country = iso[0].value.trim().toUpperCase();
    if (!isCountryCode(country)) {
      problems.push({
        path: `${path}/area[${i + 1}]/geocode[${iso[1] + 1}]/value`,
        message: `must be an ISO 3166-1 alpha-2 country code, not ${iso[0].value}`,
      });
      return;
    }
    const role = geocode(area, (name) => name === COUNTRY_ROLE_CODE);
    if (role && !COUNTRY_ROLES.includes(role[0].value as CountryRole)) {
      problems.push({
        path: `${path}/area[${i + 1}]/geocode[${role[1] + 1}]/value`,
        message: `must be one of ${COUNTRY_ROLES.join(', ')}`,
      });
      return;
    }
    found.push({ country, role: role?.[0].value as CountryRole | undefined, area });
  });
  const withRoles = found.some((f) => f.role);
  const caseArea = withRoles ? found.find((f) => f.role === 'case') : found[0];
  if (!caseArea) {
    problems.push({
      path: `${path}/area`,
      message: `needs an area with an ${ISO_COUNTRY_CODE} geocode for the case country`,
    });
  }
  if (problems.length > 0 || !caseArea) return { problems };
  const lastSeenArea = withRoles ? found.find((f) => f.role === 'last-seen') : caseArea;
  const others = found.filter((f) => f !== caseArea && f !== lastSeenArea);
  const centre = circleCentre(lastSeenArea?.area.circle[0]);
  return {
    problems,
    value: {
      countries: {
        caseCountry: caseArea.country,
        lastSeenCountry: lastSeenArea?.country ?? null,
        suspectedDestinations: others
          .filter((f) => (withRoles ? f.role === 'destination' : true))
          .map((f) => f.country),
        knownRoute: others.filter((f) => f.role === 'route').map((f) => f.country),
      },
      lastSeen: {
        place:
          lastSeenArea && lastSeenArea.area.areaDesc !== lastSeenArea.country
            ? lastSeenArea.area.areaDesc
            : null,
        latitude: centre?.latitude ?? null,
        longitude: centre?.longitude ?? null,
      },
    },
  };
}

const countryArea = (country: string, role: CountryRole, areaDesc?: string, circle?: string) => ({
  areaDesc: areaDesc ?? country,
  circle: circle ? [circle] : [],
  geocode: [
    { valueName: ISO_COUNTRY_CODE, value: country },
    { valueName: COUNTRY_ROLE_CODE, value: role },
  ],
});

/** The areas of a case: its countries, each with its role; the last-seen place and point. */
export function areasOfCase(body: CaseBody): CapArea[] {
  const { countries, lastSeen } = body;
  const point =
    lastSeen?.latitude != null && lastSeen.longitude != null
      ? `${lastSeen.latitude},${lastSeen.longitude} 0`
      : undefined;
  return [
    countryArea(countries.caseCountry, 'case'),
    ...(countries.lastSeenCountry
      ? [countryArea(countries.lastSeenCountry, 'last-seen', lastSeen?.place ?? undefined, point)]
      : []),
    ...(countries.suspectedDestinations ?? []).map((c) => countryArea(c, 'destination')),
    ...(countries.knownRoute ?? []).map((c) => countryArea(c, 'route')),
  ];
}
