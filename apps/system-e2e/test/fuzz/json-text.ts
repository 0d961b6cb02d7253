/**
 * JSON text the standard serialiser cannot write: numbers beyond the double range, duplicate keys,
 * deep nesting, raw fragments. A `Raw` value is inserted verbatim by `toJsonText`.
 */
export class Raw {
  constructor(readonly text: string) {}
}

/** An object whose members are written in order, repeated keys included. */
export class Members {
  constructor(readonly entries: readonly (readonly [string, unknown])[]) {}
}

/** `JSON.stringify` with `Raw` and `Members` support (lone surrogates come out as `\udXXX` escapes). */
export function toJsonText(value: unknown): string {
  if (value instanceof Raw) return value.text;
  if (value instanceof Members) {
    return `{${value.entries.map(([key, member]) => `${JSON.stringify(key)}:${toJsonText(member)}`).join(',')}}`;
  }
  if (Array.isArray(value)) return `[${value.map((item) => toJsonText(item)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return toJsonText(new Members(Object.entries(value)));
  }
  return JSON.stringify(value) ?? 'null';
}

/** `levels` nested arrays or objects around `1`. */
export function nested(levels: number, kind: 'array' | 'object'): Raw {
  return kind === 'array'
    ? new Raw('['.repeat(levels) + '1' + ']'.repeat(levels))
    : new Raw('{"a":'.repeat(levels) + '1' + '}'.repeat(levels));
}

/** encodeURIComponent that also takes lone surrogates (as the bytes of their CESU-8 form, invalid UTF-8). */
export function encodeSegment(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code >= 0xd800 && code <= 0xdfff) {
      out += [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
        .map((byte) => `%${byte.toString(16).toUpperCase()}`)
        .join('');
    } else {
      out += encodeURIComponent(char);
    }
  }
  return out;
}
