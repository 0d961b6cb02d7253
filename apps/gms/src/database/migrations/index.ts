import { CreateServices1764500000000 } from './1764500000000-create-services';

/** gms migration history, oldest first. */
export const gmsMigrations = [CreateServices1764500000000];
