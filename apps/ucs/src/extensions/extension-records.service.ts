import { EventSubjects } from '@cs/contracts';
import { ApiError } from '@cs/platform/core';
import { Injectable } from '@nestjs/common';
import { extensionNotFound, missingParameter, unknownExtension } from '../profiles/errors';
import { profileAggregate, UcsEvents } from '../profiles/profile-events';
import { asObject, checkCustomerId, ProfileStore, type Body } from '../profiles/profile-store';
import type { ExtensionSchema } from '../schema/extension-schema';
import type { Catalog } from '../schema/schema-catalog';
import {
  convertAttribute,
  duplicateUniqueValues,
  parseExtensionValue,
  uniqueHashOf,
  unknownRecordAttribute,
  type StoredRecord,
} from './extension-record';

const recordNotFound = (extension: string): ApiError =>
  new ApiError(
    404,
    'EXTENSION_RECORD_NOT_FOUND',
    `No record of extension '${extension}' matches the supplied unique attributes`,
  );

/** New records of each extension from the current ones (the whole list is stored back). */
type RecordChange = [ExtensionSchema, (current: StoredRecord[]) => StoredRecord[]];

/** Extension records of a profile: P5, P6, P7 (spec §4.5–§4.7). */
@Injectable()
export class ExtensionRecordsService {
  constructor(
    private readonly store: ProfileStore,
    private readonly events: UcsEvents,
  ) {}

  /** Spec §4.5 (P5, A-11): single-valued replace, multi-valued upsert on the unique list, else append. */
  async insert(tenant: string, customerId: string, body: unknown): Promise<void> {
    await this.store.mustExist(tenant, customerId);
    const input = asObject(body, 'an object of extension records');
    checkCustomerId(input, customerId);
    const entries = Object.entries(input).filter(([key]) => key !== 'customer_id');
    if (entries.length === 0) throw missingParameter('The body names no extension');
    const catalog = await this.store.catalog(tenant);
    const named = entries.map(([name, value]): [ExtensionSchema, unknown] => {
      const extension = catalog.findExtension(name);
      if (!extension) throw unknownExtension(name);
      return [extension, value];
    });
    if (new Set(named.map(([e]) => e)).size !== named.length)
      throw new ApiError(400, 'INVALID_PARAMETER', 'An extension is named twice in the body');
    const changes = named.map(([extension, value]): RecordChange => {
      const given = parseExtensionValue(extension, value);
      return [extension, (current) => upsert(extension, current, given)];
    });
    await this.apply(tenant, customerId, catalog, changes);
  }

  /** Spec §4.6 (P6, A-19): a partial update of the record selected by its unique attributes. */
  async updateByUnique(
    tenant: string,
    customerId: string,
    extensionName: string,
    body: unknown,
  ): Promise<void> {
    const { catalog, extension } = await this.byUniqueTarget(tenant, customerId, extensionName);
    const input = asObject(body, 'one extension record');
    const selector = selectorOf(extension, input);
    const updates: [string, StoredRecord[string] | null][] = [];
    for (const [name, value] of Object.entries(input)) {
      const attribute = extension.find(name);
      if (!attribute) throw unknownRecordAttribute(extension.name, name);
      if (extension.definition.unique.includes(attribute.name)) continue;
      if (value !== null && value !== undefined)
        updates.push([attribute.name, convertAttribute(extension.name, attribute, value)]);
      else if (attribute.mandatory)
        throw new ApiError(
          400,
          'MISSING_MANDATORY_ATTRIBUTE',
          `Attribute '${extension.name}.${attribute.name}' is mandatory and cannot be cleared`,
        );
      else updates.push([attribute.name, null]);
    }
    await this.apply(tenant, customerId, catalog, [
      [
        extension,
        (current) => {
          const at = current.findIndex((r) => uniqueHashOf(extension, r) === selector);
          if (at === -1) throw recordNotFound(extension.name);
          const record = { ...current[at] };
          for (const [name, value] of updates) {
            if (value === null) delete record[name];
            else record[name] = value;
          }
          return current.map((r, i) => (i === at ? record : r));
        },
      ],
    ]);
  }

  /** Spec §4.7 (P7, A-21): removes the record selected by its unique attributes; other attributes are ignored. */
  async deleteByUnique(
    tenant: string,
    customerId: string,
    extensionName: string,
    body: unknown,
  ): Promise<void> {
    const { catalog, extension } = await this.byUniqueTarget(tenant, customerId, extensionName);
    const selector = selectorOf(extension, asObject(body, 'the unique attributes of a record'));
    await this.apply(tenant, customerId, catalog, [
      [
        extension,
        (current) => {
          const remaining = current.filter((r) => uniqueHashOf(extension, r) !== selector);
          if (remaining.length === current.length) throw recordNotFound(extension.name);
          return remaining;
        },
      ],
    ]);
  }

  /** One transaction: the customer's records changed, stored, re-indexed; then the event. */
  private async apply(
    tenant: string,
    customerId: string,
    catalog: Catalog,
    changes: RecordChange[],
  ): Promise<void> {
    await this.store.write(async (m) => {
      const current = await this.store.lockState(m, tenant, customerId);
      for (const [extension, change] of changes) {
        const lc = extension.name.toLowerCase();
        const next = change(current.records.get(lc) ?? []);
        current.records.set(lc, next);
        await this.store.storeRecords(m, tenant, customerId, extension, next);
      }
      await this.store.reindex(m, tenant, customerId, catalog, current);
      await this.events.record(
        m,
        EventSubjects.ucsProfileExtensionsUpdated,
        tenant,
        this.store.fullView(customerId, current, catalog),
        {
          aggregate: profileAggregate(tenant, customerId),
          meta: { extensions: changes.map(([e]) => e.name) },
        },
      );
    });
  }

  /** Error order of §4.6/§4.7: profile, extension, then its kind. */
  private async byUniqueTarget(
    tenant: string,
    customerId: string,
    extensionName: string,
  ): Promise<{ catalog: Catalog; extension: ExtensionSchema }> {
    await this.store.mustExist(tenant, customerId);
    const catalog = await this.store.catalog(tenant);
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
}

/** The unique-attribute hash a by-unique body selects (spec §4.6, §4.7). */
function selectorOf(extension: ExtensionSchema, input: Body): string {
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
