import { consumerLag } from './consumer-lag';

describe('consumer lag', () => {
  const ends = (...parts: Array<[low: number, high: number]>) =>
    parts.map(([low, high], partition) => ({ partition, low: `${low}`, high: `${high}` }));
  const committed = (...offsets: number[]) =>
    offsets.map((offset, partition) => ({ partition, offset: `${offset}` }));

  it.each([
    ['a group that has read everything', ends([0, 10], [0, 4]), committed(10, 4), 0],
    ['a group behind on two partitions', ends([0, 10], [0, 4]), committed(7, 1), 6],
    [
      'a group that has committed nothing: from the first kept record',
      ends([0, 10], [3, 8]),
      committed(-1, -1),
      15,
    ],
    [
      'a partition the answer does not name: from the first kept record',
      ends([0, 10], [2, 5]),
      committed(10),
      3,
    ],
    [
      'a commit retention has overtaken: from the first kept record',
      ends([50, 60]),
      committed(20),
      10,
    ],
    ['a commit past the end (a topic recreated): nothing to read', ends([0, 5]), committed(9), 0],
    ['an empty topic', ends([0, 0]), committed(-1), 0],
    ['no partitions', [], [], 0],
  ])('%s', (_name, topicEnds, groupOffsets, lag) => {
    expect(consumerLag(topicEnds, groupOffsets)).toBe(lag);
  });
});
