import { describe, expect, it } from 'vitest';
import { readOpenAiError } from './read-openai-error';

describe('readOpenAiError', () => {
  it("reads OpenAI's error object", () => {
    const body = JSON.stringify({
      error: { message: 'Bad', type: 'invalid_request_error', param: 'model', code: 'model_not_found' },
    });
    expect(readOpenAiError(body)).toEqual({
      message: 'Bad',
      type: 'invalid_request_error',
      param: 'model',
      code: 'model_not_found',
    });
  });

  it('reads the bare shapes compatible servers send, and numeric codes', () => {
    expect(readOpenAiError('{"error":"no such model"}')).toEqual({
      message: 'no such model',
      type: null,
      code: null,
      param: null,
    });
    expect(readOpenAiError('{"message":"too long","code":400}')).toEqual({
      message: 'too long',
      type: null,
      code: 400,
      param: null,
    });
  });

  it('is null for what is no error object, and ignores fields of the wrong type', () => {
    expect(readOpenAiError('<html>502 Bad Gateway</html>')).toBeNull();
    expect(readOpenAiError('[1,2]')).toBeNull();
    expect(readOpenAiError('null')).toBeNull();
    expect(readOpenAiError('{"error":{"message":{"nested":true},"code":["x"]}}')).toBeNull();
    expect(readOpenAiError('{"error":{"message":"m","type":7,"param":{}}}')).toEqual({
      message: 'm',
      type: null,
      code: null,
      param: null,
    });
  });
});
