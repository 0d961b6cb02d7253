import {
  BeforeApplicationShutdown,
  DynamicModule,
  Global,
  Inject,
  Module,
  OnApplicationBootstrap,
  type ModuleMetadata,
  type Type,
} from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type {
  DataSource,
  EntitySubscriberInterface,
  TransactionCommitEvent,
  TransactionRollbackEvent,
} from 'typeorm';
import { OUTBOX_DEFAULTS } from '../../core/common-env';
import { isMySql } from '../database/dialect';
import { MessageBus } from '../messaging/message-bus';
import { SERVICE_CONFIG, type ServiceConfig } from '../service-config';
import { Outbox, OUTBOX_WRITTEN } from './outbox';
import { OutboxRelay } from './outbox-relay';
import { SqlOutboxStore, type Serializer } from './outbox-store';
import { LockFileLease, MysqlNamedLockLease, SoleLease, type RelayLease } from './relay-lease';

/** Something that runs a statement outside other requests' SQLite transactions (the app's queue). */
export interface StatementQueue {
  exclusive<T>(task: () => Promise<T>): Promise<T>;
}

export interface OutboxModuleOptions {
  /** Modules that provide `queue`. */
  imports?: ModuleMetadata['imports'];
  /** The app's SQLite statement queue (gms ServiceWriter, ucs Transactions). */
  queue: Type<StatementQueue>;
}

const OUTBOX_QUEUE = Symbol('OUTBOX_QUEUE');

/** Wakes the relay when a transaction that wrote outbox rows has committed. */
class CommitListener implements EntitySubscriberInterface {
  constructor(private readonly relay: OutboxRelay) {}

  afterTransactionCommit(event: TransactionCommitEvent): void {
    const data = event.queryRunner.data as Record<string, unknown>;
    if (!data[OUTBOX_WRITTEN]) return;
    delete data[OUTBOX_WRITTEN];
    this.relay.wake();
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    delete (event.queryRunner.data as Record<string, unknown>)[OUTBOX_WRITTEN];
  }
}

/**
 * The transactional outbox of an app (ARCHITECTURE §6): `Outbox` for writers, and the relay that
 * runs while the app is up (started at bootstrap, stopped before the bus and database close).
 */
@Global()
@Module({})
export class OutboxModule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(@Inject(OutboxRelay) private readonly relay: OutboxRelay) {}

  static forRoot(options: OutboxModuleOptions): DynamicModule {
    return {
      module: OutboxModule,
      imports: options.imports ?? [],
      providers: [
        Outbox,
        { provide: OUTBOX_QUEUE, useExisting: options.queue },
        {
          provide: OutboxRelay,
          inject: [getDataSourceToken(), MessageBus, SERVICE_CONFIG, OUTBOX_QUEUE],
          useFactory: (
            dataSource: DataSource,
            bus: MessageBus,
            config: ServiceConfig,
            queue: StatementQueue,
          ) => {
            const mysql = isMySql(dataSource);
            const serialize: Serializer = (task) => queue.exclusive(task);
            const relay = new OutboxRelay(
              new SqlOutboxStore(dataSource, serialize),
              bus,
              leaseFor(dataSource, mysql),
              config.messaging.outbox ?? OUTBOX_DEFAULTS,
              config.logger,
            );
            dataSource.subscribers.push(new CommitListener(relay));
            return relay;
          },
        },
      ],
      exports: [Outbox, OutboxRelay],
    };
  }

  onApplicationBootstrap(): void {
    this.relay.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.relay.stop();
  }
}

/** One active relay per database: a MySQL named lock, a lock file next to an SQLite file. */
function leaseFor(dataSource: DataSource, mysql: boolean): RelayLease {
  if (mysql) return new MysqlNamedLockLease(dataSource);
  const file = dataSource.options.database;
  if (typeof file !== 'string' || file === '' || file === ':memory:') return new SoleLease();
  return new LockFileLease(`${file}.outbox-relay.lock`);
}
