/**
 * The demo credentials file (`.local/stack/demo-credentials.json`, git-ignored): per demo
 * organisation its API key and, for a webhook organisation, its signing secret. Pure.
 */

/** What the start command knows of one demo organisation's credentials. */
export interface DemoCredential {
  apiKey?: string;
  webhookSecret?: { secretId: string; secret: string };
}

/** Organisation id → its credentials. */
export type DemoCredentials = Record<string, DemoCredential>;

/**
 * Reads the file's text. The first format (organisation id → API key) is read too, so a
 * stack started before webhook secrets keeps its keys.
 */
export function parseDemoCredentials(text: string): DemoCredentials {
  const raw = JSON.parse(text) as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(raw).map(([id, value]): [string, DemoCredential] => [
      id,
      typeof value === 'string' ? { apiKey: value } : (value as DemoCredential),
    ]),
  );
}

/** The file's text. */
export function formatDemoCredentials(credentials: DemoCredentials): string {
  return `${JSON.stringify(credentials, null, 2)}\n`;
}
