import { isIPv6 } from 'node:net';

/**
 * The address a client is throttled under. IPv4-mapped IPv6 (`::ffff:192.0.2.7`) is its
 * IPv4 address; any other IPv6 address counts by its /64, the block one subscriber is
 * routed (RFC 6177), so a guesser cannot draw a fresh budget from each of its 2^64
 * addresses. Anything unreadable counts under one shared name.
 */
export function throttledAddress(address: string | undefined): string {
  if (!address) return 'unknown';
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!isIPv6(address)) return address;
  const groups = expandIPv6(address.split('%')[0]!);
  return `${groups.slice(0, 4).join(':')}::/64`;
}

/** The eight groups of an IPv6 address, without leading zeros (`2001:db8:0:0:...`). */
function expandIPv6(address: string): string[] {
  const [head = '', tail] = address.toLowerCase().split('::');
  const part = (text: string) => (text === '' ? [] : text.split(':'));
  const left = part(head);
  const right = tail === undefined ? [] : part(tail);
  // An embedded IPv4 tail (::1.2.3.4) takes two groups; it sits beyond the /64 anyway.
  const width = (groups: string[]) => groups.reduce((n, g) => n + (g.includes('.') ? 2 : 1), 0);
  const zeros = Array<string>(Math.max(0, 8 - width(left) - width(right))).fill('0');
  return [...left, ...zeros, ...right].map((g) =>
    g.includes('.') ? g : g.replace(/^0+(?=.)/, ''),
  );
}
