import { ApiError } from './api-error';

/** Deepest nesting a request body may have (the body itself is level 1). */
export const MAX_JSON_DEPTH = 100;

interface Pending {
  value: unknown;
  depth: number;
  /** Where the value sits, e.g. `Ext.items[2]`; empty for the body itself. */
  path: string;
}

/**
 * What `JSON.parse` accepts but a service cannot keep faithfully: nesting deeper than
 * MAX_JSON_DEPTH (serialising it again for storage overflows the stack → 500) and numbers beyond
 * the double range (`1e309` parses as Infinity and would be stored as `null`). Iterative, so a
 * hostile depth cannot overflow the check itself. Undefined when the value is fine.
 */
export function jsonShapeError(value: unknown): ApiError | undefined {
  const pending: Pending[] = [{ value, depth: 1, path: '' }];
  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    const { value: current, depth, path } = item;
    if (typeof current === 'number' && !Number.isFinite(current)) {
      return malformed(`the number at '${shorten(path)}' is out of range`);
    }
    if (typeof current !== 'object' || current === null) continue;
    if (depth > MAX_JSON_DEPTH) {
      return malformed(`'${shorten(path)}' is nested deeper than ${MAX_JSON_DEPTH} levels`);
    }
    if (Array.isArray(current)) {
      current.forEach((child, index) =>
        pending.push({ value: child, depth: depth + 1, path: `${path}[${index}]` }),
      );
    } else {
      for (const [key, child] of Object.entries(current)) {
        pending.push({ value: child, depth: depth + 1, path: path ? `${path}.${key}` : key });
      }
    }
  }
  return undefined;
}

const malformed = (reason: string) => new ApiError(400, 'MALFORMED_JSON', `Invalid JSON body: ${reason}`);

/** The body itself is `(body)`; deep paths keep their start, which names the top-level field. */
const shorten = (path: string) =>
  path === '' ? '(body)' : path.length > 80 ? `${path.slice(0, 80)}…` : path;
