import { CreateProfiles1764500000000 } from './1764500000000-create-profiles';
import { CreateProfileSchemaAndKeys1764610000000 } from './1764610000000-create-profile-schema-and-keys';
import { CreateInteractions1764700000000 } from './1764700000000-create-interactions';
import { CreateOutbox1764900000000 } from './1764900000000-create-outbox';

/** ucs migration history, oldest first. */
export const ucsMigrations = [
  CreateProfiles1764500000000,
  CreateProfileSchemaAndKeys1764610000000,
  CreateInteractions1764700000000,
  CreateOutbox1764900000000,
];
