import { createTopics, testKafka, testStack, uniqueName, waitFor } from '@alert-exchange/testing';
import { AvroCodec } from '../avro';
import { createDurableProducer, type Producer } from '../kafka';
import { silentLogger } from '../logging';
import { CaseKeyring } from './case-keyring';
import { LocalMasterKey } from './master-key';
import { newKey, SealBrokenError } from './sealing';

/**
 * The cases' data keys on a real broker and schema registry: two gateway-like instances
 * share them through the compacted topic; erasure (tombstones) leaves what was sealed
 * unopenable for every instance, including one that reads the topic afresh.
 */
describe('CaseKeyring', () => {
  const kafka = testKafka();
  const codec = new AvroCodec(testStack().schemaRegistryUrl);
  const masterKey = new LocalMasterKey('test-master', newKey());
  const topic = uniqueName('case-keys');
  let producer: Producer;
  const rings: CaseKeyring[] = [];
  const ring = async (key = masterKey): Promise<CaseKeyring> => {
    const opened = await CaseKeyring.open({
      kafka,
      codec,
      producer,
      logger: silentLogger(),
      masterKey: key,
      caseKeysTopic: topic,
    });
    rings.push(opened);
    return opened;
  };

  beforeAll(async () => {
    await createTopics(kafka, [
      {
        topic,
        numPartitions: 1,
        configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
      },
    ]);
    producer = createDurableProducer(kafka);
    await producer.connect();
  });
  afterAll(async () => {
    for (const r of rings) await r.stop();
    await producer?.disconnect();
  });

  const name = Buffer.from('{"given":"Zofia-Keyring-Test"}', 'utf8');

  it('seals with one key per case, which another instance opens', async () => {
    const [a, b] = [await ring(), await ring()];
    const caseId = crypto.randomUUID();
    const first = await a.seal(caseId, name);
    const second = await a.seal(caseId, Buffer.from('more'));
    expect(second.keyId).toBe(first.keyId);
    expect(first.ciphertext.includes(name)).toBe(false);
    expect(await a.open(caseId, first)).toEqual(name);
    // B has not read the key yet, perhaps: open reads the topic to its end first.
    expect(await b.open(caseId, first)).toEqual(name);
    // Sealed for one case, it does not open as another's.
    expect(await a.open(crypto.randomUUID(), first)).toBeUndefined();
    await expect(a.open(caseId, { ...first, iv: Buffer.alloc(12) })).rejects.toThrow(
      SealBrokenError,
    );
  });

  it('schedules a closed case for erasure and, once erased, opens nothing of it anywhere', async () => {
    const [a, b] = [await ring(), await ring()];
    const caseId = crypto.randomUUID();
    const sealed = await a.seal(caseId, name);
    expect(await b.open(caseId, sealed)).toEqual(name);
    await a.closeCase(caseId, 1_000, 5_000);
    await a.closeCase(caseId, 9_000, 5_000); // closed again: the first closing counts
    expect(a.keysOf(caseId).map((k) => [k.closedAt, k.eraseAt])).toEqual([[1_000, 6_000]]);
    expect(a.due(5_999)).not.toContain(caseId);
    expect(a.due(6_000)).toContain(caseId);
    await waitFor('instance B to see the schedule', () =>
      b.due(6_000).includes(caseId) ? true : undefined,
    );

    // Only the keys named, when named; then every key; destroying again destroys nothing.
    expect(await a.erase(caseId, ['another-key'])).toEqual([]);
    expect(await a.erase(caseId)).toEqual([sealed.keyId]);
    expect(await a.erase(caseId)).toEqual([]);
    expect(await a.open(caseId, sealed)).toBeUndefined();
    expect(a.due(6_000)).not.toContain(caseId);
    expect(await b.open(caseId, sealed)).toBeUndefined();
    const fresh = await ring();
    expect(await fresh.open(caseId, sealed)).toBeUndefined();
    expect(fresh.keysOf(caseId)).toEqual([]);
  });

  it('cannot open keys sealed with another master key', async () => {
    const caseId = crypto.randomUUID();
    const sealed = await (await ring()).seal(caseId, name);
    const other = await ring(new LocalMasterKey('other-master', newKey()));
    await waitFor('the other instance to know the key', () =>
      other.keysOf(caseId).length > 0 ? true : undefined,
    );
    await expect(other.open(caseId, sealed)).rejects.toThrow('sealed with master key test-master');
  });
});
