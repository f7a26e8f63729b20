/** Local wall-clock time in an IANA zone → UTC, with offsets cached per day (Intl is slow). */
export type ZoneConverter = (wallMs: number) => number;

const DAY_MS = 86_400_000;
const QUARTER_HOUR_MS = 900_000;
const CACHE_LIMIT = 10_000;

export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

export function zoneConverter(timeZone: string): ZoneConverter {
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') return (wallMs) => wallMs;
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', era: 'short', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
  });
  const exactOffset = (utcMs: number): number => {
    const parts: Record<string, number> = {};
    let beforeChrist = false;
    for (const { type, value } of format.formatToParts(utcMs)) {
      if (type === 'era') beforeChrist = value === 'BC';
      else parts[type] = Number(value);
    }
    // setUTCFullYear, not Date.UTC: Date.UTC reads years 0–99 as 1900–1999. Intl counts 1 BC as year 1 of its era.
    const wall = new Date(Date.UTC(2000, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!));
    wall.setUTCFullYear(beforeChrist ? 1 - parts.year! : parts.year!);
    return wall.getTime() - utcMs;
  };
  // A UTC day whose first and last second share an offset has no transition (zones change at
  // most twice a year); a day with one falls back to quarter hours, on which tz database
  // transitions fall since 1970. Keys are buckets, not instants, so results are order-independent.
  const days = new Map<number, number>();
  const quarters = new Map<number, number>();
  const remember = (cache: Map<number, number>, key: number, value: number): number => {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, value);
    return value;
  };
  // The last day looked up: the second pass below nearly always asks for it again.
  let lastDay = NaN;
  let lastDaily = NaN;
  const offsetAt = (utcMs: number): number => {
    const day = Math.floor(utcMs / DAY_MS);
    let daily = day === lastDay ? lastDaily : days.get(day);
    if (daily === undefined) {
      const start = exactOffset(day * DAY_MS);
      daily = remember(days, day, start === exactOffset(day * DAY_MS + DAY_MS - 1000) ? start : NaN);
    }
    lastDay = day;
    lastDaily = daily;
    if (!Number.isNaN(daily)) return daily;
    const quarter = Math.floor(utcMs / QUARTER_HOUR_MS);
    return quarters.get(quarter) ?? remember(quarters, quarter, exactOffset(quarter * QUARTER_HOUR_MS));
  };
  // Two passes settle times near a transition (the usual local → UTC technique).
  return (wallMs) => wallMs - offsetAt(wallMs - offsetAt(wallMs));
}
