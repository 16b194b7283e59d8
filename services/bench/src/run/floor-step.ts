import { randomBytes } from 'node:crypto';
import { createDurableProducer, type Kafka } from '@alert-exchange/platform';
import { createTopics, uniqueName } from '@alert-exchange/testing';
import { judgeStep, measureStep, type Arrival, type Sent } from '../domain/measure';
import type { StepResult } from '../domain/report';
import type { BenchPlan } from '../domain/schedule';
import { waitForDrain, withTicks } from './drain';
import { ProcessSampler } from './processes';

/** Partitions of the floor's two topics: those of an alert topic and of `deliveries`. */
const IN_PARTITIONS = 6;
const OUT_PARTITIONS = 12;

/**
 * The raw Kafka floor at one rate: the same two hops as the pipeline (gateway → alerts →
 * router → deliveries → dispatcher) with nothing but kafkajs on the same broker: a paced
 * producer sends `payloadBytes` records (acks=all, idempotent, as the gateway does), a
 * relay consumes them and sends `fanOut` copies of each to a second topic per batch, and a
 * last consumer reads the copies; each copy is timed from its record's send. No
 * transactions, schemas, Redis, HTTP or signatures: what the exchange adds is the ratio.
 */
export async function runFloorStep(
  kafka: Kafka,
  plan: BenchPlan,
  rate: number,
  seconds: number,
  payloadBytes: number,
  pids: Readonly<Record<string, number>>,
  tick: (seconds: number) => void = () => undefined,
): Promise<StepResult> {
  const name = uniqueName('bench-floor');
  const [input, output] = [`${name}.in`, `${name}.out`];
  await createTopics(kafka, [
    { topic: input, numPartitions: IN_PARTITIONS },
    { topic: output, numPartitions: OUT_PARTITIONS },
  ]);
  const producer = createDurableProducer(kafka);
  const relayProducer = createDurableProducer(kafka);
  const relay = kafka.consumer({ groupId: `${name}-relay` });
  const sink = kafka.consumer({ groupId: `${name}-sink` });
  const arrivals: Arrival[] = [];
  const sent: Sent[] = [];
  try {
    await Promise.all([
      producer.connect(),
      relayProducer.connect(),
      relay.connect(),
      sink.connect(),
    ]);
    await relay.subscribe({ topic: input, fromBeginning: true });
    await sink.subscribe({ topic: output, fromBeginning: true });
    const joined = Promise.all(
      [relay, sink].map(
        (c) => new Promise<void>((resolve) => c.on(c.events.GROUP_JOIN, () => resolve())),
      ),
    );
    await relay.run({
      eachBatch: async ({ batch }) => {
        const copies = batch.messages.flatMap((m) =>
          Array.from({ length: plan.fanOut }, (_, copy) => ({
            key: m.key,
            value: m.value,
            headers: { ...m.headers, copy: String(copy) },
          })),
        );
        if (copies.length > 0) await relayProducer.send({ topic: output, messages: copies });
      },
    });
    await sink.run({
      eachBatch: ({ batch }) => {
        const at = Date.now();
        for (const m of batch.messages) {
          const id = m.key?.toString() ?? '';
          const copy = m.headers?.copy?.toString() ?? '0';
          arrivals.push({ recipientId: copy, deliveryId: `${id}-${copy}`, eventId: id, at });
        }
        return Promise.resolve();
      },
    });
    await joined;
    const sampler = new ProcessSampler(pids);
    const payload = randomBytes(payloadBytes);
    const records = Math.max(1, Math.round(rate * seconds));
    const started = Date.now();
    const sends: Promise<void>[] = [];
    await withTicks(
      (async () => {
        for (let i = 0; i < records; i++) {
          const wait = started + (i * 1_000) / rate - Date.now();
          if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
          const id = `${name}-${i}`;
          const sentAt = Date.now();
          sends.push(
            producer.send({ topic: input, messages: [{ key: id, value: payload }] }).then(
              () => void sent.push({ sentAt, acceptedAt: Date.now(), eventId: id }),
              (error: Error) => void sent.push({ sentAt, refused: error.message }),
            ),
          );
        }
        await Promise.all(sends);
      })(),
      tick,
    );
    await waitForDrain(() => arrivals.length, sent.length * plan.fanOut, {
      timeoutMs: plan.drainTimeoutMs,
    });
    const processes = sampler.finish();
    const figures = measureStep({ sent, arrivals, ackedAt: new Map(), fanOut: plan.fanOut });
    return {
      kind: 'floor',
      phase: 'fixed',
      targetRate: rate,
      seconds,
      figures,
      verdict: judgeStep(figures, rate, plan.keepUpGraceMs, false),
      processes,
    };
  } finally {
    await Promise.allSettled([relay.disconnect(), sink.disconnect()]);
    await Promise.allSettled([producer.disconnect(), relayProducer.disconnect()]);
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [input, output] }).catch(() => undefined);
    await admin.disconnect();
  }
}
