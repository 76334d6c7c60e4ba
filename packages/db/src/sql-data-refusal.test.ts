import { describe, expect, it } from 'vitest';
import { sqlDataRefusal } from './sql-data-refusal';

const pgError = (code: string, message = `error ${code}`) => Object.assign(new Error(message), { code });

describe('sqlDataRefusal', () => {
  it('is a refusal for the data: data exceptions, constraint violations, program limits', () => {
    expect(sqlDataRefusal(pgError('22P05', 'unsupported Unicode escape sequence'))).toEqual({
      sqlState: '22P05',
      message: 'unsupported Unicode escape sequence',
    });
    for (const code of ['22003', '22021', '22P02', '23502', '23514', '54000']) {
      expect(sqlDataRefusal(pgError(code))?.sqlState).toBe(code);
    }
  });

  it('is not for what a retry can fix: connections, deadlocks, shutdown, resources, driver errors', () => {
    for (const code of ['08006', '40P01', '40001', '57P01', '53300', '42P01', 'ECONNREFUSED', 'ETIMEDOUT']) {
      expect(sqlDataRefusal(pgError(code))).toBeNull();
    }
    expect(sqlDataRefusal(new Error('Connection terminated unexpectedly'))).toBeNull();
    expect(sqlDataRefusal('22P05')).toBeNull();
    expect(sqlDataRefusal(null)).toBeNull();
  });
});
