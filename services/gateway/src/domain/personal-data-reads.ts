import type { PersonalDataRead, PersonalDataReadVia, WebhookBody } from '@alert-exchange/contracts';
import type { CaseView, RoutedCaseView } from './case-state';

/**
 * What the gateway records each time it shows an organisation a case (audit issue 7: the
 * trail's PERSONAL_DATA_READ facts): who was shown which case, as which delivery and
 * event, at what level and through which route; never what was shown. Pure: the edge
 * passes the ids, the clock and the trace in, and writes the records before it answers.
 */

/** The level recorded for the whole case, as its originator and operators see it. */
export const FULL_VIEW = 'FULL';

/** The level recorded when a delivery's alert does not name its own (never written so by the router). */
export const UNKNOWN_VIEW = 'UNKNOWN';

/** One case as a read showed it. */
export interface ShownCase {
  readonly caseId: string;
  readonly deliveryId: string | null;
  readonly eventId: string | null;
  readonly viewLevel: string;
}

/** `GET /v1/alerts/{caseId}`: the whole case (FULL) or the case as routed to the reader. */
export function shownInCaseView(view: CaseView | RoutedCaseView): ShownCase {
  return {
    caseId: view.caseId,
    deliveryId: null,
    eventId: view.lastEventId,
    viewLevel: 'viewLevel' in view ? view.viewLevel : FULL_VIEW,
  };
}

/**
 * The cases a page of the inbox shows: every delivery that carries an alert, whatever its
 * level (even NOTICE shows facts about one child). Operators' notices (ESCALATION,
 * ESCALATION_CLOSED) carry no alert, hence nothing of a case's data, and no record.
 */
export function shownInDeliveries(bodies: readonly WebhookBody[]): ShownCase[] {
  return bodies.flatMap((body) => {
    if (body.alert === null) return [];
    // Read back from the delivery's JSON: typed as a ViewLevel, checked all the same.
    const level: unknown = body.alert.level;
    return [
      {
        caseId: body.caseId,
        deliveryId: body.deliveryId,
        eventId: body.eventId,
        viewLevel: typeof level === 'string' ? level : UNKNOWN_VIEW,
      },
    ];
  });
}

/** Who read, how, when, and in which trace. */
export interface ReadContext {
  readonly reader: string;
  readonly via: Exclude<PersonalDataReadVia, 'UNKNOWN'>;
  readonly at: number;
  readonly traceId: string | null;
}

/** One PersonalDataRead per case shown, each with an id of its own: every read is a fact. */
export function personalDataReads(
  shown: readonly ShownCase[],
  context: ReadContext,
  newId: () => string,
): PersonalDataRead[] {
  return shown.map((s) => ({
    readId: newId(),
    at: context.at,
    reader: context.reader,
    caseId: s.caseId,
    deliveryId: s.deliveryId,
    eventId: s.eventId,
    viewLevel: s.viewLevel,
    via: context.via,
    traceId: context.traceId,
  }));
}
