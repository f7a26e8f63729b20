import { Command } from 'commander';
import type { ContextFactory } from '../commandContext.js';
import { CliError } from '../cliError.js';

interface ConnectionTest {
  ok: boolean;
  outcome: string;
  durationMs: number;
  status?: number;
  message?: string;
}

/** Pure: a connection test in one line. */
export const renderConnectionTest = (id: string, test: ConnectionTest): string =>
  `${id}: ${test.outcome}${test.status ? ` (HTTP ${test.status})` : ''} in ${test.durationMs} ms${test.message ? ` — ${test.message}` : ''}`;

export function connectionsCommand(context: ContextFactory): Command {
  const connections = new Command('connections').description("tenants' SaaS connections");
  connections
    .command('test <connectionId>')
    .description('check reachability and credentials now')
    .action(async (connectionId: string) => {
      const { api, out } = context();
      const test = await api.call<ConnectionTest>('POST', api.tenantPath(`connections/${encodeURIComponent(connectionId)}/test`));
      out.show(test, () => renderConnectionTest(connectionId, test));
      // A test that finds a problem is an answer, yet a script must be able to tell.
      if (!test.ok) throw new CliError(`connection ${connectionId}: ${test.outcome}`, 3);
    });
  return connections;
}
