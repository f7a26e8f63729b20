import { z } from 'zod';

/**
 * Every setting the app reads, validated once at start-up. A bad value stops the process with
 * one message that lists each problem (see local.settings.example.json and the README).
 */
const settingsSchema = z.object({
  /** Directory of the SQLite database and local secrets file; `:memory:` keeps everything in memory. */
  SHARDSYNC_DATA_DIR: z.string().min(1).default('.data'),
  /** Port of the local host's HTTP server (0 = any free port). */
  SHARDSYNC_PORT: z.coerce.number().int().min(0).max(65535).default(7071),
  /** Peek-lock duration of the embedded bus; a crashed worker's messages come back after it. */
  SHARDSYNC_LOCK_DURATION_MS: z.coerce.number().int().min(100).max(300_000).default(30_000),
  /** Deliveries before the embedded bus dead-letters a message (Service Bus default: 10). */
  SHARDSYNC_MAX_DELIVERY_COUNT: z.coerce.number().int().min(1).max(100).default(10),
  /** Duplicate-detection window of the embedded bus. */
  SHARDSYNC_DUPLICATE_WINDOW_MS: z.coerce.number().int().min(0).default(600_000),
  /** `debug` also logs every invocation. */
  SHARDSYNC_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
});

export type Config = z.infer<typeof settingsSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid settings:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const result = settingsSchema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  return result.data;
}
