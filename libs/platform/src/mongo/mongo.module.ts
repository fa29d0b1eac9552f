import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { ServiceEnvironment } from '../config/service-environment';
import { profileStatements } from './statement-profile';

/**
 * The service's database. Only what MongoDB and FerretDB both support is used: single-document
 * atomic writes, unique and compound indexes, upserts; no transactions, change streams, TTL or
 * partial indexes.
 */
@Module({
  imports: [
    MongooseModule.forRootAsync({
      inject: [ServiceEnvironment],
      useFactory: (config: ServiceEnvironment) => ({
        uri: config.MONGODB_URI,
        dbName: config.MONGODB_DATABASE,
        autoIndex: true,
        serverSelectionTimeoutMS: 10_000,
        // At most this many operations at once. FerretDB 1.24 deadlocks under 100 concurrent updates of
        // one database: each holds one of its 100 SQLite connections for the read and waits for a
        // second to write (seen in a rebuild that updated 500 visit records at once; its goroutine
        // dump had 100 updates waiting in BeginTx). The driver's default pool is 100.
        maxPoolSize: 32,
        // FerretDB does not implement retryable writes' transaction numbers in every path.
        retryWrites: false,
        ...(config.STORE_STATEMENT_PROFILE
          ? {
              monitorCommands: true,
              connectionFactory: (connection: Connection) => {
                profileStatements(connection.getClient(), config.STORE_STATEMENT_PROFILE!);
                return connection;
              },
            }
          : {}),
      }),
    }),
  ],
})
export class MongoModule {}
