import { resolve } from 'node:path';

export type DatabaseTarget =
  { kind: 'sqlite'; file: string } | { kind: 'mysql'; url: string; database: string; serverUrl: string };

/** `sqlite:<path>` (relative to the working directory) or `mysql://user:pass@host:port/db`. */
export function parseDatabaseUrl(url: string): DatabaseTarget {
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length).replace(/^\/\//, '');
    if (!file) throw new Error('sqlite URL needs a file path, e.g. sqlite:data/gms.sqlite');
    return { kind: 'sqlite', file: file === ':memory:' ? file : resolve(file) };
  }
  if (url.startsWith('mysql://') || url.startsWith('mariadb://')) {
    const parsed = new URL(url.replace(/^mariadb:/, 'mysql:'));
    const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
    if (!/^[A-Za-z0-9_]{1,64}$/.test(database))
      throw new Error('mysql URL needs a database name of [A-Za-z0-9_]');
    const server = new URL(parsed.toString());
    server.pathname = '/';
    return { kind: 'mysql', url: parsed.toString(), database, serverUrl: server.toString() };
  }
  throw new Error(`unsupported database URL scheme in '${url.replace(/\/\/[^@]*@/, '//***@')}'`);
}
