import type { Logger } from './sync/syncDeps.js';

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 } as const;
export type LogLevel = keyof typeof LEVELS;

/**
 * One line per entry on stderr (the Functions host captures console output too). Callers pass
 * ids and counts as fields, never credentials.
 */
export function createConsoleLogger(level: LogLevel): Logger {
  const write = (entryLevel: LogLevel, message: string, fields?: Record<string, unknown>) => {
    if (LEVELS[entryLevel] < LEVELS[level]) return;
    const suffix = fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
    process.stderr.write(`${new Date().toISOString()} ${entryLevel.toUpperCase()} ${message}${suffix}\n`);
  };
  return {
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
  };
}
