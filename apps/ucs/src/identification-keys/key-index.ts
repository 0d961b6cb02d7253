import { ApiError } from '@cs/platform/core';
import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { StoredValue } from '../schema/attribute-types';
import type { IdentificationKey } from './identification-key';

/** Core values by schema name (primary first), and extension records by lower-case extension name. */
export interface CustomerData {
  core: Record<string, string[]>;
  records: Map<string, Record<string, StoredValue>[]>;
}

/** Bounds the cartesian product of multi-valued core attributes per key and prefix. */
const MAX_TUPLES_PER_PREFIX = 1000;
const BATCH = 200;

const tooManyCombinations = (key: IdentificationKey): ApiError =>
  new ApiError(
    400,
    'INVALID_PARAMETER',
    `The values of ${key.definition.attributes.join(', ')} form more than ${MAX_TUPLES_PER_PREFIX} combinations, the most identification key '${key.name}' can index for one customer`,
  );

/** The hash a value tuple is indexed under; exact and case-sensitive (spec §4.2, A-03). */
export function tupleHash(values: readonly StoredValue[]): string {
  return createHash('sha256').update(JSON.stringify(values)).digest('hex');
}

interface Entry {
  keyId: number;
  prefixLen: number;
  hash: string;
}

/**
 * Every value tuple a customer contributes to each key, for every covered prefix (identify with a
 * partly covered key uses the leading attributes, spec §4.2). A core key contributes one tuple per
 * combination of values; an extension key one per record; a missing value ends the prefix.
 */
export function entriesOf(keys: readonly IdentificationKey[], data: CustomerData): Entry[] {
  const entries = new Map<string, Entry>();
  const add = (keyId: number, prefixLen: number, tuple: StoredValue[]) => {
    const hash = tupleHash(tuple);
    entries.set(`${keyId}/${prefixLen}/${hash}`, { keyId, prefixLen, hash });
  };
  for (const key of keys) {
    const { source, attributes } = key.definition;
    if (source === null) {
      let tuples: StoredValue[][] = [[]];
      for (let i = 0; i < attributes.length; i++) {
        const values = data.core[attributes[i]] ?? [];
        if (values.length === 0) break;
        // Refused rather than cut: a tuple left out would be missed by identify and escape `unique`.
        if (tuples.length * values.length > MAX_TUPLES_PER_PREFIX) throw tooManyCombinations(key);
        tuples = tuples.flatMap((t) => values.map((v) => [...t, v]));
        for (const t of tuples) add(key.id, i + 1, t);
      }
    } else {
      for (const record of data.records.get(source.toLowerCase()) ?? []) {
        const tuple: StoredValue[] = [];
        for (const attribute of attributes) {
          const value = record[attribute];
          if (value === undefined || value === null) break;
          tuple.push(value);
          add(key.id, tuple.length, [...tuple]);
        }
      }
    }
  }
  return [...entries.values()];
}

/**
 * Writes the identification index and the unique-key claims; a claim held by another customer fails
 * the insert (duplicate key → 409). Rows are changed by primary key only, after a plain read of the
 * customer's rows (its profile row is locked by the caller): no range deletes, so InnoDB takes no gap
 * locks that would make concurrent writers of other customers deadlock.
 */
@Injectable()
export class KeyIndex {
  /** Brings one customer's index rows in line with its current data. */
  async reindexCustomer(
    m: EntityManager,
    tenant: string,
    customerId: string,
    keys: readonly IdentificationKey[],
    data: CustomerData,
  ): Promise<void> {
    const wanted = entriesOf(keys, data);
    const wantedClaims = claimsOf(keys, wanted);
    const entries = (await m.query(
      'SELECT key_id, prefix_len, value_hash FROM identification_entries WHERE tenant = ? AND customer_id = ?',
      [tenant, customerId],
    )) as { key_id: number | string; prefix_len: number | string; value_hash: string }[];
    const claims = (await m.query(
      'SELECT key_id, value_hash FROM unique_key_claims WHERE tenant = ? AND customer_id = ?',
      [tenant, customerId],
    )) as { key_id: number | string; value_hash: string }[];
    const existing = entries.map((r) => ({
      keyId: Number(r.key_id),
      prefixLen: Number(r.prefix_len),
      hash: r.value_hash,
    }));
    const existingClaims = claims.map((r) => ({ keyId: Number(r.key_id), prefixLen: 0, hash: r.value_hash }));
    const entryId = (e: Entry) => `${e.keyId}/${e.prefixLen}/${e.hash}`;
    const claimId = (e: Entry) => `${e.keyId}/${e.hash}`;
    const { added, removed } = diff(existing, wanted, entryId);
    const claimDiff = diff(existingClaims, wantedClaims, claimId);
    for (const e of removed)
      await m.query(
        'DELETE FROM identification_entries WHERE tenant = ? AND key_id = ? AND prefix_len = ? AND value_hash = ? AND customer_id = ?',
        [tenant, e.keyId, e.prefixLen, e.hash, customerId],
      );
    for (const e of claimDiff.removed)
      await m.query('DELETE FROM unique_key_claims WHERE tenant = ? AND key_id = ? AND value_hash = ?', [
        tenant,
        e.keyId,
        e.hash,
      ]);
    await this.insertEntries(m, tenant, customerId, added);
    await this.insertClaims(m, tenant, customerId, claimDiff.added);
  }

  /** Removes every index row of one customer (profile deleted or merged away). */
  removeCustomer(m: EntityManager, tenant: string, customerId: string): Promise<void> {
    return this.reindexCustomer(m, tenant, customerId, [], { core: {}, records: new Map() });
  }

  /** Indexes a customer that has no rows yet for `keys` (a new profile, or a new key). */
  async indexCustomer(
    m: EntityManager,
    tenant: string,
    customerId: string,
    keys: readonly IdentificationKey[],
    data: CustomerData,
  ): Promise<void> {
    const entries = entriesOf(keys, data);
    await this.insertEntries(m, tenant, customerId, entries);
    await this.insertClaims(m, tenant, customerId, claimsOf(keys, entries));
  }

  /** Customers holding `tuple` as the first `tuple.length` attributes of the key, ascending. */
  async lookup(
    m: EntityManager,
    tenant: string,
    key: IdentificationKey,
    tuple: StoredValue[],
  ): Promise<string[]> {
    const rows = (await m.query(
      'SELECT DISTINCT customer_id FROM identification_entries WHERE tenant = ? AND key_id = ? AND prefix_len = ? AND value_hash = ? ORDER BY customer_id',
      [tenant, key.id, tuple.length, tupleHash(tuple)],
    )) as { customer_id: string }[];
    // SQL ordering follows the column collation; the contract wants a binary order of the ids.
    return rows.map((r) => r.customer_id).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  private async insertEntries(
    m: EntityManager,
    tenant: string,
    customerId: string,
    entries: Entry[],
  ): Promise<void> {
    for (let i = 0; i < entries.length; i += BATCH) {
      const chunk = entries.slice(i, i + BATCH);
      await m.query(
        `INSERT INTO identification_entries (tenant, key_id, prefix_len, value_hash, customer_id) VALUES ${chunk.map(() => '(?, ?, ?, ?, ?)').join(', ')}`,
        chunk.flatMap((e) => [tenant, e.keyId, e.prefixLen, e.hash, customerId]),
      );
    }
  }

  private async insertClaims(
    m: EntityManager,
    tenant: string,
    customerId: string,
    claims: Entry[],
  ): Promise<void> {
    for (let i = 0; i < claims.length; i += BATCH) {
      const chunk = claims.slice(i, i + BATCH);
      await m.query(
        `INSERT INTO unique_key_claims (tenant, key_id, value_hash, customer_id) VALUES ${chunk.map(() => '(?, ?, ?, ?)').join(', ')}`,
        chunk.flatMap((e) => [tenant, e.keyId, e.hash, customerId]),
      );
    }
  }
}

/** The full tuples of `unique:true` keys: what no other customer may hold. */
function claimsOf(keys: readonly IdentificationKey[], entries: Entry[]): Entry[] {
  const uniqueKeys = new Map(
    keys.filter((k) => k.definition.unique).map((k) => [k.id, k.definition.attributes.length]),
  );
  return entries.filter((e) => uniqueKeys.get(e.keyId) === e.prefixLen).map((e) => ({ ...e, prefixLen: 0 }));
}

function diff(
  existing: Entry[],
  wanted: Entry[],
  id: (e: Entry) => string,
): { added: Entry[]; removed: Entry[] } {
  const have = new Set(existing.map(id));
  const want = new Set(wanted.map(id));
  return { added: wanted.filter((e) => !have.has(id(e))), removed: existing.filter((e) => !want.has(id(e))) };
}
