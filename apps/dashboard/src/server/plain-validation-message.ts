import type { core } from 'zod';

/** zod's own wording ("Invalid input: expected number, received NaN", "Too small: …"), as opposed to ours. */
const ZOD_WORDING = /^(Invalid|Too (small|big)|Expected)/;

function bound(kind: 'least' | 'most', value: number | bigint, inclusive: boolean): string {
  if (kind === 'least') return inclusive ? `at least ${value}` : `greater than ${value}`;
  return inclusive ? `no greater than ${value}` : `less than ${value}`;
}

/**
 * A validation issue in plain words that say what to type, for showing next to the field in the console
 * ("Enter a whole number."), instead of zod's wording. A message a schema wrote itself is kept.
 */
export function plainValidationMessage(issue: core.$ZodIssue): string {
  if (!ZOD_WORDING.test(issue.message)) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      if (/received undefined|received null/.test(issue.message)) return 'This is required.';
      if (issue.expected === 'int') return 'Enter a whole number.';
      if (issue.expected === 'number' || issue.expected === 'bigint') return 'Enter a number.';
      if (issue.expected === 'string') return 'Enter text.';
      if (issue.expected === 'boolean') return 'Choose yes or no.';
      if (issue.expected === 'array') return 'Enter a list.';
      return 'Enter a value of the right kind.';
    case 'too_small':
      if (issue.origin === 'string') {
        return Number(issue.minimum) <= 1 ? 'This is required.' : `Use at least ${issue.minimum} characters.`;
      }
      if (issue.origin === 'array' || issue.origin === 'set') return `Choose at least ${issue.minimum}.`;
      return `Enter a number ${bound('least', issue.minimum, issue.inclusive ?? true)}.`;
    case 'too_big':
      if (issue.origin === 'string') return `Use at most ${issue.maximum} characters.`;
      if (issue.origin === 'array' || issue.origin === 'set') return `Choose at most ${issue.maximum}.`;
      return `Enter a number ${bound('most', issue.maximum, issue.inclusive ?? true)}.`;
    case 'invalid_format':
      if (issue.format === 'url') return 'Enter a full URL, starting with https:// (or http://).';
      if (issue.format === 'email') return 'Enter an e-mail address.';
      if (issue.format === 'datetime' || issue.format === 'date') return 'Enter a date and time.';
      return 'This is not in the expected format.';
    case 'invalid_value':
      return `Choose one of: ${issue.values.map(String).join(', ')}.`;
    case 'not_multiple_of':
      return `Enter a multiple of ${issue.divisor}.`;
    case 'unrecognized_keys':
      return `Remove ${issue.keys.join(', ')}: not a setting here.`;
    default:
      return 'This value is not accepted.';
  }
}
