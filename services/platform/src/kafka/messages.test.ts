import { EVENT_HEADERS, eventMessage, readEventMeta } from './messages';

describe('event messages', () => {
  const meta = {
    caseId: '0b8e7d6c-5a4f-4321-8fed-cba987654321',
    eventType: 'RAISED',
    origin: 'example-ngo-de',
    schemaId: 7,
    traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
  };

  it('are keyed by case id and carry event type, origin, schema id and trace context in headers', () => {
    const message = eventMessage(Buffer.from([0]), meta);
    expect(message.key).toBe(meta.caseId);
    expect(message.headers).toEqual({
      [EVENT_HEADERS.eventType]: 'RAISED',
      [EVENT_HEADERS.origin]: 'example-ngo-de',
      [EVENT_HEADERS.schemaId]: '7',
      [EVENT_HEADERS.traceparent]: meta.traceparent,
    });
  });

  it.each([
    [
      'as sent',
      {
        key: Buffer.from(meta.caseId),
        headers: {
          'ax-event-type': Buffer.from('RAISED'),
          'ax-origin': Buffer.from('example-ngo-de'),
          'ax-schema-id': Buffer.from('7'),
          traceparent: Buffer.from(meta.traceparent),
        },
      },
      meta,
    ],
    ['without headers', { key: null }, {}],
    [
      'with a schema id that is not a number',
      { key: null, headers: { 'ax-schema-id': Buffer.from('seven') } },
      {},
    ],
    [
      'with repeated headers (first wins)',
      { key: null, headers: { 'ax-origin': [Buffer.from('a'), Buffer.from('b')] } },
      { origin: 'a' },
    ],
    [
      'with the publish time (epoch milliseconds)',
      { key: null, headers: { 'ax-published-at': Buffer.from('1764000000123') } },
      { publishedAt: 1764000000123 },
    ],
    [
      'with a publish time that is not a number',
      { key: null, headers: { 'ax-published-at': Buffer.from('yesterday') } },
      {},
    ],
  ])('are read back %s', (_name, message, expected) => {
    expect(readEventMeta(message)).toEqual(expected);
  });
});
