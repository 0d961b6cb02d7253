import type { DatabaseOptions } from '@cs/platform';
import { JobEntity } from '../maintenance/jobs/job.entity';
import { ServiceEntity } from '../services/service.entity';
import { StateEntity } from '../states/state.entity';
import { TaskEntity } from '../tasks/task.entity';
import { gmsMigrations } from './migrations';

export const gmsEntities = [ServiceEntity, StateEntity, TaskEntity, JobEntity];

export function gmsDatabaseOptions(url: string): DatabaseOptions {
  return { url, entities: gmsEntities, migrations: gmsMigrations, migrationsTableName: 'gms_migrations' };
}
