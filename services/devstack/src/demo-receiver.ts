import { once } from 'node:events';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { parseDemoCredentials } from './demo-credentials';

/**
 * The demo federation's webhook endpoint (http://127.0.0.1:8099/demo-receiver/<id>, the
 * URL the demo's webhook organisations have): what an NGO integrator would run. It checks
 * each request with the Standard Webhooks reference implementation against the
 * organisation's secret from the demo credentials file (read again on every request, so
 * a rotated secret works), answers 204, and appends one line per delivery to `logFile`:
 * time, organisation, deliveryId, caseId, event type and whether the signature held.
 * Never the alert itself: it holds a child's data.
 */
export async function startDemoReceiver(options: {
  port: number;
  host: string;
  credentialsFile: string;
  logFile: string;
}): Promise<Server> {
  const server = createServer((req, res) => {
    const match = /^\/demo-receiver\/([A-Za-z0-9._-]+)$/.exec(req.url ?? '');
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => {
      if (req.method !== 'POST' || !match) {
        res.writeHead(404).end();
        return;
      }
      const organisationId = match[1]!;
      const credentials = existsSync(options.credentialsFile)
        ? parseDemoCredentials(readFileSync(options.credentialsFile, 'utf8'))
        : {};
      const secret = credentials[organisationId]?.webhookSecret?.secret;
      let verified = false;
      let body: { deliveryId?: string; caseId?: string; eventType?: string } = {};
      try {
        body = new Webhook(secret ?? '').verify(text, {
          'webhook-id': String(req.headers['webhook-id']),
          'webhook-timestamp': String(req.headers['webhook-timestamp']),
          'webhook-signature': String(req.headers['webhook-signature']),
        }) as typeof body;
        verified = true;
      } catch {
        verified = false;
      }
      appendFileSync(
        options.logFile,
        `${new Date().toISOString()} ${organisationId} delivery=${String(req.headers['webhook-id'])} ` +
          `case=${body.caseId ?? '?'} event=${body.eventType ?? '?'} signature=${verified ? 'valid' : 'INVALID'}\n`,
      );
      res.writeHead(verified ? 204 : 401).end();
    });
  });
  server.listen(options.port, options.host);
  await once(server, 'listening');
  return server;
}
