import { readTopic, testStack, waitFor } from '@alert-exchange/testing';
import { DispatchWorld } from '../services/dispatcher/src/dispatch-world.test-helper';
import { FaultyEndpoint } from './chaos/faulty-endpoint';

/**
 * The schema registry taken away under a running dispatcher (regression of f370ef7): a
 * delivery it cannot decode because the registry does not answer is not a poison message.
 * It must not be dead-lettered; the batch is read again until the registry is back, and
 * then delivered. The registry is reached through a TCP proxy whose port closes.
 */
describe('a dispatcher whose schema registry stops answering', () => {
  let world: DispatchWorld;
  let proxy: FaultyEndpoint;

  beforeAll(async () => {
    world = await DispatchWorld.create();
    const registry = new URL(testStack().schemaRegistryUrl);
    proxy = await FaultyEndpoint.start(Number(registry.port));
    const viaProxy = new URL(registry);
    viaProxy.port = String(proxy.port);
    await world.startDispatcher({ SCHEMA_REGISTRY_URL: viaProxy.toString().replace(/\/$/, '') });
  });
  afterAll(async () => {
    await world?.close();
    await proxy?.close();
  });

  const deadLettersOf = async (topic: string) =>
    (await readTopic('dead-letter', world.kafka)).filter(
      (r) => r.headers['ax-dlq-topic'] === topic,
    );

  it('holds a delivery it cannot decode until the registry is back, then delivers it; nothing is dead-lettered', async () => {
    const hotline = await world.recipient();
    // The dispatcher has read no delivery yet: the Delivery schema is not in its cache,
    // so decoding the first one needs the registry.
    await proxy.set('down');
    const delivery = world.delivery(hotline);
    await world.deliver([delivery]);
    // Long enough for several reads of the batch (kafkajs retries within 21 s).
    await new Promise((resolve) => setTimeout(resolve, 15_000));
    expect(world.receiver.delivered(hotline.id)).toEqual([]);
    expect(await deadLettersOf(world.topics.deliveries)).toEqual([]);

    await proxy.set('pass');
    const pushed = await waitFor(
      'the delivery once the registry is back',
      () => world.receiver.delivered(hotline.id)[0],
      { timeoutMs: 180_000 },
    );
    expect(pushed.body.deliveryId).toBe(delivery.deliveryId);
    await waitFor('its DELIVERED status', async () =>
      (await world.statuses(delivery.deliveryId)).some((s) => s.state === 'DELIVERED')
        ? true
        : undefined,
    );
    expect(await deadLettersOf(world.topics.deliveries)).toEqual([]);
    expect(world.dispatchers[0]!.stderr()).not.toMatch(/FATAL|Unhandled/i);
  }, 300_000);
});
