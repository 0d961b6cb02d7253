import type { DatabaseDeadline, DatabaseOptions } from '@cs/platform';
import { JobEntity } from '../maintenance/jobs/job.entity';
import { ServiceEntity } from '../services/service.entity';
import { StateEntity } from '../states/state.entity';
import { TaskEntity } from '../tasks/task.entity';
import { gmsMigrations } from './migrations';

export const gmsEntities = [ServiceEntity, StateEntity, TaskEntity, JobEntity];

/** `deadline`: the app's request deadline (env); migration tools leave it out. */
export function gmsDatabaseOptions(url: string, deadline?: DatabaseDeadline): DatabaseOptions {
  return {
    url,
    deadline,
    entities: gmsEntities,
    migrations: gmsMigrations,
    migrationsTableName: 'gms_migrations',
  };
}
