import { CreateProfiles1764500000000 } from './1764500000000-create-profiles';

/** ucs migration history, oldest first. */
export const ucsMigrations = [CreateProfiles1764500000000];
