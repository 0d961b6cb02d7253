import { EventSubjects, type ProfileView } from '@cs/contracts';
import { Injectable } from '@nestjs/common';
import type { RecordsByExtension } from '../extensions/extension-records.repository';
import { newCustomerId } from './customer-id';
import { parseProfileDocument } from './dto/profile-body';
import { profileNotFound } from './errors';
import { chooseKey, criteriaTuple, parseIdentifyQuery, requestedExtensions } from './identify';
import { profileAggregate, UcsEvents } from './profile-events';
import { toProfileWithExtensions, type ProfileState } from './profile-state';
import { checkCustomerId, ProfileStore } from './profile-store';

/** Customer profiles: P1–P4 and P9 (spec §4.1–§4.4, §4.9). Every write is one transaction. */
@Injectable()
export class ProfilesService {
  constructor(
    private readonly store: ProfileStore,
    private readonly events: UcsEvents,
  ) {}

  /** Spec §4.1 (P1): validates everything, then stores profile, records and index rows together. */
  async create(tenant: string, body: unknown): Promise<string> {
    const catalog = await this.store.catalog(tenant);
    const document = parseProfileDocument(body, this.store.coreSchema(tenant), (n) =>
      catalog.findExtension(n),
    );
    const customerId = newCustomerId();
    const state: ProfileState = { core: document.core, records: new Map() };
    for (const [extension, records] of document.extensions)
      if (records.length > 0) state.records.set(extension.name.toLowerCase(), records);
    await this.store.write(async (m) => {
      await this.store.insertProfile(m, tenant, customerId, document.core);
      for (const [extension, records] of document.extensions)
        if (records.length > 0) await this.store.addRecords(m, tenant, customerId, extension, records);
      await this.store.index(m, tenant, customerId, catalog, state);
      await this.events.record(
        m,
        EventSubjects.ucsProfileCreated,
        tenant,
        this.store.fullView(customerId, state, catalog),
        { aggregate: profileAggregate(tenant, customerId) },
      );
    });
    return customerId;
  }

  /** Spec §4.3 (P3): every core attribute with a value, plus the requested extensions. */
  async get(
    tenant: string,
    customerId: string,
    extensionNames: readonly string[] = [],
  ): Promise<ProfileView> {
    const core = await this.store.readCore(tenant, customerId);
    if (!core) throw profileNotFound(customerId);
    const schema = this.store.coreSchema(tenant);
    if (extensionNames.length === 0)
      return toProfileWithExtensions(customerId, { core, records: new Map() }, schema, []);
    const extensions = requestedExtensions(extensionNames, await this.store.catalog(tenant));
    const records = await this.store.listRecords(tenant, customerId);
    return toProfileWithExtensions(customerId, { core, records }, schema, extensions);
  }

  /** Spec §4.2 (P2): customers matching the chosen key's criteria, ascending by id. */
  async identify(tenant: string, pairs: Iterable<[string, string]>): Promise<ProfileView[]> {
    const query = parseIdentifyQuery(pairs);
    const catalog = await this.store.catalog(tenant);
    const extensions = requestedExtensions(query.extensions, catalog);
    const choice = chooseKey(catalog.keys, query);
    const schema = this.store.coreSchema(tenant);
    const tuple = criteriaTuple(choice, query, schema, catalog);
    const ids = await this.store.keyIndex.lookup(this.store.reader, tenant, choice.key, tuple);
    const withExtensions =
      extensions.length > 0 && (query.includeExtensions === 'always' || ids.length === 1) ? extensions : [];
    if (!query.includeProfile && withExtensions.length === 0)
      return ids.map((id) => ({ customer_id: id }) as ProfileView);
    const views: ProfileView[] = [];
    for (const id of ids) {
      const core = await this.store.readCore(tenant, id);
      if (!core) continue; // deleted since the lookup
      const records: RecordsByExtension =
        withExtensions.length > 0 ? await this.store.listRecords(tenant, id) : new Map();
      views.push(
        toProfileWithExtensions(id, { core, records }, schema, withExtensions, query.includeProfile),
      );
    }
    return views;
  }

  /** Spec §4.4 (P4): replaces the core attributes and each extension the body names. */
  async update(tenant: string, customerId: string, body: unknown): Promise<void> {
    await this.store.mustExist(tenant, customerId);
    checkCustomerId(body, customerId);
    const catalog = await this.store.catalog(tenant);
    const document = parseProfileDocument(body, this.store.coreSchema(tenant), (n) =>
      catalog.findExtension(n),
    );
    await this.store.write(async (m) => {
      const current = await this.store.lockState(m, tenant, customerId);
      await this.store.updateCore(m, tenant, customerId, document.core);
      for (const [extension, records] of document.extensions) {
        current.records.set(extension.name.toLowerCase(), records);
        await this.store.storeRecords(m, tenant, customerId, extension, records);
      }
      const next = { core: document.core, records: current.records };
      await this.store.reindex(m, tenant, customerId, catalog, next);
      await this.events.record(
        m,
        EventSubjects.ucsProfileUpdated,
        tenant,
        this.store.fullView(customerId, next, catalog),
        { aggregate: profileAggregate(tenant, customerId) },
      );
    });
  }

  /** Spec §4.9 (P9): the profile, its records and its index rows; interactions stay. */
  async delete(tenant: string, customerId: string): Promise<void> {
    const catalog = await this.store.catalog(tenant);
    await this.store.write(async (m) => {
      const before = await this.store.lockState(m, tenant, customerId);
      await this.store.removeCustomer(m, tenant, customerId);
      await this.events.record(
        m,
        EventSubjects.ucsProfileDeleted,
        tenant,
        this.store.fullView(customerId, before, catalog),
        { aggregate: profileAggregate(tenant, customerId) },
      );
    });
  }
}
