import { randomUUID } from 'node:crypto';
import {
  CASE_ERASURE_SUBJECT,
  retentionErasureId,
  type CaseBody,
  type CaseErasure,
} from '@alert-exchange/contracts';
import {
  readCommitted,
  readTopic,
  testKeyring,
  waitFor,
  type ServiceProcess,
} from '@alert-exchange/testing';
import { caseEvents, organisation, RouterWorld } from './router-world.test-helper';

const inGermany = (body: CaseBody): CaseBody => ({
  ...body,
  countries: {
    caseCountry: 'DE',
    lastSeenCountry: 'DE',
    suspectedDestinations: [],
    knownRoute: [],
  },
});

/**
 * The router's eraser (docs/PRIVACY.md, Erasure) as a process on topics of its own: a
 * routed RESOLVED schedules the case's keys, which are erased once the retention has
 * passed; an erasure recorded by someone who crashed before destroying the keys is
 * carried out; poison in the erasure log is dead-lettered and the eraser goes on.
 */
describe("the router's eraser", () => {
  let world: RouterWorld;
  let router: ServiceProcess;
  let ring: Awaited<ReturnType<typeof testKeyring>>;
  beforeAll(async () => {
    world = await RouterWorld.create({
      countries: ['DE'],
      directory: [organisation('hotline-de', ['HOTLINE'], 'DE')],
    });
    // The example cases were published in November: a day's retention has passed.
    router = await world.startRouter({
      PERSONAL_DATA_RETENTION: '1d',
      ERASURE_CHECK_INTERVAL: '500ms',
    });
    ring = await testKeyring(world.kafka, world.topics.caseKeys);
  });
  afterAll(async () => {
    await ring?.stop();
    await world?.close();
  });

  const erasures = async (): Promise<CaseErasure[]> =>
    Promise.all(
      (await readTopic(world.topics.erasures, world.kafka))
        .filter((r) => r.value)
        .map(async (r) => (await world.codec.decode<CaseErasure>(r.value)).value),
    );
  const status = async () =>
    (
      (await (await fetch(`${router.base}/status`)).json()) as {
        erasures: { erased: number; carriedOut: number; deadLettered: number };
      }
    ).erasures;

  it('erases a resolved case once its retention has passed, and leaves an open one', async () => {
    const [raised, resolved] = caseEvents('raise-runaway.json', inGermany, 'ngo-de', [
      { file: 'event-resolved.json' },
    ]);
    const [open] = caseEvents('raise-runaway.json', inGermany, 'ngo-de', []);
    const closedCase = await ring.keyring.seal(raised!.caseId, Buffer.from('closed'));
    const openCase = await ring.keyring.seal(open!.caseId, Buffer.from('open'));
    await world.publish([raised!, resolved!, open!]);

    await waitFor('the resolved case erased', async () =>
      (await erasures()).find((e) => e.caseId === raised!.caseId),
    );
    const [erasure] = (await erasures()).filter((e) => e.caseId === raised!.caseId);
    expect(erasure).toMatchObject({
      erasureId: retentionErasureId(raised!.caseId),
      reason: 'RETENTION',
      requestedBy: 'router',
      closedAt: resolved!.publishedAt,
    });
    // The router may have made a key of its own for the case's views: every key goes.
    expect(erasure!.keyIds).toContain(closedCase.keyId);
    await waitFor('the tombstone read', async () => {
      await ring.keyring.sync();
      return ring.keyring.keysOf(raised!.caseId).length === 0 ? true : undefined;
    });
    expect(await ring.keyring.open(raised!.caseId, closedCase)).toBeUndefined();
    await world.routedAll();
    expect(await ring.keyring.open(open!.caseId, openCase)).toEqual(Buffer.from('open'));
    expect((await erasures()).some((e) => e.caseId === open!.caseId)).toBe(false);
  });

  it('carries out an erasure recorded before a crash, after poison it dead-letters', async () => {
    const [erased, kept] = [randomUUID(), randomUUID()];
    const sealed = await ring.keyring.seal(erased, Buffer.from('erase me'));
    const other = await ring.keyring.seal(kept, Buffer.from('keep me'));
    const before = await status();
    // As a gateway that recorded an operator's erasure and died before the tombstones.
    const record: CaseErasure = {
      erasureId: randomUUID(),
      caseId: erased,
      at: Date.now(),
      reason: 'OPERATOR',
      requestedBy: 'ops-eu',
      closedAt: null,
      keyIds: [sealed.keyId],
    };
    const id = await world.codec.latestSchemaId(CASE_ERASURE_SUBJECT);
    await world.send(world.topics.erasures, [
      { key: erased, value: Buffer.from('not an erasure') },
      { key: erased, value: await world.codec.encode(id, record) },
    ]);

    await waitFor('the recorded erasure carried out', async () => {
      await ring.keyring.sync();
      return ring.keyring.keysOf(erased).length === 0 ? true : undefined;
    });
    expect(await ring.keyring.open(erased, sealed)).toBeUndefined();
    expect(await ring.keyring.open(kept, other)).toEqual(Buffer.from('keep me'));
    const after = await waitFor('the counts', async () => {
      const now = await status();
      return now.carriedOut > before.carriedOut ? now : undefined;
    });
    expect(after.deadLettered).toBe(before.deadLettered + 1);
    const letters = (await readCommitted('dead-letter', world.kafka)).filter(
      (r) => r.headers['ax-dlq-topic'] === world.topics.erasures,
    );
    expect(letters.map((l) => l.headers['ax-dlq-consumer'])).toEqual([`${world.name}-eraser`]);
    expect(letters[0]!.headers['ax-dlq-reason']).toBeTruthy();
  });
});
