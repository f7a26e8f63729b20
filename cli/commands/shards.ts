import { Command } from 'commander';
import type { ContextFactory } from '../commandContext.js';

export function shardsCommand(context: ContextFactory): Command {
  const shards = new Command('shards').description('the normalized records');
  shards
    .command('count')
    .description('how many shards (tombstones left out), counted by the database')
    .option('--type <shardType>', 'only shards of this type')
    .action(async (options: { type?: string }) => {
      const { api, out } = context();
      const query = new URLSearchParams({ count: 'true', ...(options.type === undefined ? {} : { type: options.type }) });
      const answer = await api.call<{ count: number }>('GET', api.tenantPath(`shards?${query}`));
      out.show(answer, () => String(answer.count));
    });
  return shards;
}
