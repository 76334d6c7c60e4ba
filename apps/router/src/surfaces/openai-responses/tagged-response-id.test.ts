import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readTaggedResponseId, responseTag, tagResponseId, tagResponseIdsInText } from './tagged-response-id';

const base62 = fc.stringMatching(/^[A-Za-z0-9]{1,24}$/);
const targetId = fc.tuple(base62, base62).map(([prefix, rest]) => `${prefix}_${rest}`);
const upstreamRest = fc.stringMatching(/^[A-Za-z0-9_]{1,40}$/);

describe('tagged response ids', () => {
  it('read back the target and the upstream id they were written from, whatever both hold', () => {
    fc.assert(
      fc.property(targetId, upstreamRest, (target, rest) => {
        const tag = responseTag(target);
        expect(tag).not.toBeNull();
        const tagged = tagResponseId(`resp_${rest}`, tag as string);
        expect(readTaggedResponseId(tagged)).toEqual({ targetId: target, upstreamId: `resp_${rest}` });
      }),
    );
  });

  it('refuse ids the gateway did not tag: OpenAI and translated ids, other shapes', () => {
    expect(readTaggedResponseId('resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b')).toBeNull();
    expect(readTaggedResponseId('resp_reqabc123')).toBeNull();
    expect(readTaggedResponseId('msg_tgt-1_x')).toBeNull();
    expect(readTaggedResponseId('resp_tgt-1_')).toBeNull();
    expect(readTaggedResponseId('resp_tgt.1_x')).toBeNull();
    fc.assert(
      fc.property(fc.string(), (id) => {
        const read = readTaggedResponseId(id);
        if (read !== null) expect(tagResponseId(read.upstreamId, responseTag(read.targetId) ?? '')).toBe(id);
      }),
    );
  });

  it('leave a target id that cannot be a tag untagged', () => {
    expect(responseTag('tgt-with-dash_x')).toBeNull();
    expect(responseTag('noseparator')).toBeNull();
    expect(responseTag('tgt_0TqLdZ4x3kP9aQmR2vYb')).toBe('tgt-0TqLdZ4x3kP9aQmR2vYb');
  });

  it('tag the response ids of a body and of stream events, and nothing inside string values', () => {
    const body = JSON.stringify({
      id: 'resp_abc',
      object: 'response',
      previous_response_id: 'resp_prev',
      output: [{ id: 'msg_1', content: [{ type: 'output_text', text: '{"id": "resp_fake"}' }] }],
    });
    const tagged = JSON.parse(tagResponseIdsInText(body, 'tgt-1'));
    expect(tagged.id).toBe('resp_tgt-1_abc');
    expect(tagged.previous_response_id).toBe('resp_tgt-1_prev');
    expect(tagged.output[0].id).toBe('msg_1');
    expect(tagged.output[0].content[0].text).toBe('{"id": "resp_fake"}');
    const event =
      'event: response.created\ndata: {"type":"response.created","response":{"id": "resp_x"}}\n\n';
    expect(tagResponseIdsInText(event, 'tgt-1')).toBe(event.replace('resp_x', 'resp_tgt-1_x'));
    // Model text can say anything: it is a JSON string, its quotes escaped, so it is never rewritten.
    fc.assert(
      fc.property(fc.string(), (text) => {
        const json = JSON.stringify({ type: 'response.output_text.delta', delta: text });
        expect(tagResponseIdsInText(json, 'tgt-1')).toBe(json);
      }),
    );
  });
});
