import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { ServiceEnvironment } from '@crc/platform';

/** Settings of a service that keeps a visit directory (membership, telehealth). */
export abstract class VisitDirectoryServiceEnvironment extends ServiceEnvironment {
  /**
   * Check-ins of the last this many days are remembered (center and service date only), so that a
   * request naming a visit of another center is refused. Longer than any kiosk stays offline.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(366)
  KNOWN_VISITS_RETENTION_DAYS = 14;

  /** How often visits past the retention window are forgotten. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  KNOWN_VISITS_SWEEP_SECONDS = 3600;
}
