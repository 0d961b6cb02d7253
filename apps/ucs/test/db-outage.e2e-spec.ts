import { EventSubjects } from '@cs/contracts';
import { describeDatabaseOutage } from '@cs/testing';
import { startUcs } from './start-ucs';

const PROFILES = '/genesys/1/cs/profiles';

// The shared drill (decision 0009) with ucs's write: creating a profile.
describeDatabaseOutage({
  name: 'ucs',
  databaseUrlVar: 'UCS_DATABASE_URL',
  start: startUcs,
  write: { uri: PROFILES, body: (label) => ({ FirstName: label }) },
  idField: 'customer_id',
  readUri: (id) => `${PROFILES}/${id}`,
  rows: { table: 'profiles', idColumn: 'customer_id' },
  event: { subject: EventSubjects.ucsProfileCreated, aggregate: (id) => `profile:1:${id}` },
});
