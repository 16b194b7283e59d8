import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ExchangeClient, type CaseView, type Delivery } from '@alert-exchange/client';
import { uniqueName, waitFor, type ServiceProcess } from '@alert-exchange/testing';
import { DispatchWorld } from '../services/dispatcher/src/dispatch-world.test-helper';
import {
  createPipeline,
  enrolOrganisation,
  startPipelineAudit,
  startPipelineGateway,
  startPipelineRouter,
} from './pipeline.test-helper';

const run = promisify(execFile);
const cli = join(__dirname, '..', 'services', 'csv-adapter', 'dist', 'cli.js');

/**
 * The legacy-system adapter against a running exchange (gateway, router and audit service
 * on topics of this test's own): a member NGO of Luxembourg whose case system drops CSV
 * files publishes them with `exchange-csv outbound`, run again after a crash that lost its
 * state; the 116 000 hotline of Estonia (a suspected destination) receives its inbox as
 * files with `exchange-csv inbound`, run again after a crash that lost its cursor. Each
 * row is published once, each delivery written once and acknowledged.
 */
describe('the CSV adapter against a running exchange', () => {
  let world: DispatchWorld;
  const services: ServiceProcess[] = [];
  let base = '';
  const ids = {
    ngo: uniqueName('ngo-lu'),
    hotline: uniqueName('hotline-ee'),
    auditor: uniqueName('auditor'),
  };
  const keys: Record<string, string> = {};
  const client = (id: string) => new ExchangeClient({ baseUrl: base, apiKey: keys[id]! });

  beforeAll(async () => {
    world = await DispatchWorld.create();
    const { topics, redisUrl } = await createPipeline(world, 8);
    const gateway = await startPipelineGateway(topics, redisUrl);
    services.push(gateway);
    base = gateway.base;
    const enrol = async (id: string, country: string, role: string) => {
      keys[id] = (await enrolOrganisation(base, id, country, [role], { mode: 'pull' })).key;
    };
    await enrol(ids.ngo, 'LU', 'member-ngo');
    await enrol(ids.hotline, 'EE', 'hotline');
    await enrol(ids.auditor, 'LU', 'auditor');
    services.push(await startPipelineRouter(topics));
    services.push(await startPipelineAudit(topics, redisUrl, randomBytes(32).toString('base64')));
  });
  afterAll(async () => {
    await Promise.allSettled(services.map((s) => s.stop()));
    await world?.close();
  });

  /** Runs `exchange-csv <command> --dir <dir>` as the organisation `id`; its JSON lines. */
  const exchangeCsv = async (id: string, command: string, dir: string) => {
    const { stdout } = await run('node', [cli, command, '--dir', dir], {
      env: { ...process.env, EXCHANGE_URL: base, EXCHANGE_API_KEY: keys[id] },
    });
    return stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  };

  const refs = { a: uniqueName('LU-A'), b: uniqueName('LU-B') };
  const caseIds: string[] = [];
  const header =
    'origin_reference,event_type,occurred_at,category,urgency,case_country,last_seen_country,last_seen_place,last_seen_at,suspected_destinations,given_name,family_name,age_years,date_of_birth,sex,description,description_lang,contact_desk,contact_phone,outcome,note';
  const rows = [
    `${refs.a},RAISED,2026-11-20T18:30:00Z,RUNAWAY,IMMEDIATE,LU,LU,"Gare de Luxembourg, quai 3",2026-11-20T16:45:00Z,EE,Anna,Muller,14,,FEMALE,"1.60 m, red coat",en,Luxembourg desk,+352123456,,`,
    `${refs.b},RAISED,2026-11-20T19:00:00Z,LOST_INJURED_OTHER,EXPECTED,LU,LU,Kirchberg,,EE,Jonas,Weber,,2015-06-01,MALE,,,Luxembourg desk,,,`,
    `${refs.a},UPDATED,2026-11-21T08:00:00Z,RUNAWAY,IMMEDIATE,LU,LU,"Gare de Luxembourg, quai 3",2026-11-20T16:45:00Z,EE;LV,Anna,Muller,14,,FEMALE,"1.60 m, red coat, bought a ticket to Riga",en,Luxembourg desk,+352123456,,`,
    `${refs.b},RESOLVED,2026-11-21T09:00:00Z,,,,,,,,,,,,,,,,,FOUND_SAFE,Found at a neighbour's`,
    `${refs.b},UPDATED,2026-11-21T10:00:00Z,LOST_INJURED_OTHER,EXPECTED,Luxembourg,,,,,Jonas,,,,,,,,,,`,
  ];

  it('publishes each row once, though the outbound pass runs again after a crash that lost its state', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'csv-out-'));
    const dropped = join(dir, '2026-11-21-001.csv');
    writeFileSync(dropped, [header, ...rows].join('\n') + '\n');
    const copy = join(mkdtempSync(join(tmpdir(), 'csv-copy-')), 'cases.csv');
    copyFileSync(dropped, copy);

    const [first] = await exchangeCsv(ids.ngo, 'outbound', dir);
    expect(first).toMatchObject({
      published: 4,
      alreadyPublished: 0,
      refused: 1,
      movedToDone: false,
    });
    const errors = JSON.parse(readFileSync(`${dropped}.errors.json`, 'utf8')) as {
      errors: Array<{ line: number; column: string }>;
    };
    expect(errors.errors).toContainEqual(
      expect.objectContaining({ line: 6, column: 'case_country' }),
    );
    expect(JSON.stringify(errors)).not.toContain('Jonas');
    const state = JSON.parse(readFileSync(join(dir, '.state', 'outbound.json'), 'utf8')) as {
      cases: Record<string, string>;
    };
    caseIds.push(state.cases[refs.a]!, state.cases[refs.b]!);

    // A crash after the exchange accepted every row but before any was recorded: the
    // state is gone and the case system drops the file again. Same keys, same answers.
    const fresh = mkdtempSync(join(tmpdir(), 'csv-again-'));
    copyFileSync(copy, join(fresh, 'cases.csv'));
    await exchangeCsv(ids.ngo, 'outbound', fresh);
    const again = JSON.parse(readFileSync(join(fresh, '.state', 'outbound.json'), 'utf8')) as {
      cases: Record<string, string>;
    };
    expect(again.cases).toEqual(state.cases);

    // And dropped a third time beside the first state: nothing is sent at all.
    copyFileSync(copy, join(dir, 'again.csv'));
    const [third] = await exchangeCsv(ids.ngo, 'outbound', dir);
    expect(third).toMatchObject({ file: 'again.csv', published: 0, alreadyPublished: 4 });

    const ngo = client(ids.ngo);
    expect((await ngo.getCase(caseIds[0]!)) as CaseView).toMatchObject({
      status: 'OPEN',
      eventCount: 2,
      case: { originCaseReference: refs.a, countries: { suspectedDestinations: ['EE', 'LV'] } },
    });
    expect((await ngo.getCase(caseIds[1]!)) as CaseView).toMatchObject({
      status: 'RESOLVED',
      eventCount: 2,
      resolution: { outcome: 'FOUND_SAFE' },
    });
  });

  it('writes each delivery once and acknowledges it, though the inbound pass runs again after a crash that lost its cursor', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'csv-in-'));
    const inbox = join(dir, 'inbox');
    const ours = (): Delivery[] =>
      readdirSync(inbox)
        .map((name) => JSON.parse(readFileSync(join(inbox, name), 'utf8')) as Delivery)
        .filter((d) => caseIds.includes(d.caseId));
    // RAISED and UPDATED of the first case, RAISED and RESOLVED of the second.
    await waitFor('four deliveries in the inbox folder', async () => {
      await exchangeCsv(ids.hotline, 'inbound', dir);
      return ours().length >= 4 ? true : undefined;
    });
    const written = ours();
    expect(written).toHaveLength(4);
    expect(new Set(written.map((d) => d.deliveryId)).size).toBe(4);

    // A crash before the cursor was stored: the inbox is read again from the beginning.
    const statePath = join(dir, '.state', 'inbound.json');
    const state = JSON.parse(readFileSync(statePath, 'utf8')) as { cursor: string | null };
    writeFileSync(statePath, JSON.stringify({ ...state, cursor: null }));
    const [report] = await exchangeCsv(ids.hotline, 'inbound', dir);
    expect(report).toMatchObject({ written: 0 });
    expect(ours()).toHaveLength(4);

    const auditor = client(ids.auditor);
    for (const delivery of written)
      await waitFor(`the acknowledgement of ${delivery.eventType} in the trail`, async () => {
        const trail = await auditor.caseTrail(delivery.caseId);
        const acks = trail.entries.filter(
          (e) => e.kind === 'ACKNOWLEDGED' && e.deliveryId === delivery.deliveryId,
        );
        return acks.length > 0 ? acks : undefined;
      });
  });
});
