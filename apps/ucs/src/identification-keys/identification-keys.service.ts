import { EventSubjects } from '@cs/contracts';
import { ApiError } from '@cs/platform/core';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { ExtensionRecordsRepository } from '../extensions/extension-records.repository';
import type { StoredRecord } from '../extensions/extension-record';
import { UcsEvents } from '../profiles/profile-events';
import { ProfilesRepository } from '../profiles/profiles.repository';
import { isDuplicateKey, UnitOfWork } from '../profiles/unit-of-work';
import { uniqueViolation } from '../profiles/errors';
import { checkObjectName } from '../schema/names';
import { PROFILE_SCHEMA, ProfileSchema } from '../schema/profile-schema';
import { SchemaCatalog } from '../schema/schema-catalog';
import { parseKeyBody, toKeyView, type IdentificationKey } from './identification-key';
import { IdentificationKeysRepository } from './identification-keys.repository';
import { KeyIndex } from './key-index';

const alreadyExists = (name: string) =>
  new ApiError(409, 'ALREADY_EXISTS', `Identification key '${name}' already exists`);
const keyNotFound = (name: string) =>
  new ApiError(
    404,
    'IDENTIFICATION_KEY_NOT_FOUND',
    `Identification key '${name.slice(0, 64)}' does not exist`,
  );

/** Identification keys (S5–S7): definitions plus the index built from existing data. */
@Injectable()
export class IdentificationKeysService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly keys: IdentificationKeysRepository,
    private readonly catalogs: SchemaCatalog,
    private readonly index: KeyIndex,
    private readonly profiles: ProfilesRepository,
    private readonly records: ExtensionRecordsRepository,
    private readonly events: UcsEvents,
    @Inject(PROFILE_SCHEMA) private readonly schema: ProfileSchema,
  ) {}

  async list(tenant: string): Promise<Record<string, unknown>[]> {
    return (await this.keys.list(this.dataSource.manager, tenant)).map(toKeyView);
  }

  async get(tenant: string, name: string): Promise<Record<string, unknown>> {
    const key = await this.keys.find(this.dataSource.manager, tenant, name);
    if (!key) throw keyNotFound(name);
    return toKeyView(key);
  }

  /**
   * Spec §4.15 (S6). The key is indexed over the tenant's existing data in the same transaction;
   * with `unique:true`, two customers already sharing a value tuple make it fail with 409.
   */
  async create(tenant: string, body: unknown): Promise<string> {
    const catalog = await this.catalogs.load(this.dataSource.manager, tenant);
    if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
      const name = checkObjectName((body as Record<string, unknown>).name, 'identification key');
      if (catalog.keys.some((k) => k.name.toLowerCase() === name.toLowerCase())) throw alreadyExists(name);
    }
    const definition = parseKeyBody(body, this.schema.forTenant(tenant), (n) => catalog.findExtension(n));
    let stage: 'key' | 'index' = 'key';
    await this.uow
      .run(async (m) => {
        stage = 'key'; // a retried transaction starts over
        const key = await this.keys.insert(m, tenant, definition);
        stage = 'index';
        await this.indexExisting(m, tenant, key);
        await this.events.record(m, EventSubjects.ucsIdentificationKeyCreated, tenant, toKeyView(key), {
          aggregate: `identification-key:${tenant}:${key.name}`,
        });
      })
      .catch((error: unknown) => {
        if (!isDuplicateKey(error)) throw error;
        throw stage === 'key' ? alreadyExists(definition.name) : uniqueViolation();
      });
    return definition.name;
  }

  /** Spec §4.16 (S7): the definition and its index rows. */
  async delete(tenant: string, name: string): Promise<void> {
    await this.uow.run(async (m) => {
      // Locked: two concurrent deletes must not both succeed (and both announce the deletion).
      const key = await this.keys.find(m, tenant, name, true);
      if (!key) throw keyNotFound(name);
      await this.keys.delete(m, tenant, key);
      await this.events.record(m, EventSubjects.ucsIdentificationKeyDeleted, tenant, toKeyView(key), {
        aggregate: `identification-key:${tenant}:${key.name}`,
      });
    });
  }

  private async indexExisting(m: EntityManager, tenant: string, key: IdentificationKey): Promise<void> {
    const source = key.sourceLc;
    if (source === null) {
      for (const { customerId, core } of await this.profiles.listCore(m, tenant))
        await this.index.indexCustomer(m, tenant, customerId, [key], { core, records: new Map() });
      return;
    }
    const byCustomer = new Map<string, StoredRecord[]>();
    for (const { customerId, record } of await this.records.listForExtension(m, tenant, source))
      byCustomer.set(customerId, [...(byCustomer.get(customerId) ?? []), record]);
    for (const [customerId, records] of byCustomer)
      await this.index.indexCustomer(m, tenant, customerId, [key], {
        core: {},
        records: new Map([[source, records]]),
      });
  }
}
