import { isMySql } from '@cs/platform';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { IdentificationKey, type KeyDefinition } from './identification-key';

interface Row {
  id: number | string;
  definition: string;
}

/** SQL for identification keys (spec §3.6). Every query filters on the tenant. */
@Injectable()
export class IdentificationKeysRepository {
  /** All keys of the tenant by internal id (creation order). */
  async list(m: EntityManager, tenant: string): Promise<IdentificationKey[]> {
    const rows = (await m.query(
      'SELECT id, definition FROM identification_keys WHERE tenant = ? ORDER BY id',
      [tenant],
    )) as Row[];
    return rows.map(toKey);
  }

  /**
   * With `lock`, the row stays locked until the transaction ends (MySQL; SQLite transactions are
   * serialised): a concurrent delete then waits and finds nothing, instead of deleting it again.
   */
  async find(
    m: EntityManager,
    tenant: string,
    name: string,
    lock = false,
  ): Promise<IdentificationKey | undefined> {
    const forUpdate = lock && isMySql(m.connection) ? ' FOR UPDATE' : '';
    const rows = (await m.query(
      `SELECT id, name_lc, definition FROM identification_keys WHERE tenant = ? AND name_lc = ?${forUpdate}`,
      [tenant, name.toLowerCase()],
    )) as (Row & { name_lc: string })[];
    // MySQL's default collation ignores trailing spaces: 'devices ' must not find 'devices'.
    const row = rows.find((r) => r.name_lc === name.toLowerCase());
    return row === undefined ? undefined : toKey(row);
  }

  async countUsing(m: EntityManager, tenant: string, extension: string): Promise<number> {
    const rows = (await m.query(
      'SELECT COUNT(*) AS n FROM identification_keys WHERE tenant = ? AND source_ext_lc = ?',
      [tenant, extension.toLowerCase()],
    )) as { n: number | string }[];
    return Number(rows[0].n);
  }

  /** Throws the driver's duplicate-key error when the name exists (case-insensitive). */
  async insert(m: EntityManager, tenant: string, definition: KeyDefinition): Promise<IdentificationKey> {
    await m.query(
      'INSERT INTO identification_keys (tenant, name_lc, source_ext_lc, definition, created_at) VALUES (?, ?, ?, ?, ?)',
      [
        tenant,
        definition.name.toLowerCase(),
        definition.source?.toLowerCase() ?? null,
        JSON.stringify(definition),
        Date.now(),
      ],
    );
    const key = await this.find(m, tenant, definition.name);
    if (!key) throw new Error('identification key vanished inside its own transaction');
    return key;
  }

  /** Removes the key and its index rows. */
  async delete(m: EntityManager, tenant: string, key: IdentificationKey): Promise<void> {
    await m.query('DELETE FROM identification_entries WHERE tenant = ? AND key_id = ?', [tenant, key.id]);
    await m.query('DELETE FROM unique_key_claims WHERE tenant = ? AND key_id = ?', [tenant, key.id]);
    await m.query('DELETE FROM identification_keys WHERE tenant = ? AND id = ?', [tenant, key.id]);
  }
}

function toKey(row: Row): IdentificationKey {
  return new IdentificationKey(Number(row.id), JSON.parse(row.definition) as KeyDefinition);
}
