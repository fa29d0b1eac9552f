import { DynamicModule, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { IdempotencyModule, provideAggregateStore } from '@crc/platform';
import { WIFI_POLICY, WifiPolicy } from './domain/wifi-policy';
import { DeviceClaimRepositoryPort, WifiSessionRepositoryPort } from './domain/wifi-session.repository.port';
import { DeviceClaimRepository } from './persistence/device-claim.repository';
import { DeviceClaimDocument, DeviceClaimSchema } from './persistence/device-claim.schema';
import { WifiSessionRepository } from './persistence/wifi-session.repository';
import { WifiSessionDocument, WifiSessionSchema } from './persistence/wifi-session.schema';
import { CenterWifiViewUseCase } from './usecases/center-wifi-view/center-wifi-view.usecase';
import { EndWifiSessionUseCase } from './usecases/end-wifi-session/end-wifi-session.usecase';
import { ReadWifiSessionUseCase } from './usecases/read-wifi-session/read-wifi-session.usecase';
import { RecordHeartbeatUseCase } from './usecases/record-heartbeat/record-heartbeat.usecase';
import { SessionEndings } from './usecases/session-endings';
import { StartWifiSessionUseCase } from './usecases/start-wifi-session/start-wifi-session.usecase';
import { IdleSessionSweep } from './usecases/time-out-idle-sessions/idle-session.sweep';
import { TimeOutIdleSessionsUseCase } from './usecases/time-out-idle-sessions/time-out-idle-sessions.usecase';

const USE_CASES = [
  StartWifiSessionUseCase,
  RecordHeartbeatUseCase,
  EndWifiSessionUseCase,
  TimeOutIdleSessionsUseCase,
  ReadWifiSessionUseCase,
  CenterWifiViewUseCase,
];

/** The telehealth Wi-Fi bounded context: sessions, heartbeats, the idle time-out, and the events they publish. */
@Module({})
export class TelehealthModule {
  static registerAsync(options: { inject: unknown[]; useFactory: (...deps: never[]) => WifiPolicy }): DynamicModule {
    return {
      module: TelehealthModule,
      imports: [
        MongooseModule.forFeature([
          { name: WifiSessionDocument.name, schema: WifiSessionSchema },
          { name: DeviceClaimDocument.name, schema: DeviceClaimSchema },
        ]),
        IdempotencyModule,
      ],
      providers: [
        { provide: WIFI_POLICY, inject: options.inject as never[], useFactory: options.useFactory },
        WifiSessionRepository,
        DeviceClaimRepository,
        { provide: WifiSessionRepositoryPort, useExisting: WifiSessionRepository },
        { provide: DeviceClaimRepositoryPort, useExisting: DeviceClaimRepository },
        SessionEndings,
        IdleSessionSweep,
        ...USE_CASES,
        ...provideAggregateStore(WifiSessionDocument.name),
      ],
      exports: USE_CASES,
    };
  }
}
