import type { DatabaseOptions } from '@cs/platform';
import { InteractionContentEntity, InteractionEntity } from '../interactions/interaction.entity';
import { ProfileEntity } from '../profiles/profile.entity';
import { ProcessedEventEntity } from '../service-events/processed-event.entity';
import { ucsMigrations } from './migrations';

export const ucsEntities = [ProfileEntity, ProcessedEventEntity, InteractionEntity, InteractionContentEntity];

export function ucsDatabaseOptions(url: string): DatabaseOptions {
  return { url, entities: ucsEntities, migrations: ucsMigrations, migrationsTableName: 'ucs_migrations' };
}
