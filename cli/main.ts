#!/usr/bin/env node
/** `shardsync`: the admin API from a terminal. Every command is one or two API calls. */
import { Command } from 'commander';
import { ApiCaller } from './apiCaller.js';
import { CliError } from './cliError.js';
import type { CommandContext } from './commandContext.js';
import { bearerCredential } from './credentials.js';
import { consoleOutput } from './output.js';
import { conflictsCommand } from './commands/conflicts.js';
import { connectionsCommand } from './commands/connections.js';
import { failuresCommand } from './commands/failures.js';
import { runsCommand } from './commands/runs.js';
import { schedulesCommand } from './commands/schedules.js';
import { shardsCommand } from './commands/shards.js';
import { statusCommand } from './commands/status.js';

interface GlobalOptions {
  url: string;
  tenant?: string;
  key?: string;
  json?: boolean;
}

const program = new Command('shardsync')
  .description('operate shardsync syncs: start and follow runs, settle conflicts, retry failures')
  .option('--url <url>', 'the admin API (env SHARDSYNC_URL)', process.env['SHARDSYNC_URL'] ?? 'http://localhost:7071/api')
  .option('--tenant <tenantId>', 'the tenant (env SHARDSYNC_TENANT)', process.env['SHARDSYNC_TENANT'])
  // No default shown in --help: it would print the key.
  .option('--key <key>', 'API key (env SHARDSYNC_KEY); without one, an Entra ID token for SHARDSYNC_SCOPE')
  .option('--json', "print the API's JSON instead of tables");

function context(): CommandContext {
  const options = program.opts<GlobalOptions>();
  if (!options.tenant) throw new CliError('no tenant: give --tenant or set SHARDSYNC_TENANT', 2);
  const key = options.key ?? process.env['SHARDSYNC_KEY'];
  const scope = process.env['SHARDSYNC_SCOPE'];
  const api = new ApiCaller({
    url: options.url,
    tenant: options.tenant,
    credential: () => bearerCredential({ ...(key ? { key } : {}), ...(scope ? { scope } : {}) }),
  });
  return { api, out: consoleOutput(options.json === true) };
}

for (const command of [runsCommand, statusCommand, conflictsCommand, failuresCommand, schedulesCommand, connectionsCommand, shardsCommand]) {
  program.addCommand(command(context));
}

program.parseAsync(process.argv).catch((error: unknown) => {
  // One line, never a stack trace: the API's own message, or what went wrong locally.
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`shardsync: ${message}\n`);
  process.exit(error instanceof CliError ? error.exitCode : 1);
});
