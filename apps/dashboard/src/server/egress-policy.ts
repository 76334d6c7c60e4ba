import { BlockList, isIP } from 'node:net';

/**
 * Where the gateway may be told to send requests (provider base URLs, budget webhooks). Addresses inside the
 * host, the cloud's metadata service or a private network are refused unless an operator allowed them with
 * SWITCHYARD_EGRESS_ALLOW (e.g. a local vLLM, or the bundled mock provider on 127.0.0.1).
 */
export interface EgressPolicy {
  /** Why requests to `url` are not allowed, or null when they are. */
  refusal(url: string): Promise<string | null>;
}

/** Resolves a host name to every address it has; rejects when it cannot. */
export type ResolveHost = (hostname: string) => Promise<string[]>;

/** Names that reach the host itself or a cloud metadata service whatever DNS says. */
const DENIED_NAMES = ['localhost', 'metadata.google.internal', 'metadata.goog', 'instance-data'];

/** Link-local/metadata, loopback, private, shared, multicast and reserved ranges. */
const DENIED_SUBNETS: [string, number, 'ipv4' | 'ipv6'][] = [
  ['0.0.0.0', 8, 'ipv4'],
  ['10.0.0.0', 8, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'],
  ['127.0.0.0', 8, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'],
  ['172.16.0.0', 12, 'ipv4'],
  ['192.0.0.0', 24, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['198.18.0.0', 15, 'ipv4'],
  ['224.0.0.0', 3, 'ipv4'],
  ['::', 128, 'ipv6'],
  ['::1', 128, 'ipv6'],
  ['fc00::', 7, 'ipv6'],
  ['fe80::', 10, 'ipv6'],
  ['ff00::', 8, 'ipv6'],
];

/** One SWITCHYARD_EGRESS_ALLOW entry: an address, a CIDR range, or a host name (exact, case-insensitive). */
export type EgressAllowEntry =
  | { kind: 'subnet'; address: string; prefix: number; family: 'ipv4' | 'ipv6' }
  | { kind: 'name'; name: string };

/** Parses the comma-separated allow-list; throws naming the first entry it cannot read. */
export function parseEgressAllow(text: string | undefined): EgressAllowEntry[] {
  if (text === undefined) return [];
  return text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      const [address = '', prefixText] = entry.split('/');
      const version = isIP(address);
      if (version !== 0) {
        const family = version === 4 ? 'ipv4' : 'ipv6';
        const max = version === 4 ? 32 : 128;
        const prefix = prefixText === undefined ? max : Number(prefixText);
        if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) {
          throw new Error(`"${entry}" has a prefix length outside 0..${max}`);
        }
        return { kind: 'subnet', address, prefix, family } as const;
      }
      if (prefixText !== undefined || !/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/i.test(entry)) {
        throw new Error(`"${entry}" is neither an IP address, a CIDR range nor a host name`);
      }
      return { kind: 'name', name: normaliseName(entry) } as const;
    });
}

function normaliseName(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

/** An IPv4 address carried in IPv6 (::ffff:a.b.c.d, as the URL parser writes it: ::ffff:7f00:1) is judged as IPv4. */
function judgedAddress(address: string): { address: string; family: 'ipv4' | 'ipv6' } {
  if (isIP(address) === 4) return { address, family: 'ipv4' };
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (mapped) {
    const high = Number.parseInt(mapped[1] ?? '0', 16);
    const low = Number.parseInt(mapped[2] ?? '0', 16);
    return { address: [high >> 8, high & 255, low >> 8, low & 255].join('.'), family: 'ipv4' };
  }
  const dotted = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (dotted?.[1]) return { address: dotted[1], family: 'ipv4' };
  return { address, family: 'ipv6' };
}

export function createEgressPolicy(allow: readonly EgressAllowEntry[], resolve: ResolveHost): EgressPolicy {
  const denied = new BlockList();
  for (const [address, prefix, family] of DENIED_SUBNETS) denied.addSubnet(address, prefix, family);
  const allowed = new BlockList();
  const allowedNames = new Set<string>();
  for (const entry of allow) {
    if (entry.kind === 'name') allowedNames.add(entry.name);
    else allowed.addSubnet(entry.address, entry.prefix, entry.family);
  }

  function addressRefusal(raw: string): string | null {
    const { address, family } = judgedAddress(raw);
    if (!denied.check(address, family) || allowed.check(address, family)) return null;
    return `${raw} is a loopback, link-local (cloud metadata) or private address; allow it with SWITCHYARD_EGRESS_ALLOW`;
  }

  return {
    async refusal(url) {
      let hostname: string;
      try {
        hostname = new URL(url).hostname;
      } catch {
        return 'is not a URL';
      }
      const host = hostname.startsWith('[') ? hostname.slice(1, -1) : normaliseName(hostname);
      if (allowedNames.has(host)) return null;
      if (isIP(host) !== 0) return addressRefusal(host);
      if (
        DENIED_NAMES.some((name) => host === name || host.endsWith(`.${name}`)) ||
        host.endsWith('.localhost')
      ) {
        return `${host} reaches the host itself or a metadata service; allow it with SWITCHYARD_EGRESS_ALLOW`;
      }
      let addresses: string[];
      try {
        addresses = await resolve(host);
      } catch {
        // Unresolvable now: nothing to judge; the routers cannot reach it either.
        return null;
      }
      for (const address of addresses) {
        const refusal = addressRefusal(address);
        if (refusal !== null) return `${host} resolves to ${refusal}`;
      }
      return null;
    },
  };
}
