import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

export class SsrfError extends Error {
  override name = 'SsrfError';
}

export interface SafeTarget {
  url: URL;
  /** The checked address to connect to: pinned, so a second DNS answer cannot differ (rebinding). */
  address: string;
  family: 4 | 6;
}

export type Resolver = (hostname: string) => Promise<{ address: string; family: number }[]>;
const systemResolver: Resolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24],
  ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8], ['2001:db8::', 32], ['64:ff9b::', 96], ['100::', 64],
] as const) blocked.addSubnet(net, prefix, 'ipv6');

/** IPv4-mapped and -compatible IPv6 (::ffff:a.b.c.d) are judged as the IPv4 address they carry. */
function embeddedIpv4(address: string): string | undefined {
  const m = /^::(?:ffff(?::0)?:)?(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (m) return m[1];
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (hex) {
    const a = parseInt(hex[1]!, 16);
    const b = parseInt(hex[2]!, 16);
    return `${a >> 8}.${a & 255}.${b >> 8}.${b & 255}`;
  }
  return undefined;
}

/** True for private, loopback, link-local (169.254.169.254 included), CGNAT, unique-local, multicast, reserved. */
export function isForbiddenAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family === 6) {
    const v4 = embeddedIpv4(address);
    if (v4) return blocked.check(v4, 'ipv4');
    return blocked.check(address, 'ipv6'); // fd00:ec2::254 is in fc00::/7
  }
  return true;
}

/**
 * The one SSRF check for outbound webhook calls: http(s) only, no credentials in the URL, DNS
 * resolved first and every answer checked, unless the operator allow-listed the host
 * (CAIRN_WEBHOOK_ALLOWED_HOSTS). Returns the address to connect to.
 */
export async function checkWebhookUrl(raw: string, allowedHosts: readonly string[], resolve: Resolver = systemResolver): Promise<SafeTarget> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new SsrfError(`Invalid webhook URL: ${raw}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new SsrfError('Webhook URL must use http or https');
  if (url.username || url.password) throw new SsrfError('Webhook URL must not contain credentials');
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (!host) throw new SsrfError('Webhook URL has no host');
  const allowed = allowedHosts.includes(host);
  let answers: { address: string; family: number }[];
  if (isIP(host)) answers = [{ address: host, family: isIP(host) }];
  else {
    try {
      answers = await resolve(host);
    } catch {
      throw new SsrfError(`Webhook host ${host} does not resolve`);
    }
  }
  if (answers.length === 0) throw new SsrfError(`Webhook host ${host} does not resolve`);
  if (!allowed) {
    const bad = answers.find((a) => isForbiddenAddress(a.address));
    if (bad) throw new SsrfError(`Webhook URL resolves to a private, loopback, link-local or metadata address (${bad.address}); allow-list the host to permit it`);
  }
  const first = answers[0]!;
  return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
}
