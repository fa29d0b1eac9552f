import { Transform, Type } from 'class-transformer';
import { ArrayMinSize, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, Min, ValidateBy, ValidateIf } from 'class-validator';
import { DEVELOPMENT_CREDENTIALS_FILE, DeploymentStance, deploymentStanceOf, IsNotDevelopmentCredentials } from './deployment-stance';

export const IsPort = () => (target: object, key: string) => {
  Type(() => Number)(target, key);
  IsInt()(target, key);
  Min(0)(target, key);
  Max(65535)(target, key);
};

export const IsDatabaseName = () => Matches(/^[A-Za-z0-9_-]{1,60}$/, { message: '$property must be letters, digits, _ or -' });

const toList = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : value;

/** Settings every service shares. Defaults fit `npm start` on one machine. */
export abstract class ServiceEnvironment {
  abstract readonly serviceName: string;

  /**
   * A service that consumes events (reporting; membership and telehealth for their visit
   * directories) is ready (`/health/ready`, `/health`) only once its consumer has joined its group,
   * got its partitions and is at most this many events behind their end, once after each start.
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  READY_MAX_CONSUMER_LAG = 100;

  /**
   * Only `development` and `test` are development; anything else, unset included, is production,
   * which refuses development credentials and keys and weak keys (deployment-stance.ts).
   */
  @IsOptional()
  @IsString()
  NODE_ENV?: string;

  get deploymentStance(): DeploymentStance {
    return deploymentStanceOf(this.NODE_ENV);
  }

  @IsString()
  @IsNotEmpty()
  HOST = '127.0.0.1';

  /** Declared, with its default, by each service. */
  abstract PORT: number;

  @Matches(/^mongodb(\+srv)?:\/\//, { message: 'MONGODB_URI must be a mongodb:// or mongodb+srv:// URI' })
  MONGODB_URI = 'mongodb://127.0.0.1:27017';

  /** Each service owns its database; declared, with its default, by each service. */
  abstract MONGODB_DATABASE: string;

  @Transform(toList)
  @ArrayMinSize(1)
  @Matches(/^[^:\s]+:\d+$/, { each: true, message: 'KAFKA_BROKERS must be a comma-separated list of host:port' })
  KAFKA_BROKERS: string[] = ['127.0.0.1:9092'];

  /** Namespaces every topic, e.g. per test run or per environment sharing a cluster. */
  @Matches(/^[A-Za-z0-9._-]{0,40}$/)
  KAFKA_TOPIC_PREFIX = '';

  @Type(() => Number)
  @IsInt()
  @Min(1)
  KAFKA_TOPIC_PARTITIONS = 3;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  KAFKA_REPLICATION_FACTOR = 1;

  /** SASL on an authenticated listener (Strimzi's KafkaUser: scram-sha-512); none by default. */
  @IsOptional()
  @IsIn(['scram-sha-512', 'scram-sha-256', 'plain'])
  KAFKA_SASL_MECHANISM?: 'scram-sha-512' | 'scram-sha-256' | 'plain';

  @ValidateIf((env: ServiceEnvironment) => env.KAFKA_SASL_MECHANISM !== undefined)
  @IsNotEmpty({ message: 'KAFKA_SASL_USERNAME is required with KAFKA_SASL_MECHANISM' })
  KAFKA_SASL_USERNAME?: string;

  @ValidateIf((env: ServiceEnvironment) => env.KAFKA_SASL_MECHANISM !== undefined)
  @IsNotEmpty({ message: 'KAFKA_SASL_PASSWORD is required with KAFKA_SASL_MECHANISM' })
  KAFKA_SASL_PASSWORD?: string;

  /** TLS to the brokers. A private CA (Strimzi's cluster CA) is given by file and implies TLS. */
  @IsIn(['true', 'false'])
  KAFKA_SSL = 'false';

  @IsOptional()
  @IsString()
  KAFKA_SSL_CA_FILE?: string;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** Write logs to this file instead of standard output. */
  @IsOptional()
  @IsString()
  LOG_FILE?: string;

  /** Diagnostics: sum the time of every store command by command and collection into this JSON file (the benchmark uses it). */
  @IsOptional()
  @IsString()
  STORE_STATEMENT_PROFILE?: string;

  /** Dev credentials by default; production must mount its own file (tokens or their SHA-256), and is refused the dev tokens. */
  @IsString()
  @IsNotDevelopmentCredentials()
  CREDENTIALS_FILE = DEVELOPMENT_CREDENTIALS_FILE;

  @IsString()
  CENTERS_FILE = 'deploy/local/seed/centers.json';

  /** How long an Idempotency-Key is remembered: long enough for an offline kiosk's replay. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  IDEMPOTENCY_KEY_RETENTION_SECONDS = 7 * 24 * 3600;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  IDEMPOTENCY_SWEEP_INTERVAL_SECONDS = 3600;

  /**
   * How often the outbox relay looks for events that were stored but not published (after a crash
   * or a broker outage), and how old they must be: younger ones are the hand-off's, which publishes
   * them as they are written.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  OUTBOX_SWEEP_SECONDS = 5;

  /**
   * The longest a request may take to arrive, headers and body, from its first byte: a client
   * sending a byte every few seconds (slow-loris) is answered 408 and cut off then. Long enough for
   * a large roster upload on a slow line; raise it for bigger rosters.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(3600)
  HTTP_REQUEST_TIMEOUT_SECONDS = 120;

  /** The longest a request's headers may take to arrive; at most HTTP_REQUEST_TIMEOUT_SECONDS. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(600)
  @ValidateBy({
    name: 'notAfterRequestTimeout',
    validator: {
      validate: (value, args) => Number(value) <= (args!.object as ServiceEnvironment).HTTP_REQUEST_TIMEOUT_SECONDS,
      defaultMessage: () => 'HTTP_HEADERS_TIMEOUT_SECONDS must not exceed HTTP_REQUEST_TIMEOUT_SECONDS',
    },
  })
  HTTP_HEADERS_TIMEOUT_SECONDS = 10;

  /** How long an idle keep-alive connection stays open: longer than a proxy's own upstream idle timeout (ingress-nginx: 60 s), or the proxy may reuse a connection being closed (502). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(600)
  HTTP_KEEP_ALIVE_TIMEOUT_SECONDS = 75;

  /** Requests a minute per credential (0: no limit). Generous for a kiosk; protects against a runaway client. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  RATE_LIMIT_PER_MINUTE = 3000;

  /** Failed authentications a minute per client address, to slow down token guessing. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  FAILED_AUTH_PER_MINUTE = 60;

  /** How often CREDENTIALS_FILE is read again, so tokens rotate without a restart. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  CREDENTIALS_RELOAD_SECONDS = 30;

  /** Browser origins allowed to call the API (comma-separated); none by default. */
  @Transform(toList)
  @IsString({ each: true })
  CORS_ORIGINS: string[] = [];

  /** After this many days a visit keeps its facts but loses the visitor's identity (member id). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  IDENTITY_RETENTION_DAYS = 730;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  IDENTITY_RETENTION_SWEEP_SECONDS = 3600;
}
