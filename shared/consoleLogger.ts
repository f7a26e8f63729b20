import type { Logger } from './sync/syncDeps.js';
import type { Redactor } from './core/security/redaction.js';

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 } as const;
export type LogLevel = keyof typeof LEVELS;

/**
 * One line per entry on stderr (the Functions host captures console output too). Callers pass
 * ids and counts as fields, never credentials; should a provider's text carry one anyway, each
 * line, message and fields, goes through `redactor` (the process's secrets) before it is written.
 */
export function createConsoleLogger(level: LogLevel, redactor: Pick<Redactor, 'redact'>): Logger {
  const write = (entryLevel: LogLevel, message: string, fields?: Record<string, unknown>) => {
    if (LEVELS[entryLevel] < LEVELS[level]) return;
    const suffix = fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
    process.stderr.write(`${new Date().toISOString()} ${entryLevel.toUpperCase()} ${redactor.redact(`${message}${suffix}`)}\n`);
  };
  return {
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
  };
}
