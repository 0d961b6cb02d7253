import type { IncomingMessage } from 'node:http';
import type { ApiError } from './api-error';

/**
 * Optional provider token of an app: a check the HTTP pipeline runs before it answers a request with
 * a body error (415, 413, 400 MALFORMED_JSON). When the check returns an error, that error is sent
 * instead, so refusals that a contract evaluates "before any parsing" (ucs server mode, spec §4) win.
 */
export const BODY_GATE = Symbol.for('cs.platform.body-gate');

/** The error to answer instead of a body error, or undefined to keep the body error. */
export type BodyGate = (req: IncomingMessage & { path?: string }) => ApiError | undefined;
