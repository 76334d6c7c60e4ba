import { fail, gatewayError, ok, type Result } from '../../gateway-error';
import type { ChatTool, ChatToolChoice } from '../canonical-chat';

const invalid = (message: string, param: string) => fail(gatewayError('invalid_request', message, param));
const unsupported = (message: string, param: string) =>
  fail(gatewayError('unsupported_feature', message, param));

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const present = (value: unknown): boolean => value !== undefined && value !== null;

/** Responses' flat function tools as chat's nested ones; built-in tools are refused by name. */
export function readResponsesTools(tools: unknown): Result<ChatTool[]> {
  if (!Array.isArray(tools)) return invalid("Invalid type for 'tools': expected an array.", 'tools');
  const out: ChatTool[] = [];
  for (let i = 0; i < tools.length; i++) {
    const path = `tools[${i}]`;
    const tool: unknown = tools[i];
    if (!isObject(tool)) return invalid(`Invalid type for '${path}': expected an object.`, path);
    if (tool.type !== 'function') {
      const type = typeof tool.type === 'string' ? tool.type : String(tool.type);
      return unsupported(
        `${path}: the built-in tool '${type}' runs on OpenAI's side and cannot be served by this route's ` +
          'model; only function tools are supported.',
        `${path}.type`,
      );
    }
    const { name, description, parameters, strict } = tool;
    if (typeof name !== 'string' || name.length === 0) {
      return invalid(`Invalid value for '${path}.name': expected a non-empty string.`, `${path}.name`);
    }
    const fn: ChatTool['function'] = { name };
    if (present(description)) {
      if (typeof description !== 'string') {
        return invalid(`Invalid type for '${path}.description': expected a string.`, `${path}.description`);
      }
      fn.description = description;
    }
    if (present(parameters)) {
      if (!isObject(parameters)) {
        return invalid(`Invalid type for '${path}.parameters': expected an object.`, `${path}.parameters`);
      }
      fn.parameters = parameters;
    }
    if (present(strict)) {
      if (typeof strict !== 'boolean') {
        return invalid(`Invalid type for '${path}.strict': expected a boolean.`, `${path}.strict`);
      }
      fn.strict = strict;
    }
    if (tool.defer_loading === true) {
      return unsupported(
        `${path}: deferred tool loading (tool search) is not supported.`,
        `${path}.defer_loading`,
      );
    }
    out.push({ type: 'function', function: fn });
  }
  return ok(out);
}

/** A Responses `tool_choice` as chat's; hosted-tool and allowed-tools choices are refused. */
export function readResponsesToolChoice(choice: unknown): Result<ChatToolChoice> {
  if (choice === 'none' || choice === 'auto' || choice === 'required') return ok(choice);
  if (typeof choice === 'string') {
    return invalid(
      "Invalid value for 'tool_choice': expected none, auto, required or an object.",
      'tool_choice',
    );
  }
  if (!isObject(choice) || typeof choice.type !== 'string') {
    return invalid("Invalid type for 'tool_choice'.", 'tool_choice');
  }
  if (choice.type === 'function') {
    if (typeof choice.name !== 'string' || choice.name.length === 0) {
      return invalid(
        "Invalid value for 'tool_choice.name': expected a non-empty string.",
        'tool_choice.name',
      );
    }
    return ok({ type: 'function', function: { name: choice.name } });
  }
  return unsupported(
    `tool_choice of type '${choice.type}' is not supported on this route; use none, auto, required or a function.`,
    'tool_choice',
  );
}
