import { Router } from 'express';
import type { DeliveryReplay } from '@alert-exchange/contracts';
import { NotFoundError, validate, type Logger } from '@alert-exchange/platform';
import { requireRole, type Caller } from '../auth/authenticate';
import { DeadLetterQuery, ReplayBody } from '../dead-letters/dead-letter-queries';
import type { DeadLetterStore } from '../dead-letters/dead-letter-store';
import { selectDeadLetters } from '../domain/dead-letters';
import type { RecordPublisher } from '../kafka/record-publisher';

export const DELIVERY_REPLAY_SUBJECT = 'eu.alertexchange.DeliveryReplay';

/** What the dead-letter routes work with. */
export interface DeadLetterRouteDependencies {
  readonly deadLetters: DeadLetterStore;
  readonly replays: RecordPublisher<DeliveryReplay>;
  /** Where replay requests go, for the dispatcher (DELIVERY_COMMANDS_TOPIC). */
  readonly topic: string;
  readonly ids: () => string;
  readonly logger: Logger;
  readonly now?: () => number;
}

/**
 * Dead letters for operators: what the dispatcher gave up on, and a replay request for
 * some of them. The gateway only asks (a DeliveryReplay on the commands topic, acks=all,
 * then 202); the dispatcher sends them again and files the outcome.
 */
export function deadLetterRoutes(deps: DeadLetterRouteDependencies): Router {
  const now = deps.now ?? Date.now;
  const router = Router();
  const operators = requireRole('operator');

  router.get('/v1/admin/dead-letters', operators, async (req, res) => {
    const { query } = validate(DeadLetterQuery, { query: req.query }, 'The query');
    res.json({ deadLetters: selectDeadLetters(await deps.deadLetters.list(), query) });
  });

  router.post('/v1/admin/dead-letters/replay', operators, async (req, res) => {
    const body = validate(ReplayBody, req.body);
    const letters = await deps.deadLetters.list();
    if (body.deliveryId !== undefined && !letters.some((l) => l.deliveryId === body.deliveryId))
      throw new NotFoundError(`No dead-lettered delivery ${body.deliveryId}`);
    const deliveryIds = selectDeadLetters(letters, body).map((l) => l.deliveryId);
    const requestId = deps.ids();
    if (deliveryIds.length > 0) {
      const requestedBy = (res.locals.caller as Caller).organisationId;
      await deps.replays.publish(deps.topic, requestId, {
        requestId,
        deliveryIds,
        requestedBy,
        at: now(),
      });
      deps.logger.info(
        { requestId, requestedBy, deliveries: deliveryIds.length },
        'Replay of dead letters requested',
      );
    }
    res.status(202).json({ requestId, deliveryIds });
  });

  return router;
}
