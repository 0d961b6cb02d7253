import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { IdentificationKeysRepository } from '../identification-keys/identification-keys.repository';
import type { IdentificationKey } from '../identification-keys/identification-key';
import type { ExtensionSchema } from './extension-schema';
import { ExtensionSchemasRepository } from './extension-schemas.repository';

/** A tenant's extension schemas and identification keys, as one request sees them. */
export class Catalog {
  private readonly byLowerName: Map<string, ExtensionSchema>;

  constructor(
    readonly tenant: string,
    readonly extensions: readonly ExtensionSchema[],
    readonly keys: readonly IdentificationKey[],
  ) {
    this.byLowerName = new Map(extensions.map((e) => [e.name.toLowerCase(), e]));
  }

  /** Case-insensitive (spec §2.6). */
  findExtension(name: string): ExtensionSchema | undefined {
    return this.byLowerName.get(name.toLowerCase());
  }
}

@Injectable()
export class SchemaCatalog {
  constructor(
    private readonly extensions: ExtensionSchemasRepository,
    private readonly keys: IdentificationKeysRepository,
  ) {}

  async load(m: EntityManager, tenant: string): Promise<Catalog> {
    const [extensions, keys] = await Promise.all([
      this.extensions.list(m, tenant),
      this.keys.list(m, tenant),
    ]);
    return new Catalog(tenant, extensions, keys);
  }
}
