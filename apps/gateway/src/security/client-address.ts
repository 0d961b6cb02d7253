import type { IncomingMessage } from 'node:http';

// An address longer than this is not one; capping it bounds the memory a forged header can claim.
const MAX_ADDRESS_LENGTH = 64;

/**
 * The client a request comes from, as the rate limit counts it. `trustedProxies` = how many proxies
 * in front of the gateway append to X-Forwarded-For (ingress: 1). Each trusted proxy appends the
 * address it saw, so the client is the entry that many places from the right; anything further left
 * was written by the client itself and proves nothing. 0 ignores the header (direct clients).
 */
export function clientAddress(req: IncomingMessage, trustedProxies: number): string {
  const socketAddress = normalize(req.socket.remoteAddress ?? '') || 'unknown';
  if (trustedProxies === 0) return socketAddress;
  const header = req.headers['x-forwarded-for'];
  if (header === undefined) return socketAddress;
  // Node joins repeated X-Forwarded-For headers with ", ".
  const hops = (Array.isArray(header) ? header.join(',') : header).split(',').map((hop) => hop.trim());
  // Fewer entries than trusted proxies: the leftmost one is as close to the client as we get.
  const hop = hops[Math.max(0, hops.length - trustedProxies)];
  return normalize(hop) || socketAddress;
}

/** `::ffff:10.0.0.1` (IPv4 on a dual-stack socket) and `10.0.0.1` are one client. */
function normalize(address: string): string {
  const plain = address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
  return plain.slice(0, MAX_ADDRESS_LENGTH).toLowerCase();
}
