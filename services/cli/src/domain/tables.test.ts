import { replayProgress, table } from './tables';

describe('command-line tables', () => {
  it('pads every column but the last to its widest cell', () => {
    expect(
      table(
        ['deliveryId', 'recipient', 'state'],
        [
          ['d-1', 'hotline-fr', 'ROUTED'],
          ['d-22', 'ngo-de-1', 'ATTEMPTED'],
        ],
      ),
    ).toEqual([
      'deliveryId  recipient   state',
      'd-1         hotline-fr  ROUTED',
      'd-22        ngo-de-1    ATTEMPTED',
    ]);
  });

  it('is only a header without rows', () => {
    expect(table(['a', 'b'], [])).toEqual(['a  b']);
  });

  it.each([
    [['d-1', 'd-2'], ['d-1', 'd-2'], 0],
    [['d-1', 'd-2'], ['d-2'], 1],
    [['d-1', 'd-2'], [], 2],
    [[], ['d-9'], 0],
  ])('counts a replay of %j with %j still dead as %i done', (asked, dead, done) => {
    expect(replayProgress(asked, new Set(dead))).toBe(done);
  });
});
