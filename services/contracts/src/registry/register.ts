import type { CatalogueEntry } from '../catalogue';
import type { CompatibilityLevel } from '../domain/compatibility';

function text(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
}

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

/** What registering one schema did. */
export interface Registration {
  readonly subject: string;
  readonly id: number;
}

async function call(
  url: string,
  method: string,
  body: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': CONTENT_TYPE, accept: CONTENT_TYPE },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const json = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  return { status: response.status, json };
}

/**
 * Registers every schema of the catalogue under its subject, after setting the subject's
 * compatibility level, so the registry itself refuses a breaking change. Idempotent: an
 * unchanged schema keeps its id. Fails naming the subject and the registry's reason.
 */
export async function registerCatalogue(
  registryUrl: string,
  catalogue: readonly CatalogueEntry[],
  level: CompatibilityLevel = 'FULL_TRANSITIVE',
): Promise<Registration[]> {
  const done: Registration[] = [];
  for (const entry of catalogue) {
    const subject = encodeURIComponent(entry.subject);
    const config = await call(`${registryUrl}/config/${subject}`, 'PUT', { compatibility: level });
    if (config.status !== 200) {
      throw new Error(
        `The schema registry refused compatibility ${level} for ${entry.subject} (${config.status}): ${text(config.json.message)}`,
      );
    }
    const registered = await call(`${registryUrl}/subjects/${subject}/versions`, 'POST', {
      schema: JSON.stringify(entry.schema),
    });
    if (registered.status !== 200 || typeof registered.json.id !== 'number') {
      throw new Error(
        `The schema registry refused ${entry.file} under ${entry.subject} (${registered.status}${registered.status === 409 ? ': incompatible with an earlier version' : ''}): ${text(registered.json.message)}`,
      );
    }
    done.push({ subject: entry.subject, id: registered.json.id });
  }
  return done;
}
