import * as fs from 'node:fs';
import * as path from 'node:path';
import { dockerAnswers, startKafkaContainer, startMongoContainer } from './docker';
import { GinIndexSync } from './ferretdb-gin-indexes';
import { checkLocalFerretDbToolchain, startLocalFerretDb } from './local-ferretdb';
import { checkLocalKafkaToolchain, startLocalKafka } from './local-kafka';
import { checkLocalPostgresToolchain, startLocalPostgres } from './local-postgres';
import { cacheRoot, defaultStartDataDir, findRepoRoot, makeTestDataDir } from './paths';
import { findFreePorts, parsePort } from './ports';
import { parseStoreBackend, STORE_BACKEND_ENV_VAR, StoreBackend } from './store-backend';
import { ToolchainError } from './toolchain';

export type InfrastructureSource = 'environment' | 'testcontainers' | 'local';

export interface InfrastructureOptions {
  purpose: 'test' | 'start';
  /** 'start': persistent data dir (default: <repo root>/.data, overridable by env CRC_DATA_DIR). 'test': a fresh temp dir, deleted on stop (an explicit dataDir is kept). */
  dataDir?: string;
  /** Ports for 'start' default to env CRC_KAFKA_PORT||9092, CRC_KAFKA_CONTROLLER_PORT||9093, CRC_MONGO_PORT||27017; for 'test' free ports are picked. Explicit options win. */
  kafkaPort?: number;
  kafkaControllerPort?: number;
  mongoPort?: number;
  /** The local store's backend; default: env CRC_STORE_BACKEND, else 'postgresql'. */
  storeBackend?: StoreBackend;
  /** PostgreSQL's port when the backend is 'postgresql': for 'start' env CRC_POSTGRES_PORT||15432, for 'test' a free one. */
  postgresPort?: number;
  /** Progress lines for humans (default: process.stderr). */
  log?: (line: string) => void;
  /** Where KAFKA_BROKERS, MONGODB_URI, CRC_* and XDG_CACHE_HOME are read (default process.env). Child processes get process.env. */
  env?: NodeJS.ProcessEnv;
}

/** Stops and restarts a server this process started, on the same port and data: for fault tests. */
export interface ProcessControl {
  stop(): Promise<void>;
  start(): Promise<void>;
}

export type KafkaControl = ProcessControl;

export interface RunningInfrastructure {
  kafkaBrokers: string[];
  /** No database path, e.g. 'mongodb://127.0.0.1:27017'. */
  mongoUri: string;
  source: { kafka: InfrastructureSource; mongo: InfrastructureSource };
  /** What the store keeps its data in, when the store is a local FerretDB started here. */
  storeBackend?: StoreBackend;
  /** Present when the broker is a local process started here. */
  kafkaControl?: ProcessControl;
  /** Present when the store is a local process started here. Stops and starts FerretDB only (PostgreSQL keeps running). */
  storeControl?: ProcessControl;
  /** Idempotent; stops only what it started, Kafka first then the store. */
  stop(): Promise<void>;
}

interface Started {
  address: string[] | string;
  source: InfrastructureSource;
  stop?: () => Promise<void>;
  control?: ProcessControl;
  backend?: StoreBackend;
}

/**
 * Kafka and the store are resolved independently: an address from the environment, else Testcontainers
 * when a Docker engine answers, else local processes (Apache Kafka with java, FerretDB on PostgreSQL, or
 * on SQLite with CRC_STORE_BACKEND=sqlite).
 */
export async function startInfrastructure(options: InfrastructureOptions): Promise<RunningInfrastructure> {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => process.stderr.write(`[infra] ${line}\n`));
  // Checked even when the store is not local, so a typo fails at once rather than on another machine.
  const storeBackend = options.storeBackend ?? parseStoreBackend(env[STORE_BACKEND_ENV_VAR]);

  const envBrokers = (env.KAFKA_BROKERS ?? '')
    .split(',')
    .map((broker) => broker.trim())
    .filter(Boolean);
  const envMongo = env.MONGODB_URI?.trim() || undefined;

  const docker = envBrokers.length > 0 && envMongo ? false : await dockerAnswers();
  const kafkaLocal = envBrokers.length === 0 && !docker;
  const mongoLocal = !envMongo && !docker;

  let dataDir: string | undefined;
  let removeDataDir = false;
  let kafkaPorts: { port: number; controllerPort: number } | undefined;
  let mongoPort: number | undefined;
  let postgresPort: number | undefined;
  let repoRoot: string | undefined;

  if (kafkaLocal || mongoLocal) {
    repoRoot = findRepoRoot();
    // Before anything starts: report every missing tool at once instead of leaving one server half up.
    const problems: string[] = [];
    const check = (run: () => void) => {
      try {
        run();
      } catch (error) {
        problems.push(error instanceof Error ? error.message : String(error));
      }
    };
    if (kafkaLocal) check(() => checkLocalKafkaToolchain({ repoRoot: repoRoot!, cacheRoot: cacheRoot(env) }));
    if (mongoLocal) check(() => checkLocalFerretDbToolchain(cacheRoot(env)));
    if (mongoLocal && storeBackend === 'postgresql') check(() => checkLocalPostgresToolchain());
    if (problems.length > 0) throw new ToolchainError(problems.join('\n\n'));

    if (options.purpose === 'start') {
      dataDir = path.resolve(options.dataDir ?? defaultStartDataDir(env, repoRoot!));
      fs.mkdirSync(dataDir, { recursive: true });
      kafkaPorts = kafkaLocal
        ? {
            port: options.kafkaPort ?? parsePort(env.CRC_KAFKA_PORT, 'CRC_KAFKA_PORT') ?? 9092,
            controllerPort: options.kafkaControllerPort ?? parsePort(env.CRC_KAFKA_CONTROLLER_PORT, 'CRC_KAFKA_CONTROLLER_PORT') ?? 9093,
          }
        : undefined;
      mongoPort = mongoLocal ? (options.mongoPort ?? parsePort(env.CRC_MONGO_PORT, 'CRC_MONGO_PORT') ?? 27017) : undefined;
      // Not 5432: a PostgreSQL of the machine's own may listen there.
      postgresPort =
        mongoLocal && storeBackend === 'postgresql' ? (options.postgresPort ?? parsePort(env.CRC_POSTGRES_PORT, 'CRC_POSTGRES_PORT') ?? 15432) : undefined;
    } else {
      if (options.dataDir) {
        dataDir = path.resolve(options.dataDir);
        fs.mkdirSync(dataDir, { recursive: true });
      } else {
        dataDir = makeTestDataDir();
        removeDataDir = true;
      }
      const [kafkaPort, controllerPort, storePort, freePostgresPort] = await findFreePorts(4);
      kafkaPorts = kafkaLocal ? { port: options.kafkaPort ?? kafkaPort, controllerPort: options.kafkaControllerPort ?? controllerPort } : undefined;
      mongoPort = mongoLocal ? (options.mongoPort ?? storePort) : undefined;
      postgresPort = mongoLocal && storeBackend === 'postgresql' ? (options.postgresPort ?? freePostgresPort) : undefined;
    }
  }

  const startKafka = async (): Promise<Started> => {
    if (envBrokers.length > 0) return { address: envBrokers, source: 'environment' };
    if (docker) {
      const container = await startKafkaContainer(log);
      return { address: [container.address], source: 'testcontainers', stop: container.stop };
    }
    const ports = kafkaPorts!;
    const started = Date.now();
    const launch = () => startLocalKafka({ repoRoot: repoRoot!, cacheRoot: cacheRoot(env), dataDir: dataDir!, ...ports, log });
    let broker: Awaited<ReturnType<typeof startLocalKafka>> | undefined = await launch();
    log(`Kafka: ready on ${broker.brokers.join(',')} (${seconds(started)})`);
    const control: ProcessControl = {
      stop: async () => {
        await broker?.stop();
        broker = undefined;
      },
      start: async () => {
        broker ??= await launch();
      },
    };
    return { address: broker.brokers, source: 'local', stop: control.stop, control };
  };

  const startStore = async (): Promise<Started> => {
    if (envMongo) return { address: envMongo, source: 'environment' };
    if (docker) {
      const container = await startMongoContainer(log);
      return { address: container.address, source: 'testcontainers', stop: container.stop };
    }
    const started = Date.now();
    let postgres: Awaited<ReturnType<typeof startLocalPostgres>> | undefined;
    if (storeBackend === 'postgresql') {
      postgres = await startLocalPostgres({ dataDir: dataDir!, port: postgresPort!, log });
      log(`Store: PostgreSQL ready on 127.0.0.1:${postgresPort} (${seconds(started)})`);
    }
    const launch = () => startLocalFerretDb({ cacheRoot: cacheRoot(env), dataDir: dataDir!, port: mongoPort!, log, postgresqlUrl: postgres?.ferretDbUrl });
    let store: Awaited<ReturnType<typeof startLocalFerretDb>> | undefined;
    try {
      store = await launch();
    } catch (error) {
      await postgres?.stop();
      throw error;
    }
    log(`Store: FerretDB on ${storeBackend === 'postgresql' ? 'PostgreSQL' : 'SQLite'} ready on ${store.uri} (${seconds(started)})`);
    // FerretDB's own indexes serve no query on PostgreSQL; these do, for collections as the services create them.
    const ginIndexes = postgres ? new GinIndexSync(postgres.connectionString, log) : undefined;
    ginIndexes?.start();
    // Fault tests restart FerretDB alone: that is what drops the services' connections.
    const control: ProcessControl = {
      stop: async () => {
        await store?.stop();
        store = undefined;
      },
      start: async () => {
        store ??= await launch();
      },
    };
    // FerretDB first: PostgreSQL then has no clients left, and its fast shutdown loses nothing.
    const stopAll = async () => {
      try {
        await ginIndexes?.stop();
        await control.stop();
      } finally {
        await postgres?.stop();
      }
    };
    return { address: store.uri, source: 'local', stop: stopAll, control, backend: storeBackend };
  };

  // Both at once: on a first run the Maven download and the Go build overlap.
  const [kafka, store] = await Promise.allSettled([startKafka(), startStore()]);

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      const errors: unknown[] = [];
      // Kafka first: whatever still drains from Kafka while it shuts down can still reach the store.
      for (const result of [kafka, store]) {
        if (result.status !== 'fulfilled' || !result.value.stop) continue;
        await result.value.stop().catch((error: unknown) => errors.push(error));
      }
      if (removeDataDir && dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
      if (errors.length > 0) throw errors[0];
    })();
    return stopping;
  };

  if (kafka.status === 'rejected' || store.status === 'rejected') {
    await stop().catch(() => undefined);
    const failures = [kafka, store].filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    const error = failures[0].reason;
    if (failures.length > 1 && error instanceof Error) {
      const second = failures[1].reason;
      error.message += `\n\nAlso: ${second instanceof Error ? second.message : String(second)}`;
    }
    throw error;
  }

  return {
    kafkaBrokers: kafka.value.address as string[],
    mongoUri: store.value.address as string,
    source: { kafka: kafka.value.source, mongo: store.value.source },
    storeBackend: store.value.backend,
    kafkaControl: kafka.value.control,
    storeControl: store.value.control,
    stop,
  };
}

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}
