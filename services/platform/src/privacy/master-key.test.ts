import { ConfigError } from '../errors';
import { masterKeyFromEnvironment, LocalMasterKey, privacyConfig } from './master-key';
import { newKey, SealBrokenError } from './sealing';

const KEY = newKey().toString('base64');

describe('the master key', () => {
  it('wraps a data key that only it, for the same case, unwraps', async () => {
    const master = new LocalMasterKey('m1', newKey());
    const dataKey = newKey();
    const wrapped = await master.wrap(dataKey, 'case-a');
    expect(wrapped.keyId).toBe('m1');
    expect(wrapped.ciphertext.includes(dataKey)).toBe(false);
    expect(await master.unwrap(wrapped, 'case-a')).toEqual(dataKey);
    await expect(master.unwrap(wrapped, 'case-b')).rejects.toThrow(SealBrokenError);
    await expect(new LocalMasterKey('m1', newKey()).unwrap(wrapped, 'case-a')).rejects.toThrow(
      SealBrokenError,
    );
  });

  it.each([
    [
      'the key and its id',
      { PERSONAL_DATA_MASTER_KEY: KEY, PERSONAL_DATA_MASTER_KEY_ID: 'kms-7' },
      'kms-7',
    ],
    ['the key alone', { PERSONAL_DATA_MASTER_KEY: KEY }, 'local-1'],
  ])('is read from %s', (_, environment, id) => {
    expect(masterKeyFromEnvironment(environment).id).toBe(id);
  });

  it.each([
    ['missing', {}, 'PERSONAL_DATA_MASTER_KEY'],
    ['not base64', { PERSONAL_DATA_MASTER_KEY: 'not a key!' }, 'PERSONAL_DATA_MASTER_KEY'],
    [
      '16 bytes',
      { PERSONAL_DATA_MASTER_KEY: newKey().subarray(0, 16).toString('base64') },
      'PERSONAL_DATA_MASTER_KEY',
    ],
    [
      'with a bad id',
      { PERSONAL_DATA_MASTER_KEY: KEY, PERSONAL_DATA_MASTER_KEY_ID: 'a b' },
      'PERSONAL_DATA_MASTER_KEY_ID',
    ],
  ])('fails at start-up naming the variable when %s', (_, environment, variable) => {
    let thrown: unknown;
    try {
      masterKeyFromEnvironment(environment);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).variables).toEqual([variable]);
    expect((thrown as ConfigError).message).toContain(variable);
  });
});

describe('the privacy configuration', () => {
  it.each([
    ['the default topic', {}, 'privacy.case-keys'],
    ['a topic of its own', { CASE_KEYS_TOPIC: 'test.case-keys' }, 'test.case-keys'],
  ])('reads the master key and %s', (_, more, topic) => {
    const config = privacyConfig({ PERSONAL_DATA_MASTER_KEY: KEY, ...more });
    expect(config.caseKeysTopic).toBe(topic);
    expect(config.masterKey.id).toBe('local-1');
  });

  it('refuses a topic name Kafka would refuse, naming the variable', () => {
    expect(() => privacyConfig({ PERSONAL_DATA_MASTER_KEY: KEY, CASE_KEYS_TOPIC: 'a b' })).toThrow(
      'CASE_KEYS_TOPIC',
    );
  });
});
