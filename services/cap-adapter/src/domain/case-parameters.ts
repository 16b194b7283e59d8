import type { CapValue } from './cap-model';

/**
 * Case fields CAP has no element for travel as `parameter`s whose `valueName` is the JSON
 * Pointer (RFC 6901) of the field in the exchange's request body, e.g.
 * `/child/names/0/given`. The patterns below are every such field and its type; a
 * parameter whose name starts with "/" and matches none is a problem, others (another
 * CAP profile's) are ignored.
 */

type Kind = 'string' | 'integer' | 'boolean';

const PARAMETER_FIELDS: ReadonlyArray<[RegExp, Kind]> = [
  [/^\/originCaseReference$/, 'string'],
  [/^\/child\/names\/\d+\/(given|family|script|lang)$/, 'string'],
  [/^\/child\/(dateOfBirth|sex|photoRef|migrationStatus)$/, 'string'],
  [/^\/child\/ageYears$/, 'integer'],
  [/^\/child\/(nationalities|languagesSpoken)\/\d+$/, 'string'],
  [/^\/riskFactors\/(medicalNeeds|exploitationRisk|traffickingRisk|selfHarmRisk)$/, 'boolean'],
  [/^\/riskFactors\/medicalNotes$/, 'string'],
  [/^\/circumstances$/, 'string'],
  [/^\/contact\/(phone|email)$/, 'string'],
  [/^\/resolution\/outcome$/, 'string'],
];

const kindOf = (pointer: string): Kind | undefined =>
  PARAMETER_FIELDS.find(([pattern]) => pattern.test(pointer))?.[1];

/** The parameters of the fields of `body` that PARAMETER_FIELDS lists, in body order. */
export function toParameters(body: unknown): CapValue[] {
  const out: CapValue[] = [];
  const walk = (value: unknown, pointer: string): void => {
    if (value === null || value === undefined) return;
    if (typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) walk(child, `${pointer}/${key}`);
      return;
    }
    const leaf =
      typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
    if (leaf && kindOf(pointer)) out.push({ valueName: pointer, value: String(value) });
  };
  walk(body, '');
  return out;
}

/** A parameter that could not be read, with why. */
export interface ParameterProblem {
  readonly index: number;
  readonly valueName: string;
  readonly message: string;
}

/**
 * The body fields of the exchange's parameters among `parameters`, as a nested object
 * (arrays for numeric segments), with the problems of those it could not read.
 */
export function fromParameters(parameters: readonly CapValue[]): {
  fields: Record<string, unknown>;
  problems: ParameterProblem[];
} {
  const fields: Record<string, unknown> = {};
  const problems: ParameterProblem[] = [];
  parameters.forEach(({ valueName, value }, index) => {
    if (!valueName.startsWith('/')) return;
    const kind = kindOf(valueName);
    const problem = (message: string) => problems.push({ index, valueName, message });
    if (!kind) return problem('names no case field the exchange takes from a CAP parameter');
    let typed: unknown = value;
    if (kind === 'boolean') {
      if (value !== 'true' && value !== 'false') return problem('must be true or false');
      typed = value === 'true';
    } else if (kind === 'integer') {
      if (!/^\d+$/.test(value)) return problem('must be a whole number');
      typed = Number(value);
    }
    const segments = valueName.slice(1).split('/');
    let target: Record<string, unknown> = fields;
    segments.forEach((segment, i) => {
      const last = i === segments.length - 1;
      const next = segments[i + 1];
      if (last) target[segment] = typed;
      else {
        target[segment] ??= next !== undefined && /^\d+$/.test(next) ? [] : {};
        target = target[segment] as Record<string, unknown>;
      }
    });
  });
  return { fields, problems };
}
