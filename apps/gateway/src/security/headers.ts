import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { DOCS_CONTENT_SECURITY_POLICY, DOCS_PATH } from '../docs/docs';
import { isUnder } from '../http/respond';

/** An API answers JSON only: nothing may be loaded, run or framed from it. */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

export interface SecurityHeadersConfig {
  /** Strict-Transport-Security max-age in seconds; 0 sends no header (TLS ends at the ingress). */
  hstsMaxAge: number;
}

/**
 * Sets the security headers on a response before anything is written, so the gateway's own answers,
 * its errors and proxied answers all carry them. A proxied upstream that sets one of them itself
 * (ucs serves stored content with `CSP: sandbox`) keeps its value: it knows its content. Cache-Control
 * is only a default: the docs handler replaces it for its static assets.
 */
export function setSecurityHeaders(res: ServerResponse, path: string, config: SecurityHeadersConfig): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader(
    'Content-Security-Policy',
    isUnder(path, DOCS_PATH) ? DOCS_CONTENT_SECURITY_POLICY : API_CONTENT_SECURITY_POLICY,
  );
  // Customer data: no browser or shared cache may keep a copy.
  res.setHeader('Cache-Control', 'no-store');
  if (config.hstsMaxAge > 0) res.setHeader('Strict-Transport-Security', `max-age=${config.hstsMaxAge}`);
}

/**
 * Adjusts an upstream's response headers before they are copied onto the gateway response: drops the
 * framework banner and merges `Vary` with the gateway's own (CORS adds `Vary: Origin`), which copying
 * would otherwise replace.
 */
export function adoptUpstreamHeaders(upstream: IncomingHttpHeaders, res: ServerResponse): void {
  delete upstream['x-powered-by'];
  const own = res.getHeader('Vary');
  const theirs = upstream.vary;
  if (own !== undefined && theirs !== undefined) upstream.vary = mergeVary(String(own), theirs);
}

function mergeVary(own: string, theirs: string): string {
  const names = [...theirs.split(','), ...own.split(',')].map((name) => name.trim()).filter(Boolean);
  const seen = new Set<string>();
  return names.filter((name) => !seen.has(name.toLowerCase()) && seen.add(name.toLowerCase())).join(', ');
}
