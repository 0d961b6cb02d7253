import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { StoredRecord } from './extension-record';

/** Records of one customer by lower-case extension name, in insertion order. */
export type RecordsByExtension = Map<string, StoredRecord[]>;

interface Row {
  ext_name_lc: string;
  record: string;
}

/** SQL for extension records (spec §3.3). Every query filters on the tenant. */
@Injectable()
export class ExtensionRecordsRepository {
  async listForCustomer(m: EntityManager, tenant: string, customerId: string): Promise<RecordsByExtension> {
    const rows = (await m.query(
      'SELECT ext_name_lc, record FROM extension_records WHERE tenant = ? AND customer_id = ? ORDER BY id',
      [tenant, customerId],
    )) as Row[];
    const byExtension: RecordsByExtension = new Map();
    for (const row of rows) {
      const list = byExtension.get(row.ext_name_lc) ?? [];
      list.push(JSON.parse(row.record) as StoredRecord);
      byExtension.set(row.ext_name_lc, list);
    }
    return byExtension;
  }

  /** Every record of one extension in the tenant (building a new key's index). */
  async listForExtension(
    m: EntityManager,
    tenant: string,
    extensionLc: string,
  ): Promise<{ customerId: string; record: StoredRecord }[]> {
    const rows = (await m.query(
      'SELECT customer_id, record FROM extension_records WHERE tenant = ? AND ext_name_lc = ? ORDER BY id',
      [tenant, extensionLc],
    )) as { customer_id: string; record: string }[];
    return rows.map((r) => ({ customerId: r.customer_id, record: JSON.parse(r.record) as StoredRecord }));
  }

  /**
   * Replaces all records of one extension of one customer. The unique index on `unique_hash` rejects
   * a second single-valued record or two records with the same unique values (duplicate-key error).
   * Old rows are deleted by primary key after a plain read (the caller holds the profile's row lock),
   * so InnoDB takes no gap locks that would make writers of other customers deadlock.
   */
  async replace(
    m: EntityManager,
    tenant: string,
    customerId: string,
    extensionLc: string,
    records: readonly { record: StoredRecord; uniqueHash: string | null }[],
  ): Promise<void> {
    const old = (await m.query(
      'SELECT id FROM extension_records WHERE tenant = ? AND customer_id = ? AND ext_name_lc = ?',
      [tenant, customerId, extensionLc],
    )) as { id: number | string }[];
    await this.deleteIds(m, tenant, old);
    await this.insert(m, tenant, customerId, extensionLc, records);
  }

  /** Adds records to a customer that has none of this extension yet (a new profile). */
  async insert(
    m: EntityManager,
    tenant: string,
    customerId: string,
    extensionLc: string,
    records: readonly { record: StoredRecord; uniqueHash: string | null }[],
  ): Promise<void> {
    for (const { record, uniqueHash } of records) {
      await m.query(
        'INSERT INTO extension_records (tenant, customer_id, ext_name_lc, unique_hash, record) VALUES (?, ?, ?, ?, ?)',
        [tenant, customerId, extensionLc, uniqueHash, JSON.stringify(record)],
      );
    }
  }

  async deleteForCustomer(m: EntityManager, tenant: string, customerId: string): Promise<void> {
    const old = (await m.query('SELECT id FROM extension_records WHERE tenant = ? AND customer_id = ?', [
      tenant,
      customerId,
    ])) as { id: number | string }[];
    await this.deleteIds(m, tenant, old);
  }

  private async deleteIds(m: EntityManager, tenant: string, rows: { id: number | string }[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 200) {
      const ids = rows.slice(i, i + 200).map((r) => Number(r.id));
      await m.query(
        `DELETE FROM extension_records WHERE tenant = ? AND id IN (${ids.map(() => '?').join(', ')})`,
        [tenant, ...ids],
      );
    }
  }

  async deleteForExtension(m: EntityManager, tenant: string, extensionLc: string): Promise<void> {
    await m.query('DELETE FROM extension_records WHERE tenant = ? AND ext_name_lc = ?', [
      tenant,
      extensionLc,
    ]);
  }
}
