import { once } from 'node:events';
import { createConnection, createServer, type Server, type Socket } from 'node:net';

/** How a faulty endpoint treats a connection. */
export type EndpointMode =
  /** Forwarded to the real receiver. */
  | 'pass'
  /** Nothing listens on the port: connections are refused. */
  | 'down'
  /** The request is read, then the connection is reset (TCP RST), unanswered. */
  | 'reset'
  /**
   * The request is held for `stallMs` before it is forwarded, as a recipient whose server
   * takes that long to answer; a caller that hung up meanwhile has nothing processed.
   */
  | 'stall';

/**
 * A recipient's endpoint that misbehaves at the TCP level: a proxy on a port of its own in
 * front of the scenario's webhook receiver (which verifies signatures and records what it
 * took), switched between passing requests on, being down (port closed), resetting
 * connections, and stalling. The port stays the same when it comes back, as a recipient's
 * server restarted on its address. Use: `FaultyEndpoint.start(receiverPort)`, `url(path)`
 * for enrolment, `set(mode)`, `close()` in afterAll.
 */
export class FaultyEndpoint {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private current: EndpointMode = 'pass';
  /** Connections reset, and requests stalled, so far. */
  resets = 0;
  stalls = 0;

  private constructor(
    readonly port: number,
    private readonly target: number,
    private readonly stallMs: number,
  ) {}

  static async start(target: number, stallMs = 30_000): Promise<FaultyEndpoint> {
    const probe = createServer();
    probe.listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const endpoint = new FaultyEndpoint(port, target, stallMs);
    await endpoint.listen();
    return endpoint;
  }

  get mode(): EndpointMode {
    return this.current;
  }

  /** The URL of `path` on this endpoint (the receiver's path, e.g. /hooks/<id>). */
  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** Switches the behaviour; 'down' closes the port at once, anything else opens it again. */
  async set(mode: EndpointMode): Promise<void> {
    this.current = mode;
    if (mode === 'down') await this.unlisten();
    else if (!this.server) await this.listen();
    // Kept-alive connections opened before would otherwise go on passing requests.
    else if (mode !== 'pass') for (const socket of this.sockets) socket.destroy();
  }

  async close(): Promise<void> {
    await this.unlisten();
  }

  private async listen(): Promise<void> {
    const server = createServer((socket) => this.handle(socket));
    server.listen(this.port, '127.0.0.1');
    await once(server, 'listening');
    this.server = server;
  }

  private async unlisten(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private handle(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    if (this.current === 'reset') {
      socket.once('data', () => {
        this.resets++;
        socket.resetAndDestroy();
      });
      return;
    }
    const held: Buffer[] = [];
    const hold = (chunk: Buffer) => held.push(chunk);
    socket.on('data', hold);
    const forward = () => {
      socket.off('data', hold);
      if (socket.destroyed) return;
      const upstream = createConnection(this.target, '127.0.0.1');
      upstream.on('error', () => socket.destroy());
      socket.on('close', () => upstream.destroy());
      upstream.on('close', () => socket.destroy());
      for (const chunk of held) upstream.write(chunk);
      socket.pipe(upstream).pipe(socket);
    };
    if (this.current === 'stall') {
      this.stalls++;
      setTimeout(forward, this.stallMs).unref();
    } else forward();
  }
}
