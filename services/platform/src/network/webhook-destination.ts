import { IPv4, IPv6 } from 'ipaddr.js';

/**
 * Which webhook destinations the exchange may call (docs/DELIVERY.md, "SSRF").
 * Organisations choose their webhook URL, so a URL resolving to the exchange's own host,
 * the cluster's private network or the cloud metadata service (169.254.169.254) would let
 * any webhook organisation make the exchange call inside its own walls. Pure, and shared:
 * the gateway refuses such a URL when an organisation is registered or changed
 * (`urlVerdict` alone, no DNS), and the dispatcher judges it again at every delivery: it
 * resolves the host name, asks `addressVerdict` about every address it got, then connects
 * to one of those addresses (not to a second resolution, which DNS rebinding could change).
 */

/** What the deployment trusts beyond the public internet. */
export interface AddressOptions {
  /** Loopback (127.0.0.0/8, ::1): the demo and tests, where recipients run on the same host. */
  readonly allowLoopback: boolean;
  /**
   * Private networks: RFC 1918, unique local fc00::/7 and the shared address space
   * 100.64.0.0/10 (carrier-grade NAT, used inside some clusters): a deployment whose
   * recipients sit on its own private network.
   */
  readonly allowPrivate: boolean;
}

/** Whether an address may be called, and if not, why (a sentence naming the address). */
export type AddressVerdict = { allowed: true } | { allowed: false; reason: string };

const refuse = (reason: string): AddressVerdict => ({ allowed: false, reason });

/** How a refused range reads in a reason, so an operator knows what the URL hit. */
const RANGE_NAMES: Readonly<Record<string, string>> = {
  unspecified: 'an unspecified address (0.0.0.0/8, ::), which reaches this host',
  broadcast: 'the broadcast address',
  multicast: 'a multicast address',
  linkLocal: 'a link-local address (169.254.0.0/16, fe80::/10)',
  loopback: 'a loopback address',
  private: 'a private address (RFC 1918)',
  uniqueLocal: 'a private address (unique local, fc00::/7)',
  carrierGradeNat: 'a shared address (carrier-grade NAT, 100.64.0.0/10)',
  reserved: 'a reserved or documentation address',
};

/** The IPv4 address in the last 32 bits of an IPv6 address. */
function lastFourOctets(address: IPv6): IPv4 {
  const [hi = 0, lo = 0] = address.parts.slice(6);
  return new IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);
}

const NAT64_WELL_KNOWN = IPv6.parse('64:ff9b::');

/**
 * The IPv4 address an IPv6 address stands for: IPv4-mapped (::ffff:0:0/96), IPv4-
 * translated (::ffff:0:0:0/96, RFC 6145) and the well-known NAT64 prefix (64:ff9b::/96,
 * RFC 6052; an IPv6-only host reaches IPv4 endpoints through it). Packets to them end up
 * at that IPv4 address, so it is the one to judge.
 */
function embeddedIPv4(address: IPv6): IPv4 | undefined {
  const range = address.range();
  if (range === 'ipv4Mapped' || range === 'rfc6145') return lastFourOctets(address);
  if (address.match(NAT64_WELL_KNOWN, 96)) return lastFourOctets(address);
  return undefined;
}

/**
 * What is wrong with an address of `range` (ipaddr.js's name for its special-purpose
 * range), as a phrase for the reason; undefined when the exchange may connect to it.
 */
function refusal(ip: string, range: string, options: AddressOptions): string | undefined {
  if (range === 'unicast') return undefined;
  if (range === 'loopback' && options.allowLoopback) return undefined;
  if (['private', 'uniqueLocal', 'carrierGradeNat'].includes(range) && options.allowPrivate) {
    return undefined;
  }
  if (ip === '169.254.169.254') return 'the cloud metadata service';
  return RANGE_NAMES[range] ?? `a special-purpose address (${range})`;
}

/** Global unicast IPv6 (RFC 4291 §2.4): everything else is special or unassigned. */
const GLOBAL_UNICAST_V6 = IPv6.parse('2000::');

/**
 * May the exchange connect to `ip` (an address a webhook host resolved to, in the
 * dotted-decimal or IPv6 text a resolver gives)? Refuses loopback and private addresses
 * unless `options` allows them, and always refuses link-local (the cloud metadata
 * service), unspecified, broadcast, multicast, reserved and other special-purpose
 * addresses, IPv6 outside global unicast 2000::/3, and IPv6 forms of refused IPv4
 * addresses. Anything that is not a plain address is refused too.
 */
export function addressVerdict(ip: string, options: AddressOptions): AddressVerdict {
  if (IPv4.isValidFourPartDecimal(ip)) {
    const problem = refusal(ip, IPv4.parse(ip).range(), options);
    return problem ? refuse(`${ip} is ${problem}`) : { allowed: true };
  }
  if (!IPv6.isValid(ip)) return refuse(`${JSON.stringify(ip)} is not an IP address`);

  const address = IPv6.parse(ip);
  const inner = embeddedIPv4(address);
  if (inner) {
    const problem = refusal(inner.toString(), inner.range(), options);
    return problem ? refuse(`${ip} stands for ${inner.toString()}, ${problem}`) : { allowed: true };
  }
  const range = address.range();
  if (range === 'unicast' && !address.match(GLOBAL_UNICAST_V6, 3)) {
    return refuse(`${ip} is not a global unicast address (2000::/3)`);
  }
  const problem = refusal(ip, range, options);
  return problem ? refuse(`${ip} is ${problem}`) : { allowed: true };
}

/** What may be checked of a webhook URL before resolving its host. */
export interface UrlOptions extends AddressOptions {
  /** Plain http: only for the demo and tests, whose recipients have no certificate. */
  readonly allowInsecure: boolean;
}

/** Whether a webhook URL passes the checks that need no DNS, and if not, why. */
export type UrlVerdict =
  /** `hostname` to resolve (brackets of an IPv6 literal removed); `literal` when it is an address already, judged here. */
  { allowed: true; hostname: string; literal: boolean } | { allowed: false; reason: string };

/** RFC 6761 §6.3: localhost and every name under it are loopback, whatever DNS says. */
const isLocalhost = (host: string): boolean => host === 'localhost' || host.endsWith('.localhost');

/**
 * The checks of a webhook URL that need no DNS: https (http only when `allowInsecure`),
 * no credentials in the URL (the signature authenticates the exchange; a password in a
 * URL ends up in logs), and an address literal or localhost judged as addressVerdict
 * would. A host name passes here; the edge judges every address it resolves to.
 */
export function urlVerdict(url: string, options: UrlOptions): UrlVerdict {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { allowed: false, reason: 'not a URL' };
  }
  if (parsed.protocol === 'http:' && !options.allowInsecure) {
    return { allowed: false, reason: 'http is refused: webhooks need https' };
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    return { allowed: false, reason: `${parsed.protocol} is refused: webhooks need https` };
  }
  if (parsed.username !== '' || parsed.password !== '') {
    return { allowed: false, reason: 'credentials in the URL are refused' };
  }
  // WHATWG URL parsing already wrote any IPv4 form (0x7f.1, 2130706433) as dotted decimal.
  const host = parsed.hostname
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '')
    .toLowerCase();
  const literal = IPv4.isValidFourPartDecimal(host) || IPv6.isValid(host);
  if (literal) {
    const verdict = addressVerdict(host, options);
    return verdict.allowed ? { allowed: true, hostname: host, literal } : verdict;
  }
  if (isLocalhost(host) && !options.allowLoopback) {
    return { allowed: false, reason: `${host} is a loopback name` };
  }
  return { allowed: true, hostname: host, literal };
}
