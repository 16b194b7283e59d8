import { randomBytes } from 'node:crypto';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { ExchangeError } from '@alert-exchange/platform';
import { signWebhook, webhookHeaders, type WebhookToSign } from './webhook-signature';

// Secrets as the gateway issues them: whsec_ and the base64 of 32 random bytes.
const newSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;
const OLD = newSecret();
const NEW = newSecret();

/** A webhook signed now: the reference library refuses timestamps more than 5 minutes off. */
const webhook = (secrets: string[], more: Partial<WebhookToSign> = {}): WebhookToSign => ({
  id: '5d41402a-bc4b-8a76-b971-9d911017c592',
  timestamp: Math.floor(Date.now() / 1000),
  body: JSON.stringify({
    deliveryId: '5d41402a-bc4b-8a76-b971-9d911017c592',
    alert: { given: 'Ελένη' },
  }),
  secrets,
  ...more,
});

/** What a recipient using the Standard Webhooks reference library does. */
const verify = (secret: string, body: string, headers: Record<string, string>): unknown =>
  new Webhook(secret).verify(body, headers);

describe('webhook signatures (Standard Webhooks)', () => {
  it('are accepted by the reference library', () => {
    const w = webhook([NEW]);
    expect(verify(NEW, w.body, { ...webhookHeaders(w) })).toEqual(JSON.parse(w.body));
  });

  it('during a rotation, verify with either the old or the new secret', () => {
    const w = webhook([NEW, OLD]);
    const headers = { ...webhookHeaders(w) };
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(verify(OLD, w.body, headers)).toEqual(JSON.parse(w.body));
    expect(verify(NEW, w.body, headers)).toEqual(JSON.parse(w.body));
  });

  it('match the reference library signature for each secret, in order', () => {
    const w = webhook([NEW, OLD]);
    const expected = [NEW, OLD].map((s) =>
      new Webhook(s).sign(w.id, new Date(w.timestamp * 1000), w.body),
    );
    expect(signWebhook(w)).toBe(expected.join(' '));
  });

  it('carry the delivery id and the timestamp in their headers', () => {
    const w = webhook([NEW], { timestamp: 1_795_000_000 });
    expect(webhookHeaders(w)).toEqual({
      'webhook-id': '5d41402a-bc4b-8a76-b971-9d911017c592',
      'webhook-timestamp': '1795000000',
      'webhook-signature': expect.stringMatching(/^v1,[A-Za-z0-9+/]{43}=$/),
    });
  });

  it.each<
    [string, (w: WebhookToSign, h: Record<string, string>) => [string, Record<string, string>]]
  >([
    ['a tampered body', (w, h) => [w.body.replace('Ελένη', 'Eleni'), h]],
    ['one extra space in the body', (w, h) => [`${w.body} `, h]],
    ['another delivery id', (w, h) => [w.body, { ...h, 'webhook-id': 'another' }]],
    [
      'another timestamp',
      (w, h) => [w.body, { ...h, 'webhook-timestamp': String(w.timestamp - 1) }],
    ],
  ])('are refused for %s', (_name, tamper) => {
    const w = webhook([NEW, OLD]);
    const [body, headers] = tamper(w, { ...webhookHeaders(w) });
    expect(() => verify(NEW, body, headers)).toThrow(WebhookVerificationError);
    expect(() => verify(OLD, body, headers)).toThrow(WebhookVerificationError);
  });

  it('are refused by a recipient holding a secret that did not sign', () => {
    const w = webhook([NEW, OLD]);
    expect(() => verify(newSecret(), w.body, { ...webhookHeaders(w) })).toThrow(
      'No matching signature found',
    );
  });

  it.each<[string, Partial<WebhookToSign>, RegExp]>([
    ['no secret', { secrets: [] }, /no active webhook secret/],
    ['an empty secret', { secrets: ['whsec_'] }, /not whsec_ followed by base64/],
    ['a secret without the prefix', { secrets: [NEW.slice('whsec_'.length)] }, /not whsec_/],
    ['a secret that is not base64', { secrets: ['whsec_not*base64!'] }, /not whsec_/],
    ['a revoked (blanked) secret', { secrets: [NEW, ''] }, /not whsec_/],
    ['a fractional timestamp', { timestamp: 1_795_000_000.5 }, /whole seconds/],
    ['a timestamp in milliseconds', { timestamp: 1_795_000_000_000 }, /whole seconds/],
    ['a negative timestamp', { timestamp: -1 }, /whole seconds/],
  ])('cannot be made with %s', (_name, change, message) => {
    const w = webhook([NEW], change);
    expect(() => signWebhook(w)).toThrow(ExchangeError);
    expect(() => signWebhook(w)).toThrow(message);
  });

  it('never show a secret in an error', () => {
    const bad = 'whsec_c2VjcmV0*';
    expect(() => signWebhook(webhook([bad]))).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('c2VjcmV0') }),
    );
  });
});
