import type { Upstream } from '@cs/contracts';

/** The parts of an OpenAPI 3 document the merge touches; everything else is carried as is. */
export interface OpenApiDocument {
  openapi?: string;
  info?: Record<string, unknown>;
  paths?: Record<string, Record<string, unknown>>;
  components?: Record<string, Record<string, unknown>>;
  tags?: { name: string }[];
  [key: string]: unknown;
}

export interface UpstreamDocument {
  upstream: Upstream;
  /** undefined when the upstream did not deliver a usable document. */
  document: OpenApiDocument | undefined;
}

export const MERGED_TITLE = 'Context Services';

/**
 * One document for both services, so /docs shows the whole API the gateway serves. Paths (per
 * method), every components section and tags are united; on a name clash the first document listed
 * wins. `x-unavailable` names the services whose document could not be fetched.
 */
export function mergeOpenApi(parts: readonly UpstreamDocument[]): OpenApiDocument {
  const available = parts.flatMap((part) => (part.document ? [part.document] : []));
  const unavailable = parts.filter((part) => !part.document).map((part) => part.upstream);

  const paths: Record<string, Record<string, unknown>> = {};
  const components: Record<string, Record<string, unknown>> = {};
  const tags = new Map<string, { name: string }>();
  for (const document of available) {
    for (const [path, item] of Object.entries(document.paths ?? {}))
      paths[path] = { ...item, ...paths[path] };
    for (const [section, entries] of Object.entries(document.components ?? {})) {
      components[section] = { ...entries, ...components[section] };
    }
    for (const tag of Array.isArray(document.tags) ? document.tags : []) {
      if (typeof tag?.name === 'string' && !tags.has(tag.name)) tags.set(tag.name, tag);
    }
  }

  return {
    openapi: available[0]?.openapi ?? '3.0.0',
    info: {
      title: MERGED_TITLE,
      description: 'Context Services API (gms and ucs), served through the gateway',
      version: String(available[0]?.info?.['version'] ?? '1'),
    },
    paths,
    components,
    tags: [...tags.values()],
    ...(unavailable.length > 0 ? { 'x-unavailable': unavailable } : {}),
  };
}

/** Accepts what looks like an OpenAPI document; anything else counts as unavailable. */
export function asOpenApiDocument(value: unknown): OpenApiDocument | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const document = value as OpenApiDocument;
  if (typeof document.paths !== 'object' || document.paths === null) return undefined;
  return document;
}
