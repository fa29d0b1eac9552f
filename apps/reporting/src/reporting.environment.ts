import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { DEFAULT_FHIR_CANONICAL_BASE } from '@crc/attribution';
import { IsDatabaseName, IsPort, IsSecretKey, IsSetInProduction, ServiceEnvironment } from '@crc/platform';

/**
 * DEVELOPMENT ONLY. Anyone who knows this key can test a member id against the Patient ids of a
 * FHIR export. Refused in production (any NODE_ENV but development or test); deployments set FHIR_PSEUDONYM_KEY to a long random secret.
 */
export const DEV_ONLY_FHIR_PSEUDONYM_KEY = 'dev-only-fhir-pseudonym-key-NOT-A-SECRET-do-not-use-in-production';

export class ReportingEnvironment extends ServiceEnvironment {
  readonly serviceName = 'reporting';

  @IsPort()
  PORT = 3004;

  @IsDatabaseName()
  MONGODB_DATABASE = 'crc-reporting';

  /** Consumer group of the live projections; a rebuild uses a group of its own. */
  @Matches(/^[A-Za-z0-9._-]{1,100}$/)
  REPORTING_CONSUMER_GROUP = 'crc.reporting.projections.v1';

  /** Live dashboard streams one credential may hold open at once (a few browser tabs). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  DASHBOARD_STREAMS_PER_CREDENTIAL = 5;

  /** Live dashboard streams the instance serves at once, all credentials together. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10000)
  DASHBOARD_STREAMS_TOTAL = 100;

  /** Off for one-off tools (the rebuild) that run the module without consuming live. */
  @IsIn(['true', 'false'])
  REPORTING_CONSUMER_ENABLED = 'true';

  /** L.A. Care plan partners attributed to another CRC partner: `CODE=PLAN,...`. */
  @Matches(/^([A-Z0-9_]+=(LA_CARE|BLUE_SHIELD_PROMISE))?(,[A-Z0-9_]+=(LA_CARE|BLUE_SHIELD_PROMISE))*$/)
  ATTRIBUTION_PLAN_PARTNERS = 'BLUE_SHIELD_PROMISE=BLUE_SHIELD_PROMISE';

  @Matches(/^(LA_CARE|BLUE_SHIELD_PROMISE)=\d{1,3},(LA_CARE|BLUE_SHIELD_PROMISE)=\d{1,3}$/)
  COMMUNITY_SHARES = 'LA_CARE=50,BLUE_SHIELD_PROMISE=50';

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(3650)
  ATTRIBUTION_LOOKBACK_DAYS = 90;

  /**
   * Rule 2: which plan takes a visit both rosters claim, by product-line pair (L.A. Care's first;
   * `*` for any): `MEDI_CAL+MEDICARE=BLUE_SHIELD_PROMISE,...`. Empty (default): operations decide each.
   */
  @Matches(/^(([A-Z0-9_]+|\*)\+([A-Z0-9_]+|\*)=(LA_CARE|BLUE_SHIELD_PROMISE))?(,([A-Z0-9_]+|\*)\+([A-Z0-9_]+|\*)=(LA_CARE|BLUE_SHIELD_PROMISE))*$/, {
    message: 'ATTRIBUTION_CONFLICT_PRECEDENCE must look like MEDI_CAL+MEDICARE=BLUE_SHIELD_PROMISE,... (L.A. Care product line first)',
  })
  ATTRIBUTION_CONFLICT_PRECEDENCE = '';

  /** How often pending re-attributions after roster uploads are looked for; 0 turns the background work off (one-off tools). */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3600)
  REATTRIBUTION_SWEEP_SECONDS = 30;

  @IsString()
  PRODUCT_LINES_FILE = 'deploy/local/seed/product-lines.json';

  /** How each plan's X12 834 files become roster records (docs/rosters-834.md): data a plan's analyst edits. */
  @IsString()
  X12_834_MAPPING_FILE = 'deploy/local/seed/x12-834-mapping.json';

  /**
   * Where partners reach this service (the partners' ingress, e.g. https://partners.crc.example):
   * the FHIR export's Content-Location and file URLs, which clients follow with their token, are
   * built from it, never from the request's Host header. Unset: this process's own address.
   */
  @IsOptional()
  @Matches(/^https?:\/\/[^/?#\s@]+(\/[^?#\s]*[^/?#\s])?$/, {
    message: 'PUBLIC_BASE_URL must be an http(s) URL without query, fragment or trailing slash, e.g. https://partners.crc.example',
  })
  PUBLIC_BASE_URL?: string;

  get publicBaseUrl(): string {
    return this.PUBLIC_BASE_URL ?? `http://${this.HOST === '0.0.0.0' ? '127.0.0.1' : this.HOST}:${this.PORT}`;
  }

  /**
   * The base of the canonical URLs of the network's FHIR definitions (CodeSystem, ValueSet,
   * StructureDefinition): what the export's codings and extensions, its errors and the served
   * definitions carry. A URL this deployment controls, set once: partners' pipelines match on it.
   * The default, a placeholder domain, is for local runs.
   */
  @Matches(/^https:\/\/[^/?#\s@]+(\/[^?#\s]*[^/?#\s])?$/, {
    message: 'FHIR_CANONICAL_BASE must be an absolute https URL without query, fragment or trailing slash, e.g. https://fhir.crc.example/fhir',
  })
  @IsSetInProduction(DEFAULT_FHIR_CANONICAL_BASE)
  FHIR_CANONICAL_BASE = DEFAULT_FHIR_CANONICAL_BASE;

  /**
   * Secret of the keyed hash (HMAC-SHA256) that makes the FHIR export's Patient and Coverage ids.
   * Changing it gives every member new ids: plans would load them as new Patients.
   */
  @IsSecretKey()
  FHIR_PSEUDONYM_KEY = DEV_ONLY_FHIR_PSEUDONYM_KEY;
}
