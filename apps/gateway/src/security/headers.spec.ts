import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { DOCS_CONTENT_SECURITY_POLICY } from '../docs/docs';
import { adoptUpstreamHeaders, API_CONTENT_SECURITY_POLICY, setSecurityHeaders } from './headers';

const response = () => new ServerResponse(new IncomingMessage(new Socket()));

describe('setSecurityHeaders', () => {
  it('sets the API headers, no HSTS by default', () => {
    const res = response();
    setSecurityHeaders(res, '/genesys/1/cs/profiles', { hstsMaxAge: 0 });
    expect(res.getHeaders()).toEqual({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
      'cache-control': 'no-store',
    });
  });

  it('sends HSTS when configured', () => {
    const res = response();
    setSecurityHeaders(res, '/health/live', { hstsMaxAge: 31536000 });
    expect(res.getHeader('strict-transport-security')).toBe('max-age=31536000');
  });

  it('gives /docs the policy Swagger UI needs, still without framing', () => {
    const res = response();
    setSecurityHeaders(res, '/docs/swagger-ui.css', { hstsMaxAge: 0 });
    const csp = String(res.getHeader('content-security-policy'));
    expect(csp).toBe(DOCS_CONTENT_SECURITY_POLICY);
    expect(csp).not.toBe(API_CONTENT_SECURITY_POLICY);
    expect(csp).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/]+=*'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-eval');
  });
});

describe('adoptUpstreamHeaders', () => {
  it('drops X-Powered-By and keeps the rest', () => {
    const headers = { 'x-powered-by': 'Express', 'content-security-policy': 'sandbox' };
    adoptUpstreamHeaders(headers, response());
    expect(headers).toEqual({ 'content-security-policy': 'sandbox' });
  });

  it("merges the upstream's Vary with the gateway's", () => {
    const res = response();
    res.setHeader('Vary', 'Origin');
    const headers = { vary: 'Accept-Encoding, origin' };
    adoptUpstreamHeaders(headers, res);
    expect(headers.vary).toBe('Accept-Encoding, origin');
    const other = { vary: 'Accept' };
    adoptUpstreamHeaders(other, res);
    expect(other.vary).toBe('Accept, Origin');
  });
});
