import type { AlertEvent } from '@alert-exchange/contracts';
import { readTopic, waitFor } from '@alert-exchange/testing';
import { ChaosScenario, SERVICE_NAMES } from './harness';
import {
  behind,
  endsOf,
  injectPoison,
  missingDeadLetters,
  readDeadLetters,
  type DeadLetter,
  type InjectedPoison,
  type TopicPoisonPlan,
} from './poison-records';

const UNREADABLE = ['not-wire-format', 'unknown-schema-id', 'wrong-schema'] as const;

/** Every consumer group or view a kind of unreadable record must reach the dead-letter topic from. */
const unreadableBy = (consumers: readonly string[]) =>
  Object.fromEntries(UNREADABLE.map((k) => [k, consumers]));

/**
 * Every topic a service of the exchange consumes, the poison written to it and what its
 * consumers must do (docs/RELIABILITY.md, promise 5). Not poisoned: `privacy.case-keys`
 * (the keyrings of the gateway, router and dispatcher all dead-letter as `case-keys`, which
 * this check cannot tell apart; compacted-view.test.ts covers the view), `router.case-state`,
 * `audit` and `audit.checkpoints`, written only by their own service in transactions, whose
 * reader stops on a record it cannot read by design (a fault of the writer, not input), and
 * `escalations`, which no service consumes.
 */
const PLANS: readonly TopicPoisonPlan[] = [
  {
    // A country topic other than the scenario's own: the router, the case projection and
    // the audit appender follow every alerts.<cc>.
    topic: 'alerts.mt',
    kinds: [...UNREADABLE, 'meaningless', 'tombstone'],
    deadLetter: {
      ...unreadableBy(['router', 'gateway-case-projection', 'audit']),
      meaningless: ['router'],
      tombstone: ['router', 'gateway-case-projection', 'audit'],
    },
  },
  {
    topic: 'deliveries',
    kinds: [...UNREADABLE, 'meaningless', 'tombstone'],
    deadLetter: {
      ...unreadableBy(['dispatcher', 'gateway-delivery-projection']),
      meaningless: ['dispatcher', 'gateway-delivery-projection'],
      tombstone: ['dispatcher', 'gateway-delivery-projection'],
    },
  },
  {
    topic: 'routing-records',
    kinds: [...UNREADABLE, 'tombstone'],
    deadLetter: {
      ...unreadableBy(['gateway-routing-projection', 'audit']),
      tombstone: ['gateway-routing-projection', 'audit'],
    },
  },
  {
    topic: 'delivery-status',
    kinds: [...UNREADABLE, 'tombstone'],
    deadLetter: { ...unreadableBy(['audit']), tombstone: ['audit'] },
    skipped: 'dispatcher: every instance folds it from its beginning at each start',
  },
  {
    topic: 'acknowledgements',
    kinds: [...UNREADABLE, 'tombstone'],
    deadLetter: { ...unreadableBy(['audit']), tombstone: ['audit'] },
    skipped: 'dispatcher: every instance folds it from its beginning at each start',
  },
  {
    topic: 'personal-data-reads',
    kinds: [...UNREADABLE, 'tombstone'],
    deadLetter: { ...unreadableBy(['audit']), tombstone: ['audit'] },
  },
  {
    topic: 'privacy.erasures',
    kinds: [...UNREADABLE, 'tombstone'],
    deadLetter: {
      ...unreadableBy(['audit', 'router-eraser']),
      tombstone: ['audit', 'router-eraser'],
    },
  },
  {
    topic: 'delivery-commands',
    kinds: [...UNREADABLE, 'tombstone'],
    deadLetter: { ...unreadableBy(['dispatcher-commands']), tombstone: ['dispatcher-commands'] },
  },
  {
    topic: 'directory.organisations',
    kinds: [...UNREADABLE, 'meaningless', 'tombstone'],
    deadLetter: {
      ...unreadableBy(['gateway-directory', 'router-directory', 'dispatcher-directory']),
      meaningless: ['gateway-directory', 'router-directory', 'dispatcher-directory'],
    },
  },
  {
    topic: 'directory.api-keys',
    kinds: [...UNREADABLE, 'tombstone'],
    deadLetter: unreadableBy(['gateway-keys']),
  },
  {
    topic: 'directory.webhook-secrets',
    kinds: [...UNREADABLE, 'tombstone'],
    deadLetter: unreadableBy(['gateway-webhook-secrets', 'dispatcher-webhook-secrets']),
  },
];

/**
 * The consumer groups that commit their offsets to Kafka, and a poisoned topic each reads.
 * The gateway's projections keep their offsets in Redis beside what they project, the
 * dispatcher commits `deliveries` only below its oldest unsettled delivery, and the
 * directory views and followed logs commit nothing: for those, the real alerts published
 * after the poison are the proof that they went on.
 */
const COMMITTING: ReadonlyArray<readonly [string, string]> = [
  ['router', 'alerts.mt'],
  ['audit', 'alerts.mt'],
  ['audit', 'routing-records'],
  ['audit', 'delivery-status'],
  ['audit', 'acknowledgements'],
  ['audit', 'personal-data-reads'],
  ['audit', 'privacy.erasures'],
  ['router-eraser', 'privacy.erasures'],
  ['dispatcher-commands', 'delivery-commands'],
];

/**
 * Chaos scenario 5 (issue 10): poison written into every topic the exchange consumes,
 * between two bursts of real alerts, then every service killed and restarted so that the
 * start-up paths (directory views, followed logs, projections resuming) read it too. Each
 * poison record must reach the dead-letter topic from each consumer with its reason (or be
 * passed over where the consumer's policy is documented so), no service may crash or
 * stall, and the invariant must hold for every real alert, those published after the
 * poison included.
 */
describe('chaos 5: poison messages in every topic we consume', () => {
  let scenario: ChaosScenario | undefined;

  beforeAll(async () => {
    scenario = await ChaosScenario.start('poison');
  }, 300_000);
  afterAll(async () => {
    await scenario?.close();
  }, 120_000);

  it('dead-letters each poison record with its reason, keeps consuming, and delivers every real alert exactly once after de-duplication', async () => {
    const s = scenario!;
    const kafka = s.exchange.client();
    await s.publisher.burst({ alerts: 20, perSecond: 10 });
    const [first] = await readTopic('alerts.lu', kafka);
    const realEvent = (await s.exchange.codec.decode<AlertEvent>(first!.value)).value;

    const injected = await injectPoison(kafka, s.exchange.codec, PLANS, realEvent);
    // Every poison record lies below these ends: a group committed past them went on.
    const ends = new Map<string, Map<number, bigint>>();
    for (const [, topic] of COMMITTING) ends.set(topic, await endsOf(kafka, topic));
    await s.publisher.burst({ alerts: 20, perSecond: 10 });
    // Each consumer reached the poison while running; now each reads it again at start.
    for (const name of SERVICE_NAMES) await s.exchange.service(name).killAndRestart(0);
    await s.publisher.burst({ alerts: 20, perSecond: 10 });

    let letters: DeadLetter[] = [];
    let missing: string[] = [];
    await waitFor(
      'every poison record in the dead-letter topic',
      async () => {
        letters = await readDeadLetters(kafka);
        missing = missingDeadLetters(injected, letters);
        return missing.length === 0 ? true : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 2_000 },
    ).catch(() => undefined);

    let stuck: string[] = [];
    await waitFor(
      'every committing consumer past the poison',
      async () => {
        stuck = [];
        for (const [group, topic] of COMMITTING)
          stuck.push(...(await behind(kafka, group, topic, ends.get(topic)!)));
        return stuck.length === 0 ? true : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 2_000 },
    ).catch(() => undefined);
    printDeadLetters(injected, letters);
    const report = await s.finish('5. poison messages in every topic we consume', {
      extra: {
        'poison records injected (topics)': `${injected.length} (${PLANS.length})`,
        'dead letters of poison (expected, missing)': `${countPoisonLetters(letters)} (${expectedLetters(injected)}, ${missing.length})`,
        'poison passed over by documented policy': PLANS.filter((p) => p.skipped)
          .map((p) => `${p.topic} (${p.skipped})`)
          .join('; '),
        'alerts published after the poison': 40,
        'consumer groups committed past the poison': `${COMMITTING.length - new Set(stuck.map((l) => l.split(' ').slice(0, 2).join(' '))).size} of ${COMMITTING.length}`,
      },
    });
    expect(missing).toEqual([]);
    expect(stuck).toEqual([]);
    expect(report.problems).toEqual([]);
  }, 900_000);
});

const countPoisonLetters = (letters: readonly DeadLetter[]): number =>
  letters.filter((l) => l.poisonId !== undefined).length;
const expectedLetters = (injected: readonly InjectedPoison[]): number =>
  injected.reduce((n, p) => n + p.expectedConsumers.length, 0);

/** Per poison record: which consumers dead-lettered it, and why. */
function printDeadLetters(injected: readonly InjectedPoison[], letters: readonly DeadLetter[]) {
  const lines = ['  dead letters per poison record (topic, kind: consumer: reason):'];
  for (const p of injected) {
    const mine = letters.filter((l) => l.poisonId === p.id);
    lines.push(`    ${p.topic} ${p.kind}: ${mine.length === 0 ? 'none' : ''}`);
    for (const l of mine) lines.push(`      ${l.consumer}: ${l.reason.slice(0, 110)}`);
  }
  // The figures are the scenario's output (issue 10).
  process.stdout.write(`${lines.join('\n')}\n\n`);
}
