/**
 * THE route table of the gateway (ARCHITECTURE §4), in contracts so that tests can ask which service owns a path. Paths are relative to CS_BASE_PATH; the table is
 * read in order and the first match wins, so the ucs-owned `/services/{id}/interactions` must stay
 * above the gms catch-all `/services/**`.
 *
 * Pattern syntax: `{id}` is one non-empty path segment; a trailing `/**` matches the prefix itself
 * and anything below it.
 */
export type Upstream = 'gms' | 'ucs';

export const UPSTREAMS: readonly Upstream[] = ['gms', 'ucs'];

export interface RouteRow {
  readonly pattern: string;
  readonly upstream: Upstream;
}

export const ROUTE_TABLE: readonly RouteRow[] = [
  { pattern: '/services/{id}/interactions', upstream: 'ucs' },
  { pattern: '/customers/{id}/interactions', upstream: 'ucs' },
  { pattern: '/interactions/**', upstream: 'ucs' },
  { pattern: '/profiles/**', upstream: 'ucs' },
  { pattern: '/metadata/**', upstream: 'ucs' },
  { pattern: '/server/**', upstream: 'ucs' },
  { pattern: '/services/**', upstream: 'gms' },
  { pattern: '/customers/{id}/services/**', upstream: 'gms' },
  { pattern: '/maintenance/**', upstream: 'gms' },
];

function compile(pattern: string): RegExp {
  const deep = pattern.endsWith('/**');
  const fixed = deep ? pattern.slice(0, -3) : pattern;
  const source = fixed
    .split('/')
    .map((segment) => (segment === '{id}' ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}${deep ? '(?:/.*)?' : ''}$`);
}

// Compiled once at load: routing runs on every request.
const COMPILED = ROUTE_TABLE.map((row) => ({ upstream: row.upstream, regex: compile(row.pattern) }));

/**
 * The upstream serving `path` (no query string), or undefined when the gateway has no route for it.
 * Only one `basePath` prefix is accepted: a doubled prefix (`/genesys/1/cs/genesys/1/cs/...`, seen
 * in some Genesys doc titles) is not routed, as the GMS spec §5.1 requires.
 */
export function routeFor(path: string, basePath: string): Upstream | undefined {
  if (!path.startsWith(`${basePath}/`)) return undefined;
  let rest = path.slice(basePath.length);
  // Trailing slashes are not significant (both specs §2.1).
  if (rest.length > 1 && rest.endsWith('/')) rest = rest.slice(0, -1);
  // Dot segments could be resolved differently by a client, a proxy in front of us and the service;
  // refusing them keeps exactly one meaning per routed path.
  if (rest.split('/').some((segment) => segment === '.' || segment === '..')) return undefined;
  return COMPILED.find((row) => row.regex.test(rest))?.upstream;
}
