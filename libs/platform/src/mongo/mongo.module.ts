import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { PinoLogger } from 'nestjs-pino';
import { ServiceEnvironment } from '../config/service-environment';
import { StoreProfile } from '../store/store-profile';
import { StoreProfileModule } from '../store/store-profile.module';
import { profileStatements } from './statement-profile';
import { watchServerMonitor } from './store-monitor.watchdog';

/** A connect, or a heartbeat's answer, slower than this means the store is unreachable. */
const CONNECT_TIMEOUT_MS = 10_000;
const SOCKET_TIMEOUT_MS = 60_000;
const WAIT_QUEUE_TIMEOUT_MS = 15_000;

/**
 * The service's database. Only what MongoDB and FerretDB both support is used: single-document
 * writes, unique and compound indexes, upserts; no transactions, change streams, TTL or partial
 * indexes. The settings that differ between them come from the store found at start (StoreProfile).
 */
@Module({
  imports: [
    StoreProfileModule,
    MongooseModule.forRootAsync({
      imports: [StoreProfileModule],
      inject: [ServiceEnvironment, PinoLogger, StoreProfile],
      useFactory: (config: ServiceEnvironment, log: PinoLogger, store: StoreProfile) => ({
        uri: config.MONGODB_URI,
        dbName: config.MONGODB_DATABASE,
        autoIndex: true,
        serverSelectionTimeoutMS: 10_000,
        connectTimeoutMS: CONNECT_TIMEOUT_MS,
        // Nothing waits on the store for ever. After a FerretDB restart, requests waited without end
        // inside the driver (they failed only when the service shut down, MongoClientClosedError):
        // a pooled socket the restart left half-open answers nothing, and a checkout waits for one.
        // The slowest statement measured under load took about 5 s.
        socketTimeoutMS: SOCKET_TIMEOUT_MS,
        waitQueueTimeoutMS: WAIT_QUEUE_TIMEOUT_MS,
        ...store.connectionOptions(),
        ...(config.STORE_STATEMENT_PROFILE ? { monitorCommands: true } : {}),
        connectionFactory: (connection: Connection) => {
          log.setContext('StoreMonitor');
          // A heartbeat outstanding past its own timeout never ends (see watchServerMonitor).
          watchServerMonitor(connection.getClient(), { stuckAfterMs: CONNECT_TIMEOUT_MS + 5_000, log });
          if (config.STORE_STATEMENT_PROFILE) profileStatements(connection.getClient(), config.STORE_STATEMENT_PROFILE);
          return connection;
        },
      }),
    }),
  ],
  exports: [StoreProfileModule],
})
export class MongoModule {}
