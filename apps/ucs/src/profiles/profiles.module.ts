import { Module } from '@nestjs/common';
import { ExtensionRecordsRepository } from '../extensions/extension-records.repository';
import { ExtensionRecordsService } from '../extensions/extension-records.service';
import { IdentificationKeysController } from '../identification-keys/identification-keys.controller';
import { IdentificationKeysRepository } from '../identification-keys/identification-keys.repository';
import { IdentificationKeysService } from '../identification-keys/identification-keys.service';
import { KeyIndex } from '../identification-keys/key-index';
import { InteractionsModule } from '../interactions/interactions.module';
import { ExtensionSchemasRepository } from '../schema/extension-schemas.repository';
import { SchemaCatalog } from '../schema/schema-catalog';
import { SchemaController } from '../schema/schema.controller';
import { SchemaService } from '../schema/schema.service';
import { MergeService } from './merge.service';
import { UcsEvents } from './profile-events';
import { ProfileStore } from './profile-store';
import { ProfilesController } from './profiles.controller';
import { ProfilesMessagesController } from './profiles.messages';
import { ProfilesRepository } from './profiles.repository';
import { ProfilesService } from './profiles.service';
import { UnitOfWork } from './unit-of-work';

/**
 * Customer profiles with their schema: core profile schema, extension schemas, identification keys,
 * profiles and extension records (spec §4.1–§4.16). `Transactions` comes from the global UcsModule,
 * so all ucs writes share one SQLite queue.
 */
@Module({
  imports: [InteractionsModule],
  controllers: [
    SchemaController,
    IdentificationKeysController,
    ProfilesController,
    ProfilesMessagesController,
  ],
  providers: [
    UnitOfWork,
    UcsEvents,
    ProfileStore,
    ProfilesService,
    ExtensionRecordsService,
    MergeService,
    ProfilesRepository,
    ExtensionRecordsRepository,
    ExtensionSchemasRepository,
    IdentificationKeysRepository,
    IdentificationKeysService,
    KeyIndex,
    SchemaCatalog,
    SchemaService,
  ],
})
export class ProfilesModule {}
