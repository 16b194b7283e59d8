import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One schema of schemas/*.avsc, with the subject it is registered under and its history. */
export interface CatalogueEntry {
  /** Full name of the top-level record, e.g. eu.alertexchange.AlertEvent. */
  readonly fullName: string;
  /** Registry subject: the full record name (RecordNameStrategy, see docs/SCHEMAS.md). */
  readonly subject: string;
  readonly file: string;
  readonly schema: Record<string, unknown>;
  /** Earlier versions kept in schemas/history/<fullName>/v<N>.avsc, oldest first. */
  readonly history: ReadonlyArray<{ label: string; schema: object }>;
}

/** Where the generated types live (committed; a test checks they match the schemas). */
export const GENERATED_TYPES = join(__dirname, '..', 'src', 'generated', 'avro-types.ts');

/** The schemas folder of the repository. */
export const SCHEMAS_DIR = join(__dirname, '..', '..', '..', 'schemas');

function fullNameOf(schema: Record<string, unknown>): string {
  const name = String(schema.name);
  return name.includes('.') || typeof schema.namespace !== 'string'
    ? name
    : `${schema.namespace}.${name}`;
}

/** Reads every schema and its history from `dir` (schemas/ by default). */
export function loadCatalogue(dir: string = SCHEMAS_DIR): CatalogueEntry[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.avsc'))
    .sort()
    .map((f) => {
      const file = join(dir, f);
      const schema = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      const fullName = fullNameOf(schema);
      const historyDir = join(dir, 'history', fullName);
      const history = existsSync(historyDir)
        ? readdirSync(historyDir)
            .filter((h) => /^v\d+\.avsc$/.test(h))
            .sort((a, b) => Number(a.slice(1, -5)) - Number(b.slice(1, -5)))
            .map((h) => ({
              label: `${fullName} ${h.slice(0, -5)}`,
              schema: JSON.parse(readFileSync(join(historyDir, h), 'utf8')) as object,
            }))
        : [];
      return { fullName, subject: fullName, file, schema, history };
    });
}
