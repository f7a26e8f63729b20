import { Command } from 'commander';
import type { ContextFactory } from '../commandContext.js';
import { renderTable } from '../table.js';

interface Listing<T> {
  items: T[];
}
interface TaskItem {
  id: string;
  connectionId: string;
  direction?: string;
  lastExecution: { id: string; status: string; createdAt: string; finishedAt: string | null } | null;
  lastSuccessfulSyncAt?: string | null;
}
interface ConnectionItem {
  id: string;
  provider: string;
  name?: string;
  providerState?: { circuit?: { state?: string } };
}

/** Pure: tasks with their last run, and connections with their circuit. */
export function renderStatus(tasks: TaskItem[], connections: ConnectionItem[]): string {
  const taskTable = renderTable(
    ['task', 'connection', 'direction', 'last run', 'status', 'finished', 'last success'],
    tasks.map((t) => [t.id, t.connectionId, t.direction, t.lastExecution?.id, t.lastExecution?.status, t.lastExecution?.finishedAt, t.lastSuccessfulSyncAt]),
  );
  const connectionTable = renderTable(
    ['connection', 'provider', 'name', 'circuit'],
    connections.map((c) => [c.id, c.provider, c.name, c.providerState?.circuit?.state]),
  );
  return `tasks\n${taskTable}\n\nconnections\n${connectionTable}`;
}

export function statusCommand(context: ContextFactory): Command {
  return new Command('status').description('tasks with their last run, and connections').action(async () => {
    const { api, out } = context();
    const [tasks, connections] = await Promise.all([
      api.call<Listing<TaskItem>>('GET', api.tenantPath('tasks?limit=1000')),
      api.call<Listing<ConnectionItem>>('GET', api.tenantPath('connections?limit=1000')),
    ]);
    out.show({ tasks: tasks.items, connections: connections.items }, () => renderStatus(tasks.items, connections.items));
  });
}
