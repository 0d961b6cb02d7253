import { makeEvent } from '@cs/contracts';
import { Outbox } from '@cs/platform';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/**
 * ucs events (ARCHITECTURE §6): written to the outbox inside the transaction of the change, so an
 * event exists exactly when its change committed; the relay delivers it.
 */
@Injectable()
export class UcsEvents {
  constructor(private readonly outbox: Outbox) {}

  async record(
    manager: EntityManager,
    subject: string,
    tenant: string,
    data: unknown,
    options: { aggregate?: string; meta?: Record<string, unknown> } = {},
  ): Promise<void> {
    await this.outbox.add(manager, {
      envelope: makeEvent(subject, tenant, data, undefined, options.meta),
      aggregate: options.aggregate,
    });
  }
}

/** The outbox aggregate of a profile's events. */
export function profileAggregate(tenant: string, customerId: string): string {
  return `profile:${tenant}:${customerId}`;
}
