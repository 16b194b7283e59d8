import { testStack } from '@alert-exchange/testing';
import { PoisonMessageError } from '../errors';
import { AvroCodec } from './index';

/**
 * A topic carries one record type, but the wire format names only a schema id: a record
 * of another type decodes without error, and a consumer handling it as its own type acts
 * on missing fields (chaos scenario 5 found the gateway's projections, the dispatcher's
 * replay requests and the audit appender doing so). `decode(message, expected)` refuses it.
 */
describe('AvroCodec.decode with the record type a topic carries', () => {
  const codec = new AvroCodec(testStack().schemaRegistryUrl);
  const replay = async () =>
    codec.encode(await codec.latestSchemaId('eu.alertexchange.DeliveryReplay'), {
      requestId: '1b4e28ba-2fa1-41d2-883f-0016d3cca427',
      deliveryIds: [],
      requestedBy: 'operator-test',
      at: 1_700_000_000_000,
    });

  it('decodes a record of the expected type', async () => {
    const { value } = await codec.decode<{ requestedBy: string }>(
      await replay(),
      'eu.alertexchange.DeliveryReplay',
    );
    expect(value.requestedBy).toBe('operator-test');
  });

  it('refuses a valid record of another type as poison, naming both types', async () => {
    const refused = await codec.decode(await replay(), 'eu.alertexchange.Acknowledgement').then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(PoisonMessageError);
    expect((refused as PoisonMessageError).reason).toMatch(
      /eu\.alertexchange\.DeliveryReplay record .* where eu\.alertexchange\.Acknowledgement was expected/,
    );
  });

  it('still decodes any record when no type is named', async () => {
    const { value } = await codec.decode<{ deliveryIds: string[] }>(await replay());
    expect(value.deliveryIds).toEqual([]);
  });
});
