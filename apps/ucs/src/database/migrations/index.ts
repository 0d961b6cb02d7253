import { CreateProfiles1764500000000 } from './1764500000000-create-profiles';
import { CreateInteractions1764700000000 } from './1764700000000-create-interactions';

/** ucs migration history, oldest first. */
export const ucsMigrations = [CreateProfiles1764500000000, CreateInteractions1764700000000];
