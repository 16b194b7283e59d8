import type { Kafka, Producer } from 'kafkajs';
import type { AvroCodec } from '../avro';
import { silentLogger } from '../logging';
import { CompactedView } from './compacted-view';

interface Item {
  id: string;
  tags: string[];
}

type EachMessage = (payload: {
  partition: number;
  message: { key: Buffer; value: Buffer | null; offset: string };
}) => Promise<void>;

/**
 * An empty compacted topic in memory: writes get increasing offsets, and the test decides
 * when the view's consumer reads them back (`deliver`), so consumer lag is under control.
 */
async function openOnFakeTopic() {
  const log: Array<{ key: string; value: Buffer | null }> = [];
  let eachMessage: EachMessage | undefined;
  const kafka = {
    admin: () => ({
      connect: async () => undefined,
      disconnect: async () => undefined,
      fetchTopicOffsets: async () => [{ partition: 0, high: '0', low: '0' }],
    }),
    consumer: () => ({
      connect: async () => undefined,
      subscribe: async () => undefined,
      run: async (options: { eachMessage: EachMessage }) => {
        eachMessage = options.eachMessage;
      },
      disconnect: async () => undefined,
    }),
  } as unknown as Kafka;
  const producer = {
    send: async ({ messages }: { messages: Array<{ key: string; value: Buffer | null }> }) => {
      log.push(messages[0]!);
      return [{ topicName: 't', partition: 0, errorCode: 0, baseOffset: String(log.length - 1) }];
    },
  } as unknown as Producer;
  const codec = {
    latestSchemaId: async () => 1,
    encode: async (_id: number, value: unknown) => Buffer.from(JSON.stringify(value)),
    decode: async (buffer: Buffer) => ({ value: JSON.parse(buffer.toString()) as unknown }),
  } as unknown as AvroCodec;
  const view = await CompactedView.open<Item>({
    kafka,
    codec,
    producer,
    topic: 't',
    subject: 's',
    idOf: (i) => i.id,
    logger: silentLogger(),
    name: 'test',
  });
  const deliver = async (offset: number): Promise<void> => {
    const { key, value } = log[offset]!;
    await eachMessage!({
      partition: 0,
      message: { key: Buffer.from(key), value, offset: String(offset) },
    });
  };
  return { view, deliver, log };
}

const addTag = (view: CompactedView<Item>, tag: string) =>
  view.update('a', (current) => ({
    write: { id: 'a', tags: [...(current?.tags ?? []), tag] },
    result: tag,
  }));

describe('a compacted view', () => {
  it('concurrent read-modify-writes of one record through one instance all land', async () => {
    const { view } = await openOnFakeTopic();
    expect(await Promise.all(['x', 'y', 'z'].map((t) => addTag(view, t)))).toEqual(['x', 'y', 'z']);
    expect(view.get('a')).toEqual({ id: 'a', tags: ['x', 'y', 'z'] });
  });

  it('a write is not undone by the consumer catching up with an earlier one', async () => {
    const { view, deliver } = await openOnFakeTopic();
    await addTag(view, 'x'); // offset 0
    await addTag(view, 'y'); // offset 1
    await deliver(0); // the consumer lags behind: it reads the first write only now
    expect(view.get('a')!.tags).toEqual(['x', 'y']);
    await addTag(view, 'z');
    expect(view.get('a')!.tags).toEqual(['x', 'y', 'z']);
  });

  it('a later write by another instance is applied', async () => {
    const { view, deliver, log } = await openOnFakeTopic();
    await addTag(view, 'x'); // offset 0
    log.push({ key: 'a', value: Buffer.from(JSON.stringify({ id: 'a', tags: ['other'] })) });
    await deliver(0);
    await deliver(1);
    expect(view.get('a')!.tags).toEqual(['other']);
  });

  it('a failed change writes nothing and does not block the next one', async () => {
    const { view, log } = await openOnFakeTopic();
    await expect(
      view.update('a', () => {
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    await addTag(view, 'x');
    expect(log).toHaveLength(1);
    expect(view.get('a')!.tags).toEqual(['x']);
  });
});
