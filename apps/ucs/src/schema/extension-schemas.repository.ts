import { isMySql } from '@cs/platform';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ExtensionSchema, type ExtensionDefinition } from './extension-schema';

interface Row {
  id: number | string;
  definition: string;
}

/** SQL for extension schemas (spec §3.4). Every query filters on the tenant. */
@Injectable()
export class ExtensionSchemasRepository {
  /** All schemas of the tenant in creation order. */
  async list(m: EntityManager, tenant: string): Promise<ExtensionSchema[]> {
    const rows = (await m.query('SELECT id, definition FROM extension_schemas WHERE tenant = ? ORDER BY id', [
      tenant,
    ])) as Row[];
    return rows.map(toSchema);
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
  ): Promise<ExtensionSchema | undefined> {
    const forUpdate = lock && isMySql(m.connection) ? ' FOR UPDATE' : '';
    const rows = (await m.query(
      `SELECT id, name_lc, definition FROM extension_schemas WHERE tenant = ? AND name_lc = ?${forUpdate}`,
      [tenant, name.toLowerCase()],
    )) as (Row & { name_lc: string })[];
    // MySQL's default collation ignores trailing spaces: 'devices ' must not find 'devices'.
    const row = rows.find((r) => r.name_lc === name.toLowerCase());
    return row === undefined ? undefined : toSchema(row);
  }

  /** Throws the driver's duplicate-key error when the name exists (case-insensitive). */
  async insert(m: EntityManager, tenant: string, definition: ExtensionDefinition): Promise<void> {
    await m.query(
      'INSERT INTO extension_schemas (tenant, name_lc, definition, created_at) VALUES (?, ?, ?, ?)',
      [tenant, definition.name.toLowerCase(), JSON.stringify(definition), Date.now()],
    );
  }

  async delete(m: EntityManager, tenant: string, name: string): Promise<void> {
    await m.query('DELETE FROM extension_schemas WHERE tenant = ? AND name_lc = ?', [
      tenant,
      name.toLowerCase(),
    ]);
  }
}

function toSchema(row: Row): ExtensionSchema {
  return new ExtensionSchema(Number(row.id), JSON.parse(row.definition) as ExtensionDefinition);
}
