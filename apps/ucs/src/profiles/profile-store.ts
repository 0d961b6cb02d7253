import type { ProfileView } from '@cs/contracts';
import { ApiError } from '@cs/platform/core';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { uniqueHashOf, type StoredRecord } from '../extensions/extension-record';
import { ExtensionRecordsRepository } from '../extensions/extension-records.repository';
import { KeyIndex } from '../identification-keys/key-index';
import type { ExtensionSchema } from '../schema/extension-schema';
import { PROFILE_SCHEMA, ProfileSchema } from '../schema/profile-schema';
import { SchemaCatalog, type Catalog } from '../schema/schema-catalog';
import type { CoreValues } from './dto/profile-body';
import { customerIdMismatch, malformedBody, profileNotFound, uniqueViolation } from './errors';
import { toProfileWithExtensions, type ProfileState } from './profile-state';
import { ProfilesRepository } from './profiles.repository';
import { isDuplicateKey, UnitOfWork } from './unit-of-work';

export type Body = Record<string, unknown>;

/**
 * A JSON object body, else 400 MALFORMED_JSON. Its keys name attributes or extensions, which are
 * case-insensitive (spec §2.6): two keys differing only in case are ambiguous → 400 INVALID_PARAMETER.
 */
export function asObject(body: unknown, expected: string): Body {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw malformedBody(expected);
  const seen = new Set<string>();
  for (const key of Object.keys(body)) {
    const lower = key.toLowerCase();
    if (seen.has(lower))
      throw new ApiError(400, 'INVALID_PARAMETER', `'${key.slice(0, 64)}' is given twice in the body`);
    seen.add(lower);
  }
  return body as Body;
}

/** A body's `customer_id`, when present, must equal the path's (spec §4.4, §4.5). */
export function checkCustomerId(body: unknown, customerId: string): void {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return;
  const given = (body as Body).customer_id;
  if (given !== undefined && given !== customerId) throw customerIdMismatch(customerId);
}

/**
 * What every profile operation shares: the tenant's catalog and core schema, the transaction that
 * maps unique-index refusals to 409, and the steps that keep profile, records and index consistent.
 */
@Injectable()
export class ProfileStore {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly profiles: ProfilesRepository,
    private readonly records: ExtensionRecordsRepository,
    private readonly catalogs: SchemaCatalog,
    readonly keyIndex: KeyIndex,
    @Inject(PROFILE_SCHEMA) private readonly schema: ProfileSchema,
  ) {}

  get reader(): EntityManager {
    return this.dataSource.manager;
  }

  coreSchema(tenant: string): ProfileSchema {
    return this.schema.forTenant(tenant);
  }

  catalog(tenant: string): Promise<Catalog> {
    return this.catalogs.load(this.dataSource.manager, tenant);
  }

  /** Core values of a profile outside any transaction; undefined when it does not exist. */
  async readCore(tenant: string, customerId: string): Promise<CoreValues | undefined> {
    const row = await this.profiles.findById(tenant, customerId);
    return row ? (JSON.parse(row.attributes) as CoreValues) : undefined;
  }

  /** 404 PROFILE_NOT_FOUND unless the profile exists (checked before the body, per the error order). */
  async mustExist(tenant: string, customerId: string): Promise<void> {
    if (!(await this.profiles.findById(tenant, customerId))) throw profileNotFound(customerId);
  }

  /** Runs a write as one transaction; a unique index refusing a row is the spec's 409 (§2.11). */
  async write<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.uow.run(work);
    } catch (error) {
      if (isDuplicateKey(error)) throw uniqueViolation();
      throw error;
    }
  }

  /** A customer's core values (row-locked on MySQL) and records, inside a write. */
  async lockState(m: EntityManager, tenant: string, customerId: string): Promise<ProfileState> {
    const core = await this.profiles.lockCore(m, tenant, customerId);
    if (!core) throw profileNotFound(customerId);
    return { core, records: await this.records.listForCustomer(m, tenant, customerId) };
  }

  async insertProfile(m: EntityManager, tenant: string, customerId: string, core: CoreValues): Promise<void> {
    const now = Date.now();
    await this.profiles.insert(m, {
      tenant,
      customerId,
      attributes: JSON.stringify(core),
      createdAt: now,
      updatedAt: now,
    });
  }

  updateCore(m: EntityManager, tenant: string, customerId: string, core: CoreValues): Promise<void> {
    return this.profiles.updateCore(m, tenant, customerId, core);
  }

  /** Records of a new profile (nothing to replace). */
  async addRecords(
    m: EntityManager,
    tenant: string,
    customerId: string,
    extension: ExtensionSchema,
    records: readonly StoredRecord[],
  ): Promise<void> {
    await this.records.insert(
      m,
      tenant,
      customerId,
      extension.name.toLowerCase(),
      records.map((record) => ({ record, uniqueHash: uniqueHashOf(extension, record) })),
    );
  }

  /** Replaces all records of one extension of a customer. */
  async storeRecords(
    m: EntityManager,
    tenant: string,
    customerId: string,
    extension: ExtensionSchema,
    records: readonly StoredRecord[],
  ): Promise<void> {
    await this.records.replace(
      m,
      tenant,
      customerId,
      extension.name.toLowerCase(),
      records.map((record) => ({ record, uniqueHash: uniqueHashOf(extension, record) })),
    );
  }

  /** Indexes a new profile; a unique clash fails the write. */
  index(
    m: EntityManager,
    tenant: string,
    customerId: string,
    catalog: Catalog,
    state: ProfileState,
  ): Promise<void> {
    return this.keyIndex.indexCustomer(m, tenant, customerId, catalog.keys, state);
  }

  /** Rewrites the customer's identification index from its state; a unique clash fails the write. */
  reindex(
    m: EntityManager,
    tenant: string,
    customerId: string,
    catalog: Catalog,
    state: ProfileState,
  ): Promise<void> {
    return this.keyIndex.reindexCustomer(m, tenant, customerId, catalog.keys, state);
  }

  /** Removes profile, records and index rows (P9, merge source). */
  async removeCustomer(m: EntityManager, tenant: string, customerId: string): Promise<void> {
    await this.keyIndex.removeCustomer(m, tenant, customerId);
    await this.records.deleteForCustomer(m, tenant, customerId);
    await this.profiles.delete(m, tenant, customerId);
  }

  listRecords(tenant: string, customerId: string): ReturnType<ExtensionRecordsRepository['listForCustomer']> {
    return this.records.listForCustomer(this.dataSource.manager, tenant, customerId);
  }

  /** Event data: the profile with every extension of the tenant (EventSubjects). */
  fullView(customerId: string, state: ProfileState, catalog: Catalog): ProfileView {
    return toProfileWithExtensions(customerId, state, this.coreSchema(catalog.tenant), catalog.extensions);
  }
}
