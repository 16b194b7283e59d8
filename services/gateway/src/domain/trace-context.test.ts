import { traceContextFor } from './trace-context';

const hex = (bytes: number): string => 'ab'.repeat(bytes);

describe('traceContextFor', () => {
  it.each([
    ['no header', undefined, 'ab'.repeat(16), '01'],
    ['a valid header', `00-${'1'.repeat(32)}-${'2'.repeat(16)}-00`, '1'.repeat(32), '00'],
    ['an all-zero trace id', `00-${'0'.repeat(32)}-${'2'.repeat(16)}-01`, 'ab'.repeat(16), '01'],
    ['garbage', 'not a traceparent', 'ab'.repeat(16), '01'],
    ['upper case hex', `00-${'A'.repeat(32)}-${'2'.repeat(16)}-01`, 'ab'.repeat(16), '01'],
  ])('%s', (_what, header, traceId, flags) => {
    const context = traceContextFor(header, hex);
    expect(context.traceId).toBe(traceId);
    expect(context.traceparent).toBe(`00-${traceId}-${'ab'.repeat(8)}-${flags}`);
  });
});
