import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Type } from 'avsc';
import { SealBrokenError, type Sealed } from '@alert-exchange/platform';
import { SCHEMAS_DIR } from './catalogue';
import type { AlertEvent, PersonalData, PersonalEnvelope } from './generated/avro-types';
import type { AlertView, PersonalView } from './domain/minimisation';
import type { DeliveryBody, WebhookBody } from './domain/webhook-body';

/**
 * What seals and opens a case's personal data: the platform's CaseKeyring in services
 * (docs/PRIVACY.md). `open` answers undefined when the case's key was destroyed.
 */
export interface PersonalSealer {
  /** Seals with the case's key `keyId` when given (and still there), else its first. */
  seal(caseId: string, plain: Buffer, keyId?: string): Promise<Sealed>;
  open(caseId: string, sealed: Sealed): Promise<Buffer | undefined>;
}

/** PersonalData's Avro type, as the AlertEvent schema declares it: the sealed bytes. */
const personalDataType: Type = (() => {
  const schema = JSON.parse(readFileSync(join(SCHEMAS_DIR, 'alert-event.avsc'), 'utf8')) as object;
  const event = Type.forSchema(schema as never) as unknown as {
    getField(name: string): { getType(): unknown };
  };
  const envelope = event.getField('personal').getType() as {
    getField(name: string): { getType(): { getTypes(): Type[] } };
  };
  const union = envelope.getField('clear').getType().getTypes();
  return union.find((t) => t.typeName === 'record') as Type;
})();

/** The envelope of an event with nothing personal in it. */
const EMPTY: Omit<PersonalEnvelope, 'encoding'> = {
  keyId: null,
  iv: null,
  ciphertext: null,
  clear: null,
};

/**
 * `event` with its personal data sealed (AES_256_GCM under the case's key), as it may
 * reach Kafka; an envelope already sealed, erased or empty is kept as it is.
 */
export async function sealEvent(event: AlertEvent, sealer: PersonalSealer): Promise<AlertEvent> {
  const { personal } = event;
  if (personal.encoding !== 'CLEAR' || personal.clear === null) return event;
  const sealed = await sealer.seal(event.caseId, personalDataType.toBuffer(personal.clear));
  return {
    ...event,
    personal: {
      encoding: 'AES_256_GCM',
      keyId: sealed.keyId,
      iv: sealed.iv,
      ciphertext: sealed.ciphertext,
      clear: null,
    },
  };
}

/**
 * `event` with its personal data in the clear, for minimisation in memory: never to be
 * written anywhere. A destroyed key gives the ERASED envelope (nothing personal).
 */
export async function openEvent(event: AlertEvent, sealer: PersonalSealer): Promise<AlertEvent> {
  const { personal } = event;
  if (personal.encoding !== 'AES_256_GCM') return event;
  const plain = await sealer.open(event.caseId, sealedOf(personal));
  if (plain === undefined) return { ...event, personal: { ...EMPTY, encoding: 'ERASED' } };
  let clear: PersonalData;
  try {
    clear = personalDataType.fromBuffer(plain) as PersonalData;
  } catch {
    // No cause: the decoder's message may quote the bytes.
    throw new SealBrokenError(`The personal data under key ${personal.keyId} is not PersonalData`);
  }
  return { ...event, personal: { ...EMPTY, encoding: 'CLEAR', clear } };
}

function sealedOf(envelope: PersonalEnvelope): Sealed {
  if (envelope.keyId === null || envelope.iv === null || envelope.ciphertext === null)
    // Names the envelope's shape, never its bytes.
    throw new SealBrokenError('An AES_256_GCM envelope without its key id, nonce or ciphertext');
  return {
    keyId: envelope.keyId,
    iv: Buffer.from(envelope.iv),
    ciphertext: Buffer.from(envelope.ciphertext),
  };
}

/** A recipient's personal view, sealed under the case's key, as a delivery carries it. */
export interface SealedPersonal {
  keyId: string;
  /** Base64. */
  iv: string;
  /** Base64, the tag last. */
  ciphertext: string;
}

/** An alert view as the deliveries topic holds it: its personal part sealed. */
export type SealedAlertView = Omit<AlertView, 'personal'> & { sealedPersonal?: SealedPersonal };

/**
 * `view` with its personal part sealed under the case's key (`keyId`, the key of the event
 * it was cut from, when known), for the deliveries topic.
 */
export async function sealView(
  view: AlertView,
  sealer: PersonalSealer,
  keyId?: string,
): Promise<SealedAlertView> {
  const { personal, ...rest } = view;
  if (personal === undefined) return rest;
  const sealed = await sealer.seal(
    view.caseId,
    Buffer.from(JSON.stringify(personal), 'utf8'),
    keyId,
  );
  return {
    ...rest,
    sealedPersonal: {
      keyId: sealed.keyId,
      iv: sealed.iv.toString('base64'),
      ciphertext: sealed.ciphertext.toString('base64'),
    },
  };
}

/**
 * The recipient's view of a sealed one: its personal part opened, or left out when the
 * case's key was destroyed (the case was erased).
 */
export async function openView(view: SealedAlertView, sealer: PersonalSealer): Promise<AlertView> {
  const { sealedPersonal, ...rest } = view;
  if (sealedPersonal === undefined) return rest;
  const plain = await sealer.open(view.caseId, {
    keyId: sealedPersonal.keyId,
    iv: Buffer.from(sealedPersonal.iv, 'base64'),
    ciphertext: Buffer.from(sealedPersonal.ciphertext, 'base64'),
  });
  if (plain === undefined) return rest;
  return { ...rest, personal: JSON.parse(plain.toString('utf8')) as PersonalView };
}

/** The body a recipient is given: `body` with its alert's personal part opened. */
export async function openBody(body: DeliveryBody, sealer: PersonalSealer): Promise<WebhookBody> {
  return { ...body, alert: body.alert && (await openView(body.alert, sealer)) };
}
