import pino, { Logger } from 'pino';

export type { Logger };

/** JSON logs on stdout, one logger per process, named after the service. */
export function createLogger(service: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: ['req.headers.authorization', 'headers.authorization'], remove: true },
  });
}
