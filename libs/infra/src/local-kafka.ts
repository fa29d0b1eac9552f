import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkJava, checkMaven, runTool } from './toolchain';
import { assertPortsFree } from './ports';
import { waitForKafka } from './readiness';
import { killLeftover, SupervisedProcess, tailFile } from './supervised-process';

export const KAFKA_VERSION = '3.9.1';

export interface LocalKafkaOptions {
  repoRoot: string;
  cacheRoot: string;
  dataDir: string;
  port: number;
  controllerPort: number;
  log: (line: string) => void;
}

export interface StartedLocalKafka {
  brokers: string[];
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 90_000;

/** Real Apache Kafka broker+controller (KRaft, single node) run with java from the Maven Central jars. */
export async function startLocalKafka(options: LocalKafkaOptions): Promise<StartedLocalKafka> {
  const { log } = options;
  const kafkaDir = path.join(options.dataDir, 'kafka');
  const logDirs = path.join(kafkaDir, 'logs');
  const serverProperties = path.join(kafkaDir, 'server.properties');
  const logFile = path.join(kafkaDir, 'broker.log');
  const pidFile = path.join(options.dataDir, 'kafka.pid');
  fs.mkdirSync(logDirs, { recursive: true });

  await killLeftover(pidFile, (args) => args.includes('kafka.Kafka') && args.includes(serverProperties), log, 'Kafka');
  await assertPortsFree([
    { port: options.port, role: 'Kafka', envVar: 'CRC_KAFKA_PORT', alternativeEnvVar: 'KAFKA_BROKERS' },
    { port: options.controllerPort, role: 'The Kafka controller', envVar: 'CRC_KAFKA_CONTROLLER_PORT', alternativeEnvVar: 'KAFKA_BROKERS' },
  ]);
  checkJava();
  const classpath = await resolveClasspath(options);
  const log4j = path.join(options.repoRoot, 'deploy/local/kafka/log4j.properties');

  // Rewritten every start because ports may change; KRaft accepts that while node and cluster id stay.
  fs.writeFileSync(serverProperties, serverConfig(options, logDirs));
  const clusterId = ensureClusterId(kafkaDir, logDirs);
  const java = ['-Djava.awt.headless=true', `-Dlog4j.configuration=file:${log4j}`, '-cp', classpath];

  if (!fs.existsSync(path.join(logDirs, 'meta.properties'))) {
    const format = await runTool('java', [...java, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', serverProperties, '--ignore-formatted'], {
      cwd: kafkaDir,
    });
    if (format.code !== 0) {
      throw new Error(`Formatting Kafka storage in ${logDirs} failed (exit ${format.code}):\n${format.tail.join('\n')}`);
    }
  }

  const broker = SupervisedProcess.start({
    name: 'Kafka',
    command: 'java',
    args: ['-Xms256m', '-Xmx512m', '-XX:+UseG1GC', ...java, 'kafka.Kafka', serverProperties],
    cwd: kafkaDir,
    logFile,
    pidFile,
  });
  const brokers = [`127.0.0.1:${options.port}`];
  try {
    await waitForKafka(brokers, {
      timeoutMs: READY_TIMEOUT_MS,
      assertAlive: () => {
        if (broker.hasExited) throw new Error(`Kafka ${broker.describeExit()} before it was ready. Last lines of ${logFile}:\n${tailFile(logFile)}`);
      },
      details: () => `Last lines of ${logFile}:\n${tailFile(logFile)}`,
    });
  } catch (error) {
    await broker.stop(5_000);
    throw error;
  }
  return { brokers, stop: () => broker.stop() };
}

function serverConfig(options: LocalKafkaOptions, logDirs: string): string {
  const { port, controllerPort } = options;
  const properties: Record<string, string | number> = {
    'process.roles': 'broker,controller',
    'node.id': 1,
    'controller.quorum.voters': `1@127.0.0.1:${controllerPort}`,
    listeners: `PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${port}`,
    'controller.listener.names': 'CONTROLLER',
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'inter.broker.listener.name': 'PLAINTEXT',
    'log.dirs': logDirs,
    'num.partitions': 3,
    'offsets.topic.replication.factor': 1,
    'transaction.state.log.replication.factor': 1,
    'transaction.state.log.min.isr': 1,
    'group.initial.rebalance.delay.ms': 0,
    'auto.create.topics.enable': 'false',
    // Fewer partitions than the default 50: the first consumer group join is much faster.
    'offsets.topic.num.partitions': 10,
  };
  const lines = Object.entries(properties).map(([key, value]) => `${key}=${value}`);
  return `# Written by libs/infra on every start; edits are overwritten.\n${lines.join('\n')}\n`;
}

/** Kafka cluster ids are 16 random bytes in base64url (22 chars), as `StorageTool random-uuid` prints. */
function ensureClusterId(kafkaDir: string, logDirs: string): string {
  const file = path.join(kafkaDir, 'cluster-id');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  // Already formatted storage must keep its id, even if the cluster-id file was lost.
  const formatted = /^cluster\.id=(\S+)$/m.exec(readOrEmpty(path.join(logDirs, 'meta.properties')));
  let id = formatted?.[1];
  while (!id || id.startsWith('-')) {
    // a leading '-' would be read as an option by StorageTool's argument parser
    id = randomBytes(16).toString('base64url');
  }
  fs.writeFileSync(file, `${id}\n`);
  return id;
}

function classpathCacheFile(options: Pick<LocalKafkaOptions, 'repoRoot' | 'cacheRoot'>): { pom: string; cacheFile: string } {
  const pom = path.join(options.repoRoot, 'deploy/local/kafka/pom.xml');
  const hash = createHash('sha256').update(fs.readFileSync(pom)).digest('hex').slice(0, 16);
  return { pom, cacheFile: path.join(options.cacheRoot, `kafka-${KAFKA_VERSION}`, `classpath-${hash}.txt`) };
}

/** Fails fast, before anything is started, when a tool the local broker needs is missing. */
export function checkLocalKafkaToolchain(options: Pick<LocalKafkaOptions, 'repoRoot' | 'cacheRoot'>): void {
  checkJava();
  if (!readClasspath(classpathCacheFile(options).cacheFile)) checkMaven();
}

/**
 * Classpath of kafka_2.13 + a logging binding, resolved by Maven into ~/.m2 once and cached in a file
 * keyed by the pom's hash. Reused while every jar it lists still exists, so later runs never call Maven.
 */
async function resolveClasspath(options: LocalKafkaOptions): Promise<string> {
  const { log } = options;
  const { pom, cacheFile } = classpathCacheFile(options);
  const cacheDir = path.dirname(cacheFile);

  const cached = readClasspath(cacheFile);
  if (cached) return cached;

  checkMaven();
  fs.mkdirSync(cacheDir, { recursive: true });
  const tmpFile = `${cacheFile}.${process.pid}.tmp`;
  log(`Kafka: resolving Apache Kafka ${KAFKA_VERSION} jars with Maven (first run only; about 30 s)...`);
  const started = Date.now();
  let downloads = 0;
  const result = await runTool('mvn', ['-B', '-f', pom, 'dependency:build-classpath', `-Dmdep.outputFile=${tmpFile}`], {
    cwd: path.dirname(pom),
    onLine: (line) => {
      if (line.includes('Downloaded from')) {
        downloads += 1;
        if (downloads % 25 === 0) log(`Kafka: ${downloads} files downloaded from Maven Central...`);
      }
    },
  });
  if (result.code !== 0 || !fs.existsSync(tmpFile)) {
    fs.rmSync(tmpFile, { force: true });
    throw new Error(`Maven could not resolve the Kafka jars (exit ${result.code}). Last output:\n${result.tail.join('\n')}`);
  }
  fs.renameSync(tmpFile, cacheFile);
  log(`Kafka: jars resolved in ${Math.round((Date.now() - started) / 1000)} s (${downloads} files downloaded); classpath cached in ${cacheFile}`);
  const classpath = readClasspath(cacheFile);
  if (!classpath) throw new Error(`Maven wrote a classpath with missing jars: ${cacheFile}`);
  return classpath;
}

function readOrEmpty(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function readClasspath(file: string): string | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
  const jars = text.split(path.delimiter).filter(Boolean);
  if (jars.length === 0 || !jars.every((jar) => fs.existsSync(jar))) return undefined;
  return jars.join(path.delimiter);
}
