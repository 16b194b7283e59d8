import { z } from 'zod';
import { ConfigError } from '../errors';

/** The process environment, or a plain object standing in for it in tests. */
export type Environment = Readonly<Record<string, string | undefined>>;

const DURATION = /^(\d+)(ms|s|m|h|d)$/;
const ISO_DURATION = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Parses `250ms`, `5s`, `2m`, `24h`, `30d` or an ISO-8601 duration (`PT15M`, `P1DT2H`)
 * into milliseconds; undefined when the text is neither.
 */
export function parseDurationMs(text: string): number | undefined {
  const short = DURATION.exec(text);
  if (short) return Number(short[1]) * (UNIT_MS[short[2] as string] as number);
  const iso = ISO_DURATION.exec(text);
  if (!iso || text === 'P' || text.endsWith('T')) return undefined;
  const [, d, h, m, s] = iso;
  return Math.round(
    Number(d ?? 0) * 86_400_000 +
      Number(h ?? 0) * 3_600_000 +
      Number(m ?? 0) * 60_000 +
      Number(s ?? 0) * 1_000,
  );
}

/** Schemas for the shapes environment variables take. */
export const env = {
  /** A comma-separated list of non-empty items, e.g. `KAFKA_BROKERS=host1:9092,host2:9092`. */
  list: () =>
    z
      .string()
      .transform((s) =>
        s
          .split(',')
          .map((item) => item.trim())
          .filter((item) => item.length > 0),
      )
      .pipe(z.array(z.string()).min(1, 'must name at least one item')),
  /** A TCP port. */
  port: () => z.coerce.number().int().min(0).max(65_535),
  /** A positive integer. */
  positiveInt: () => z.coerce.number().int().positive(),
  /** A duration such as `5s` or `PT5S`, read into milliseconds. */
  durationMs: () =>
    z.string().transform((text, ctx) => {
      const ms = parseDurationMs(text);
      if (ms === undefined) {
        ctx.addIssue({ code: 'custom', message: 'must be a duration such as 5s, 250ms or PT5S' });
        return z.NEVER;
      }
      return ms;
    }),
  /** An http(s) URL without a trailing slash. */
  url: () =>
    z
      .string()
      .url()
      .transform((u) => u.replace(/\/+$/, '')),
  /** `true`/`false`/`1`/`0`. */
  flag: () => z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1'),
  /** A secret: never printed by `describeConfig`. */
  secret: () => z.string().min(16, 'must be at least 16 characters'),
} as const;

/**
 * Validates the environment once at start-up into a frozen, typed object. Each key of
 * `shape` is the name of an environment variable; on failure the error names every bad
 * variable and what is wrong with it, so the process can exit with a clear message.
 */
export function loadConfig<S extends z.ZodRawShape>(
  shape: S,
  environment: Environment,
): Readonly<z.infer<z.ZodObject<S>>> {
  const input: Record<string, string | undefined> = {};
  for (const name of Object.keys(shape)) {
    const value = environment[name];
    input[name] = value === '' ? undefined : value;
  }
  const result = z.object(shape).safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const variable = String(issue.path[0] ?? '?');
      const message =
        issue.code === 'invalid_type' && input[variable] === undefined
          ? 'is required'
          : issue.message;
      return { variable, message };
    });
    const names = [...new Set(problems.map((p) => p.variable))];
    throw new ConfigError(
      `Invalid configuration: ${problems.map((p) => `${p.variable} ${p.message}`).join('; ')}`,
      names,
    );
  }
  return Object.freeze(result.data);
}
