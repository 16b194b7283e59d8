import { createHash } from 'node:crypto';
import { InputError } from '@alert-exchange/platform';
import type { CapAlert } from './domain/cap-model';
import { capToExchange } from './domain/cap-to-exchange';
import type { CapProblem } from './domain/cap-problems';
import { capPathOfField } from './domain/field-paths';
import { readCap } from './domain/read-cap';
import type { CaseExchange } from './exchange/case-exchange';
import type { ImportedMessage, MessageStore } from './store/message-store';

/** What importing one CAP document did. */
export interface Imported extends ImportedMessage {
  /** False when the message had been imported before: nothing was published again. */
  readonly published: boolean;
}

const refused = (problems: readonly CapProblem[]) =>
  new InputError('The CAP alert cannot be published to the exchange', [...problems]);

/**
 * The gateway's validation errors, named by the CAP element each field came from
 * (`occurredAt` comes from `sent` when the info block has no `effective`).
 */
function gatewayRefusal(error: unknown, alert: CapAlert): InputError | undefined {
  const status = (error as { status?: number }).status;
  const errors = (error as { errors?: ReadonlyArray<{ path: string; message: string }> }).errors;
  if (status !== 400 || !errors) return undefined;
  const fromSent = alert.msgType !== 'Alert' && alert.msgType !== 'Update';
  const pathOf = (pointer: string) =>
    pointer === '/occurredAt' && (fromSent || !alert.info[0]?.effective)
      ? '/alert/sent'
      : capPathOfField(pointer);
  return refused(errors.map((e) => ({ path: pathOf(e.path), message: e.message })));
}

/**
 * Publishes the CAP document `xml` through the exchange: an Alert raises a case, an Update
 * or Cancel adds its event to the case of the messages it references. The Idempotency-Key
 * is derived from the CAP sender and identifier, and the message is recorded only after
 * the exchange accepted it: importing the same file again (after a crash, say) publishes
 * nothing new. Problems are an `InputError` naming CAP elements.
 */
export async function importCap(
  xml: string,
  deps: { exchange: CaseExchange; store: MessageStore },
): Promise<Imported> {
  const alert = readCap(xml);
  if (!alert.ok) throw refused(alert.problems);
  const earlier = deps.store.find(alert.value);
  if (earlier) return { ...earlier, published: false };
  const request = capToExchange(alert.value, deps.store.known());
  if (!request.ok) throw refused(request.problems);
  const { message } = request.value;
  const idempotencyKey = `cap-${createHash('sha256').update(`${message.sender},${message.identifier}`).digest('hex')}`;
  let accepted: { caseId: string; eventId: string };
  try {
    accepted =
      request.value.kind === 'raise'
        ? await deps.exchange.publishAlert(request.value.body, { idempotencyKey })
        : await deps.exchange.publishEvent(request.value.caseId, request.value.body, {
            idempotencyKey,
          });
  } catch (error) {
    throw gatewayRefusal(error, alert.value) ?? error;
  }
  const imported: ImportedMessage = {
    ...message,
    msgType: alert.value.msgType,
    caseId: accepted.caseId,
    eventId: accepted.eventId,
  };
  await deps.store.record(imported);
  return { ...imported, published: true };
}
