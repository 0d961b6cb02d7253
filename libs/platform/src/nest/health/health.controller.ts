import { Controller, Get, HttpCode, Inject, Optional } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ApiError } from '../../core/api-error';
import { MessageBus } from '../messaging/message-bus';
import { ErrorBodyDto } from '../openapi';
import { NoTenant } from '../tenancy';
import { OutboxRelay } from '../outbox/outbox-relay';
import { Readiness } from './readiness';

/** A ping slower than this counts as down: the database must answer requests well within 2 s. */
const DB_CHECK_TIMEOUT_MS = 1000;
/** Probes in this window share one ping, so frequent probes cost the database nothing more. */
const DB_CHECK_CACHE_MS = 1000;

/** Liveness (the process answers) and readiness (database and transport usable). */
@ApiTags('health')
@NoTenant()
@Controller('health')
export class HealthController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(MessageBus) private readonly bus: MessageBus,
    private readonly readiness: Readiness,
    @Optional() @Inject(OutboxRelay) private readonly outbox?: OutboxRelay,
  ) {}

  /** No dependency is checked: a down database must not get the process restarted. */
  @Get('live')
  @HttpCode(200)
  @ApiOkResponse({ description: 'The process is up' })
  live(): { status: string } {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOkResponse({ description: 'Database and transport are usable' })
  @ApiServiceUnavailableResponse({
    description: 'A dependency is down, or the app is shutting down (unified error body)',
    type: ErrorBodyDto,
  })
  async ready(): Promise<Record<string, unknown>> {
    if (this.readiness.draining) {
      throw new ApiError(503, 'SHUTTING_DOWN', 'Not ready: shutting down', undefined, { 'Retry-After': '1' });
    }
    const database = await this.databaseStatus();
    const transport = this.bus.isReady() ? 'up' : 'down';
    // With an outbox, a down transport only delays events: writes go on, readiness reports the lag.
    const outbox = database === 'up' ? await this.outboxDetails() : undefined;
    if (database !== 'up' || (transport !== 'up' && !outbox)) {
      throw new ApiError(
        503,
        'NOT_READY',
        `Not ready: database ${database}, transport ${transport}`,
        undefined,
        {
          'Retry-After': '1',
        },
      );
    }
    const status = transport === 'up' ? 'ok' : 'degraded';
    return outbox ? { status, database, transport, outbox } : { status, database, transport };
  }

  /** Events not yet acknowledged by the transport: how many, and how old the oldest is. */
  private async outboxDetails(): Promise<Record<string, unknown> | undefined> {
    if (!this.outbox) return undefined;
    try {
      const { unsent, oldestCreatedAt, relay, dropped } = await this.outbox.status();
      const oldest = oldestCreatedAt === undefined ? 0 : Math.max(0, Date.now() - oldestCreatedAt);
      return { unsent, oldest_unsent_age_ms: oldest, relay, dropped };
    } catch {
      return undefined;
    }
  }

  private lastCheck?: { at: number; status: Promise<string> };

  /** `up` or `down`, from a ping started at most DB_CHECK_CACHE_MS ago. */
  private databaseStatus(): Promise<string> {
    const now = Date.now();
    if (this.lastCheck && now - this.lastCheck.at < DB_CHECK_CACHE_MS) return this.lastCheck.status;
    const status = this.pingDatabase();
    this.lastCheck = { at: now, status };
    return status;
  }

  private async pingDatabase(): Promise<string> {
    if (!this.dataSource.isInitialized) return 'down';
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<string>(
      (resolve) => (timer = setTimeout(() => resolve('down'), DB_CHECK_TIMEOUT_MS)),
    );
    try {
      return await Promise.race([
        this.dataSource.query('SELECT 1').then(
          () => 'up',
          () => 'down',
        ),
        timeout,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }
}
