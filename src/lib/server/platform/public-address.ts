/**
 * Addresses the server may call on someone else's say-so (a browser's push endpoint): public
 * internet hosts only. A subscription naming 127.0.0.1, the cloud metadata address or a host on
 * the private network would otherwise make the server send requests into its own network.
 *
 * Checked twice: the URL when it is saved (an address literal, localhost, a port other than
 * 443), and every address the name resolves to when the server connects (a public name can
 * resolve to a private address, and change what it resolves to).
 */
import dns from 'node:dns';
import net from 'node:net';
import { config, pushPrivateHostsAllowed, type Config } from './config';

const blocked = new net.BlockList();
for (const [prefix, bits] of [
	['0.0.0.0', 8], // "this network"
	['10.0.0.0', 8],
	['100.64.0.0', 10], // carrier-grade NAT
	['127.0.0.0', 8],
	['169.254.0.0', 16], // link-local, cloud metadata
	['172.16.0.0', 12],
	['192.0.0.0', 24],
	['192.0.2.0', 24],
	['192.168.0.0', 16],
	['198.18.0.0', 15],
	['198.51.100.0', 24],
	['203.0.113.0', 24],
	['224.0.0.0', 4], // multicast
	['240.0.0.0', 4] // reserved, broadcast
] as const) {
	blocked.addSubnet(prefix, bits, 'ipv4');
}
for (const [prefix, bits] of [
	['::', 128],
	['::1', 128],
	['64:ff9b::', 96], // NAT64: an IPv4 address inside
	['100::', 64],
	['2001:db8::', 32],
	['fc00::', 7], // unique local
	['fe80::', 10], // link-local
	['ff00::', 8] // multicast
] as const) {
	blocked.addSubnet(prefix, bits, 'ipv6');
}

/** A public unicast address (not private, loopback, link-local, multicast or reserved). */
export function isPublicAddress(address: string): boolean {
	const family = net.isIP(address);
	if (family === 0) return false;
	if (family === 6) {
		const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
		if (mapped) return isPublicAddress(mapped[1]!);
		return !blocked.check(address, 'ipv6');
	}
	return !blocked.check(address, 'ipv4');
}

/** Why a push endpoint URL is refused before any lookup, or null when it may be tried. */
export function pushEndpointProblem(endpoint: string, c: Pick<Config, 'pushPrivateHosts'> = config()): string | null {
	let url: URL;
	try {
		url = new URL(endpoint);
	} catch {
		return 'not a URL';
	}
	if (url.protocol !== 'https:') return 'not https';
	if (url.username || url.password) return 'has credentials';
	if (pushPrivateHostsAllowed(c)) return null;
	const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
	if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.local') || host.endsWith('.internal')) return 'not a public host';
	if (net.isIP(host) && !isPublicAddress(host)) return 'not a public address';
	// Browsers' push services (FCM, Mozilla, Apple, Microsoft) all listen on 443.
	if (url.port && url.port !== '443') return 'not the https port';
	if (!net.isIP(host) && !host.includes('.')) return 'not a public host';
	return null;
}

export class PrivateAddressError extends Error {
	readonly code = 'EPRIVATEADDRESS';
	constructor(host: string) {
		super(`Refused to connect: ${host} resolves to a private or reserved address`);
		this.name = 'PrivateAddressError';
	}
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

/**
 * A `lookup` for net/tls connections that resolves as usual and refuses the connection when any
 * address is not public (so a name cannot point the server at its own network).
 */
export function publicOnlyLookup(hostname: string, options: dns.LookupOptions | number | LookupCallback, callback?: LookupCallback): void {
	const cb = (typeof options === 'function' ? options : callback)!;
	const opts: dns.LookupOptions = typeof options === 'object' ? options : typeof options === 'number' ? { family: options } : {};
	dns.lookup(hostname, { ...opts, all: true }, (err, addresses) => {
		if (err) return cb(err, opts.all ? [] : '', undefined);
		const list = addresses as dns.LookupAddress[];
		if (!pushPrivateHostsAllowed() && (list.length === 0 || list.some((a) => !isPublicAddress(a.address)))) {
			return cb(new PrivateAddressError(hostname), opts.all ? [] : '', undefined);
		}
		if (opts.all) return cb(null, list);
		cb(null, list[0]!.address, list[0]!.family);
	});
}
