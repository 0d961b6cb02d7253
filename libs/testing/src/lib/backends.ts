import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

export const MARIADB_URL = process.env.CS_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
export const NATS_URL = process.env.CS_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

/** How a suite runs: the embedded mode (SQLite + TCP) or the real servers (MariaDB + NATS). */
export interface Backend {
  name: 'embedded' | 'real';
  /** Fresh database URLs and transport settings for one app set; each call isolates a new pair. */
  env(): Record<string, string>;
}

/**
 * The backends a suite must run against. The embedded mode always; the real servers when reachable,
 * and with CS_TEST_BACKENDS=real a missing server fails the run instead of being left out.
 */
export function testBackends(): Backend[] {
  const wanted = process.env.CS_TEST_BACKENDS ?? 'auto';
  const backends: Backend[] = [];
  if (wanted !== 'real-only') backends.push(embeddedBackend());
  const reachable = realServersReachable();
  if (wanted === 'real' || wanted === 'real-only') {
    if (!reachable) {
      throw new Error(
        `CS_TEST_BACKENDS=${wanted} but MariaDB (${MARIADB_URL}) or NATS (${NATS_URL}) is not reachable`,
      );
    }
    backends.push(realBackend());
  } else if (reachable && wanted !== 'embedded') {
    backends.push(realBackend());
  }
  return backends;
}

function embeddedBackend(): Backend {
  return {
    name: 'embedded',
    env: () => {
      const dir = mkdtempSync(join(tmpdir(), 'cs-test-'));
      return {
        GMS_DATABASE_URL: `sqlite:${join(dir, 'gms.sqlite')}`,
        UCS_DATABASE_URL: `sqlite:${join(dir, 'ucs.sqlite')}`,
      };
    },
  };
}

function realBackend(): Backend {
  return {
    name: 'real',
    env: () => {
      const suffix = randomBytes(4).toString('hex');
      return {
        GMS_DATABASE_URL: `${MARIADB_URL}/cs_test_gms_${suffix}`,
        UCS_DATABASE_URL: `${MARIADB_URL}/cs_test_ucs_${suffix}`,
        NATS_URL,
        // Each app set has its own durable event consumers, starting at new events, removed when idle.
        CS_EVENTS_DURABLE_SUFFIX: `-test-${suffix}`,
        CS_EVENTS_START: 'new',
        CS_EVENTS_DURABLE_TTL_MS: '120000',
      };
    },
  };
}

/** Probed once per test file before jest collects the suites (jest's globalSetup runs elsewhere). */
let probe: boolean | undefined;
function realServersReachable(): boolean {
  if (probe === undefined) probe = process.env.CS_TEST_REAL_REACHABLE === 'true';
  return probe;
}
