import { ConfigError } from '@alert-exchange/platform';
import { gatewayConfig } from './config';

const REQUIRED = {
  KAFKA_BROKERS: '127.0.0.1:9092',
  REDIS_URL: 'redis://127.0.0.1:6379',
  SCHEMA_REGISTRY_URL: 'http://127.0.0.1:8081',
};

describe('the gateway configuration', () => {
  it('names the delivery and personal-data read topics of infra/topics.yaml by default', () => {
    const config = gatewayConfig(REQUIRED);
    expect(config).toMatchObject({
      deliveriesTopic: 'deliveries',
      acknowledgementsTopic: 'acknowledgements',
      deliveryCommandsTopic: 'delivery-commands',
      personalDataReadsTopic: 'personal-data-reads',
      erasuresTopic: 'privacy.erasures',
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('takes other topics from the environment', () => {
    expect(
      gatewayConfig({
        ...REQUIRED,
        DELIVERIES_TOPIC: 'test.deliveries',
        ACKNOWLEDGEMENTS_TOPIC: 'test.acks',
        DELIVERY_COMMANDS_TOPIC: 'test.commands',
        PERSONAL_DATA_READS_TOPIC: 'test.reads',
        ERASURES_TOPIC: 'test.erasures',
      }),
    ).toMatchObject({
      deliveriesTopic: 'test.deliveries',
      acknowledgementsTopic: 'test.acks',
      deliveryCommandsTopic: 'test.commands',
      personalDataReadsTopic: 'test.reads',
      erasuresTopic: 'test.erasures',
    });
  });

  it.each([
    [
      'deliveries and acknowledgements',
      { ACKNOWLEDGEMENTS_TOPIC: 'deliveries' },
      ['DELIVERIES_TOPIC', 'ACKNOWLEDGEMENTS_TOPIC'],
    ],
    [
      'acknowledgements and commands',
      { DELIVERY_COMMANDS_TOPIC: 'acknowledgements' },
      ['ACKNOWLEDGEMENTS_TOPIC', 'DELIVERY_COMMANDS_TOPIC'],
    ],
    [
      'deliveries and personal-data reads',
      { PERSONAL_DATA_READS_TOPIC: 'deliveries' },
      ['DELIVERIES_TOPIC', 'PERSONAL_DATA_READS_TOPIC'],
    ],
  ])('refuses one topic for %s', (_what, overrides, variables) => {
    expect(() => gatewayConfig({ ...REQUIRED, ...overrides })).toThrow(ConfigError);
    try {
      gatewayConfig({ ...REQUIRED, ...overrides });
    } catch (error) {
      expect((error as ConfigError).variables).toEqual(variables);
    }
  });
});
