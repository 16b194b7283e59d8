import { startScratchKafka, type ScratchKafka } from '@alert-exchange/devstack';
import type { CaseBody } from '@alert-exchange/contracts';
import { createKafka, silentLogger } from '@alert-exchange/platform';
import { waitFor, type ServiceProcess } from '@alert-exchange/testing';
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
 * The broker killed (SIGKILL) under a running router and kept away well past the
 * consumer's session timeout (10 s) and kafkajs's retries, then started again. The
 * router must still be running afterwards, routing what came before and after exactly
 * once. A broker of this test's own, so that the run's shared one stays up.
 */
describe('the router when the broker is away for a while', () => {
  let kafka: ScratchKafka;
  let world: RouterWorld;
  let router: ServiceProcess;

  beforeAll(async () => {
    kafka = await startScratchKafka();
    const client = createKafka({
      clientId: 'router-outage-test',
      brokers: [kafka.brokers],
      logger: silentLogger(),
    });
    world = await RouterWorld.create({
      countries: ['DE'],
      directory: [organisation('hotline-de', ['HOTLINE'], 'DE')],
      broker: { brokers: kafka.brokers, kafka: client },
    });
    await world.createTopics([{ topic: 'dead-letter', numPartitions: 1 }]);
    router = await world.startRouter();
  });
  afterAll(async () => {
    await world?.close();
    await kafka?.remove();
  });

  const cases = (n: number) =>
    Array.from({ length: n }, () => caseEvents('raise-runaway.json', inGermany, 'ngo-de', [])[0]!);

  it('keeps running through a 25 s outage and routes every event once when the broker returns', async () => {
    const before = cases(20);
    await world.publish(before);
    await world.routedAll();
    // Killed mid-burst, so that transactions are open when it goes.
    const burst = cases(3_000);
    await world.publish(burst);
    await waitFor(
      'the router to be routing the burst',
      async () => {
        const status = (await (await fetch(`${router.base}/status`)).json()) as { routed: number };
        return status.routed > 20 ? true : undefined;
      },
      { intervalMs: 20 },
    );

    let exitCode: number | null | undefined;
    void router.exited().then((code) => (exitCode = code));
    await kafka.kill();
    await new Promise((resolve) => setTimeout(resolve, 25_000));
    expect(exitCode).toBeUndefined();
    await kafka.start();

    const after = cases(20);
    await waitFor('the broker to take alerts again', async () =>
      world.publish(after).then(
        () => true,
        () => undefined,
      ),
    );
    await world.routedAll();
    expect(exitCode).toBeUndefined();

    const deliveries = await world.deliveries();
    const ids = deliveries.map((d) => d.deliveryId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(deliveries.map((d) => d.eventId))).toEqual(
      new Set([...before, ...burst, ...after].map((e) => e.eventId)),
    );
    // Ready again: every check, the routing consumer among them, answers.
    await waitFor('the router to be ready again', async () =>
      (await fetch(`${router.base}/readyz`)).status === 200 ? true : undefined,
    );
  }, 300_000);
});
