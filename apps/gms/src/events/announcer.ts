import { makeEvent } from '@cs/contracts';
import { Outbox, type OutboxEntry } from '@cs/platform';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export interface EventMeta {
  group?: string;
  reason?: string;
  extension?: string;
}

/**
 * gms events (spec §4 conventions (d), ARCHITECTURE §6): built here, written to the outbox inside
 * the transaction of the change they describe; the relay delivers them after commit.
 */
@Injectable()
export class EventAnnouncer {
  constructor(private readonly outbox: Outbox) {}

  /** The outbox entry of one event about the service `serviceId`. */
  event(
    subject: string,
    tenant: string,
    serviceId: string,
    data: unknown,
    meta: EventMeta = {},
  ): OutboxEntry {
    const fields: Record<string, unknown> = {};
    if (meta.reason !== undefined) fields.reason = meta.reason;
    if (meta.extension !== undefined) fields.extension = meta.extension;
    if (meta.group !== undefined) fields.group_id = meta.group;
    return {
      envelope: makeEvent(
        subject,
        tenant,
        data,
        new Date(),
        Object.keys(fields).length > 0 ? fields : undefined,
      ),
      aggregate: `service:${tenant}:${serviceId}`,
    };
  }

  /** Writes the events in `manager`'s transaction (one INSERT). */
  async record(manager: EntityManager, entries: OutboxEntry | OutboxEntry[]): Promise<void> {
    await this.outbox.add(manager, entries);
  }
}
