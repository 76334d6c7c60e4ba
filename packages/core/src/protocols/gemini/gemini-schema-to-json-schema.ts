import { fail, gatewayError, ok, type Result } from '../../gateway-error';
import { geminiCamelName, isGeminiObject } from './gemini-wire';

const MAX_DEPTH = 64;

/** Google's int64 keywords. */
const INT64 = new Set(['maxItems', 'minItems', 'minProperties', 'maxProperties', 'minLength', 'maxLength']);

/** Keywords Google's Schema shares with JSON Schema (camelCase; snake_case twins are accepted too). */
const SAME = new Set([
  'format',
  'title',
  'description',
  'enum',
  'maxItems',
  'minItems',
  'required',
  'minProperties',
  'maxProperties',
  'minLength',
  'maxLength',
  'pattern',
  'minimum',
  'maximum',
  'default',
]);

/**
 * Google's OpenAPI-subset `Schema` (function `parameters`, `responseSchema`) as JSON Schema: upper-case `type`
 * names lowered, `nullable: true` folded into the type, `properties`/`items`/`anyOf` converted recursively,
 * `propertyOrdering` and `example` (presentation hints) left out. A keyword with no JSON Schema meaning here is
 * refused, naming it, rather than dropped.
 */
export function geminiSchemaToJsonSchema(schema: unknown, param: string): Result<Record<string, unknown>> {
  return convert(schema, param, 0);
}

function convert(schema: unknown, param: string, depth: number): Result<Record<string, unknown>> {
  if (depth > MAX_DEPTH) {
    return fail(
      gatewayError('invalid_request', `Invalid '${param}': the schema is nested too deeply.`, param),
    );
  }
  if (!isGeminiObject(schema)) {
    return fail(
      gatewayError('invalid_request', `Invalid type for '${param}': expected a schema object.`, param),
    );
  }
  const out: Record<string, unknown> = {};
  let nullable = false;
  for (const [rawKey, value] of Object.entries(schema)) {
    const key = geminiCamelName(rawKey);
    const at = `${param}.${rawKey}`;
    if (INT64.has(key)) {
      // int64 in Google's proto JSON arrives as a decimal string; JSON Schema wants a number.
      out[key] = typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value;
    } else if (SAME.has(key)) {
      out[key] = value;
    } else if (key === 'type') {
      if (typeof value !== 'string') {
        return fail(gatewayError('invalid_request', `Invalid type for '${at}': expected a string.`, at));
      }
      if (value !== 'TYPE_UNSPECIFIED') out.type = value.toLowerCase();
    } else if (key === 'nullable') {
      nullable = value === true;
    } else if (key === 'properties') {
      if (!isGeminiObject(value)) {
        return fail(gatewayError('invalid_request', `Invalid type for '${at}': expected an object.`, at));
      }
      const properties: Record<string, unknown> = {};
      for (const [name, property] of Object.entries(value)) {
        const converted = convert(property, `${at}.${name}`, depth + 1);
        if (!converted.ok) return converted;
        properties[name] = converted.value;
      }
      out.properties = properties;
    } else if (key === 'items') {
      const converted = convert(value, at, depth + 1);
      if (!converted.ok) return converted;
      out.items = converted.value;
    } else if (key === 'anyOf') {
      if (!Array.isArray(value)) {
        return fail(gatewayError('invalid_request', `Invalid type for '${at}': expected an array.`, at));
      }
      const options: Record<string, unknown>[] = [];
      for (let i = 0; i < value.length; i++) {
        const converted = convert(value[i], `${at}[${i}]`, depth + 1);
        if (!converted.ok) return converted;
        options.push(converted.value);
      }
      out.anyOf = options;
    } else if (key === 'propertyOrdering' || key === 'example') {
      // Presentation hints for Gemini; no JSON Schema meaning.
    } else {
      return fail(
        gatewayError(
          'unsupported_feature',
          `The schema keyword '${rawKey}' cannot be translated for this model's provider.`,
          at,
        ),
      );
    }
  }
  if (nullable) {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    else if (Array.isArray(out.anyOf)) out.anyOf = [...out.anyOf, { type: 'null' }];
  }
  return ok(out);
}
