import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { Kafka, logLevel, LogEntry, SASLOptions } from 'kafkajs';
import type { ServiceEnvironment } from '../config/service-environment';
import { LogSink } from '../logging/log-sink';

export interface KafkaSettings {
  brokers: string[];
  clientId: string;
  ssl?: ConnectionOptions | boolean;
  sasl?: SASLOptions;
}

/** TLS and SASL from the service's settings: both off for a local broker, both on for Strimzi's listener. */
export function kafkaSecurity(
  config: Pick<ServiceEnvironment, 'KAFKA_SSL' | 'KAFKA_SSL_CA_FILE' | 'KAFKA_SASL_MECHANISM' | 'KAFKA_SASL_USERNAME' | 'KAFKA_SASL_PASSWORD'>,
): Pick<KafkaSettings, 'ssl' | 'sasl'> {
  const ssl = config.KAFKA_SSL_CA_FILE ? { ca: [readFileSync(config.KAFKA_SSL_CA_FILE, 'utf8')] } : config.KAFKA_SSL === 'true';
  const sasl = config.KAFKA_SASL_MECHANISM
    ? ({ mechanism: config.KAFKA_SASL_MECHANISM, username: config.KAFKA_SASL_USERNAME!, password: config.KAFKA_SASL_PASSWORD! } as SASLOptions)
    : undefined;
  return { ssl, ...(sasl ? { sasl } : {}) };
}

const LEVELS: Record<number, keyof LogSink> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/** A kafkajs client whose own logs go, as JSON, through the service's logger. */
export function createKafka(settings: KafkaSettings, log: LogSink): Kafka {
  return new Kafka({
    clientId: settings.clientId,
    brokers: settings.brokers,
    ssl: settings.ssl,
    sasl: settings.sasl,
    connectionTimeout: 3000,
    requestTimeout: 30000,
    retry: { initialRetryTime: 300, retries: 8, maxRetryTime: 5000 },
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ namespace, level, log: entry }: LogEntry) => {
        const { message, timestamp: _timestamp, logger: _logger, ...rest } = entry;
        // Per-request error responses ("coordinator loading", "topic already exists") are retried
        // or handled by the caller; whatever finally fails surfaces through our own code.
        const benign = namespace === 'Connection' && typeof message === 'string' && message.startsWith('Response ');
        // Lost connections are retried by kafkajs; an outage shows as warnings, not a wall of errors.
        const transient = namespace === 'Connection' || namespace === 'BrokerPool';
        const levelName = benign ? 'debug' : transient && level === logLevel.ERROR ? 'warn' : (LEVELS[level] ?? 'info');
        log[levelName]({ kafka: namespace, ...rest }, message);
      },
  });
}
