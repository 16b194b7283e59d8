import { randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import {
  openEvent,
  sealEvent,
  toAlertEvent,
  toCaseBody,
  toEventOnCase,
  type AlertEvent,
  type PersonalSealer,
} from '@alert-exchange/contracts';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  UnavailableError,
  validate,
  type Logger,
} from '@alert-exchange/platform';
import { CaseBodySchema, EventBodySchema } from '../alerts/request-bodies';
import {
  fingerprintOf,
  idempotencyKeyOf,
  keyedRequestIds,
  type IdempotencyStore,
  type StoredResponse,
} from '../alerts/idempotency';
import type { AlertPublisher, AlertTopics } from '../alerts/publisher';
import { requireRole, type Caller } from '../auth/authenticate';
import type { CaseStore } from '../cases/case-store';
import {
  alertTopicOf,
  caseAccess,
  fullCaseView,
  refuseEvent,
  routedCaseView,
  type CaseState,
} from '../domain/case-state';
import { shownInCaseView } from '../domain/personal-data-reads';
import type { PersonalDataReads } from '../reads/personal-data-reads';
import { requestTrace } from './request-trace';

/** What the alert routes work with. */
export interface AlertRouteDependencies {
  readonly publisher: AlertPublisher;
  readonly topics: AlertTopics;
  readonly cases: CaseStore;
  readonly idempotency: IdempotencyStore;
  /** Where every case shown is recorded before it is sent. */
  readonly reads: PersonalDataReads;
  /** Seals a child's personal data before Kafka, opens it for a view (docs/PRIVACY.md). */
  readonly keyring: PersonalSealer;
  /** Ids only: never a field of the alert. */
  readonly logger?: Logger;
  readonly now?: () => number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const callerOf = (res: Response): Caller => res.locals.caller as Caller;

function caseIdOf(req: Request): string {
  const caseId = String(req.params.caseId);
  // A malformed id names no case: 404, like a well-formed id nobody may see.
  if (!UUID.test(caseId)) throw new NotFoundError(`No case ${caseId.slice(0, 64)}`);
  return caseId;
}

/** The 202 of a published event: its ids, the trace, and where the case is read. */
function acceptedAnswer(caseId: string, eventId: string, traceId: string): StoredResponse {
  return { status: 202, body: { caseId, eventId, traceId }, location: `/v1/alerts/${caseId}` };
}

function send(res: Response, response: StoredResponse): void {
  if (response.location) res.location(response.location);
  res.status(response.status).json(response.body);
}

/**
 * Publishing and reading cases (contract: Publishing alerts). An event is answered 202
 * only after Kafka has it (acks=all); the Idempotency-Key makes retries safe. A case is
 * shown only after Kafka has the record of that read (PersonalDataRead).
 */
export function alertRoutes(deps: AlertRouteDependencies): Router {
  const now = deps.now ?? Date.now;
  const router = Router();

  /**
   * Publishes `event` (202 only once Kafka has it), then caches it so the publisher reads
   * its own write at once; the case projection repairs a failed cache write.
   */
  async function accepted(
    event: AlertEvent,
    topic: string,
    trace: { traceparent: string; traceId: string },
  ): Promise<StoredResponse> {
    // The child's personal data is sealed before it reaches Kafka, and cached sealed. A
    // new case's key that Kafka did not take: nothing of the event was published either.
    const sealed = await sealEvent(event, deps.keyring).catch((error: unknown) => {
      if (!(error instanceof UnavailableError)) throw error;
      throw new UnavailableError('Kafka did not take the event; nothing was published', {
        cause: error,
        retryAfterSeconds: 10,
      });
    });
    const position = await deps.publisher.publish(sealed, topic, trace.traceparent);
    deps.logger?.info(
      {
        caseId: event.caseId,
        eventId: event.eventId,
        eventType: event.eventType,
        origin: event.originatingOrganisation,
        topic,
        partition: position.partition,
        offset: position.offset,
      },
      'Alert event published',
    );
    await deps.cases.record(sealed, position.offset).catch(() => undefined);
    return acceptedAnswer(event.caseId, event.eventId, trace.traceId);
  }

  router.post('/v1/alerts', requireRole('member-ngo', 'hotline'), async (req, res) => {
    const caller = callerOf(res);
    const body = validate(CaseBodySchema, req.body);
    const country = body.countries.caseCountry;
    if (!deps.topics.has(country)) {
      throw new InputError(`The exchange does not carry alerts of ${country} yet`, [
        {
          path: '/countries/caseCountry',
          message: `must be a country the exchange serves: ${deps.topics.list().join(', ')}`,
        },
      ]);
    }
    const trace = requestTrace(req);
    const key = idempotencyKeyOf(req.get('idempotency-key'));
    const fingerprint = fingerprintOf('POST /v1/alerts', body);
    const response = await deps.idempotency.run(
      { organisationId: caller.organisationId, key, fingerprint },
      () =>
        key === undefined
          ? { caseId: randomUUID(), eventId: randomUUID() }
          : keyedRequestIds(caller.organisationId, key, fingerprint),
      async ({ caseId, eventId }) => {
        const event = toAlertEvent(body, {
          caseId,
          eventId,
          eventType: 'RAISED',
          publishedAt: now(),
          originatingOrganisation: caller.organisationId,
        });
        return accepted(event, alertTopicOf(country), trace);
      },
    );
    send(res, response);
  });

  router.post('/v1/alerts/:caseId/events', async (req, res) => {
    const caller = callerOf(res);
    const caseId = caseIdOf(req);
    const body = validate(EventBodySchema, req.body);
    const trace = requestTrace(req);
    const key = idempotencyKeyOf(req.get('idempotency-key'));
    const fingerprint = fingerprintOf(`POST /v1/alerts/${caseId}/events`, body);
    const response = await deps.idempotency.run(
      { organisationId: caller.organisationId, key, fingerprint },
      () =>
        key === undefined
          ? { caseId, eventId: randomUUID() }
          : keyedRequestIds(caller.organisationId, key, fingerprint, caseId),
      async ({ eventId }) => {
        // Judged on a case being read again from Kafka, an event could be refused or let
        // through on part of the case: 503 until the cases are whole again.
        await ensureIntact(deps.cases);
        const state = await openCase(await deps.cases.load(caseId), deps.keyring);
        const routedTo = new Set((await deps.cases.routedTo(caseId)).keys());
        // A retry whose key record Redis lost, of an event the case already holds (a
        // resolution, say, that closed it): the same answer again, nothing published.
        if (state?.eventIds.includes(eventId) && caseAccess(state, caller, routedTo) !== 'none')
          return acceptedAnswer(caseId, eventId, trace.traceId);
        const refusal = refuseEvent(state, caller, body.type, routedTo);
        if (refusal?.kind === 'not-found' || !state) throw new NotFoundError(`No case ${caseId}`);
        if (refusal?.kind === 'forbidden') throw new NotAllowedError(refusal.detail);
        if (refusal?.kind === 'conflict') throw new ConflictError(refusal.detail);
        const event = toEventOnCase(body, toCaseBody(state.latest), {
          caseId,
          eventId,
          publishedAt: now(),
          originatingOrganisation: state.originator,
          actor: caller.organisationId,
          supersedes: body.type === 'UPDATED' ? state.lastEventId : null,
        });
        return accepted(event, state.topic, trace);
      },
    );
    send(res, response);
  });

  router.get('/v1/alerts/:caseId', async (req, res) => {
    const caseId = caseIdOf(req);
    await ensureIntact(deps.cases);
    const state = await openCase(await deps.cases.load(caseId), deps.keyring);
    if (!state) throw new NotFoundError(`No case ${caseId}`);
    const routed = await deps.cases.routedTo(caseId);
    const caller = callerOf(res);
    const access = caseAccess(state, caller, new Set(routed.keys()));
    if (access === 'none') throw new NotFoundError(`No case ${caseId}`);
    const view =
      access === 'full'
        ? fullCaseView(state)
        : routedCaseView(state, routed.get(caller.organisationId)!);
    // Audit: the read is in Kafka before the case leaves the gateway, or the answer is 503.
    await deps.reads.record([shownInCaseView(view)], {
      reader: caller.organisationId,
      via: 'CASE_VIEW',
      traceId: requestTrace(req).traceId,
    });
    res.json(view);
  });

  return router;
}

/**
 * Throws UnavailableError (503 with Retry-After) while the cases, or whom they were routed
 * to, are being read again from Kafka after Redis lost them (docs/RELIABILITY.md, "Redis
 * losses"): an answer then could say "no such case" of a case that exists.
 */
export async function ensureIntact(cases: CaseStore): Promise<void> {
  if (!(await cases.intact()))
    throw new UnavailableError(
      'The cases are being read again from Kafka after Redis lost them; try again',
      { retryAfterSeconds: 5 },
    );
}

/**
 * `state` with the personal data of its latest event opened, in memory only, for a view
 * or an update built on it (docs/PRIVACY.md); ERASED when the case's key was destroyed.
 */
async function openCase(
  state: CaseState | undefined,
  keyring: PersonalSealer,
): Promise<CaseState | undefined> {
  return state && { ...state, latest: await openEvent(state.latest, keyring) };
}
