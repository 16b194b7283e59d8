import { env, loadConfig, type Environment } from '@alert-exchange/platform';

/** Reads and checks the adapter's environment once; throws a ConfigError naming bad variables. */
export function csvAdapterConfig(environment: Environment) {
  const c = loadConfig(
    {
      /** The exchange's public base URL. */
      EXCHANGE_URL: env.url().default('http://127.0.0.1:8080'),
      /** The API key of the member organisation the adapter acts for. A secret. */
      EXCHANGE_API_KEY: env.secret(),
    },
    environment,
  );
  return Object.freeze({ exchangeUrl: c.EXCHANGE_URL, apiKey: c.EXCHANGE_API_KEY });
}

export type CsvAdapterConfig = ReturnType<typeof csvAdapterConfig>;
