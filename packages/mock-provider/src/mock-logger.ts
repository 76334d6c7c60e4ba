import pino from 'pino';

/**
 * The mock's log lines, in the router's shape (`{"level","time","service","pid",…,"msg"}`, one JSON object a
 * line on stdout), so a stack's output reads as one stream. The mock logs only its start, its stop and why it
 * could not start; it sees no real secrets.
 */
export const mockLogger = pino(
  {
    base: { service: 'mock-provider', pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  },
  pino.destination({ dest: 1, sync: true }),
);
