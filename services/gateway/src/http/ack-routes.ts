import { Router, type Request } from 'express';
import {
  NotAllowedError,
  NotFoundError,
  UnavailableError,
  latencyHistogram,
  meterOf,
  secondsBetween,
  validate,
  type Meter,
} from '@alert-exchange/platform';
import type { Caller } from '../auth/authenticate';
import { AckBody, toAckView } from '../acknowledgement/ack-body';
import type { Acknowledgements } from '../acknowledgement/acknowledgements';
import type { InboxStore } from '../inbox/inbox-store';

/** What the acknowledgement route works with. */
export interface AckRouteDependencies {
  readonly inbox: InboxStore;
  readonly acknowledgements: Acknowledgements;
  /** How long to wait for the projection to file an unknown delivery; default 5 s. */
  readonly lagMs?: number;
  /** Where the acknowledgement latency goes; the process's global meter without it. */
  readonly meter?: Meter;
}

const REBUILDING = 'The inbox is being read again from Kafka after Redis lost it; try again';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function deliveryIdOf(req: Request): string {
  const deliveryId = String(req.params.deliveryId);
  // A malformed id names no delivery: 404, like a case id.
  if (!UUID.test(deliveryId)) throw new NotFoundError(`No delivery ${deliveryId.slice(0, 64)}`);
  return deliveryId;
}

/**
 * `POST /v1/deliveries/{deliveryId}/ack` (contract: Receiving): only the recipient of a
 * delivery acknowledges it, operators included in "anyone else" (403). Answered 200 once
 * Kafka has the acknowledgement; the same status again answers the recorded one.
 */
export function ackRoutes(deps: AckRouteDependencies): Router {
  const lagMs = deps.lagMs ?? 5_000;
  const ackLatency = latencyHistogram(
    deps.meter ?? meterOf('gateway'),
    'exchange_delivery_ack_latency_seconds',
    'From the event’s publication to its first acknowledgement with each status',
  );
  const router = Router();

  router.post('/v1/deliveries/:deliveryId/ack', async (req, res) => {
    const deliveryId = deliveryIdOf(req);
    const body = validate(AckBody, req.body);
    const delivery = await deps.inbox.awaitAddress(deliveryId, lagMs);
    if (!delivery) {
      // Redis lost the inbox and it is being read again: the delivery may be on its way.
      if (!(await deps.inbox.intact()))
        throw new UnavailableError(REBUILDING, { retryAfterSeconds: 5 });
      throw new NotFoundError(`No delivery ${deliveryId}`);
    }
    if ((res.locals.caller as Caller).organisationId !== delivery.recipientId)
      throw new NotAllowedError('Only the recipient of a delivery may acknowledge it');
    const { ack, fresh } = await deps.acknowledgements.acknowledge(delivery, body);
    // Once per (delivery, status): a repeat answers the first acknowledgement, unmeasured.
    if (fresh && delivery.publishedAt !== undefined)
      ackLatency.record(secondsBetween(delivery.publishedAt, ack.at), { status: ack.status });
    res.status(200).json(toAckView(ack));
  });

  return router;
}
