import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCHEMAS_DIR } from './catalogue';
import type { EventMeta } from './domain/alert-body';

/** An example body of schemas/examples, parsed. */
export const readExample = <T>(file: string): T =>
  JSON.parse(readFileSync(join(SCHEMAS_DIR, 'examples', file), 'utf8')) as T;

/** The ids and times the gateway would give a raised example case. */
export const exampleMeta: EventMeta = {
  eventId: '6f1c2a9e-3b7d-4e51-9a0c-1d2e3f405162',
  caseId: '0b8e7d6c-5a4f-4321-8fed-cba987654321',
  eventType: 'RAISED',
  publishedAt: Date.parse('2026-11-22T12:00:00.000Z'),
  originatingOrganisation: 'ngo-it',
};
