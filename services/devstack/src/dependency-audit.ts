/**
 * The dependency audit of the test command (docs/SECURITY.md, "Dependency audit"): what
 * `pnpm audit --json` reports, judged against infra/audit-allowlist.json. Pure: the CLI
 * (audit-cli.ts) runs pnpm and reads the files.
 */

export const SEVERITIES = ['info', 'low', 'moderate', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** One advisory against one installed package. */
export interface Advisory {
  /** GitHub advisory id (GHSA-…), or the registry's numeric id when there is none. */
  readonly id: string;
  readonly module: string;
  readonly severity: Severity;
  readonly title: string;
  /** Where it comes in, e.g. `services/gateway>express>body-parser`; a few at most. */
  readonly paths: readonly string[];
}

/** An advisory the project accepts, for a reason, until a date. */
export interface AllowEntry {
  readonly id: string;
  readonly module: string;
  /** Why it does not apply here, or what limits it (required). */
  readonly reason: string;
  /** ISO date (YYYY-MM-DD) after which the entry no longer counts: looked at again. */
  readonly expires: string;
}

/** What fails the audit: severities from this one up (lower ones are only reported). */
export const FAILING_FROM: Severity = 'moderate';

export interface AuditJudgement {
  /** Unaccepted advisories at FAILING_FROM or above: the audit fails. */
  readonly failing: readonly Advisory[];
  /** Advisories below FAILING_FROM, not accepted: reported only. */
  readonly reported: readonly Advisory[];
  readonly accepted: ReadonlyArray<{ advisory: Advisory; entry: AllowEntry }>;
  /** Entries past their date whose advisory is still there: the audit fails. */
  readonly expired: readonly AllowEntry[];
  /** Entries no advisory matches any more: to be removed (reported). */
  readonly unused: readonly AllowEntry[];
  readonly passed: boolean;
}

const rank = (severity: Severity): number => SEVERITIES.indexOf(severity);

/** Judges `advisories` against `allowlist` on `today` (YYYY-MM-DD). */
export function judgeAudit(
  advisories: readonly Advisory[],
  allowlist: readonly AllowEntry[],
  today: string,
): AuditJudgement {
  const failing: Advisory[] = [];
  const reported: Advisory[] = [];
  const accepted: Array<{ advisory: Advisory; entry: AllowEntry }> = [];
  const expired = new Set<AllowEntry>();
  const used = new Set<AllowEntry>();
  for (const advisory of advisories) {
    const entry = allowlist.find((e) => e.id === advisory.id && e.module === advisory.module);
    if (entry) used.add(entry);
    if (entry && entry.expires >= today) {
      accepted.push({ advisory, entry });
      continue;
    }
    if (entry) expired.add(entry);
    (rank(advisory.severity) >= rank(FAILING_FROM) ? failing : reported).push(advisory);
  }
  const unused = allowlist.filter((e) => !used.has(e));
  return {
    failing,
    reported,
    accepted,
    expired: [...expired],
    unused,
    passed: failing.length === 0 && expired.size === 0,
  };
}

/** Why an allowlist file is not usable, or undefined; entries must each say why and until when. */
export function allowlistProblems(value: unknown): string[] {
  if (
    typeof value !== 'object' ||
    value === null ||
    !Array.isArray((value as { accepted?: unknown }).accepted)
  )
    return ['must be an object with an "accepted" array'];
  const problems: string[] = [];
  (value as { accepted: unknown[] }).accepted.forEach((entry, i) => {
    const e = (entry ?? {}) as Record<string, unknown>;
    for (const field of ['id', 'module', 'reason', 'expires'])
      if (typeof e[field] !== 'string' || e[field].trim() === '')
        problems.push(`accepted[${i}].${field} is missing`);
    if (typeof e.expires === 'string' && !/^\d{4}-\d{2}-\d{2}$/.test(e.expires))
      problems.push(`accepted[${i}].expires must be a date, YYYY-MM-DD`);
  });
  return problems;
}

/**
 * The advisories of `pnpm audit --json` output (its npm-audit-v1 shape: `advisories`
 * keyed by id), or the registry's refusal when pnpm could not get them (`error`).
 */
export function parsePnpmAudit(
  output: string,
): { advisories: Advisory[] } | { unavailable: string } {
  let report: unknown;
  try {
    report = JSON.parse(output);
  } catch {
    return { unavailable: `pnpm audit printed no JSON: ${output.trim().slice(0, 300)}` };
  }
  const r = report as {
    error?: { code?: string; message?: string };
    advisories?: Record<string, unknown>;
  };
  if (r.error)
    return { unavailable: `${r.error.code ?? 'error'}: ${r.error.message ?? ''}`.trim() };
  if (typeof r.advisories !== 'object' || r.advisories === null)
    return { unavailable: 'pnpm audit printed no advisories object' };
  const advisories = Object.entries(r.advisories).map(([key, raw]): Advisory => {
    const a = raw as {
      github_advisory_id?: string;
      module_name?: string;
      severity?: string;
      title?: string;
      findings?: Array<{ paths?: string[] }>;
    };
    const severity = (SEVERITIES as readonly string[]).includes(a.severity ?? '')
      ? (a.severity as Severity)
      : 'critical';
    return {
      id: a.github_advisory_id ?? key,
      module: a.module_name ?? '?',
      severity,
      title: a.title ?? '',
      paths: (a.findings ?? []).flatMap((f) => f.paths ?? []).slice(0, 3),
    };
  });
  return { advisories };
}
