import { describe, expect, it } from 'vitest';
import { defaultFaultsOf, parseMockFaults, resolveFaults } from './mock-faults';
import { readFaultHeaders } from './read-fault-headers';

describe('parseMockFaults', () => {
  it('accepts every setting, byModel, byKey and seed', () => {
    const faults = {
      latencyMs: 5,
      ttftMs: 1,
      chunkGapMs: 2,
      status: 503,
      retryAfter: 3,
      dropAfterChunks: 0,
      hang: false,
      failRate: 0.25,
      seed: 7,
      byModel: { m1: { status: 429, retryAfter: 1 } },
      byKey: { 'sk-account-a': { status: 503 }, 'sk-account-b': { latencyMs: 0 } },
    };
    expect(parseMockFaults(faults)).toEqual({ ok: true, value: faults });
  });

  it('names the bad field', () => {
    expect(parseMockFaults({ latency: 5 })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^latency: unknown fault/),
    });
    expect(parseMockFaults({ status: 302 })).toEqual({
      ok: false,
      message: 'status: expected 200 or an integer between 400 and 599',
    });
    expect(parseMockFaults({ failRate: 2 })).toEqual({
      ok: false,
      message: 'failRate: expected a number between 0 and 1',
    });
    expect(parseMockFaults({ byModel: { m1: { hang: 'yes' } } })).toEqual({
      ok: false,
      message: 'byModel.m1.hang: expected a boolean',
    });
    expect(parseMockFaults({ byModel: { m1: { byModel: {} } } })).toMatchObject({ ok: false });
    expect(parseMockFaults({ byKey: { 'sk-a': { status: 302 } } })).toEqual({
      ok: false,
      message: 'byKey.sk-a.status: expected 200 or an integer between 400 and 599',
    });
    const known =
      'latencyMs, ttftMs, chunkGapMs, status, retryAfter, dropAfterChunks, hang, maxContextTokens, failRate, omitUsage, hugeBodyMb, endlessStream, unterminatedSse';
    for (const nested of ['byModel', 'byKey', 'seed']) {
      expect(parseMockFaults({ byKey: { 'sk-a': { [nested]: {} } } })).toEqual({
        ok: false,
        message: `byKey.sk-a.${nested}: unknown fault (known: ${known})`,
      });
    }
    expect(parseMockFaults({ byKey: { 'sk-a': 503 } })).toEqual({
      ok: false,
      message: 'byKey.sk-a: expected an object',
    });
    expect(parseMockFaults({ byKey: ['sk-a'] })).toEqual({
      ok: false,
      message: 'byKey: expected an object keyed by API key',
    });
    expect(parseMockFaults({ byKey: { '': { status: 503 } } })).toEqual({
      ok: false,
      message: 'byKey: an API key must not be empty',
    });
    expect(parseMockFaults({ seed: 1.5 })).toEqual({ ok: false, message: 'seed: expected an integer' });
    expect(parseMockFaults([])).toMatchObject({ ok: false });
  });
});

describe('resolveFaults', () => {
  it('layers defaults, then byModel, then byKey, then headers, field by field', () => {
    const defaults = defaultFaultsOf({ latencyMs: 10, status: 500, byModel: {}, byKey: {}, seed: 1 });
    expect(defaults).toEqual({ latencyMs: 10, status: 500 });
    expect(resolveFaults(defaults, { status: 503, retryAfter: 2 }, undefined, { status: 200 })).toEqual({
      latencyMs: 10,
      status: 200,
      retryAfter: 2,
    });
    expect(
      resolveFaults(defaults, { status: 503, retryAfter: 2 }, { status: 429, failRate: 1 }, undefined),
    ).toEqual({ latencyMs: 10, status: 429, retryAfter: 2, failRate: 1 });
    expect(resolveFaults(defaults, { status: 503 }, { status: 429 }, { status: 200 })).toEqual({
      latencyMs: 10,
      status: 200,
    });
    expect(resolveFaults(undefined, undefined, { hang: true }, undefined)).toEqual({ hang: true });
    expect(resolveFaults(undefined, undefined, undefined, undefined)).toEqual({});
    expect(defaultFaultsOf({ byModel: { m: { hang: true } } })).toBeUndefined();
    expect(defaultFaultsOf({ byKey: { k: { hang: true } } })).toBeUndefined();
  });
});

describe('readFaultHeaders', () => {
  it('reads the x-mock-* headers and rejects malformed ones', () => {
    expect(readFaultHeaders({ 'content-type': 'application/json' })).toEqual({ ok: true, value: undefined });
    expect(
      readFaultHeaders({
        'x-mock-latency-ms': '25',
        'x-mock-ttft-ms': '0',
        'x-mock-chunk-gap-ms': '3',
        'x-mock-status': '429',
        'x-mock-retry-after': '7',
        'x-mock-drop-after-chunks': '2',
        'x-mock-hang': 'true',
        'x-mock-fail-rate': '0.5',
      }),
    ).toEqual({
      ok: true,
      value: {
        latencyMs: 25,
        ttftMs: 0,
        chunkGapMs: 3,
        status: 429,
        retryAfter: 7,
        dropAfterChunks: 2,
        hang: true,
        failRate: 0.5,
      },
    });
    expect(readFaultHeaders({ 'x-mock-hang': '0' })).toEqual({ ok: true, value: { hang: false } });
    expect(readFaultHeaders({ 'x-mock-status': 'teapot' })).toEqual({
      ok: false,
      message: "Invalid x-mock-status header 'teapot': expected 200 or an integer between 400 and 599.",
    });
    expect(readFaultHeaders({ 'x-mock-latency-ms': '-1' })).toMatchObject({ ok: false });
  });
});
