import { randomUUID } from 'node:crypto';
import { Router, type Response } from 'express';
import type { Organisation } from '@alert-exchange/contracts';
import { ConflictError, NotAllowedError, NotFoundError, validate } from '@alert-exchange/platform';
import { BOOTSTRAP_OPERATOR, requireRole, type Caller } from '../auth/authenticate';
import type { Directory } from '../directory/directory';
import {
  SubscriptionBody,
  toSubscription,
  toSubscriptionView,
} from '../directory/subscription-body';

/** How many subscriptions one organisation may hold. */
export const SUBSCRIPTIONS_PER_ORGANISATION = 50;

/** The calling organisation's id (authentication has run). */
function subscriberOf(res: Response): string {
  return (res.locals.caller as Caller).organisationId;
}

function notInDirectory(id: string): NotAllowedError {
  return new NotAllowedError(
    id === BOOTSTRAP_OPERATOR.organisationId
      ? 'The bootstrap operator is not an organisation of the directory and holds no subscriptions; use the API key of a directory organisation'
      : `${id} is no longer in the directory`,
  );
}

/**
 * Subscriptions (contract: Directory): each organisation manages its own, beyond its
 * coverage. They live in the organisation's directory record, so they are durable (acks=all)
 * and reach every instance and routing through the compacted directory topic.
 */
export function subscriptionRoutes(directory: Directory, now: () => number = Date.now): Router {
  const router = Router();
  const subscriber = requireRole('member-ngo', 'hotline', 'mediator', 'operator');
  const organisation = (id: string): Organisation => {
    const record = directory.get(id);
    if (!record) throw notInDirectory(id);
    return record;
  };

  router.post('/v1/subscriptions', subscriber, async (req, res) => {
    const id = subscriberOf(res);
    organisation(id);
    const subscription = toSubscription(randomUUID(), validate(SubscriptionBody, req.body));
    await directory.update(id, (current) => {
      if (!current) throw notInDirectory(id);
      if (current.subscriptions.length >= SUBSCRIPTIONS_PER_ORGANISATION) {
        throw new ConflictError(
          `${id} holds ${current.subscriptions.length} subscriptions, the most allowed; delete one first`,
        );
      }
      return {
        write: {
          ...current,
          subscriptions: [...current.subscriptions, subscription],
          updatedAt: now(),
        },
        result: undefined,
      };
    });
    res
      .status(201)
      .location(`/v1/subscriptions/${subscription.id}`)
      .json(toSubscriptionView(subscription));
  });

  router.get('/v1/subscriptions', subscriber, (_req, res) => {
    res.json({
      subscriptions: organisation(subscriberOf(res)).subscriptions.map(toSubscriptionView),
    });
  });

  router.delete('/v1/subscriptions/:id', subscriber, async (req, res) => {
    const id = subscriberOf(res);
    const subscriptionId = String(req.params.id);
    organisation(id);
    await directory.update(id, (current) => {
      if (!current) throw notInDirectory(id);
      // Another organisation's subscription is as unknown as a made-up id: 404 either way.
      if (!current.subscriptions.some((s) => s.id === subscriptionId))
        throw new NotFoundError(`${id} has no subscription ${subscriptionId}`);
      return {
        write: {
          ...current,
          subscriptions: current.subscriptions.filter((s) => s.id !== subscriptionId),
          updatedAt: now(),
        },
        result: undefined,
      };
    });
    res.status(204).end();
  });
  return router;
}
