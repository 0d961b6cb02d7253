import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { applyCors, CORS_ALLOW_HEADERS, corsOriginsFrom } from './cors';
import type { CorsOrigins } from './cors';

function exchange(method: string, headers: Record<string, string>) {
  const req = new IncomingMessage(new Socket());
  req.method = method;
  req.headers = headers;
  return { req, res: new ServerResponse(req) };
}

const APP = 'https://desk.example.com';
const preflight = { origin: APP, 'access-control-request-method': 'PUT' };

describe('corsOriginsFrom', () => {
  it('is off when unset', () => {
    expect(corsOriginsFrom(undefined)).toBeUndefined();
    expect(corsOriginsFrom(' ')).toBeUndefined();
  });

  it('reads * and comma lists, case and trailing slash aside', () => {
    expect(corsOriginsFrom('*')).toBe('*');
    expect(corsOriginsFrom('https://Desk.example.com/, http://localhost:3000')).toEqual(
      new Set(['https://desk.example.com', 'http://localhost:3000']),
    );
  });
});

describe('applyCors', () => {
  const origins = corsOriginsFrom(`${APP},http://localhost:3000`) as CorsOrigins;

  it('answers a preflight from an allowed origin with 204', () => {
    const { req, res } = exchange('OPTIONS', preflight);
    expect(applyCors(req, res, origins)).toBe(true);
    expect(res.statusCode).toBe(204);
    expect(res.getHeaders()).toMatchObject({
      'access-control-allow-origin': APP,
      'access-control-allow-methods': 'GET, HEAD, POST, PUT, DELETE',
      'access-control-allow-headers': CORS_ALLOW_HEADERS,
      'access-control-max-age': '600',
      vary: 'Origin',
    });
    expect(CORS_ALLOW_HEADERS).toMatch(/ContactCenterId.*X-Genesys-TenantId/);
  });

  it('names the origin on a simple request and lets it go on', () => {
    const { req, res } = exchange('GET', { origin: APP });
    expect(applyCors(req, res, origins)).toBe(false);
    expect(res.getHeader('access-control-allow-origin')).toBe(APP);
    expect(res.getHeader('access-control-expose-headers')).toContain('X-Request-Id');
    expect(res.getHeader('access-control-allow-methods')).toBeUndefined();
  });

  it.each([
    ['another origin', { ...preflight, origin: 'https://evil.example.com' }],
    ['the null origin', { ...preflight, origin: 'null' }],
    ['no origin', { 'access-control-request-method': 'PUT' }],
  ])('adds nothing but Vary for %s, and routes the OPTIONS on', (_, headers) => {
    const { req, res } = exchange('OPTIONS', headers);
    expect(applyCors(req, res, origins)).toBe(false);
    expect(Object.keys(res.getHeaders())).toEqual(['vary']);
  });

  it('* allows any origin but null', () => {
    const { req, res } = exchange('GET', { origin: 'https://any.example.org' });
    applyCors(req, res, '*');
    expect(res.getHeader('access-control-allow-origin')).toBe('https://any.example.org');
    const nullOrigin = exchange('GET', { origin: 'null' });
    applyCors(nullOrigin.req, nullOrigin.res, '*');
    expect(nullOrigin.res.getHeader('access-control-allow-origin')).toBeUndefined();
  });

  it('treats an OPTIONS without Access-Control-Request-Method as an ordinary request', () => {
    const { req, res } = exchange('OPTIONS', { origin: APP });
    expect(applyCors(req, res, origins)).toBe(false);
    expect(res.getHeader('access-control-allow-origin')).toBe(APP);
  });
});
