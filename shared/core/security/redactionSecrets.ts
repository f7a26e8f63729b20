/**
 * The values to keep out of logs and stored text for one stored secret: every string in a
 * credentials document (JSON object or array), else the secret text itself (a signing key). Keys
 * of the document are field names, not secrets.
 */
export function secretValues(stored: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stored);
  } catch {
    return [stored];
  }
  if (typeof parsed === 'string') return [parsed];
  if (typeof parsed !== 'object' || parsed === null) return [stored];
  const values: string[] = [];
  const pending: unknown[] = [parsed];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (typeof next === 'string') values.push(next);
    else if (typeof next === 'object' && next !== null) pending.push(...Object.values(next));
  }
  return values;
}
