import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExchangeClient } from '@alert-exchange/client';
import {
  exportCap,
  importCap,
  MessageStore,
  parseReferences,
  readCap,
} from '@alert-exchange/cap-adapter';
import { uniqueName } from '@alert-exchange/testing';
import { capExample, schemaErrors } from '../services/cap-adapter/src/cap.test-helper';
import { enrol, type Member } from '../services/gateway/src/api-client.test-helper';
import {
  startReadyGateway,
  type GatewayProcess,
} from '../services/gateway/src/gateway-process.test-helper';

/**
 * The CAP 1.2 adapter against a running gateway: a member's case system sends a CAP
 * Alert, an Update and a Cancel; each becomes an event of one case, and the case exported
 * back as CAP is valid against OASIS's schema after every step.
 */
describe('CAP 1.2 alerts through the exchange', () => {
  let gateway: GatewayProcess;
  let ngo: Member;
  beforeAll(async () => {
    gateway = await startReadyGateway();
    ngo = await enrol(gateway.base, { prefix: 'ngo-de-cap', roles: ['member-ngo'], country: 'DE' });
  });
  afterAll(() => gateway?.stop());

  it('imports an Alert, an Update and a Cancel as one case and exports it as valid CAP after each', async () => {
    const reference = uniqueName('DE-BER');
    const message = (file: string) => capExample(file).replaceAll('DE-BER-2026-00417', reference);
    const exchange = new ExchangeClient({ baseUrl: gateway.base, apiKey: ngo.key });
    const store = await MessageStore.open(
      join(mkdtempSync(join(tmpdir(), 'cap-int-')), 'messages.json'),
    );
    const deps = { exchange, store };
    const exported = async (caseId: string) => {
      const xml = await exportCap(caseId, {
        ...deps,
        recipients: ['hotline-at', 'hotline-cz'],
        languages: ['cs'],
        sender: 'alert-exchange',
      });
      expect(await schemaErrors(xml)).toEqual([]);
      const alert = readCap(xml);
      if (!alert.ok) throw new Error(JSON.stringify(alert.problems));
      return alert.value;
    };

    const raised = await importCap(message('alert-runaway.xml'), deps);
    expect(raised).toMatchObject({ msgType: 'Alert', published: true, identifier: reference });
    const asRaised = await exported(raised.caseId);
    expect(asRaised).toMatchObject({
      msgType: 'Alert',
      identifier: reference,
      sender: 'cases@example-ngo.de',
      scope: 'Restricted',
      addresses: 'hotline-at hotline-cz',
    });
    expect(asRaised.info.map((i) => i.language)).toEqual(['en', 'de', 'cs']);
    expect(await exchange.getCase(raised.caseId)).toMatchObject({
      status: 'OPEN',
      case: { category: 'RUNAWAY', originCaseReference: reference },
    });

    const updated = await importCap(message('update-runaway.xml'), deps);
    expect(updated.caseId).toBe(raised.caseId);
    const asUpdated = await exported(raised.caseId);
    expect(asUpdated).toMatchObject({ msgType: 'Update', identifier: `${reference}-U1` });
    expect(parseReferences(asUpdated.references)?.map((r) => r.identifier)).toEqual([reference]);
    expect(await exchange.getCase(raised.caseId)).toMatchObject({
      case: { countries: { suspectedDestinations: ['CZ', 'AT'] } },
    });

    // Sent again (a retry after a crash): nothing new is published.
    expect(await importCap(message('update-runaway.xml'), deps)).toMatchObject({
      published: false,
      eventId: updated.eventId,
    });

    const withdrawn = await importCap(message('cancel-runaway.xml'), deps);
    expect(withdrawn.caseId).toBe(raised.caseId);
    const asWithdrawn = await exported(raised.caseId);
    expect(asWithdrawn).toMatchObject({
      msgType: 'Cancel',
      identifier: `${reference}-C1`,
      note: "Reported in error: the child was at a friend's home.",
    });
    expect(parseReferences(asWithdrawn.references)?.map((r) => r.identifier)).toEqual([
      reference,
      `${reference}-U1`,
    ]);
    expect(await exchange.getCase(raised.caseId)).toMatchObject({
      status: 'WITHDRAWN',
      eventCount: 3,
    });
  });
});
