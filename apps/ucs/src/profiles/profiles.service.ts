import { EventSubjects, type ProfileView } from '@cs/contracts';
import { SERVICE_CONFIG, type ServiceConfig } from '@cs/platform';
import { ApiError } from '@cs/platform/core';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import {
  convertAttribute,
  parseExtensionValue,
  uniqueHashOf,
  unknownRecordAttribute,
  duplicateUniqueValues,
  type StoredRecord,
} from '../extensions/extension-record';
import { ExtensionRecordsRepository } from '../extensions/extension-records.repository';
import { KeyIndex } from '../identification-keys/key-index';
import { InteractionsRepository } from '../interactions/interactions.repository';
import type { ExtensionSchema } from '../schema/extension-schema';
import { PROFILE_SCHEMA, ProfileSchema } from '../schema/profile-schema';
import { SchemaCatalog, type Catalog } from '../schema/schema-catalog';
import { newCustomerId } from './customer-id';
import { parseProfileDocument } from './dto/profile-body';
import {
  customerIdMismatch,
  extensionNotFound,
  malformedBody,
  missingParameter,
  profileNotFound,
  uniqueViolation,
  unknownExtension,
} from './errors';
import { chooseKey, criteriaTuple, parseIdentifyQuery, requestedExtensions } from './identify';
import { mergeStates, parseMergeBody } from './merge';
import { UcsEvents } from './profile-events';
import { toProfileWithExtensions, type ProfileState } from './profile-state';
import { ProfilesRepository } from './profiles.repository';
import { isDuplicateKey, UnitOfWork } from './unit-of-work';

type Body = Record<string, unknown>;

function asObject(body: unknown, expected: string): Body {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw malformedBody(expected);
  return body as Body;
}

/** Customer profiles and their extension records (spec §4.1–§4.9). Every write is one transaction. */
@Injectable()
export class ProfilesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly profiles: ProfilesRepository,
    private readonly records: ExtensionRecordsRepository,
    private readonly catalogs: SchemaCatalog,
    private readonly index: KeyIndex,
    private readonly interactions: InteractionsRepository,
    private readonly events: UcsEvents,
    @Inject(PROFILE_SCHEMA) private readonly schema: ProfileSchema,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  /** Spec §4.1 (P1): validates everything, then stores profile, records and index rows together. */
  async create(tenant: string, body: unknown): Promise<string> {
    const catalog = await this.catalog(tenant);
    const document = parseProfileDocument(body, this.schema.forTenant(tenant), (n) =>
      catalog.findExtension(n),
    );
    const customerId = newCustomerId();
    const state: ProfileState = { core: document.core, records: new Map() };
    await this.write(async (m) => {
      const now = Date.now();
      await this.profiles.insert(m, {
        tenant,
        customerId,
        attributes: JSON.stringify(document.core),
        createdAt: now,
        updatedAt: now,
      });
      for (const [extension, records] of document.extensions) {
        if (records.length === 0) continue;
        state.records.set(extension.name.toLowerCase(), records);
        await this.storeRecords(m, tenant, customerId, extension, records);
      }
      await this.index.reindexCustomer(m, tenant, customerId, catalog.keys, state);
    });
    await this.events.publish(
      EventSubjects.ucsProfileCreated,
      tenant,
      this.fullView(customerId, state, catalog),
    );
    return customerId;
  }

  /** Spec §4.3 (P3): every core attribute with a value, plus the requested extensions. */
  async get(
    tenant: string,
    customerId: string,
    extensionNames: readonly string[] = [],
  ): Promise<ProfileView> {
    const row = await this.profiles.findById(tenant, customerId);
    if (!row) throw profileNotFound(customerId);
    if (extensionNames.length === 0)
      return toProfileWithExtensions(
        customerId,
        this.stateOf(row.attributes),
        this.schema.forTenant(tenant),
        [],
      );
    const catalog = await this.catalog(tenant);
    const extensions = requestedExtensions(extensionNames, catalog);
    const records = await this.records.listForCustomer(this.dataSource.manager, tenant, customerId);
    return toProfileWithExtensions(
      customerId,
      { ...this.stateOf(row.attributes), records },
      this.schema.forTenant(tenant),
      extensions,
    );
  }

  /** Spec §4.2 (P2): customers matching the chosen key's criteria, ascending by id. */
  async identify(tenant: string, pairs: Iterable<[string, string]>): Promise<ProfileView[]> {
    const query = parseIdentifyQuery(pairs);
    const catalog = await this.catalog(tenant);
    const extensions = requestedExtensions(query.extensions, catalog);
    const choice = chooseKey(catalog.keys, query);
    const tuple = criteriaTuple(choice, query, this.schema.forTenant(tenant), catalog);
    const m = this.dataSource.manager;
    const ids = await this.index.lookup(m, tenant, choice.key, tuple);
    const withExtensions =
      extensions.length > 0 && (query.includeExtensions === 'always' || ids.length === 1) ? extensions : [];
    if (!query.includeProfile && withExtensions.length === 0)
      return ids.map((id) => ({ customer_id: id }) as ProfileView);
    const views: ProfileView[] = [];
    for (const id of ids) {
      const row = await this.profiles.findById(tenant, id);
      if (!row) continue; // deleted since the lookup
      const { core } = this.stateOf(row.attributes);
      const records =
        withExtensions.length > 0
          ? await this.records.listForCustomer(m, tenant, id)
          : new Map<string, StoredRecord[]>();
      views.push(
        toProfileWithExtensions(
          id,
          { core, records },
          this.schema.forTenant(tenant),
          withExtensions,
          query.includeProfile,
        ),
      );
    }
    return views;
  }

  /** Spec §4.4 (P4): replaces the core attributes and each extension the body names. */
  async update(tenant: string, customerId: string, body: unknown): Promise<void> {
    if (!(await this.profiles.findById(tenant, customerId))) throw profileNotFound(customerId);
    this.checkCustomerId(body, customerId);
    const catalog = await this.catalog(tenant);
    const document = parseProfileDocument(body, this.schema.forTenant(tenant), (n) =>
      catalog.findExtension(n),
    );
    const state = await this.write(async (m) => {
      const current = await this.lockState(m, tenant, customerId);
      await this.profiles.updateCore(m, tenant, customerId, document.core);
      for (const [extension, records] of document.extensions) {
        current.records.set(extension.name.toLowerCase(), records);
        await this.storeRecords(m, tenant, customerId, extension, records);
      }
      const next = { core: document.core, records: current.records };
      await this.index.reindexCustomer(m, tenant, customerId, catalog.keys, next);
      return next;
    });
    await this.events.publish(
      EventSubjects.ucsProfileUpdated,
      tenant,
      this.fullView(customerId, state, catalog),
    );
  }

  /** Spec §4.9 (P9): the profile, its records and its index rows; interactions stay. */
  async delete(tenant: string, customerId: string): Promise<void> {
    const catalog = await this.catalog(tenant);
    const before = await this.write(async (m) => {
      const state = await this.lockState(m, tenant, customerId);
      await this.removeCustomer(m, tenant, customerId);
      return state;
    });
    await this.events.publish(
      EventSubjects.ucsProfileDeleted,
      tenant,
      this.fullView(customerId, before, catalog),
    );
  }

  /** Spec §4.5 (P5, A-11): single-valued replace, multi-valued upsert on the unique list, else append. */
  async insertRecords(tenant: string, customerId: string, body: unknown): Promise<void> {
    if (!(await this.profiles.findById(tenant, customerId))) throw profileNotFound(customerId);
    const input = asObject(body, 'an object of extension records');
    this.checkCustomerId(input, customerId);
    const entries = Object.entries(input).filter(([key]) => key !== 'customer_id');
    if (entries.length === 0) throw missingParameter('The body names no extension');
    const catalog = await this.catalog(tenant);
    const named = entries.map(([name, value]): [ExtensionSchema, unknown] => {
      const extension = catalog.findExtension(name);
      if (!extension) throw unknownExtension(name);
      return [extension, value];
    });
    if (new Set(named.map(([e]) => e)).size !== named.length)
      throw new ApiError(400, 'INVALID_PARAMETER', 'An extension is named twice in the body');
    const given = named.map(([extension, value]): [ExtensionSchema, StoredRecord[]] => [
      extension,
      parseExtensionValue(extension, value),
    ]);
    const state = await this.write(async (m) => {
      const current = await this.lockState(m, tenant, customerId);
      for (const [extension, records] of given) {
        const lc = extension.name.toLowerCase();
        const next = upsert(extension, current.records.get(lc) ?? [], records);
        current.records.set(lc, next);
        await this.storeRecords(m, tenant, customerId, extension, next);
      }
      await this.index.reindexCustomer(m, tenant, customerId, catalog.keys, current);
      return current;
    });
    await this.events.publish(
      EventSubjects.ucsProfileExtensionsUpdated,
      tenant,
      this.fullView(customerId, state, catalog),
      { extensions: given.map(([e]) => e.name) },
    );
  }

  /** Spec §4.6 (P6, A-19): a partial update of the record selected by its unique attributes. */
  async updateRecordByUnique(
    tenant: string,
    customerId: string,
    extensionName: string,
    body: unknown,
  ): Promise<void> {
    const { catalog, extension } = await this.byUniqueTarget(tenant, customerId, extensionName);
    const input = asObject(body, 'one extension record');
    const selector = this.selectorOf(extension, input);
    const changes: [string, StoredRecord[string] | null][] = [];
    for (const [name, value] of Object.entries(input)) {
      const attribute = extension.find(name);
      if (!attribute) throw unknownRecordAttribute(extension.name, name);
      if (extension.definition.unique.includes(attribute.name)) continue;
      if (value === null || value === undefined) {
        if (attribute.mandatory)
          throw new ApiError(
            400,
            'MISSING_MANDATORY_ATTRIBUTE',
            `Attribute '${extension.name}.${attribute.name}' is mandatory and cannot be cleared`,
          );
        changes.push([attribute.name, null]);
      } else changes.push([attribute.name, convertAttribute(extension.name, attribute, value)]);
    }
    const state = await this.write(async (m) => {
      const current = await this.lockState(m, tenant, customerId);
      const lc = extension.name.toLowerCase();
      const records = [...(current.records.get(lc) ?? [])];
      const at = records.findIndex((r) => uniqueHashOf(extension, r) === selector);
      if (at === -1) throw recordNotFound(extension.name);
      const record = { ...records[at] };
      for (const [name, value] of changes) {
        if (value === null) delete record[name];
        else record[name] = value;
      }
      records[at] = record;
      current.records.set(lc, records);
      await this.storeRecords(m, tenant, customerId, extension, records);
      await this.index.reindexCustomer(m, tenant, customerId, catalog.keys, current);
      return current;
    });
    await this.events.publish(
      EventSubjects.ucsProfileExtensionsUpdated,
      tenant,
      this.fullView(customerId, state, catalog),
      { extensions: [extension.name] },
    );
  }

  /** Spec §4.7 (P7, A-21): removes the record selected by its unique attributes; other attributes are ignored. */
  async deleteRecordByUnique(
    tenant: string,
    customerId: string,
    extensionName: string,
    body: unknown,
  ): Promise<void> {
    const { catalog, extension } = await this.byUniqueTarget(tenant, customerId, extensionName);
    const selector = this.selectorOf(extension, asObject(body, 'the unique attributes of a record'));
    const state = await this.write(async (m) => {
      const current = await this.lockState(m, tenant, customerId);
      const lc = extension.name.toLowerCase();
      const records = current.records.get(lc) ?? [];
      const remaining = records.filter((r) => uniqueHashOf(extension, r) !== selector);
      if (remaining.length === records.length) throw recordNotFound(extension.name);
      current.records.set(lc, remaining);
      await this.storeRecords(m, tenant, customerId, extension, remaining);
      await this.index.reindexCustomer(m, tenant, customerId, catalog.keys, current);
      return current;
    });
    await this.events.publish(
      EventSubjects.ucsProfileExtensionsUpdated,
      tenant,
      this.fullView(customerId, state, catalog),
      { extensions: [extension.name] },
    );
  }

  /** Spec §4.8 (P8): one transaction; the source's data and interactions move, then the source is deleted. */
  async merge(tenant: string, destinationId: string, sourceId: string, body: unknown): Promise<void> {
    if (destinationId === sourceId)
      throw new ApiError(400, 'INVALID_MERGE', 'A profile cannot be merged into itself');
    const options = parseMergeBody(body);
    if (!(await this.profiles.findById(tenant, destinationId))) throw profileNotFound(destinationId);
    if (!(await this.profiles.findById(tenant, sourceId))) throw profileNotFound(sourceId);
    const catalog = await this.catalog(tenant);
    const merged = await this.write(async (m) => {
      // Lock in id order so two merges of the same pair cannot deadlock.
      const [first, second] = [destinationId, sourceId].sort();
      const locked = new Map([
        [first, await this.lockState(m, tenant, first)],
        [second, await this.lockState(m, tenant, second)],
      ]);
      const destination = locked.get(destinationId) as ProfileState;
      const source = locked.get(sourceId) as ProfileState;
      const state = mergeStates(destination, source, catalog.extensions, options.keepUniqFromSrc);
      await this.removeCustomer(m, tenant, sourceId);
      await this.interactions.moveToCustomer(m, tenant, sourceId, destinationId);
      await this.profiles.updateCore(m, tenant, destinationId, state.core);
      for (const extension of catalog.extensions) {
        const lc = extension.name.toLowerCase();
        if ((source.records.get(lc) ?? []).length === 0) continue;
        await this.storeRecords(m, tenant, destinationId, extension, state.records.get(lc) ?? []);
      }
      await this.index.reindexCustomer(m, tenant, destinationId, catalog.keys, state);
      return state;
    });
    const audit = asAudit(body);
    this.config.logger.info(
      { tenant, customer_id: destinationId, src_id: sourceId, ...audit },
      'profiles merged',
    );
    await this.events.publish(EventSubjects.ucsProfileMerged, tenant, {
      customer_id: destinationId,
      src_id: sourceId,
      keep_uniq_from_src: options.keepUniqFromSrc,
      keep_active_service_only: options.keepActiveServiceOnly,
      profile: this.fullView(destinationId, merged, catalog),
    });
  }

  private async byUniqueTarget(
    tenant: string,
    customerId: string,
    extensionName: string,
  ): Promise<{ catalog: Catalog; extension: ExtensionSchema }> {
    if (!(await this.profiles.findById(tenant, customerId))) throw profileNotFound(customerId);
    const catalog = await this.catalog(tenant);
    const extension = catalog.findExtension(extensionName);
    if (!extension) throw extensionNotFound(extensionName);
    if (!extension.multiValued || extension.definition.unique.length === 0)
      throw new ApiError(
        400,
        'NOT_MULTI_VALUED',
        `Extension '${extension.name}' is not multi-valued with a unique list; records cannot be addressed by unique`,
      );
    return { catalog, extension };
  }

  /** The unique-attribute hash a by-unique body selects (spec §4.6, §4.7). */
  private selectorOf(extension: ExtensionSchema, input: Body): string {
    const lowerKeys = new Map(Object.keys(input).map((k) => [k.toLowerCase(), k]));
    const record: StoredRecord = {};
    for (const attribute of extension.uniqueAttributes) {
      const key = lowerKeys.get(attribute.name.toLowerCase());
      const value = key === undefined ? undefined : input[key];
      if (value === undefined || value === null)
        throw new ApiError(
          400,
          'MISSING_UNIQUE_ATTRIBUTE',
          `The body lacks unique attribute '${attribute.name}' of extension '${extension.name}'`,
        );
      record[attribute.name] = convertAttribute(extension.name, attribute, value);
    }
    return uniqueHashOf(extension, record) as string;
  }

  private checkCustomerId(body: unknown, customerId: string): void {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return;
    const given = (body as Body).customer_id;
    if (given !== undefined && given !== customerId) throw customerIdMismatch(customerId);
  }

  private async lockState(m: EntityManager, tenant: string, customerId: string): Promise<ProfileState> {
    const core = await this.profiles.lockCore(m, tenant, customerId);
    if (!core) throw profileNotFound(customerId);
    return { core, records: await this.records.listForCustomer(m, tenant, customerId) };
  }

  private async removeCustomer(m: EntityManager, tenant: string, customerId: string): Promise<void> {
    await this.index.removeCustomer(m, tenant, customerId);
    await this.records.deleteForCustomer(m, tenant, customerId);
    await this.profiles.delete(m, tenant, customerId);
  }

  private async storeRecords(
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

  /** Runs a write; a unique index refusing a row is the spec's 409 (§2.11). */
  private async write<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.uow.run(work);
    } catch (error) {
      if (isDuplicateKey(error)) throw uniqueViolation();
      throw error;
    }
  }

  private catalog(tenant: string): Promise<Catalog> {
    return this.catalogs.load(this.dataSource.manager, tenant);
  }

  private stateOf(attributes: string): ProfileState {
    return { core: JSON.parse(attributes) as ProfileState['core'], records: new Map() };
  }

  /** Event data: the profile with every extension (`extensions=all`, EventSubjects). */
  private fullView(customerId: string, state: ProfileState, catalog: Catalog): ProfileView {
    return toProfileWithExtensions(
      customerId,
      state,
      this.schema.forTenant(catalog.tenant),
      catalog.extensions,
    );
  }
}

const recordNotFound = (extension: string): ApiError =>
  new ApiError(
    404,
    'EXTENSION_RECORD_NOT_FOUND',
    `No record of extension '${extension}' matches the supplied unique attributes`,
  );

/** P5 semantics for one extension. */
function upsert(extension: ExtensionSchema, existing: StoredRecord[], given: StoredRecord[]): StoredRecord[] {
  if (!extension.multiValued) return given;
  if (extension.definition.unique.length === 0) return [...existing, ...given];
  const next = [...existing];
  const seen = new Set<string>();
  for (const record of given) {
    const hash = uniqueHashOf(extension, record) as string;
    if (seen.has(hash)) throw duplicateUniqueValues(extension.name);
    seen.add(hash);
    const at = next.findIndex((r) => uniqueHashOf(extension, r) === hash);
    if (at === -1) next.push(record);
    else next[at] = record;
  }
  return next;
}

/** The UCS-variant merge fields, for the audit log only. */
function asAudit(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null) return { agent_id: '0' };
  const { agent_id = '0', reason, description } = body as Body;
  return { agent_id, reason, description };
}
