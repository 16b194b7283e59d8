import { join } from 'node:path';
import {
  startReadyService,
  uniqueName,
  waitFor,
  type ServiceProcess,
} from '@alert-exchange/testing';
import type { PersonalDataRead } from '@alert-exchange/contracts';
import { call, enrol, example, type Member } from './api-client.test-helper';
import { readRecords } from './delivery.test-helper';
import { freshTrace, readsIn } from './personal-data-reads.test-helper';
import { startReadyGateway, type GatewayProcess } from './gateway-process.test-helper';

const ROUTER_MAIN = join(__dirname, '..', '..', 'router', 'dist', 'main.js');

/**
 * GET /v1/alerts/{caseId} for the case's recipients, end to end: the gateway publishes,
 * a real router routes, and the gateway learns the recipients from the routing records.
 */
describe('recipients read a case as it was routed to them', () => {
  let gateway: GatewayProcess;
  let router: ServiceProcess;
  let ngo: Member;
  let destination: Member;
  let subscriber: Member;
  let stranger: Member;
  let caseId: string;

  beforeAll(async () => {
    gateway = await startReadyGateway();
    // A group of its own: it routes every alert topic of the test stack from the start.
    router = await startReadyService(ROUTER_MAIN, { ROUTER_GROUP: uniqueName('router') });
    const base = gateway.base;
    [ngo, destination, subscriber, stranger] = await Promise.all([
      enrol(base, { prefix: 'ngo-rv', roles: ['member-ngo'], country: 'DE', coverage: ['DE'] }),
      enrol(base, { prefix: 'hotline-rv', roles: ['hotline'], country: 'AT' }),
      enrol(base, { prefix: 'hotline-sub', roles: ['hotline'], country: 'LU' }),
      enrol(base, { prefix: 'hotline-far', roles: ['hotline'], country: 'PT' }),
    ]);
    const subscribed = await call(base, subscriber.key, 'POST', '/v1/subscriptions', {
      countries: ['DE'],
      categories: ['RUNAWAY'],
    });
    expect(subscribed.status).toBe(201);
    // The router follows the directory topic: wait until it knows the new organisations.
    for (const member of [ngo, destination, subscriber, stranger])
      await waitFor(`the router to know ${member.id}`, async () =>
        (await fetch(`${router.base}/directory/${member.id}`)).status === 200 ? true : undefined,
      );
    await waitFor('the router to know the subscription', async () => {
      const known = await fetch(`${router.base}/directory/${subscriber.id}`);
      const { subscriptions } = (await known.json()) as { subscriptions: number };
      return subscriptions > 0 ? true : undefined;
    });
    const raised = await call(base, ngo.key, 'POST', '/v1/alerts', example('raise-runaway.json'));
    expect(raised.status).toBe(202);
    caseId = raised.body.caseId as string;
  });
  afterAll(async () => {
    await Promise.all([router?.stop(), gateway?.stop()]);
  });

  const read = (member: Member) => call(gateway.base, member.key, 'GET', `/v1/alerts/${caseId}`);
  const routed = (member: Member) =>
    waitFor(
      `${member.id} to be routed the case`,
      async () => {
        const answer = await read(member);
        return answer.status === 200 ? answer : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 500 },
    );

  it('a hotline of the destination country sees the child, minimised to its level', async () => {
    const answer = await routed(destination);
    expect(answer.body.viewLevel).toBe('IDENTIFY_SPECIAL');
    expect(answer.body.alert.personal.names.map((n: { given: string }) => n.given)).toContain(
      example('raise-runaway.json').child.names[0].given,
    );
    expect(answer.body.alert.originatingOrganisation).toBe(ngo.id);
    expect(answer.body).not.toHaveProperty('case');
  });

  it('an organisation reached only by its subscription sees public fields, never the child', async () => {
    const answer = await routed(subscriber);
    expect(answer.body.viewLevel).toBe('NOTICE');
    expect(answer.body.alert.personal).toBeUndefined();
    const text = JSON.stringify(answer.body);
    for (const name of example('raise-runaway.json').child.names as Array<{ given: string }>)
      expect(text).not.toContain(name.given);
  });

  it('anyone the case was not routed to gets 404, like a case that does not exist', async () => {
    await routed(destination);
    expect((await read(stranger)).status).toBe(404);
  });

  it('every read that shows the case is recorded in Kafka first: who, at what level, in which trace; never the child', async () => {
    await Promise.all([routed(destination), routed(subscriber)]);
    const readers = [
      [ngo, 'FULL'],
      [destination, 'IDENTIFY_SPECIAL'],
      [subscriber, 'NOTICE'],
    ] as const;
    for (const [member, viewLevel] of readers) {
      const { traceId, headers } = freshTrace();
      const path = `/v1/alerts/${caseId}`;
      const answer = await call(gateway.base, member.key, 'GET', path, undefined, headers);
      expect(answer.status).toBe(200);
      const records = await readsIn(traceId);
      expect(records).toEqual([
        {
          key: caseId,
          value: {
            readId: expect.stringMatching(/^[0-9a-f-]{36}$/),
            at: expect.any(Number),
            reader: member.id,
            caseId,
            deliveryId: null,
            eventId: answer.body.lastEventId,
            viewLevel,
            via: 'CASE_VIEW',
            traceId,
          },
        },
      ]);
      const text = JSON.stringify(records);
      const { child } = example('raise-runaway.json');
      for (const name of child.names as Array<{ given: string; family: string }>) {
        expect(text).not.toContain(name.given);
        expect(text).not.toContain(name.family);
      }
      for (const description of child.descriptions as Array<{ text: string }>)
        expect(text).not.toContain(description.text);
    }
  });

  it('a read answered 404 records nothing', async () => {
    const { traceId, headers } = freshTrace();
    const path = `/v1/alerts/${caseId}`;
    expect((await call(gateway.base, stranger.key, 'GET', path, undefined, headers)).status).toBe(
      404,
    );
    const everyRead = await readRecords<PersonalDataRead>('personal-data-reads');
    expect(everyRead.filter((r) => r.value.traceId === traceId)).toEqual([]);
    expect(everyRead.filter((r) => r.value.reader === stranger.id)).toEqual([]);
  });

  it('a recipient may report a sighting, and not resolve', async () => {
    await routed(destination);
    const sighting = await call(
      gateway.base,
      destination.key,
      'POST',
      `/v1/alerts/${caseId}/events`,
      example('event-sighting-reported.json'),
    );
    expect(sighting.status).toBe(202);
    const resolve = await call(
      gateway.base,
      destination.key,
      'POST',
      `/v1/alerts/${caseId}/events`,
      example('event-resolved.json'),
    );
    expect(resolve.status).toBe(403);
    const byStranger = await call(
      gateway.base,
      stranger.key,
      'POST',
      `/v1/alerts/${caseId}/events`,
      example('event-sighting-reported.json'),
    );
    expect(byStranger.status).toBe(404);
  });
});
