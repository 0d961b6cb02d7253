import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..', '..', '..');

const ENV_SOURCES: Record<string, string[]> = {
  gateway: ['apps/gateway/src/config/gateway-env.ts'],
  gms: ['apps/gms/src/config/gms-env.ts'],
  ucs: ['apps/ucs/src/config/ucs-env.ts'],
};

/**
 * The variables an app validates at boot: the fields of its env class and of CommonEnv, read from
 * their sources (the e2e project may not import app code; module boundaries).
 */
export function knownEnvNames(app: string): Set<string> {
  const files = ['libs/platform/src/core/common-env.ts', ...ENV_SOURCES[app]];
  const names = new Set<string>();
  for (const file of files) {
    for (const match of readFileSync(join(ROOT, file), 'utf8').matchAll(
      /^\s+([A-Z][A-Z0-9_]+)\??\s*[:=]/gm,
    )) {
      names.add(match[1]);
    }
  }
  return names;
}
