import { BlockList } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEgressPolicy, parseEgressAllow } from './egress-policy';

const noDns = async (host: string): Promise<string[]> => {
  throw new Error(`no DNS in this test (${host})`);
};
const policy = createEgressPolicy([], noDns);

/** Ranges a base URL must not reach by default, as [first octets, prefix]. */
const DENIED: [number, number][] = [
  [0x7f000000, 8], // loopback
  [0x0a000000, 8], // private
  [0xa9fe0000, 16], // link-local, cloud metadata
  [0xac100000, 12], // private
  [0xc0a80000, 16], // private
  [0x00000000, 8], // "this network"
  [0x64400000, 10], // shared address space
];

function dotted(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** Every way a URL can spell one IPv4 address that the WHATWG URL parser (and so the router) reads as it. */
function spellings(n: number): string[] {
  const parts = [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
  return [
    dotted(n),
    String(n),
    `0x${n.toString(16)}`,
    parts.map((part) => `0x${part.toString(16)}`).join('.'),
    parts.map((part) => `0${part.toString(8)}`).join('.'),
    `${parts[0]}.${(n & 0xffffff) >>> 0}`,
    `[::ffff:${dotted(n)}]`,
  ];
}

const deniedAddress = fc
  .constantFrom(...DENIED)
  .chain(([base, prefix]) =>
    fc.integer({ min: 0, max: 2 ** (32 - prefix) - 1 }).map((offset) => (base + offset) >>> 0),
  );

describe('egress policy', () => {
  it('refuses every spelling of a loopback, private or metadata address', async () => {
    await fc.assert(
      fc.asyncProperty(deniedAddress, fc.constantFrom('http', 'https'), async (n, scheme) => {
        for (const host of spellings(n)) {
          const url = `${scheme}://${host}:8080/v1`;
          expect(await policy.refusal(url), url).not.toBeNull();
        }
      }),
      { numRuns: 300 },
    );
  });

  it('lets public addresses through, however they are spelt', async () => {
    const reserved = new BlockList();
    for (const [base, prefix] of [
      ...DENIED,
      [0xc0000000, 24] as [number, number],
      [0xc6120000, 15] as [number, number],
      [0xe0000000, 3] as [number, number],
    ]) {
      reserved.addSubnet(dotted(base), prefix, 'ipv4');
    }
    const publicAddress = fc
      .integer({ min: 0, max: 2 ** 32 - 1 })
      .filter((n) => !reserved.check(dotted(n), 'ipv4'));
    await fc.assert(
      fc.asyncProperty(publicAddress, async (n) => {
        for (const host of spellings(n)) expect(await policy.refusal(`https://${host}/v1`), host).toBeNull();
      }),
      { numRuns: 300 },
    );
  });

  it('refuses IPv6 loopback, unique-local (AWS metadata fd00:ec2::254) and link-local', async () => {
    for (const host of ['[::1]', '[0:0:0:0:0:0:0:1]', '[fd00:ec2::254]', '[fe80::1]', '[fc00::5]', '[::]']) {
      expect(await policy.refusal(`http://${host}/`), host).not.toBeNull();
    }
    expect(await policy.refusal('https://[2606:4700::1111]/')).toBeNull();
  });

  it('judges a name by every address it resolves to', async () => {
    const dns = createEgressPolicy([], async () => ['203.0.113.5', '::1']);
    expect(await dns.refusal('https://looks-public.example/v1')).toMatch(/resolves to ::1/);
    const allowed = createEgressPolicy(parseEgressAllow('::1'), async () => ['203.0.113.5', '::1']);
    expect(await allowed.refusal('https://looks-public.example/v1')).toBeNull();
  });
});
