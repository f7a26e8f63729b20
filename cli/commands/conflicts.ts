import { Command, Option } from 'commander';
import type { ContextFactory } from '../commandContext.js';
import { CliError } from '../cliError.js';
import { renderTable } from '../table.js';

interface ConflictItem {
  id: string;
  type: string;
  status: string;
  shardId: string;
  externalId: string;
  path?: string;
  base?: unknown;
  local?: unknown;
  remote?: unknown;
  message?: string;
}

/** Values as JSON, so `"1"` and `1`, or `null` and no value, read apart in a diff. */
const asJson = (value: unknown): string | undefined => (value === undefined ? undefined : JSON.stringify(value));

/** Pure: open conflicts with the field's three values — base (last agreed), ours, theirs. */
export function renderConflicts(items: ConflictItem[]): string {
  return renderTable(
    ['conflict', 'type', 'shard', 'record', 'field', 'base', 'ours', 'theirs'],
    items.map((c) => [c.id, c.type, c.shardId, c.externalId, c.path ?? c.message, asJson(c.base), asJson(c.local), asJson(c.remote)]),
  );
}

/** Pure: the API's resolve body for the CLI's options; exactly one way to settle must be given. */
export function resolveBody(options: { accept?: string; value?: string }): { action: string; value?: unknown } {
  if ((options.accept === undefined) === (options.value === undefined)) throw new CliError('give exactly one of --accept ours|theirs and --value JSON', 2);
  if (options.accept !== undefined) return { action: options.accept === 'ours' ? 'accept_local' : 'accept_remote' };
  try {
    return { action: 'custom', value: JSON.parse(options.value!) };
  } catch {
    throw new CliError(`--value is not JSON: ${options.value} (a string needs quotes: '"ada@example.com"')`, 2);
  }
}

export function conflictsCommand(context: ContextFactory): Command {
  const conflicts = new Command('conflicts').description('field conflicts of bidirectional sync');
  conflicts
    .command('list')
    .description('open conflicts, with the field diff')
    .action(async () => {
      const { api, out } = context();
      const page = await api.call<{ items: ConflictItem[] }>('GET', api.tenantPath('conflicts?status=open&limit=1000'));
      out.show(page, () => renderConflicts(page.items));
    });
  conflicts
    .command('resolve <conflictId>')
    .description('settle a conflict: keep ours, take theirs, or set a value')
    .addOption(new Option('--accept <side>', 'ours (write our value to the provider) or theirs (take the provider\'s)').choices(['ours', 'theirs']))
    .option('--value <json>', 'set this value (JSON)')
    .action(async (conflictId: string, options: { accept?: string; value?: string }) => {
      const { api, out } = context();
      const body = resolveBody(options);
      const resolved = await api.call<ConflictItem & { resolution?: { action: string } }>('POST', api.tenantPath(`conflicts/${encodeURIComponent(conflictId)}/resolve`), body);
      out.show(resolved, () => `${resolved.id}: ${resolved.status} (${resolved.resolution?.action ?? body.action})`);
    });
  return conflicts;
}
