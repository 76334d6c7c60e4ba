/** Field names that may hold a secret: any name containing one of these words, in any case. */
const SECRET_NAME = /credential|secret|key|token|password/i;

export const MASK = '••••••';

/**
 * A copy of a JSON value with every secret-looking field's value replaced by MASK, at any depth. Numbers, booleans
 * and null under such names stay (a token count or `credentialSet: true` is a fact, not a secret); strings, arrays
 * and objects are masked whole, since a credential can be nested or split.
 */
export function maskSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(value)) {
    const keep = field === null || typeof field === 'number' || typeof field === 'boolean';
    out[name] = SECRET_NAME.test(name) && !keep ? MASK : maskSecrets(field);
  }
  return out;
}
