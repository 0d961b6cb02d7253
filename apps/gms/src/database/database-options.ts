import type { DatabaseOptions } from '@cs/platform';
import { ServiceEntity } from '../services/service.entity';
import { gmsMigrations } from './migrations';

export const gmsEntities = [ServiceEntity];

export function gmsDatabaseOptions(url: string): DatabaseOptions {
  return { url, entities: gmsEntities, migrations: gmsMigrations, migrationsTableName: 'gms_migrations' };
}
