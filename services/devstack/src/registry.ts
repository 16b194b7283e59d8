import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startProcess, type ManagedProcess } from './processes';
import { waitUntil } from './wait';

/** The path under which Apicurio serves the Confluent Schema Registry API. */
export const CCOMPAT_PATH = '/apis/ccompat/v7';

/** The pinned Apicurio version, read from infra/registry/pom.xml so it is declared once. */
export function registryVersion(root: string): string {
  const pom = readFileSync(join(root, 'infra/registry/pom.xml'), 'utf8');
  const match = /<apicurio\.version>([^<]+)<\/apicurio\.version>/.exec(pom);
  if (!match?.[1]) throw new Error('infra/registry/pom.xml does not declare <apicurio.version>');
  return match[1];
}

/** Fetches and unpacks Apicurio Registry from Maven Central once; returns its folder. */
export function ensureRegistryDistribution(root: string, local: string): string {
  const home = join(local, 'apicurio', registryVersion(root));
  if (existsSync(join(home, 'quarkus-run.jar'))) return home;
  mkdirSync(home, { recursive: true });
  execFileSync(
    'mvn',
    [
      '-q',
      '-B',
      '-f',
      join(root, 'infra/registry/pom.xml'),
      'dependency:unpack-dependencies',
      `-DoutputDirectory=${home}`,
      `-DmarkersDirectory=${join(home, '.markers')}`,
    ],
    { stdio: 'inherit' },
  );
  if (!existsSync(join(home, 'quarkus-run.jar')))
    throw new Error(`Maven did not unpack Apicurio Registry into ${home}`);
  return home;
}

function javaMajor(javaHome: string): number {
  const release = join(javaHome, 'release');
  if (!existsSync(release)) return 0;
  const match = /JAVA_VERSION="(\d+)/.exec(readFileSync(release, 'utf8'));
  return Number(match?.[1] ?? 0);
}

/**
 * A `java` of version 21 or newer, which Apicurio Registry 3 needs: `REGISTRY_JAVA_HOME`
 * when set, otherwise the newest JDK under /usr/lib/jvm.
 */
export function findJava21(explicitHome: string | undefined): string {
  const candidates = explicitHome
    ? [explicitHome]
    : existsSync('/usr/lib/jvm')
      ? readdirSync('/usr/lib/jvm').map((d) => join('/usr/lib/jvm', d))
      : [];
  const best = candidates
    .map((home) => ({ home, major: javaMajor(home) }))
    .filter(({ home, major }) => major >= 21 && existsSync(join(home, 'bin/java')))
    .sort((a, b) => b.major - a.major)[0];
  if (!best) {
    throw new Error(
      'The schema registry (Apicurio Registry 3) needs Java 21 or newer and none was found' +
        (explicitHome ? ` at REGISTRY_JAVA_HOME=${explicitHome}` : ' under /usr/lib/jvm') +
        ': install a JDK 21+ or set REGISTRY_JAVA_HOME',
    );
  }
  return join(best.home, 'bin/java');
}

/**
 * Starts Apicurio Registry on 127.0.0.1:`port` with its storage in Kafka (kafkasql: the
 * journal topic is the record, so schema ids survive restarts and instances agree), and
 * waits until its Confluent-compatible API answers. Returns the process; the API base URL
 * is `http://127.0.0.1:<port>/apis/ccompat/v7`.
 */
export async function startRegistry(o: {
  home: string;
  java: string;
  port: number;
  managementPort: number;
  kafkaBrokers: string;
  logDir: string;
  topicPrefix?: string;
  heapMb?: number;
}): Promise<ManagedProcess> {
  const prefix = o.topicPrefix ?? '_schemas';
  const registry = startProcess({
    name: 'schema-registry',
    command: o.java,
    args: [
      '-Xms128m',
      `-Xmx${o.heapMb ?? 384}m`,
      '-XX:+UseSerialGC',
      '-XX:TieredStopAtLevel=1',
      '-jar',
      join(o.home, 'quarkus-run.jar'),
    ],
    cwd: o.home,
    env: {
      ...process.env,
      QUARKUS_HTTP_HOST: '127.0.0.1',
      QUARKUS_HTTP_PORT: String(o.port),
      QUARKUS_MANAGEMENT_HOST: '127.0.0.1',
      QUARKUS_MANAGEMENT_PORT: String(o.managementPort),
      QUARKUS_LOG_LEVEL: 'WARN',
      APICURIO_STORAGE_KIND: 'kafkasql',
      APICURIO_KAFKASQL_BOOTSTRAP_SERVERS: o.kafkaBrokers,
      APICURIO_KAFKASQL_TOPIC: `${prefix}.journal`,
      APICURIO_KAFKASQL_SNAPSHOTS_TOPIC: `${prefix}.snapshots`,
      APICURIO_EVENTS_KAFKA_TOPIC: `${prefix}.events`,
    },
    logFile: join(o.logDir, 'schema-registry.log'),
  });
  const url = `http://127.0.0.1:${o.port}${CCOMPAT_PATH}`;
  try {
    await waitUntil(
      `Schema registry on ${url} (log: ${registry.logFile})`,
      async () => (await fetch(`${url}/subjects`, { signal: AbortSignal.timeout(2_000) })).ok,
      { timeoutMs: 180_000, intervalMs: 500, failFast: registry.exited },
    );
  } catch (error) {
    await registry.stop(5_000);
    throw error;
  }
  return registry;
}
