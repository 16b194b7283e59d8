import { addressVerdict, urlVerdict, type AddressOptions } from './webhook-destination';

const STRICT: AddressOptions = { allowLoopback: false, allowPrivate: false };
const LOOPBACK: AddressOptions = { allowLoopback: true, allowPrivate: false };
const PRIVATE: AddressOptions = { allowLoopback: false, allowPrivate: true };
const BOTH: AddressOptions = { allowLoopback: true, allowPrivate: true };

/**
 * Whether each option set allows the address, and a fragment of the reason when strict
 * refuses ('' when it allows). Every row has all five: jest would take a missing last
 * argument for the `done` callback and wait for it.
 */
type Row = [ip: string, strict: boolean, loopback: boolean, priv: boolean, reason: string];

const ADDRESSES: Row[] = [
  // Public unicast: allowed everywhere.
  ['8.8.8.8', true, true, true, ''],
  ['1.1.1.1', true, true, true, ''],
  ['93.184.215.14', true, true, true, ''],
  ['172.15.255.255', true, true, true, ''], // just below 172.16/12
  ['172.32.0.1', true, true, true, ''], // just above 172.16/12
  ['100.63.255.255', true, true, true, ''], // just below 100.64/10
  ['100.128.0.1', true, true, true, ''], // just above 100.64/10
  ['169.253.255.255', true, true, true, ''],
  ['2001:4860:4860::8888', true, true, true, ''],
  ['2a00:1450:4001:82b::200e', true, true, true, ''],
  ['::ffff:8.8.8.8', true, true, true, ''], // IPv4-mapped public
  ['64:ff9b::808:808', true, true, true, ''], // NAT64 of 8.8.8.8

  // Loopback: only with allowLoopback.
  ['127.0.0.1', false, true, false, 'loopback'],
  ['127.255.255.254', false, true, false, 'loopback'],
  ['::1', false, true, false, 'loopback'],
  ['::ffff:127.0.0.1', false, true, false, 'stands for 127.0.0.1, a loopback'],
  ['::ffff:7f00:1', false, true, false, 'loopback'],
  ['64:ff9b::7f00:1', false, true, false, 'loopback'], // NAT64 of 127.0.0.1

  // Private networks: only with allowPrivate.
  ['10.0.0.1', false, false, true, 'RFC 1918'],
  ['10.255.255.255', false, false, true, 'RFC 1918'],
  ['172.16.0.1', false, false, true, 'RFC 1918'],
  ['172.31.255.254', false, false, true, 'RFC 1918'],
  ['192.168.1.10', false, false, true, 'RFC 1918'],
  ['fc00::1', false, false, true, 'fc00::/7'],
  ['fd12:3456:789a::1', false, false, true, 'fc00::/7'],
  ['::ffff:10.1.2.3', false, false, true, 'RFC 1918'],
  ['::ffff:192.168.0.1', false, false, true, 'RFC 1918'],
  ['::ffff:0:10.1.2.3', false, false, true, 'RFC 1918'], // IPv4-translated (RFC 6145)
  ['100.64.0.1', false, false, true, 'carrier-grade NAT'],
  ['100.127.255.254', false, false, true, 'carrier-grade NAT'],

  // Link-local, the metadata service among them: never.
  ['169.254.169.254', false, false, false, 'cloud metadata'],
  ['169.254.0.1', false, false, false, 'link-local'],
  ['fe80::1', false, false, false, 'link-local'],
  ['fe80::1%eth0', false, false, false, 'link-local'],
  ['febf::1', false, false, false, 'link-local'],
  ['::ffff:169.254.169.254', false, false, false, 'cloud metadata'],
  ['64:ff9b::a9fe:a9fe', false, false, false, 'cloud metadata'],

  // Unspecified, broadcast, multicast: never.
  ['0.0.0.0', false, false, false, 'unspecified'],
  ['0.1.2.3', false, false, false, 'unspecified'],
  ['::', false, false, false, 'unspecified'],
  ['::ffff:0.0.0.0', false, false, false, 'unspecified'],
  ['255.255.255.255', false, false, false, 'broadcast'],
  ['224.0.0.1', false, false, false, 'multicast'],
  ['239.255.255.250', false, false, false, 'multicast'],
  ['ff02::1', false, false, false, 'multicast'],
  ['ff05::1:3', false, false, false, 'multicast'],

  // Reserved, documentation, benchmarking and other special-purpose ranges: never.
  ['192.0.0.8', false, false, false, 'reserved'],
  ['192.0.2.1', false, false, false, 'reserved'],
  ['198.18.0.1', false, false, false, 'reserved'],
  ['198.51.100.7', false, false, false, 'reserved'],
  ['203.0.113.9', false, false, false, 'reserved'],
  ['240.0.0.1', false, false, false, 'reserved'],
  ['192.88.99.1', false, false, false, 'reserved'],
  ['2001:db8::1', false, false, false, 'reserved'],
  ['2001::1', false, false, false, 'teredo'],
  ['2002:7f00:1::1', false, false, false, '6to4'],
  ['100::1', false, false, false, 'discard'],
  ['fec0::1', false, false, false, 'deprecatedSiteLocal'],
  ['64:ff9b:1::a00:1', false, false, false, 'rfc6052'], // local-use NAT64: where the IPv4 sits varies
  ['::7f00:1', false, false, false, '2000::/3'], // deprecated IPv4-compatible
  ['4000::1', false, false, false, '2000::/3'], // unassigned
  ['5f00::1', false, false, false, 'segmentRouting'],

  // Not a plain address: never.
  ['', false, false, false, 'not an IP address'],
  ['localhost', false, false, false, 'not an IP address'],
  ['0x7f.0.0.1', false, false, false, 'not an IP address'],
  ['2130706433', false, false, false, 'not an IP address'],
  ['127.1', false, false, false, 'not an IP address'],
  ['010.0.0.1', false, false, false, 'not an IP address'], // octal to some parsers, decimal to others
  ['10.0.0.1/8', false, false, false, 'not an IP address'],
  [' 8.8.8.8', false, false, false, 'not an IP address'],
];

describe('addressVerdict', () => {
  it.each(ADDRESSES)(
    '%p: strict %p, loopback allowed %p, private allowed %p',
    (ip, strict, loopback, priv, reason) => {
      expect(addressVerdict(ip, STRICT).allowed).toBe(strict);
      expect(addressVerdict(ip, LOOPBACK).allowed).toBe(loopback);
      expect(addressVerdict(ip, PRIVATE).allowed).toBe(priv);
      expect(addressVerdict(ip, BOTH).allowed).toBe(loopback || priv);
      const verdict = addressVerdict(ip, STRICT);
      if (!verdict.allowed) expect(verdict.reason).toContain(reason);
    },
  );

  it('names the address and what it is', () => {
    expect(addressVerdict('10.0.0.1', STRICT)).toEqual({
      allowed: false,
      reason: '10.0.0.1 is a private address (RFC 1918)',
    });
    expect(addressVerdict('::ffff:169.254.169.254', STRICT)).toEqual({
      allowed: false,
      reason: '::ffff:169.254.169.254 stands for 169.254.169.254, the cloud metadata service',
    });
  });
});

describe('urlVerdict', () => {
  type Want = ReturnType<typeof urlVerdict>;
  /** A host name, for the edge to resolve and judge each address of. */
  const name = (hostname: string): Want => ({ allowed: true, hostname, literal: false });
  /** An address literal, judged here already. */
  const address = (hostname: string): Want => ({ allowed: true, hostname, literal: true });
  const no = (reason: string): Want => ({ allowed: false, reason });

  const PRODUCTION: Array<[string, Want]> = [
    ['https://hooks.example/in', name('hooks.example')],
    ['https://Hooks.Example:8443/in?org=de', name('hooks.example')],
    ['https://hooks.example./in', name('hooks.example')], // the same host
    ['https://203.0.114.7/in', address('203.0.114.7')],
    ['https://[2001:4860::8888]/in', address('2001:4860::8888')],
    ['http://hooks.example/in', no('http is refused: webhooks need https')],
    ['ftp://hooks.example/', no('ftp: is refused: webhooks need https')],
    ['hooks.example/in', no('not a URL')],
    ['https://user:pass@hooks.example/', no('credentials in the URL are refused')],
    ['https://user@hooks.example/', no('credentials in the URL are refused')],
    ['https://127.0.0.1/in', no('127.0.0.1 is a loopback address')],
    ['https://0x7f.1/in', no('127.0.0.1 is a loopback address')],
    ['https://2130706433/in', no('127.0.0.1 is a loopback address')],
    ['https://[::1]/in', no('::1 is a loopback address')],
    ['https://10.1.2.3/in', no('10.1.2.3 is a private address (RFC 1918)')],
    [
      'https://[::ffff:10.0.0.5]/in',
      no('::ffff:a00:5 stands for 10.0.0.5, a private address (RFC 1918)'),
    ],
    [
      'https://169.254.169.254/latest/meta-data/',
      no('169.254.169.254 is the cloud metadata service'),
    ],
    ['https://[::ffff:127.0.0.1]/in', no('::ffff:7f00:1 stands for 127.0.0.1, a loopback address')],
    ['https://[fd00::5]/in', no('fd00::5 is a private address (unique local, fc00::/7)')],
    ['https://[fe80::1]/in', no('fe80::1 is a link-local address (169.254.0.0/16, fe80::/10)')],
    [
      'https://169.254.10.1/in',
      no('169.254.10.1 is a link-local address (169.254.0.0/16, fe80::/10)'),
    ],
    [
      'https://0.0.0.0/in',
      no('0.0.0.0 is an unspecified address (0.0.0.0/8, ::), which reaches this host'),
    ],
    [
      'https://[::]/in',
      no(':: is an unspecified address (0.0.0.0/8, ::), which reaches this host'),
    ],
    ['https://224.0.0.1/in', no('224.0.0.1 is a multicast address')],
    ['https://[ff02::1]/in', no('ff02::1 is a multicast address')],
    ['https://localhost/in', no('localhost is a loopback name')], // RFC 6761
    ['https://a.LOCALHOST./in', no('a.localhost is a loopback name')],
  ];
  it.each(PRODUCTION)('in production, %s', (url, verdict) => {
    expect(urlVerdict(url, { ...STRICT, allowInsecure: false })).toEqual(verdict);
  });

  const DEMO: Array<[string, Want]> = [
    ['http://127.0.0.1:9000/in', address('127.0.0.1')],
    ['http://localhost:9000/in', name('localhost')],
    ['https://[::1]:9443/in', address('::1')],
    ['http://10.1.2.3/in', no('10.1.2.3 is a private address (RFC 1918)')],
    [
      'http://169.254.169.254/latest/meta-data/',
      no('169.254.169.254 is the cloud metadata service'),
    ],
    ['ftp://127.0.0.1/', no('ftp: is refused: webhooks need https')],
    ['file:///etc/passwd', no('file: is refused: webhooks need https')],
    ['http://user:pass@localhost/', no('credentials in the URL are refused')],
  ];
  it.each(DEMO)('in the demo (http and loopback allowed), %s', (url, verdict) => {
    expect(urlVerdict(url, { ...LOOPBACK, allowInsecure: true })).toEqual(verdict);
  });
});
