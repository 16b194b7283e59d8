import type { ApiKey, Organisation, WebhookSecrets } from '@alert-exchange/contracts';
import {
  CompactedView,
  type AvroCodec,
  type Kafka,
  type Logger,
  type Producer,
} from '@alert-exchange/platform';

/** The directory of organisations: a view of the compacted topic directory.organisations. */
export type Directory = CompactedView<Organisation>;

/** The API keys: a view of the compacted topic directory.api-keys (digests, never keys). */
export type KeyStore = CompactedView<ApiKey>;

/**
 * The webhook signing secrets: a view of the compacted topic directory.webhook-secrets,
 * one record per organisation. The values are in clear (the dispatcher signs with them).
 */
export type WebhookSecretStore = CompactedView<WebhookSecrets>;

interface Sources {
  kafka: Kafka;
  codec: AvroCodec;
  producer: Producer;
  logger: Logger;
}

/** Opens the directory on `topic`. */
export function openDirectory(sources: Sources, topic: string): Promise<Directory> {
  return CompactedView.open<Organisation>({
    ...sources,
    topic,
    subject: 'eu.alertexchange.Organisation',
    idOf: (o) => o.id,
    name: 'gateway-directory',
  });
}

/** Opens the key store on `topic`. */
export function openKeyStore(sources: Sources, topic: string): Promise<KeyStore> {
  return CompactedView.open<ApiKey>({
    ...sources,
    topic,
    subject: 'eu.alertexchange.ApiKey',
    idOf: (k) => k.keyId,
    name: 'gateway-keys',
  });
}

/** Opens the webhook secret store on `topic`. */
export function openWebhookSecretStore(
  sources: Sources,
  topic: string,
): Promise<WebhookSecretStore> {
  return CompactedView.open<WebhookSecrets>({
    ...sources,
    topic,
    subject: 'eu.alertexchange.WebhookSecrets',
    idOf: (s) => s.organisationId,
    name: 'gateway-webhook-secrets',
  });
}
