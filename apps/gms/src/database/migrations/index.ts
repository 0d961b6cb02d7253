import { CreateServices1764500000000 } from './1764500000000-create-services';
import { CreateStatesAndTasks1764600000000 } from './1764600000000-create-states-and-tasks';
import { CreateProcessedEvents1764950000000 } from './1764950000000-create-processed-events';
import { CreateOutbox1764960000000 } from './1764960000000-create-outbox';
import { CreateMaintenanceJobs1765100000000 } from './1765100000000-create-maintenance-jobs';

/** gms migration history, oldest first. */
export const gmsMigrations = [
  CreateServices1764500000000,
  CreateStatesAndTasks1764600000000,
  CreateProcessedEvents1764950000000,
  CreateOutbox1764960000000,
  CreateMaintenanceJobs1765100000000,
];
