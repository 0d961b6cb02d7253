import { malformedBody } from './errors';

/** A body that must be a JSON object (spec §2.3). */
export function requireObjectBody(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw malformedBody('a JSON object');
  return body as Record<string, unknown>;
}

/** An optional object body (end operations, associate, start state/task): none or empty means `{}`. */
export function optionalObjectBody(body: unknown): Record<string, unknown> {
  if (body === undefined || body === '') return {};
  return requireObjectBody(body);
}
