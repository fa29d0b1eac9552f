import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { IsDatabaseName, IsPort, IsSecretKey } from '@crc/platform';
import { VisitDirectoryServiceEnvironment } from '@crc/visit-directory';

/**
 * DEVELOPMENT ONLY. Anyone who knows this key can test a MAC address against the stored hashes.
 * Refused in production (any NODE_ENV but development or test); deployments set DEVICE_ID_HASH_KEY to a long random secret.
 */
export const DEV_ONLY_DEVICE_ID_HASH_KEY = 'dev-only-device-id-hash-key-NOT-A-SECRET-do-not-use-in-production';

export class TelehealthEnvironment extends VisitDirectoryServiceEnvironment {
  readonly serviceName = 'telehealth';

  @IsPort()
  PORT = 3003;

  @IsDatabaseName()
  MONGODB_DATABASE = 'crc-telehealth';

  /** A session without a heartbeat for this long has ended, at its last heartbeat. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(24 * 3600)
  SESSION_IDLE_TIMEOUT_SECONDS = 600;

  /** How often idle sessions are looked for; a session ends at its last heartbeat whenever the sweep notices. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(3600)
  SESSION_SWEEP_INTERVAL_SECONDS = 30;

  /**
   * Secret of the keyed hash (HMAC-SHA256) that stands in for device MAC addresses. Changing it
   * orphans the claims of sessions in progress (they end by time-out); hashes are not comparable
   * across keys.
   */
  @IsSecretKey()
  DEVICE_ID_HASH_KEY = DEV_ONLY_DEVICE_ID_HASH_KEY;
}
