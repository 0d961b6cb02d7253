#!/usr/bin/env node
// `npm start`: runs gms, ucs and the gateway from source (SWC, no build step) with one Ctrl-C to stop
// all three. With no environment this is the embedded mode: SQLite files under data/, TCP transport.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const apps = process.argv.slice(2).length ? process.argv.slice(2) : ['gms', 'ucs', 'gateway'];
const env = { ...process.env, SWC_NODE_PROJECT: join(root, 'tsconfig.base.json') };
const children = new Map();
let stopping = false;

for (const app of apps) {
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', join(root, 'apps', app, 'src', 'main.ts')],
    {
      cwd: root,
      env,
      stdio: 'inherit',
    },
  );
  children.set(app, child);
  child.on('exit', (code, signal) => {
    children.delete(app);
    if (!stopping) {
      process.stderr.write(`${app} exited (${signal ?? code}); stopping the others\n`);
      stop(code || 1);
    } else if (children.size === 0) {
      process.exit(process.exitCode ?? 0);
    }
  });
}

function stop(exitCode = 0) {
  if (stopping) return;
  stopping = true;
  process.exitCode = exitCode;
  for (const child of children.values()) child.kill('SIGTERM');
  if (children.size === 0) process.exit(exitCode);
  setTimeout(() => {
    for (const child of children.values()) child.kill('SIGKILL');
    process.exit(exitCode || 1);
  }, 15000).unref();
}

process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
