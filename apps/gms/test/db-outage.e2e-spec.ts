import { EventSubjects } from '@cs/contracts';
import { describeDatabaseOutage } from '@cs/testing';
import { startGms } from './start-gms';

const BASE = '/genesys/1/cs';

// The shared drill (decision 0009) with gms's write: starting a service.
describeDatabaseOutage({
  name: 'gms',
  databaseUrlVar: 'GMS_DATABASE_URL',
  start: startGms,
  write: { uri: `${BASE}/services/start`, body: (label) => ({ customer_id: `C-${label}` }) },
  idField: 'service_id',
  readUri: (id) => `${BASE}/services/${id}`,
  rows: { table: 'services', idColumn: 'service_id' },
  event: { subject: EventSubjects.gmsServiceStarted, aggregate: (id) => `service:1:${id}` },
});
