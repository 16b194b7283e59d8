import { AvroCodec, isRegistryReachable } from '@alert-exchange/platform';
import {
  ensureRegistryDistribution,
  findJava21,
  localDir,
  readState,
  repoRoot,
  startRegistry,
  stopGroup,
  writeState,
} from '@alert-exchange/devstack';
import { testStack, uniqueName, waitFor } from '@alert-exchange/testing';

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

function recordSchema(name: string, fields: object[]): object {
  return { type: 'record', name, namespace: 'eu.alertexchange.test', fields };
}

async function call(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${testStack().schemaRegistryUrl}${path}`, {
    method,
    headers: { 'content-type': CONTENT_TYPE, accept: CONTENT_TYPE },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: await response.json().catch(() => undefined) };
}

describe('the schema registry keeps subjects compatible and ids stable', () => {
  it('refuses a breaking change to a subject under BACKWARD with 409, and accepts a compatible one', async () => {
    const subject = `${uniqueName('compat')}-value`;
    const v1 = recordSchema('Alert', [{ name: 'caseId', type: 'string' }]);
    const first = await call('POST', `/subjects/${subject}/versions`, {
      schema: JSON.stringify(v1),
    });
    expect(first.status).toBe(200);
    expect(await call('PUT', `/config/${subject}`, { compatibility: 'BACKWARD' })).toMatchObject({
      status: 200,
    });

    const breaking = recordSchema('Alert', [
      { name: 'caseId', type: 'string' },
      { name: 'urgency', type: 'string' },
    ]);
    const refused = await call('POST', `/subjects/${subject}/versions`, {
      schema: JSON.stringify(breaking),
    });
    expect(refused.status).toBe(409);

    const compatible = recordSchema('Alert', [
      { name: 'caseId', type: 'string' },
      { name: 'urgency', type: ['null', 'string'], default: null },
    ]);
    const accepted = await call('POST', `/subjects/${subject}/versions`, {
      schema: JSON.stringify(compatible),
    });
    expect(accepted.status).toBe(200);
    const versions = await call('GET', `/subjects/${subject}/versions`);
    expect(versions.json).toEqual([1, 2]);
  });

  it('registering the same schema again returns the same id', async () => {
    const codec = new AvroCodec(testStack().schemaRegistryUrl);
    const subject = `${uniqueName('same')}-value`;
    const schema = recordSchema('Same', [{ name: 'n', type: 'long' }]);
    expect(await codec.register(subject, schema)).toBe(await codec.register(subject, schema));
  });

  const local = testStack().kind === 'local';
  // An external registry (SCHEMA_REGISTRY_URL set by the caller) is not ours to restart.
  (local ? it : it.skip)(
    'schema ids survive a restart of the registry (its storage is a Kafka topic)',
    async () => {
      const { stateFile, kafkaBrokers, schemaRegistryUrl } = testStack();
      const codec = new AvroCodec(schemaRegistryUrl);
      const subjects = [uniqueName('restart-a'), uniqueName('restart-b')].map((s) => `${s}-value`);
      const ids = [];
      for (const [i, subject] of subjects.entries()) {
        ids.push(
          await codec.register(subject, recordSchema(`Restart${i}`, [{ name: 'n', type: 'int' }])),
        );
      }
      const state = readState(stateFile!)!;
      const old = state.processes.find((p) => p.name === 'schema-registry')!;
      await stopGroup(old.pid);
      expect(await isRegistryReachable(schemaRegistryUrl)).toBe(false);

      const port = Number(new URL(schemaRegistryUrl).port);
      const root = repoRoot();
      const restarted = await startRegistry({
        home: ensureRegistryDistribution(root, localDir(root)),
        java: findJava21(process.env.REGISTRY_JAVA_HOME),
        port,
        managementPort: 0,
        kafkaBrokers: kafkaBrokers.join(','),
        logDir: `${process.env.EXCHANGE_TEST_STACK_DIR}/logs`,
      });
      // Hand the new process to the stack's teardown through the state file.
      writeState(stateFile!, {
        ...state,
        processes: state.processes.map((p) =>
          p.name === 'schema-registry' ? { name: p.name, pid: restarted.pid } : p,
        ),
      });
      const fresh = new AvroCodec(schemaRegistryUrl);
      for (const [i, subject] of subjects.entries()) {
        expect(await waitFor(`${subject} after restart`, () => fresh.latestSchemaId(subject))).toBe(
          ids[i],
        );
      }
    },
    240_000,
  );
});
