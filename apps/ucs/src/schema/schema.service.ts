import { EventSubjects } from '@cs/contracts';
import { ApiError } from '@cs/platform/core';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ExtensionRecordsRepository } from '../extensions/extension-records.repository';
import { IdentificationKeysRepository } from '../identification-keys/identification-keys.repository';
import { extensionNotFound } from '../profiles/errors';
import { UcsEvents } from '../profiles/profile-events';
import { isDuplicateKey, UnitOfWork } from '../profiles/unit-of-work';
import { parseExtensionSchemaBody, toExtensionSchemaView, type ExtensionSchema } from './extension-schema';
import { ExtensionSchemasRepository } from './extension-schemas.repository';
import { PROFILE_SCHEMA, ProfileSchema, type CoreAttribute } from './profile-schema';

const alreadyExists = (name: string) =>
  new ApiError(409, 'ALREADY_EXISTS', `Extension '${name}' already exists`);

/** The core profile schema (S1) and extension schemas (S2–S4). */
@Injectable()
export class SchemaService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly extensions: ExtensionSchemasRepository,
    private readonly keys: IdentificationKeysRepository,
    private readonly records: ExtensionRecordsRepository,
    private readonly events: UcsEvents,
    @Inject(PROFILE_SCHEMA) private readonly schema: ProfileSchema,
  ) {}

  /** Spec §4.10 (S1): the configured core attributes, in configuration order. */
  profileSchema(tenant: string): CoreAttribute[] {
    return this.schema.forTenant(tenant).attributes.map(({ name, type }) => ({ name, type }));
  }

  /** Spec §4.11 (S2). */
  async create(tenant: string, body: unknown): Promise<string> {
    const definition = parseExtensionSchemaBody(body);
    await this.uow
      .run(async (m) => {
        if (await this.extensions.find(m, tenant, definition.name)) throw alreadyExists(definition.name);
        // One namespace for core attributes, extensions and the reserved `customer_id` (spec §2.3).
        const clash =
          definition.name.toLowerCase() === 'customer_id'
            ? 'customer_id'
            : this.schema.forTenant(tenant).find(definition.name)?.name;
        if (clash !== undefined)
          throw new ApiError(
            409,
            'NAME_CONFLICT',
            `Extension name '${definition.name}' collides with the profile member '${clash}'`,
          );
        await this.extensions.insert(m, tenant, definition);
        const created = (await this.extensions.find(m, tenant, definition.name)) as ExtensionSchema;
        await this.events.record(
          m,
          EventSubjects.ucsExtensionSchemaCreated,
          tenant,
          toExtensionSchemaView(created),
          {
            aggregate: `extension-schema:${tenant}:${created.name}`,
          },
        );
        return created;
      })
      .catch((error: unknown) => {
        throw isDuplicateKey(error) ? alreadyExists(definition.name) : error;
      });
    return definition.name;
  }

  /** Spec §4.12 (S3): all schemas in creation order. */
  async list(tenant: string): Promise<Record<string, unknown>[]> {
    return (await this.extensions.list(this.dataSource.manager, tenant)).map(toExtensionSchemaView);
  }

  /** Spec §4.12 (S3): one schema, case-insensitive name. */
  async get(tenant: string, name: string): Promise<Record<string, unknown>> {
    const schema = await this.extensions.find(this.dataSource.manager, tenant, name);
    if (!schema) throw extensionNotFound(name);
    return toExtensionSchemaView(schema);
  }

  /** Spec §4.13 (S4): the schema and every record of it; refused while a key uses it. */
  async delete(tenant: string, name: string): Promise<void> {
    await this.uow.run(async (m) => {
      // Locked: two concurrent deletes must not both succeed (and both announce the deletion).
      const schema = await this.extensions.find(m, tenant, name, true);
      if (!schema) throw extensionNotFound(name);
      if ((await this.keys.countUsing(m, tenant, schema.name)) > 0)
        throw new ApiError(
          409,
          'SCHEMA_IN_USE',
          `Extension '${schema.name}' is used by an identification key; delete the key first`,
        );
      await this.records.deleteForExtension(m, tenant, schema.name.toLowerCase());
      await this.extensions.delete(m, tenant, schema.name);
      await this.events.record(
        m,
        EventSubjects.ucsExtensionSchemaDeleted,
        tenant,
        toExtensionSchemaView(schema),
        {
          aggregate: `extension-schema:${tenant}:${schema.name}`,
        },
      );
    });
  }
}
