import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { PinoLogger } from 'nestjs-pino';
import { ServiceEnvironment } from '../config/service-environment';
import { profileStatements } from './statement-profile';
import { watchServerMonitor } from './store-monitor.watchdog';

/** A connect, or a heartbeat's answer, slower than this means the store is unreachable. */
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * The service's database. Only what MongoDB and FerretDB both support is used: single-document
 * atomic writes, unique and compound indexes, upserts; no transactions, change streams, TTL or
 * partial indexes.
 */
@Module({
  imports: [
    MongooseModule.forRootAsync({
      inject: [ServiceEnvironment, PinoLogger],
      useFactory: (config: ServiceEnvironment, log: PinoLogger) => ({
        uri: config.MONGODB_URI,
        dbName: config.MONGODB_DATABASE,
        autoIndex: true,
        serverSelectionTimeoutMS: 10_000,
        connectTimeoutMS: CONNECT_TIMEOUT_MS,
        // At most this many operations at once. FerretDB 1.24 deadlocks under 100 concurrent updates of
        // one database: each holds one of its 100 SQLite connections for the read and waits for a
        // second to write (seen in a rebuild that updated 500 visit records at once; its goroutine
        // dump had 100 updates waiting in BeginTx). The driver's default pool is 100.
        maxPoolSize: 32,
        // FerretDB does not implement retryable writes' transaction numbers in every path.
        retryWrites: false,
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
})
export class MongoModule {}
