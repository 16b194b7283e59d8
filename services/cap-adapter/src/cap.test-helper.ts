import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateXML } from 'xmllint-wasm';
import { toAlertEvent, toCaseBody, type CaseBody } from '@alert-exchange/contracts';
import type { CaseView } from './domain/exchange-to-cap';

const SCHEMAS = join(__dirname, '..', '..', '..', 'schemas');
const XSD = readFileSync(join(SCHEMAS, 'cap', 'CAP-v1.2.xsd'), 'utf8');

/** A CAP example of schemas/cap/examples. */
export const capExample = (file: string): string =>
  readFileSync(join(SCHEMAS, 'cap', 'examples', file), 'utf8');

/** A request body of schemas/examples, parsed afresh. */
export const jsonExample = (file: string): Record<string, any> =>
  JSON.parse(readFileSync(join(SCHEMAS, 'examples', file), 'utf8')) as Record<string, any>;

/** The errors of `xml` against OASIS's CAP 1.2 schema (libxml2, as xmllint), none if valid. */
export async function schemaErrors(xml: string): Promise<string[]> {
  const result = await validateXML({
    xml: [{ fileName: 'alert.xml', contents: xml }],
    schema: [{ fileName: 'CAP-v1.2.xsd', contents: XSD }],
  });
  return result.errors.map((error) => error.message);
}

/** The case as the gateway stores a body (through the AlertEvent) and shows it whole. */
export function storedView(
  body: CaseBody,
  options: {
    caseId?: string;
    eventId?: string;
    eventCount?: number;
    status?: CaseView['status'];
    originator?: string;
    closedBy?: string;
  } = {},
): CaseView {
  const caseId = options.caseId ?? '6f1c2b4e-8a43-4f7e-9d0a-1b2c3d4e5f60';
  const eventId = options.eventId ?? '0b8e7d6c-5a49-4c3b-8a2f-1e0d9c8b7a65';
  const publishedAt = Date.parse('2026-11-21T12:00:00.000Z');
  const event = toAlertEvent(body, {
    caseId,
    eventId,
    eventType: 'RAISED',
    publishedAt,
    originatingOrganisation: options.originator ?? 'ngo-de-1',
  });
  const status = options.status ?? 'OPEN';
  const at = new Date(publishedAt).toISOString();
  return {
    caseId,
    status,
    originatingOrganisation: event.originatingOrganisation,
    raisedAt: '2026-11-20T18:31:00.000Z',
    updatedAt: at,
    lastEventId: eventId,
    eventCount: options.eventCount ?? 1,
    case: toCaseBody(event),
    resolution:
      status === 'RESOLVED'
        ? { eventId, at, outcome: 'FOUND_SAFE', note: 'Found by Czech police.' }
        : null,
    withdrawal:
      status === 'WITHDRAWN' ? { eventId, at, reason: 'Reported in error & withdrawn' } : null,
  };
}
