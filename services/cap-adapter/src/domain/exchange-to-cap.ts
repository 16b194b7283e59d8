import type { CaseBody } from '@alert-exchange/contracts';
import { areasOfCase } from './area-countries';
import { toParameters } from './case-parameters';
import {
  capDateTime,
  formatAddresses,
  formatReferences,
  type CapAlert,
  type CapInfo,
  type CapMessageRef,
} from './cap-model';
import { CAP_CATEGORY, CAP_URGENCY, CATEGORY_CODE, severityOf } from './mapping-tables';

/**
 * A case as a CAP 1.2 alert for its recipients: scope Restricted, addressed to them, one
 * info block per language, and references to the earlier messages of the case.
 */

/** `GET /v1/alerts/{caseId}` as the originator and operators see it (the full view). */
export interface CaseView {
  readonly caseId: string;
  readonly status: 'OPEN' | 'RESOLVED' | 'WITHDRAWN';
  readonly originatingOrganisation: string;
  readonly raisedAt: string;
  readonly updatedAt: string;
  readonly lastEventId: string;
  readonly eventCount: number;
  readonly case: CaseBody;
  readonly resolution: { eventId: string; at: string; outcome: string; note: string | null } | null;
  readonly withdrawal: { eventId: string; at: string; reason: string | null } | null;
}

/** A CAP message of a case, and the exchange event it became. */
export interface CapMessageRecord extends CapMessageRef {
  readonly eventId: string;
}

export interface ExportOptions {
  /** Organisation ids the document is addressed to (`addresses`). */
  readonly recipients: readonly string[];
  /** Languages to write an info block in, besides those of the child's descriptions. */
  readonly languages?: readonly string[];
  /** `sender` of the messages the exchange writes itself. */
  readonly sender: string;
  /** The CAP messages this case was imported from, oldest first. */
  readonly history?: readonly CapMessageRecord[];
}

export const RESTRICTION =
  'Alert Exchange case about a missing child: for the addressed organisations only. ' +
  'Holds personal data (GDPR); do not forward or publish.';

/**
 * The identity of the message that stands for the case as it is now, and the earlier
 * messages it refers to. A state imported from CAP keeps that message's sender,
 * identifier and sent; a state the exchange made is `urn:uuid:<caseId>` for the raise and
 * `urn:uuid:<eventId>` after it.
 */
function identityOf(
  view: CaseView,
  options: ExportOptions,
): { message: CapMessageRef; earlier: CapMessageRef[] } {
  const history = options.history ?? [];
  const at = history.findIndex((record) => record.eventId === view.lastEventId);
  const strip = ({ sender, identifier, sent }: CapMessageRef): CapMessageRef => ({
    sender,
    identifier,
    sent,
  });
  if (at >= 0) return { message: strip(history[at]!), earlier: history.slice(0, at).map(strip) };
  const raise = {
    sender: options.sender,
    identifier: `urn:uuid:${view.caseId}`,
    sent: capDateTime(view.raisedAt),
  };
  if (view.eventCount === 1 && history.length === 0) return { message: raise, earlier: [] };
  return {
    message: {
      sender: options.sender,
      identifier: `urn:uuid:${view.lastEventId}`,
      sent: capDateTime(view.updatedAt),
    },
    earlier: history.length > 0 ? history.map(strip) : [raise],
  };
}

function languagesOf(body: CaseBody, requested: readonly string[] = []): string[] {
  const languages = [...(body.child.descriptions ?? []).map((d) => d.lang), ...requested];
  const unique = [...new Set(languages)];
  return unique.length > 0 ? unique : ['en'];
}

export function exchangeToCap(view: CaseView, options: ExportOptions): CapAlert {
  const body = view.case;
  const { message, earlier } = identityOf(view, options);
  const resolved = view.status === 'RESOLVED';
  const { category, event } = CAP_CATEGORY[body.category];
  const parameters = toParameters({
    ...body,
    resolution: view.resolution ? { outcome: view.resolution.outcome } : undefined,
  });
  const info = (language: string): CapInfo => ({
    language,
    category: [category],
    event,
    responseType: resolved ? ['AllClear'] : [],
    urgency: resolved ? 'Past' : CAP_URGENCY[body.urgency],
    severity: severityOf(body),
    certainty: 'Observed',
    eventCode: [{ valueName: CATEGORY_CODE, value: body.category }],
    effective: capDateTime(body.occurredAt),
    onset: body.lastSeen?.at ? capDateTime(body.lastSeen.at) : undefined,
    senderName: view.originatingOrganisation,
    headline: `${event} (${body.countries.caseCountry})`,
    description: body.child.descriptions?.find((d) => d.lang === language)?.text,
    contact: body.contact?.desk ?? undefined,
    parameter: parameters,
    area: areasOfCase(body),
  });
  return {
    ...message,
    status: 'Actual',
    msgType: view.status === 'WITHDRAWN' ? 'Cancel' : view.eventCount === 1 ? 'Alert' : 'Update',
    scope: 'Restricted',
    restriction: RESTRICTION,
    addresses: options.recipients.length > 0 ? formatAddresses(options.recipients) : undefined,
    note: view.withdrawal?.reason ?? view.resolution?.note ?? undefined,
    references: earlier.length > 0 ? formatReferences(earlier) : undefined,
    info: languagesOf(body, options.languages).map(info),
  };
}
