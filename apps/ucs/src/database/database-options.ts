import type { DatabaseDeadline, DatabaseOptions } from '@cs/platform';
import { InteractionContentEntity, InteractionEntity } from '../interactions/interaction.entity';
import { ProfileEntity } from '../profiles/profile.entity';
import { ProcessedEventEntity } from '../service-events/processed-event.entity';
import { ucsMigrations } from './migrations';

export const ucsEntities = [ProfileEntity, ProcessedEventEntity, InteractionEntity, InteractionContentEntity];

/** `deadline`: the app's request deadline (env); migration tools leave it out. */
export function ucsDatabaseOptions(url: string, deadline?: DatabaseDeadline): DatabaseOptions {
  return {
    url,
    deadline,
    entities: ucsEntities,
    migrations: ucsMigrations,
    migrationsTableName: 'ucs_migrations',
  };
}
