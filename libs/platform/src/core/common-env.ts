import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  Validate,
  ValidatorConstraint,
} from 'class-validator';
import type { ValidatorConstraintInterface } from 'class-validator';
import { EnvValidationError } from './env';
import type { ShutdownConfig } from './graceful-http';
import { parseTenantList, type TenancyConfig } from './tenancy';

/** Reads the raw variable (implicit conversion would turn "false" into true). */
const toBool = ({ obj, key }: { obj: Record<string, unknown>; key: string }): unknown => {
  const value = obj[key];
  if (typeof value !== 'string') return value;
  if (/^(true|1|yes)$/i.test(value)) return true;
  if (/^(false|0|no)$/i.test(value)) return false;
  return value;
};

@ValidatorConstraint({ name: 'tenantList' })
class TenantListConstraint implements ValidatorConstraintInterface {
  private problem = '';
  validate(value: unknown): boolean {
    try {
      parseTenantList(String(value));
      return true;
    } catch (error) {
      this.problem = (error as Error).message;
      return false;
    }
  }
  defaultMessage(): string {
    return `must be a comma list of <id>:<name> (${this.problem})`;
  }
}

/** Variables every app reads (ARCHITECTURE §3). Each app's env class extends this one. */
export class CommonEnv {
  @Matches(/^(\/[A-Za-z0-9._~-]+)+$/, { message: 'must be a path such as /genesys/1/cs' })
  CS_BASE_PATH: string = '/genesys/1/cs';

  @IsString()
  @Matches(/^[^,:\s]{1,64}$/, { message: 'must be a tenant id or name without spaces' })
  CS_DEFAULT_TENANT: string = '1';

  @IsOptional()
  @Validate(TenantListConstraint)
  CS_TENANTS?: string = undefined;

  @Transform(toBool)
  @IsBoolean({ message: 'must be true or false' })
  CS_REQUIRE_TENANT: boolean = false;

  @IsOptional()
  @Matches(/^(nats|tls|wss?):\/\/\S+$/, { message: 'must be a nats:// URL (comma-separated for a cluster)' })
  NATS_URL?: string = undefined;

  @IsInt()
  @Min(1)
  @Max(65535)
  GMS_TCP_PORT: number = 8091;

  @IsInt()
  @Min(1)
  @Max(65535)
  UCS_TCP_PORT: number = 8092;

  @IsInt()
  @Min(50)
  @Max(120000)
  CS_REQUEST_TIMEOUT_MS: number = 5000;

  /** MySQL: one statement may take this long; then the request answers 503 (decision 0009). */
  @IsInt()
  @Min(100)
  @Max(600000)
  CS_DB_QUERY_TIMEOUT_MS: number = 1500;

  /** MySQL: how long a request waits for a pooled connection. */
  @IsInt()
  @Min(100)
  @Max(600000)
  CS_DB_ACQUIRE_TIMEOUT_MS: number = 1000;

  /** MySQL: opening a connection (TCP and handshake). */
  @IsInt()
  @Min(100)
  @Max(600000)
  CS_DB_CONNECT_TIMEOUT_MS: number = 2000;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';

  /** After SIGTERM: how long /health/ready answers 503 while requests are still served (k8s: 5000). */
  @IsInt()
  @Min(0)
  @Max(120000)
  CS_SHUTDOWN_DELAY_MS: number = 0;

  /** Then: how long in-flight requests and messages may take before the process exits anyway. */
  @IsInt()
  @Min(100)
  @Max(600000)
  CS_SHUTDOWN_TIMEOUT_MS: number = 10000;

  /** Outbox relay: how often it looks for unsent events when no local commit woke it. */
  @IsInt()
  @Min(10)
  @Max(60000)
  CS_OUTBOX_POLL_MS: number = 1000;

  /** Outbox relay: events read and delivered per round. */
  @IsInt()
  @Min(1)
  @Max(5000)
  CS_OUTBOX_BATCH: number = 200;

  /** Outbox: how long sent events stay in the table before they are pruned (default 24 h). */
  @IsInt()
  @Min(0)
  @Max(31 * 24 * 3600 * 1000)
  CS_OUTBOX_RETENTION_MS: number = 24 * 3600 * 1000;

  /** NATS: how long the JetStream stream CS_EVENTS keeps events, in ms (default 7 days). */
  @IsInt()
  @Min(60000)
  @Max(3650 * 24 * 3600 * 1000)
  CS_EVENTS_MAX_AGE: number = 7 * 24 * 3600 * 1000;

  /** NATS: appended to the service name to form its durable JetStream consumer (separate environments on one server). */
  @Matches(/^[A-Za-z0-9_-]{0,32}$/, { message: 'must be up to 32 letters, digits, _ or -' })
  CS_EVENTS_DURABLE_SUFFIX: string = '';

  /** NATS: where a durable consumer starts when it is first created: every stored event, or new ones. */
  @IsIn(['all', 'new'])
  CS_EVENTS_START: 'all' | 'new' = 'all';

  /** NATS: a durable nobody pulled from for this long is removed by the server (0: kept forever; tests). */
  @IsInt()
  @Min(0)
  CS_EVENTS_DURABLE_TTL_MS: number = 0;

  /** NATS: an event delivered and not acknowledged for this long goes to another replica (e.g. its receiver died). */
  @IsInt()
  @Min(1000)
  CS_EVENTS_ACK_WAIT_MS: number = 30000;
}

/** The database deadline of decision 0009 (MySQL only; SQLite is local). */
export function databaseDeadlineFrom(env: CommonEnv): {
  queryTimeoutMs: number;
  acquireTimeoutMs: number;
  connectTimeoutMs: number;
} {
  return {
    queryTimeoutMs: env.CS_DB_QUERY_TIMEOUT_MS,
    acquireTimeoutMs: env.CS_DB_ACQUIRE_TIMEOUT_MS,
    connectTimeoutMs: env.CS_DB_CONNECT_TIMEOUT_MS,
  };
}

export function shutdownFrom(env: CommonEnv): ShutdownConfig {
  return { delayMs: env.CS_SHUTDOWN_DELAY_MS, timeoutMs: env.CS_SHUTDOWN_TIMEOUT_MS };
}

export function tenancyFrom(env: CommonEnv): TenancyConfig {
  const tenants = env.CS_TENANTS ? parseTenantList(env.CS_TENANTS) : undefined;
  if (tenants && !tenants.has(env.CS_DEFAULT_TENANT)) {
    throw new EnvValidationError([
      `CS_DEFAULT_TENANT (${env.CS_DEFAULT_TENANT}): must be an id listed in CS_TENANTS`,
    ]);
  }
  return { defaultTenant: env.CS_DEFAULT_TENANT, requireTenant: env.CS_REQUIRE_TENANT, tenants };
}

export interface MessagingConfig {
  /** Set: NATS (+ JetStream); unset: the NestJS TCP transport on loopback. */
  natsUrl?: string;
  /** TCP mode: where each service's transport listens (this one included). */
  tcpPeers: Record<string, { host: string; port: number }>;
  /** Default timeout of a request over the transport. */
  requestTimeoutMs: number;
  /** NATS: how long the stream CS_EVENTS keeps events (default 7 days). */
  eventsMaxAgeMs?: number;
  /** The transactional outbox relay (defaults in OUTBOX_DEFAULTS). */
  outbox?: OutboxConfig;
  /** NATS: how this service's durable JetStream consumer of CS_EVENTS is named and created. */
  events?: { durableSuffix: string; start: 'all' | 'new'; durableTtlMs: number; ackWaitMs: number };
}

export interface OutboxConfig {
  pollMs: number;
  batch: number;
  retentionMs: number;
}

export const OUTBOX_DEFAULTS: OutboxConfig = { pollMs: 1000, batch: 200, retentionMs: 24 * 3600 * 1000 };

export function messagingFrom(env: CommonEnv): MessagingConfig {
  return {
    natsUrl: env.NATS_URL,
    tcpPeers: {
      gms: { host: '127.0.0.1', port: env.GMS_TCP_PORT },
      ucs: { host: '127.0.0.1', port: env.UCS_TCP_PORT },
    },
    requestTimeoutMs: env.CS_REQUEST_TIMEOUT_MS,
    eventsMaxAgeMs: env.CS_EVENTS_MAX_AGE,
    outbox: {
      pollMs: env.CS_OUTBOX_POLL_MS,
      batch: env.CS_OUTBOX_BATCH,
      retentionMs: env.CS_OUTBOX_RETENTION_MS,
    },
    events: {
      durableSuffix: env.CS_EVENTS_DURABLE_SUFFIX,
      start: env.CS_EVENTS_START,
      durableTtlMs: env.CS_EVENTS_DURABLE_TTL_MS,
      ackWaitMs: env.CS_EVENTS_ACK_WAIT_MS,
    },
  };
}

export { toBool };
