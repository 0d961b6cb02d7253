import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { clientAddress } from './client-address';

function request(remoteAddress: string, forwardedFor?: string): IncomingMessage {
  const socket = new Socket();
  Object.defineProperty(socket, 'remoteAddress', { value: remoteAddress });
  const req = new IncomingMessage(socket);
  if (forwardedFor !== undefined) req.headers['x-forwarded-for'] = forwardedFor;
  return req;
}

describe('clientAddress', () => {
  it('uses the socket address when no proxy is trusted, whatever the header says', () => {
    expect(clientAddress(request('10.0.0.9', '203.0.113.7'), 0)).toBe('10.0.0.9');
  });

  it('folds IPv4-mapped IPv6 into IPv4', () => {
    expect(clientAddress(request('::ffff:10.0.0.9'), 0)).toBe('10.0.0.9');
    expect(clientAddress(request('2001:DB8::1'), 0)).toBe('2001:db8::1');
  });

  it('takes the entry appended by the outermost trusted proxy', () => {
    // The client wrote "1.1.1.1" itself; the ingress appended the address it saw.
    expect(clientAddress(request('10.0.0.2', '1.1.1.1, 203.0.113.7'), 1)).toBe('203.0.113.7');
    // A load balancer before the ingress: two trusted hops.
    expect(clientAddress(request('10.0.0.2', '1.1.1.1, 203.0.113.7, 10.0.0.1'), 2)).toBe('203.0.113.7');
  });

  it('takes the leftmost entry when there are fewer than the trusted hops', () => {
    expect(clientAddress(request('10.0.0.2', '203.0.113.7'), 3)).toBe('203.0.113.7');
  });

  it('falls back to the socket address without a usable header', () => {
    expect(clientAddress(request('10.0.0.2'), 1)).toBe('10.0.0.2');
    expect(clientAddress(request('10.0.0.2', ' , '), 1)).toBe('10.0.0.2');
  });

  it('caps what a forged entry can make the key', () => {
    expect(clientAddress(request('10.0.0.2', 'x'.repeat(10_000)), 1)).toHaveLength(64);
  });
});
