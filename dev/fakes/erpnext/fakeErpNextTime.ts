/** Microseconds since the epoch as Frappe writes datetimes: `2024-01-01 10:00:00.123456` (the site's zone; here UTC). */
export function formatFrappeMicros(micros: number): string {
  const ms = Math.floor(micros / 1000);
  const fraction = String(micros % 1_000_000).padStart(6, '0');
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')}.${fraction}`;
}

/** A datetime or date as filters send it, padded to Frappe's full form so strings compare as instants. */
export function normalizeDateTime(value: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return `${value} 00:00:00.000000`;
  const match = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?$/.exec(value);
  return match ? `${match[1]} ${match[2]}.${(match[3] ?? '').padEnd(6, '0')}` : value;
}
