import { InputError, validate } from '@alert-exchange/platform';
import { AckBody, toAckView } from './ack-body';

function paths(body: unknown): string[] {
  try {
    validate(AckBody, body);
    return [];
  } catch (error) {
    return (error as InputError).errors.map((e) => e.path);
  }
}

describe('the acknowledgement body', () => {
  it.each<[string, unknown, string[]]>([
    ['RECEIVED', { status: 'RECEIVED' }, []],
    ['ACTIONED with a note', { status: 'ACTIONED', note: 'Team sent to the station' }, []],
    ['a note of 2000 characters', { status: 'ACTIONED', note: 'x'.repeat(2000) }, []],
    ['no status', { note: 'hello' }, ['/status']],
    ['an unknown status', { status: 'DONE' }, ['/status']],
    ['a status in lower case', { status: 'received' }, ['/status']],
    ['a note of 2001 characters', { status: 'RECEIVED', note: 'x'.repeat(2001) }, ['/note']],
    ['a note that is no string', { status: 'RECEIVED', note: 42 }, ['/note']],
    ['an unknown member', { status: 'RECEIVED', by: 'me' }, ['']],
    ['an array', [], ['']],
  ])('%s', (_what, body, expected) => {
    expect(paths(body)).toEqual(expected);
  });

  it('never repeats the note in an error', () => {
    const note = `Child seen at ${'Hauptbahnhof '.repeat(200)}`;
    expect(() => validate(AckBody, { status: 'RECEIVED', note })).toThrow(InputError);
    try {
      validate(AckBody, { status: 'RECEIVED', note });
    } catch (error) {
      expect(
        JSON.stringify({ ...(error as InputError), message: (error as Error).message }),
      ).not.toContain('Hauptbahnhof');
    }
  });
});

describe('the acknowledgement answer', () => {
  const ack = {
    ackId: 'a0000000-0000-4000-8000-000000000000',
    deliveryId: 'd0000000-0000-4000-8000-000000000000',
    caseId: 'c0000000-0000-4000-8000-000000000000',
    recipientId: 'hotline-at',
    status: 'RECEIVED' as const,
    note: null,
    at: Date.parse('2026-11-20T18:30:00.250Z'),
  };
  it.each([
    [
      'without a note',
      ack,
      {
        ackId: ack.ackId,
        deliveryId: ack.deliveryId,
        status: 'RECEIVED',
        at: '2026-11-20T18:30:00.250Z',
      },
    ],
    [
      'with a note',
      { ...ack, note: 'On it' },
      {
        ackId: ack.ackId,
        deliveryId: ack.deliveryId,
        status: 'RECEIVED',
        note: 'On it',
        at: '2026-11-20T18:30:00.250Z',
      },
    ],
  ])('%s', (_what, record, view) => {
    expect(toAckView(record)).toEqual(view);
  });
});
