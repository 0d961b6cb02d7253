import { ApiError } from '@cs/platform/core';

export type Extensions = Record<string, unknown>;

export const MAX_EXTENSION_NAME = 256;

/** Every body key that is not a reserved field is an extension (spec §1.4, §2.7). */
export function readExtensions(body: Record<string, unknown>, reserved: ReadonlySet<string>): Extensions {
  const entries: [string, unknown][] = [];
  for (const [name, value] of Object.entries(body)) {
    if (reserved.has(name)) continue;
    checkExtension(name, value);
    entries.push([name, value]);
  }
  return Object.fromEntries(entries);
}

export function checkExtension(name: string, value: unknown): void {
  if (name.length === 0)
    throw new ApiError(400, 'INVALID_EXTENSION_NAME', 'Extension names must not be empty');
  if (name.length > MAX_EXTENSION_NAME) {
    throw new ApiError(
      400,
      'INVALID_EXTENSION_NAME',
      `Extension name '${name.slice(0, 40)}…' exceeds ${MAX_EXTENSION_NAME} characters`,
    );
  }
  if (value === null)
    throw new ApiError(
      400,
      'INVALID_VALUE',
      `Invalid value for '${name}': an extension value must not be null`,
    );
}

/**
 * The `extensions=` selection for one kind of resource (spec §2.7): `Name` applies to the top-level
 * kind, `Kind.Name` to that kind anywhere, `Kind` / `Kind.*` / `*` to every extension.
 */
export class ExtensionSelector {
  private constructor(private readonly items: readonly string[]) {}

  /** From the raw query value(s); repeated parameters are the same as one comma list. */
  static parse(value: string | string[] | undefined): ExtensionSelector {
    const raw = Array.isArray(value) ? value.join(',') : (value ?? '');
    return new ExtensionSelector(
      raw
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item.length > 0),
    );
  }

  /** Picks the selected extensions of a resource of `kind` ('Service' | 'State' | 'Task'). */
  pick(kind: string, extensions: Extensions, topLevel: boolean): Extensions {
    if (this.items.length === 0) return {};
    const all = this.items.some((item) => item === '*' || item === kind || item === `${kind}.*`);
    if (all) return extensions;
    const wanted = new Set<string>();
    for (const item of this.items) {
      if (item.startsWith(`${kind}.`)) wanted.add(item.slice(kind.length + 1));
      else if (topLevel && !/^(Service|State|Task)(\.|$)/.test(item)) wanted.add(item);
    }
    return Object.fromEntries(Object.entries(extensions).filter(([name]) => wanted.has(name)));
  }
}

/**
 * All extensions of one service, state or task are stored as one JSON text; beyond this size the
 * database refuses the row (MySQL MEDIUMTEXT and the default `max_allowed_packet` are 16 MiB).
 */
export const MAX_STORED_EXTENSIONS_BYTES = 8 * 1024 * 1024;

/**
 * The stored extensions with `added` written over them, per key (spec §2.7); 413 when the result
 * would be too large to store, so that the client learns it instead of getting a 500.
 */
export function mergeExtensions(stored: string, added: Extensions): string {
  const merged = JSON.stringify({ ...(JSON.parse(stored) as Extensions), ...added });
  if (Buffer.byteLength(merged) > MAX_STORED_EXTENSIONS_BYTES) {
    throw new ApiError(
      413,
      'PAYLOAD_TOO_LARGE',
      `The extensions of this resource would exceed ${MAX_STORED_EXTENSIONS_BYTES} bytes`,
    );
  }
  return merged;
}
