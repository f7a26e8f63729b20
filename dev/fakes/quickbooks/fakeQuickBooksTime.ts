/**
 * QuickBooks writes times in the company's own zone with its offset, e.g.
 * `2024-01-10T12:34:56-08:00`: whole seconds in MetaData, milliseconds in a response's `time`.
 * Sandbox companies default to US Pacific; one fixed offset keeps the fake deterministic.
 */
export function formatQuickBooksTime(ms: number, utcOffsetMinutes: number, withMilliseconds = true): string {
  const local = new Date(ms + utcOffsetMinutes * 60_000).toISOString();
  const sign = utcOffsetMinutes < 0 ? '-' : '+';
  const magnitude = Math.abs(utcOffsetMinutes);
  const offset = `${sign}${String(Math.floor(magnitude / 60)).padStart(2, '0')}:${String(magnitude % 60).padStart(2, '0')}`;
  return `${withMilliseconds ? local.slice(0, 23) : local.slice(0, 19)}${offset}`;
}

/** An ISO 8601 instant; without an offset QuickBooks reads it in the company's zone. */
export function parseQuickBooksTime(text: string, utcOffsetMinutes: number): number | undefined {
  const trimmed = text.trim();
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(trimmed)) return undefined;
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/.test(trimmed) && trimmed.includes('T');
  const parsed = Date.parse(hasZone ? trimmed : `${trimmed.includes('T') ? trimmed : `${trimmed}T00:00:00`}Z`);
  if (Number.isNaN(parsed)) return undefined;
  return hasZone ? parsed : parsed - utcOffsetMinutes * 60_000;
}
