import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Delivery } from '../generated/avro-types';
import { toAlertEvent, type CaseBody } from './alert-body';
import { minimiseAlert, type AlertView } from './minimisation';
import { webhookBody } from './webhook-body';

const EXAMPLES = join(__dirname, '..', '..', '..', '..', 'schemas', 'examples');
const example = (file: string): CaseBody =>
  JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8')) as CaseBody;

const caseId = '0b8e7d6c-5a4f-4321-8fed-cba987654321';
const eventId = '00000000-0000-4000-8000-000000000001';
const routedAt = Date.parse('2026-11-21T06:20:00.000Z');

/** The view the router would write for a hotline at `level`, from a migrant-minor example (Arabic names). */
const view = (level: 'SPOT' | 'IDENTIFY_SPECIAL'): AlertView =>
  minimiseAlert(
    toAlertEvent(example('raise-missing-migrant-minor.json'), {
      caseId,
      eventId,
      eventType: 'RAISED',
      publishedAt: routedAt - 1000,
      originatingOrganisation: 'ngo-it-migrants',
    }),
    level,
  );

const delivery = (more: Partial<Delivery> = {}): Delivery => ({
  deliveryId: '5d41402a-bc4b-8a76-b971-9d911017c592',
  eventId,
  caseId,
  recipientId: 'hotline-fr',
  recipientRoles: ['HOTLINE'],
  mode: 'WEBHOOK',
  eventType: 'RAISED',
  category: 'MISSING_MIGRANT_MINOR',
  urgency: 'IMMEDIATE',
  reasons: [
    { rule: 'hotline-of-destination', detail: 'country=FR' },
    { rule: 'hotline-of-route', detail: 'country=FR' },
  ],
  routedAt,
  ackBy: routedAt + 15 * 60_000,
  sequence: 1,
  viewLevel: 'SPOT',
  alert: JSON.stringify(view('SPOT')),
  ...more,
});

describe('webhookBody', () => {
  it('carries the fields the contract names, and no others', () => {
    expect(webhookBody(delivery())).toEqual({
      deliveryId: '5d41402a-bc4b-8a76-b971-9d911017c592',
      caseId,
      eventId,
      eventType: 'RAISED',
      category: 'MISSING_MIGRANT_MINOR',
      urgency: 'IMMEDIATE',
      alert: view('SPOT'),
      routing: {
        reasons: [
          { rule: 'hotline-of-destination', detail: 'country=FR' },
          { rule: 'hotline-of-route', detail: 'country=FR' },
        ],
      },
      ackBy: '2026-11-21T06:35:00.000Z',
    });
  });

  it('passes the alert through exactly as minimised for the recipient, names in any script intact', () => {
    const full = view('IDENTIFY_SPECIAL');
    const body = webhookBody(
      delivery({ viewLevel: 'IDENTIFY_SPECIAL', alert: JSON.stringify(full) }),
    );
    expect(body.alert).toEqual(full);
    expect(JSON.stringify(body)).toContain('"given":"محمد"');
    // A SPOT view has no family name: the dispatcher never adds what the router cut.
    expect(JSON.stringify(webhookBody(delivery()))).not.toContain('الأحمد');
  });

  it('gives a null alert for a delivery written before deliveries carried one', () => {
    expect(webhookBody(delivery({ alert: null, viewLevel: null })).alert).toBeNull();
  });

  it('gives an empty reasons list when the delivery has none', () => {
    expect(webhookBody(delivery({ reasons: [] })).routing).toEqual({ reasons: [] });
  });

  it.each([
    ['not JSON', '{"level":"SPOT",'],
    ['a JSON string', '"SPOT"'],
    ['a JSON array', '[]'],
    ['JSON null', 'null'],
  ])('refuses an alert that is %s, naming the delivery but not the text', (_what, alert) => {
    expect(() => webhookBody(delivery({ alert }))).toThrow(
      /^delivery 5d41402a-bc4b-8a76-b971-9d911017c592: its alert is not (JSON|a JSON object)$/,
    );
  });
});
