import { serverSentEvents } from './event-stream';

async function* chunks(...parts: string[]): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  for (const part of parts) yield encoder.encode(part);
}

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe('the inbox stream is read as Server-Sent Events', () => {
  it('gives each event with its id, type and data, skipping comments', async () => {
    const events = await all(
      serverSentEvents(
        chunks(
          'retry: 2000\n\n',
          ': heartbeat\n\n',
          'id: 0-1\nevent: delivery\ndata: {"deliveryId":"a"}\n\n',
          'id: 0-2\nevent: delivery\ndata: {"deliveryId":"b"}\n\n',
        ),
      ),
    );
    expect(events).toEqual([
      { id: '0-1', event: 'delivery', data: '{"deliveryId":"a"}' },
      { id: '0-2', event: 'delivery', data: '{"deliveryId":"b"}' },
    ]);
  });

  it('joins an event split across chunks, even inside a multi-byte character', async () => {
    const text = 'id: 3-9\nevent: delivery\ndata: {"name":"Ελένη Şükrü"}\n\n';
    const bytes = new TextEncoder().encode(text);
    const cut = bytes.indexOf(0xce) + 1; // inside the first Greek letter
    async function* split(): AsyncGenerator<Uint8Array> {
      yield bytes.slice(0, cut);
      yield bytes.slice(cut);
    }
    const [event] = await all(serverSentEvents(split()));
    expect(JSON.parse(event!.data)).toEqual({ name: 'Ελένη Şükrü' });
  });

  it('tells the retry delay the server asks for', async () => {
    const delays: number[] = [];
    await all(serverSentEvents(chunks('retry: 1500\n\n'), { onRetry: (ms) => delays.push(ms) }));
    expect(delays).toEqual([1500]);
  });

  it('accepts CRLF line endings and multi-line data', async () => {
    const [event] = await all(serverSentEvents(chunks('id: 1-1\r\ndata: a\r\ndata: b\r\n\r\n')));
    expect(event).toEqual({ id: '1-1', data: 'a\nb', event: undefined });
  });
});
