import { describe, expect, it } from 'vitest';
import { createLogger, type LogLevel } from './logger';

function capture(level: LogLevel, format: 'json' | 'pretty' = 'json') {
  const written: string[] = [];
  const logger = createLogger(level, {
    format,
    destination: { write: (line: string) => written.push(line) },
  });
  return { logger, written };
}

describe('createLogger', () => {
  it('writes one JSON object a line: level label, ISO time, service, pid, fields, msg', () => {
    const { logger, written } = capture('info');
    logger.info('router listening', { url: 'http://127.0.0.1:8080' });
    logger.error('settle: the usage step failed', { requestId: 'req_1', error: 'boom' });
    expect(written).toHaveLength(2);
    const first = JSON.parse(written[0] as string);
    expect(first).toEqual({
      level: 'info',
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      service: 'router',
      pid: process.pid,
      url: 'http://127.0.0.1:8080',
      msg: 'router listening',
    });
    expect(JSON.parse(written[1] as string)).toMatchObject({
      level: 'error',
      requestId: 'req_1',
      error: 'boom',
    });
    expect(written.every((line) => line.endsWith('\n') && !line.slice(0, -1).includes('\n'))).toBe(true);
  });

  it('writes nothing below its level', () => {
    const { logger, written } = capture('warn');
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    expect(written.map((line) => JSON.parse(line).msg)).toEqual(['w', 'e']);
  });

  it('redacts credentials by path: key headers at the top level and one object down, credential fields', () => {
    const { logger, written } = capture('debug');
    const headers = {
      authorization: 'Bearer abc',
      'x-api-key': 'k1',
      'x-goog-api-key': 'k2',
      'api-key': 'k3',
      cookie: 'session=s',
      'proxy-authorization': 'Basic p',
      accept: 'application/json',
    };
    logger.debug('request', {
      headers,
      upstream: { headers, credential: 'c1' },
      credential: 'c2',
      apiKey: 'k4',
    });
    const line = JSON.parse(written[0] as string);
    const redacted = {
      authorization: '[redacted]',
      'x-api-key': '[redacted]',
      'x-goog-api-key': '[redacted]',
      'api-key': '[redacted]',
      cookie: '[redacted]',
      'proxy-authorization': '[redacted]',
      accept: 'application/json',
    };
    expect(line.headers).toEqual(redacted);
    expect(line.upstream).toEqual({ headers: redacted, credential: '[redacted]' });
    expect(line.credential).toBe('[redacted]');
    expect(line.apiKey).toBe('[redacted]');
    // The caller's object is left as it was.
    expect(headers.authorization).toBe('Bearer abc');
  });

  it('pretty: one readable line, secrets removed the same way', () => {
    const { logger, written } = capture('info', 'pretty');
    logger.warn('upstream attempt failed', {
      requestId: 'req_2',
      status: 503,
      headers: { 'x-api-key': 'k' },
    });
    expect(written[0]).toMatch(
      /^\d\d:\d\d:\d\d\.\d{3} WARN {2}upstream attempt failed requestId=req_2 status=503 headers=\{"x-api-key":"\[redacted\]"\}\n$/,
    );
  });
});
