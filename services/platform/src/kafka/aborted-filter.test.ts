/**
 * kafkajs 2.2.4 drops the records of aborted transactions on the client
 * (`filterAbortedMessages`), activating one aborted transaction per record: when two
 * producers' transactions were aborted together (a router with six transactional
 * producers killed at once), a fetch starting inside both leaked the second one's
 * records to read_committed readers. `patches/kafkajs@2.2.4.patch` activates every
 * transaction that has begun, in order of first offset, as the Java consumer does. These
 * cases fail without the patch.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const filterAbortedMessages = require('kafkajs/src/consumer/filterAbortedMessages') as (args: {
  messages: Message[];
  abortedTransactions: Array<{ producerId: string; firstOffset: string }>;
}) => Message[];

interface Message {
  offset: string;
  key: Buffer | null;
  batchContext: { producerId: string; inTransaction: boolean };
}

const ABORT = Buffer.from([0, 0, 0, 0]);
const COMMIT = Buffer.from([0, 0, 0, 1]);
const record = (offset: number, producerId: string, key: Buffer | null = null): Message => ({
  offset: String(offset),
  key,
  batchContext: { producerId, inTransaction: true },
});
const kept = (messages: Message[], aborted: Array<[string, number]>): string[] =>
  filterAbortedMessages({
    messages,
    abortedTransactions: aborted.map(([producerId, firstOffset]) => ({
      producerId,
      firstOffset: String(firstOffset),
    })),
  })
    .filter((m) => m.key === null)
    .map((m) => `${m.batchContext.producerId}@${m.offset}`);

describe('read_committed filtering of aborted transactions (patched kafkajs)', () => {
  it.each([
    {
      name: 'two producers aborted together, the fetch starting inside both',
      messages: [
        record(12, 'B'),
        record(13, 'A'),
        record(14, 'A', ABORT),
        record(15, 'B', ABORT),
        record(16, 'C'),
        record(17, 'C', COMMIT),
      ],
      aborted: [
        ['A', 10],
        ['B', 11],
      ] as Array<[string, number]>,
      expected: ['C@16'],
    },
    {
      name: 'the aborted list out of order',
      messages: [record(20, 'A'), record(21, 'B'), record(22, 'A', ABORT), record(23, 'B', ABORT)],
      aborted: [
        ['B', 21],
        ['A', 20],
      ] as Array<[string, number]>,
      expected: [],
    },
    {
      name: 'the same producer committing after its aborted transaction (a new epoch)',
      messages: [record(30, 'A'), record(31, 'A', ABORT), record(32, 'A'), record(33, 'A', COMMIT)],
      aborted: [['A', 30]] as Array<[string, number]>,
      expected: ['A@32'],
    },
  ])('$name', ({ messages, aborted, expected }) => {
    expect(kept(messages, aborted)).toEqual(expected);
  });
});
