import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AnthropicToChatStream } from './anthropic-to-chat-stream';

/** The recorded stream, one SSE event per blank-line-separated record. */
function events(name: string): { event?: string; data: string }[] {
  const text = readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
  return text
    .split('\n\n')
    .filter((record) => record.trim() !== '')
    .map((record) => {
      const lines = record.split('\n');
      const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
      const data = lines.find((l) => l.startsWith('data: '))?.slice(6) ?? '';
      return event === undefined ? { data } : { event, data };
    });
}

describe('AnthropicToChatStream', () => {
  it('decodes a recorded stream: role, text, one tool call with streamed input, finish, usage', () => {
    const decoder = new AnthropicToChatStream('public-model', 1_765_000_000);
    const chunks = events('message-stream.chunks.txt').flatMap(({ event, data }) => {
      const result = decoder.push(data, event);
      if (!result.ok) throw new Error(JSON.stringify(result.error));
      return result.value;
    });
    const base = {
      id: 'msg_014p7gG3wDgGV9EUtLvnow3U',
      object: 'chat.completion.chunk',
      created: 1_765_000_000,
      model: 'public-model',
    };
    const delta = (d: object, finish: string | null = null) => ({
      ...base,
      choices: [{ index: 0, delta: d, finish_reason: finish }],
    });
    expect(chunks).toEqual([
      delta({ role: 'assistant', content: '' }),
      delta({ content: 'Okay' }),
      delta({ content: ", let's check the weather for San Francisco, CA:" }),
      delta({
        tool_calls: [
          {
            index: 0,
            id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6',
            type: 'function',
            function: { name: 'get_weather', arguments: '' },
          },
        ],
      }),
      delta({ tool_calls: [{ index: 0, function: { arguments: '{"location":' } }] }),
      delta({ tool_calls: [{ index: 0, function: { arguments: ' "San Francisco, CA"' } }] }),
      delta({ tool_calls: [{ index: 0, function: { arguments: ', "unit": "fahrenheit"}' } }] }),
      delta({}, 'tool_calls'),
      {
        ...base,
        choices: [],
        usage: {
          // 472 uncached + 128 cache reads: canonical prompt tokens include the cached part.
          prompt_tokens: 600,
          completion_tokens: 89,
          total_tokens: 689,
          prompt_tokens_details: { cached_tokens: 128 },
          cache_write_tokens: 0,
        },
      },
    ]);
    expect(decoder.usageReport()).toMatchObject({
      inputTokens: 600,
      cachedInputTokens: 128,
      outputTokens: 89,
    });
  });

  it('reports an error event with its fields, and unreadable events as malformed', () => {
    const decoder = new AnthropicToChatStream('m', 0);
    expect(
      decoder.push('{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}', 'error'),
    ).toEqual({
      ok: false,
      error: {
        kind: 'upstream_error',
        error: { message: 'Overloaded', type: 'overloaded_error', code: null, param: null },
      },
    });
    expect(decoder.push('not json').ok).toBe(false);
    expect(
      decoder.push(
        '{"type":"content_block_delta","index":5,"delta":{"type":"input_json_delta","partial_json":"{"}}',
      ),
    ).toMatchObject({
      ok: false,
      error: { kind: 'malformed' },
    });
    // ping, thinking deltas and unknown events carry nothing canonical.
    expect(decoder.push('{"type":"ping"}', 'ping')).toEqual({ ok: true, value: [] });
    expect(
      decoder.push(
        '{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"hm"}}',
      ),
    ).toEqual({ ok: true, value: [] });
    expect(decoder.push('{"type":"some_future_event"}')).toEqual({ ok: true, value: [] });
    // A server tool's streamed input is not a canonical tool call: skipped, not an error.
    expect(
      decoder.push(
        '{"type":"content_block_start","index":3,"content_block":{"type":"server_tool_use","id":"srvtoolu_1","name":"web_search","input":{}}}',
      ),
    ).toEqual({ ok: true, value: [] });
    expect(
      decoder.push(
        '{"type":"content_block_delta","index":3,"delta":{"type":"input_json_delta","partial_json":"{"}}',
      ),
    ).toEqual({
      ok: true,
      value: [],
    });
  });

  it('maps each stop reason', () => {
    const reasons: Record<string, string> = {
      end_turn: 'stop',
      stop_sequence: 'stop',
      pause_turn: 'stop',
      max_tokens: 'length',
      model_context_window_exceeded: 'length',
      tool_use: 'tool_calls',
      refusal: 'content_filter',
    };
    for (const [anthropic, chat] of Object.entries(reasons)) {
      const decoder = new AnthropicToChatStream('m', 0);
      const result = decoder.push(
        JSON.stringify({
          type: 'message_delta',
          delta: { stop_reason: anthropic },
          usage: { output_tokens: 1 },
        }),
      );
      expect(result.ok && result.value[0]?.choices[0]?.finish_reason).toBe(chat);
    }
  });

  it('never throws on any event payload', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.jsonValue(), fc.option(fc.string(), { nil: undefined }))),
        (payloads) => {
          const decoder = new AnthropicToChatStream('m', 0);
          for (const [payload, event] of payloads) {
            expect(typeof decoder.push(JSON.stringify(payload), event).ok).toBe('boolean');
          }
        },
      ),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(
        fc.constantFrom(
          'message_start',
          'content_block_start',
          'content_block_delta',
          'message_delta',
          'message_stop',
          'error',
        ),
        fc.dictionary(
          fc.constantFrom('message', 'index', 'content_block', 'delta', 'usage', 'error'),
          fc.jsonValue(),
        ),
        (type, fields) => {
          const decoder = new AnthropicToChatStream('m', 0);
          expect(typeof decoder.push(JSON.stringify({ ...fields, type })).ok).toBe('boolean');
        },
      ),
      { numRuns: 500 },
    );
  });
});
