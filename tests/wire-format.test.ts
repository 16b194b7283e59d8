import {
  AvroCodec,
  PoisonMessageError,
  eventMessage,
  readEventMeta,
} from '@alert-exchange/platform';
import { testKafka, testStack, uniqueName, waitFor } from '@alert-exchange/testing';
import type { EachMessagePayload } from 'kafkajs';

const PROBE_SCHEMA = {
  type: 'record',
  name: 'WireProbe',
  namespace: 'eu.alertexchange.test',
  fields: [
    { name: 'caseId', type: 'string' },
    { name: 'childName', type: 'string' },
    { name: 'ageYears', type: ['null', 'int'], default: null },
  ],
};

describe('events travel through a real Kafka broker in the Confluent wire format', () => {
  const kafka = testKafka();
  const admin = kafka.admin();
  const producer = kafka.producer({ idempotent: true });

  beforeAll(async () => {
    await admin.connect();
    await producer.connect();
  });
  afterAll(async () => {
    await producer.disconnect();
    await admin.disconnect();
  });

  it('registers a schema, produces an encoded event with acks=all, and a consumer decodes it unchanged', async () => {
    const topic = uniqueName('wire');
    const codec = new AvroCodec(testStack().schemaRegistryUrl);
    const schemaId = await codec.register(`${topic}-value`, PROBE_SCHEMA);
    expect(await codec.latestSchemaId(`${topic}-value`)).toBe(schemaId);
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });

    const event = { caseId: 'case-1', childName: 'Ελένη Şükrü Анна محمد', ageYears: 12 };
    const value = await codec.encode(schemaId, event);
    expect(value[0]).toBe(0);
    expect(value.readInt32BE(1)).toBe(schemaId);
    const [ack] = await producer.send({
      topic,
      acks: -1,
      messages: [
        eventMessage(value, {
          caseId: event.caseId,
          eventType: 'RAISED',
          origin: 'example-ngo',
          schemaId,
        }),
      ],
    });
    expect(ack?.errorCode).toBe(0);

    const consumer = kafka.consumer({ groupId: uniqueName('wire-group') });
    const received: EachMessagePayload[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async (payload) => {
        received.push(payload);
      },
    });
    try {
      const [message] = await waitFor('the event to be consumed', () =>
        received.length > 0 ? received : undefined,
      );
      const decoded = await new AvroCodec(testStack().schemaRegistryUrl).decode(
        message!.message.value,
      );
      expect(decoded).toEqual({ schemaId, value: event });
      expect(readEventMeta(message!.message)).toEqual({
        caseId: 'case-1',
        eventType: 'RAISED',
        origin: 'example-ngo',
        schemaId,
      });
    } finally {
      await consumer.disconnect();
    }
  });

  it.each([
    ['a message that is not in the wire format', Buffer.from('{"caseId":"x"}')],
    [
      'a message naming a schema id the registry never issued',
      Buffer.from([0, 0x7f, 0xff, 0xff, 0xf0, 1, 2]),
    ],
    ['an empty message', Buffer.alloc(0)],
  ])('%s is classified as poison, not as a passing failure', async (_name, message) => {
    const codec = new AvroCodec(testStack().schemaRegistryUrl);
    await expect(codec.decode(message)).rejects.toBeInstanceOf(PoisonMessageError);
  });
});
