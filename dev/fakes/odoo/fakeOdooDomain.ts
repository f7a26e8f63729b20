import { valueError } from './fakeOdooErrors.js';

export type Row = Record<string, unknown> & { id: number; write_date: string };

/** A many2one is stored as `[id, name]`: domains and orders compare its id. */
const comparable = (value: unknown) => (Array.isArray(value) ? value[0] : value);

/**
 * Pure: whether a row matches a domain. The implicit-AND form (`[[field, op, value], …]`, `&`
 * allowed) with the usual operators; `|` and `!` are refused rather than misread.
 */
export function matches(row: Row, domain: unknown, known: ReadonlySet<string>): boolean {
  if (!Array.isArray(domain)) throw valueError(`Invalid domain: ${JSON.stringify(domain)}`);
  return domain.every((term) => {
    if (term === '&') return true;
    if (!Array.isArray(term) || term.length !== 3 || typeof term[0] !== 'string' || typeof term[1] !== 'string') throw valueError(`Invalid domain term ${JSON.stringify(term)}`);
    const [field, op, value] = term as [string, string, unknown];
    if (!known.has(field)) throw valueError(`Invalid field ${field} in leaf ${JSON.stringify(term)}`);
    const left = comparable(row[field]);
    switch (op) {
      case '=':
        return left === value;
      case '!=':
        return left !== value;
      case '>':
        return (left as string | number) > (value as string | number);
      case '>=':
        return (left as string | number) >= (value as string | number);
      case '<':
        return (left as string | number) < (value as string | number);
      case '<=':
        return (left as string | number) <= (value as string | number);
      case 'in':
      case 'not in': {
        if (!Array.isArray(value)) throw valueError(`The value of ${op} must be a list: ${JSON.stringify(term)}`);
        return value.includes(left) === (op === 'in');
      }
      case 'ilike':
        return typeof left === 'string' && left.toLowerCase().includes(String(value).toLowerCase());
      default:
        throw valueError(`Invalid operator ${op} in leaf ${JSON.stringify(term)}`);
    }
  });
}

/** Pure: a comparator for an `order` such as `"write_date asc, id asc"`. */
export function comparatorOf(order: unknown, known: ReadonlySet<string>): (a: Row, b: Row) => number {
  const text = order === undefined || order === null || order === false ? 'id asc' : order;
  if (typeof text !== 'string') throw valueError(`Invalid "order" specified (${JSON.stringify(order)})`);
  const keys = text.split(',').map((part) => {
    const [field, direction = 'asc', ...rest] = part.trim().split(/\s+/);
    if (!field || !known.has(field) || rest.length > 0 || !/^(asc|desc)$/i.test(direction)) throw valueError(`Invalid "order" specified (${text})`);
    return { field, sign: direction.toLowerCase() === 'desc' ? -1 : 1 };
  });
  return (a, b) => {
    for (const { field, sign } of keys) {
      const left = comparable(a[field]) as string | number;
      const right = comparable(b[field]) as string | number;
      if (left < right) return -sign;
      if (left > right) return sign;
    }
    return 0;
  };
}
