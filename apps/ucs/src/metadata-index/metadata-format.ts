import { unsupportedMediaType } from '@cs/platform/core';

export type MetadataFormat = 'json' | 'html';

const FORMATS: Record<string, MetadataFormat> = { 'application/json': 'json', 'text/html': 'html' };

/**
 * Spec §2.2 / §4.17: the request's `Content-Type` picks the format (an unsupported one → 415);
 * without it the preferred supported type of `Accept`; otherwise JSON.
 */
export function metadataFormat(contentType: string | undefined, accept: string | undefined): MetadataFormat {
  const type = contentType?.split(';', 1)[0].trim().toLowerCase();
  if (type) {
    const format = FORMATS[type];
    if (!format) throw unsupportedMediaType(contentType ?? '');
    return format;
  }
  return fromAccept(accept) ?? 'json';
}

function fromAccept(accept: string | undefined): MetadataFormat | undefined {
  let best: { format: MetadataFormat; q: number } | undefined;
  for (const item of (accept ?? '').split(',')) {
    const [range, ...params] = item.split(';').map((part) => part.trim().toLowerCase());
    const format = FORMATS[range];
    if (!format) continue;
    const qParam = params.find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q) || q <= 0) continue;
    if (!best || q > best.q) best = { format, q };
  }
  return best?.format;
}
