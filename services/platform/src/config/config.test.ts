import { z } from 'zod';
import { ConfigError } from '../errors';
import { env, loadConfig, parseDurationMs } from '.';

describe('parseDurationMs', () => {
  it.each([
    ['250ms', 250],
    ['5s', 5_000],
    ['2m', 120_000],
    ['24h', 86_400_000],
    ['30d', 2_592_000_000],
    ['PT5S', 5_000],
    ['PT15M', 900_000],
    ['P1DT2H', 93_600_000],
    ['PT0.5S', 500],
    ['P', undefined],
    ['PT', undefined],
    ['5', undefined],
    ['five seconds', undefined],
  ])('%s is %s ms', (text, expected) => {
    expect(parseDurationMs(text)).toBe(expected);
  });
});

describe('loadConfig', () => {
  const shape = {
    KAFKA_BROKERS: env.list(),
    PORT: env.port().default(8080),
    ACK_WITHIN: env.durationMs().prefault('PT15M'),
  };

  it('reads valid variables into a frozen, typed object with defaults applied', () => {
    const config = loadConfig(shape, { KAFKA_BROKERS: 'a:9092, b:9092' });
    expect(config).toEqual({
      KAFKA_BROKERS: ['a:9092', 'b:9092'],
      PORT: 8080,
      ACK_WITHIN: 900_000,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it.each([
    [{}, ['KAFKA_BROKERS'], /KAFKA_BROKERS is required/],
    [{ KAFKA_BROKERS: '' }, ['KAFKA_BROKERS'], /KAFKA_BROKERS is required/],
    [{ KAFKA_BROKERS: ' , ' }, ['KAFKA_BROKERS'], /KAFKA_BROKERS must name at least one item/],
    [{ KAFKA_BROKERS: 'a:1', PORT: 'http' }, ['PORT'], /PORT/],
    [
      { KAFKA_BROKERS: 'a:1', PORT: '70000', ACK_WITHIN: 'soon' },
      ['PORT', 'ACK_WITHIN'],
      /ACK_WITHIN must be a duration/,
    ],
  ])('refuses %j naming %j', (environment, variables, message) => {
    const attempt = (): unknown => loadConfig(shape, environment);
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(message);
    try {
      attempt();
    } catch (error) {
      expect((error as ConfigError).variables).toEqual(variables);
    }
  });

  it('never echoes the value of a variable in its error', () => {
    expect(() => loadConfig({ SECRET: env.secret() }, { SECRET: 'short-secret' })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('short-secret') }),
    );
    expect(() => loadConfig({ N: z.coerce.number().int() }, { N: 'x' })).toThrow(/N /);
  });
});
