import type { RecordMetadata } from 'kafkajs';
import { ExchangeError, UnavailableError, isRetriable } from '../errors';
import { positionsOf, produceRequestOf, sendFailure, type PartitionedRecord } from './coalescing';

const record = (topic: string, partition: number, value: string): PartitionedRecord => ({
  topic,
  partition,
  key: `k-${value}`,
  value,
});

const answer = (
  topicName: string,
  partition: number,
  baseOffset: string | undefined,
  errorCode = 0,
): RecordMetadata => ({
  topicName,
  partition,
  errorCode,
  ...(baseOffset === undefined ? {} : { baseOffset }),
});

describe('a coalesced produce request', () => {
  it.each([
    [
      'one record',
      [record('status', 3, 'a')],
      [{ topic: 'status', values: [[3, 'a']] }],
      [['status', 3, 0]],
    ],
    [
      'records of one partition, in the order written',
      [record('status', 3, 'a'), record('status', 3, 'b'), record('status', 3, 'c')],
      [
        {
          topic: 'status',
          values: [
            [3, 'a'],
            [3, 'b'],
            [3, 'c'],
          ],
        },
      ],
      [
        ['status', 3, 0],
        ['status', 3, 1],
        ['status', 3, 2],
      ],
    ],
    [
      'records of several partitions and topics, each partition counted on its own',
      [
        record('status', 1, 'a'),
        record('status', 2, 'b'),
        record('dead', 1, 'c'),
        record('status', 1, 'd'),
        record('dead', 1, 'e'),
      ],
      [
        {
          topic: 'status',
          values: [
            [1, 'a'],
            [2, 'b'],
            [1, 'd'],
          ],
        },
        {
          topic: 'dead',
          values: [
            [1, 'c'],
            [1, 'e'],
          ],
        },
      ],
      [
        ['status', 1, 0],
        ['status', 2, 0],
        ['dead', 1, 0],
        ['status', 1, 1],
        ['dead', 1, 1],
      ],
    ],
  ])(
    'groups %s by topic and numbers each within its partition',
    (_name, records, topics, slots) => {
      const request = produceRequestOf(records);
      expect(
        request.topicMessages.map(({ topic, messages }) => ({
          topic,
          values: messages.map((m) => [m.partition, m.value]),
        })),
      ).toEqual(topics);
      expect(request.slots.map((s) => [s.topic, s.partition, s.index])).toEqual(slots);
    },
  );

  it('passes key and headers through, and leaves out what the caller left out', () => {
    const request = produceRequestOf([
      { topic: 't', partition: 0, key: 'd-1', value: 'v', headers: { traceparent: '00-x' } },
      { topic: 't', partition: 0, value: null },
    ]);
    expect(request.topicMessages[0]!.messages).toEqual([
      { partition: 0, key: 'd-1', value: 'v', headers: { traceparent: '00-x' } },
      { partition: 0, value: null },
    ]);
  });
});

describe("each record's position in the broker's answer", () => {
  const request = produceRequestOf([
    record('status', 1, 'a'),
    record('status', 2, 'b'),
    record('status', 1, 'c'),
  ]);

  it.each([
    [
      'base offset plus the index within the partition',
      [answer('status', 1, '40'), answer('status', 2, '7')],
      ['status[1]@40', 'status[2]@7', 'status[1]@41'],
    ],
    [
      'offsets past 2^53 exactly',
      [answer('status', 1, '9007199254740993'), answer('status', 2, '0')],
      ['status[1]@9007199254740993', 'status[2]@0', 'status[1]@9007199254740994'],
    ],
    [
      'an error for the records of a partition answered with an error code',
      [answer('status', 1, '-1', 6), answer('status', 2, '7')],
      ['error', 'status[2]@7', 'error'],
    ],
    [
      'an error for the records of a partition missing from the answer',
      [answer('status', 1, '40')],
      ['status[1]@40', 'error', 'status[1]@41'],
    ],
    [
      'an error when no base offset was answered',
      [answer('status', 1, undefined), answer('status', 2, '7')],
      ['error', 'status[2]@7', 'error'],
    ],
  ])('%s', (_name, metadata, expected) => {
    expect(
      positionsOf(request, metadata).map((p) =>
        p instanceof ExchangeError ? 'error' : `${p.topic}[${p.partition}]@${p.offset}`,
      ),
    ).toEqual(expected);
  });

  it('is a retriable error when the answer does not place a record', () => {
    const [position] = positionsOf(request, []);
    expect(position).toBeInstanceOf(UnavailableError);
    expect(isRetriable(position)).toBe(true);
  });
});

describe('a failed produce request', () => {
  const kafkaError = (name: string, retriable: boolean): Error =>
    Object.assign(new Error(`${name} happened`), { name, retriable });

  it.each([
    ['a connection error', kafkaError('KafkaJSConnectionError', true), true],
    ['a request timeout', kafkaError('KafkaJSRequestTimeoutError', true), true],
    ["kafkajs' retries running out", kafkaError('KafkaJSNumberOfRetriesExceeded', false), true],
    ['a record too large', kafkaError('KafkaJSProtocolError', false), false],
    ['an error that does not say', new Error('socket hang up'), true],
  ])('is retriable or not as %s is', (_name, cause, retriable) => {
    const error = sendFailure(cause, 3);
    expect(error).toBeInstanceOf(ExchangeError);
    expect(error.retriable).toBe(retriable);
    expect(error.cause).toBe(cause);
  });

  it('says how many records it held', () => {
    expect(sendFailure(new Error('x'), 1).message).toBe(
      'Kafka did not take the record; nothing was confirmed',
    );
    expect(sendFailure(new Error('x'), 4).message).toBe(
      'Kafka did not take any of 4 records; nothing was confirmed',
    );
  });
});
