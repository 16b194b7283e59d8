import { Router, type Request } from 'express';
import { NotAllowedError, NotFoundError, validate } from '@alert-exchange/platform';
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
}

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
  const router = Router();

  router.post('/v1/deliveries/:deliveryId/ack', async (req, res) => {
    const deliveryId = deliveryIdOf(req);
    const body = validate(AckBody, req.body);
    const delivery = await deps.inbox.awaitAddress(deliveryId, lagMs);
    if (!delivery) throw new NotFoundError(`No delivery ${deliveryId}`);
    if ((res.locals.caller as Caller).organisationId !== delivery.recipientId)
      throw new NotAllowedError('Only the recipient of a delivery may acknowledge it');
    const { ack } = await deps.acknowledgements.acknowledge(delivery, body);
    res.status(200).json(toAckView(ack));
  });

  return router;
}
