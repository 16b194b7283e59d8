import { env, loadConfig, type Environment } from '@alert-exchange/platform';
import { z } from 'zod';

/** Reads and checks the adapter's environment once; throws a ConfigError naming bad variables. */
export function capAdapterConfig(environment: Environment) {
  const c = loadConfig(
    {
      /** The exchange's public base URL. */
      EXCHANGE_URL: env.url().default('http://127.0.0.1:8080'),
      /** The API key of the member organisation the adapter publishes as. A secret. */
      EXCHANGE_API_KEY: env.secret(),
      /** Where the identifier → case mapping is kept (a JSON file). */
      CAP_STATE_FILE: z.string().min(1).default('.local/cap-adapter/messages.json'),
      /** `sender` of the CAP messages the exchange writes itself. */
      CAP_SENDER: z
        .string()
        .regex(/^[^\s,<&]+$/, 'must hold no spaces, commas, < or & (CAP 1.2 §3.2.1)')
        .default('alert-exchange'),
    },
    environment,
  );
  return Object.freeze({
    exchangeUrl: c.EXCHANGE_URL,
    apiKey: c.EXCHANGE_API_KEY,
    stateFile: c.CAP_STATE_FILE,
    sender: c.CAP_SENDER,
  });
}

export type CapAdapterConfig = ReturnType<typeof capAdapterConfig>;
