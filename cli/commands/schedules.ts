import { Command } from 'commander';
import type { ContextFactory } from '../commandContext.js';
import { renderTable } from '../table.js';

interface ScheduleItem {
  id: string;
  taskId: string;
  cron?: string;
  interval?: { every: number; unit: string };
  timeZone?: string;
  mode?: string;
  enabled?: boolean;
  nextFireAt?: string | null;
  lastFiredAt?: string | null;
}

/** Pure: schedules with when they fire. */
export function renderSchedules(items: ScheduleItem[]): string {
  return renderTable(
    ['schedule', 'task', 'when', 'time zone', 'mode', 'enabled', 'next', 'last'],
    items.map((s) => [s.id, s.taskId, s.cron ?? (s.interval ? `every ${s.interval.every} ${s.interval.unit}` : undefined), s.timeZone, s.mode, s.enabled, s.nextFireAt, s.lastFiredAt]),
  );
}

export function schedulesCommand(context: ContextFactory): Command {
  return new Command('schedules').description('the schedules and when they fire next').action(async () => {
    const { api, out } = context();
    const page = await api.call<{ items: ScheduleItem[] }>('GET', api.tenantPath('schedules?limit=1000'));
    out.show(page, () => renderSchedules(page.items));
  });
}
