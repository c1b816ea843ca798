import { lookup as dnsLookup, LookupAddress } from 'node:dns';
import { BlockList, isIP, LookupFunction } from 'node:net';
import { AppConfig } from '../config/app-config';

/** Private hosts are refused in production only (receivers on localhost are how development works), unless allowed. */
export function publicHostsOnly(config: AppConfig): boolean {
  return config.nodeEnv === 'production' && !config.webhookAllowPrivateHosts;
}

/**
 * Addresses a webhook may not reach in production: loopback, private, link-local, unspecified,
 * shared (CGNAT), multicast and reserved ranges. Two lists because a BlockList checks an IPv4
 * address against IPv6 rules as if it were IPv4-mapped.
 */
const IPV4_REFUSED = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  IPV4_REFUSED.addSubnet(network, prefix, 'ipv4');
}

const IPV6_REFUSED = new BlockList();
IPV6_REFUSED.addAddress('::', 'ipv6');
IPV6_REFUSED.addAddress('::1', 'ipv6');
for (const [network, prefix] of [
  // IPv4-mapped and NAT64 addresses lead to IPv4 hosts: refused whatever the IPv4 part.
  ['::ffff:0:0', 96],
  ['64:ff9b::', 96],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  IPV6_REFUSED.addSubnet(network, prefix, 'ipv6');
}

/** Whether `address` (an IP literal) is a public unicast address; anything else is false. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return !IPV4_REFUSED.check(address, 'ipv4');
  if (family === 6) return !IPV6_REFUSED.check(address, 'ipv6');
  return false;
}

export class RefusedAddressError extends Error {
  constructor(host: string, address: string) {
    super(`${host} resolves to ${address}, a loopback, private, link-local or reserved address`);
  }
}

/** The URL's host without IPv6 brackets. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

/** Every address `host` resolves to (itself when it is an IP literal), refusing the first one that is not public. */
export async function resolvePublic(host: string): Promise<string[]> {
  const addresses = isIP(host) ? [host] : (await lookupAll(host)).map((a) => a.address);
  const refused = addresses.find((address) => !isPublicAddress(address));
  if (refused !== undefined) throw new RefusedAddressError(host, refused);
  return addresses;
}

function lookupAll(host: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) => dnsLookup(host, { all: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))));
}

/**
 * A `lookup` for http.request that checks the addresses it hands to the socket: the address
 * checked is the address connected to, so a name that resolved to a public address when the
 * webhook was created and to 127.0.0.1 now (DNS rebinding) is refused at send time.
 */
export const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '', 0);
    const refused = addresses.find((a) => !isPublicAddress(a.address));
    if (refused !== undefined) return callback(new RefusedAddressError(hostname, refused.address), '', 0);
    if (options.all) return (callback as unknown as (e: null, all: LookupAddress[]) => void)(null, addresses);
    callback(null, addresses[0].address, addresses[0].family);
  });
};
