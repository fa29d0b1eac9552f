import { waitForKafka } from './readiness';

// testcontainers is a devDependency: it is only imported on this path, after a Docker engine answered.

export const KAFKA_IMAGE = 'apache/kafka:3.9.1';
export const MONGO_IMAGE = 'mongo:7';

export interface StartedContainer {
  address: string;
  stop(): Promise<void>;
}

let dockerCheck: Promise<boolean> | undefined;

/** getContainerRuntimeClient() rejects at once when no engine answers; that is our switch. */
export function dockerAnswers(): Promise<boolean> {
  dockerCheck ??= (async () => {
    try {
      const { getContainerRuntimeClient } = await import('testcontainers');
      await getContainerRuntimeClient();
      return true;
    } catch {
      return false;
    }
  })();
  return dockerCheck;
}

const STARTER_SCRIPT = '/tmp/crc_start.sh';
const STARTER_READY = '/tmp/crc_start.ready';
const WAITING_MESSAGE = 'crc: waiting for starter script';

/**
 * apache/kafka in KRaft mode. @testcontainers/kafka's KafkaContainer (v11) only drives Confluent images
 * (it runs /etc/confluent/docker/run and rejects KRaft for tags below 7.0.0), so this does the same
 * thing by hand: the advertised address needs the mapped port, known only after start, so the container
 * waits for a starter script that we copy in once it is running.
 */
export async function startKafkaContainer(log: (line: string) => void): Promise<StartedContainer> {
  const { GenericContainer, Wait } = await import('testcontainers');
  log(`Kafka: starting ${KAFKA_IMAGE} with Testcontainers...`);
  const container = await new GenericContainer(KAFKA_IMAGE)
    .withExposedPorts(9092)
    .withEnvironment({
      CLUSTER_ID: '4L6g3nShT-eMCtK--X86sw',
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_LISTENERS: 'PLAINTEXT://0.0.0.0:9092,BROKER://0.0.0.0:9093,CONTROLLER://0.0.0.0:9094',
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'PLAINTEXT:PLAINTEXT,BROKER:PLAINTEXT,CONTROLLER:PLAINTEXT',
      KAFKA_INTER_BROKER_LISTENER_NAME: 'BROKER',
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9094',
      KAFKA_NUM_PARTITIONS: '3',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS: '10',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
      KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
    })
    .withCommand([
      'sh',
      '-c',
      // The ready flag is copied after the script, so the script is complete when it runs.
      `echo '${WAITING_MESSAGE}'; while [ ! -f ${STARTER_READY} ]; do sleep 0.1; done; exec bash ${STARTER_SCRIPT}`,
    ])
    .withWaitStrategy(Wait.forLogMessage(WAITING_MESSAGE))
    .withStartupTimeout(180_000)
    .start();
  try {
    const address = `${container.getHost()}:${container.getMappedPort(9092)}`;
    const script = `#!/bin/bash\nexport KAFKA_ADVERTISED_LISTENERS=PLAINTEXT://${address},BROKER://$(hostname):9093\nexec /etc/kafka/docker/run\n`;
    await container.copyContentToContainer([{ content: script, target: STARTER_SCRIPT, mode: 0o755 }]);
    await container.copyContentToContainer([{ content: '', target: STARTER_READY }]);
    await waitForKafka([address], { timeoutMs: 120_000 });
    return { address, stop: async () => void (await container.stop()) };
  } catch (error) {
    await container.stop().catch(() => undefined);
    throw error;
  }
}

export async function startMongoContainer(log: (line: string) => void): Promise<StartedContainer> {
  const { MongoDBContainer } = await import('@testcontainers/mongodb');
  log(`Store: starting ${MONGO_IMAGE} with Testcontainers...`);
  const container = await new MongoDBContainer(MONGO_IMAGE).start();
  // The container runs a one-member replica set that advertises its in-container host name.
  const address = `${container.getConnectionString()}/?directConnection=true`;
  return { address, stop: async () => void (await container.stop()) };
}
