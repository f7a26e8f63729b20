/**
 * Pure matching of Azure Functions (ASP.NET Core) route templates:
 * `tenants/{tenantId}/connections/{connectionId}`, optional `{x?}`, defaults `{x=1}`, constraints
 * `{id:int}` / `{id:alpha}` / `{id:minlength(3)}`…, catch-all `{*rest}`. Literals compare
 * case-insensitively; when several templates match, the most specific one wins.
 */

type Constraint = (value: string) => boolean;

type Segment =
  | { kind: 'literal'; text: string }
  | {
      kind: 'parameter';
      name: string;
      optional: boolean;
      defaultValue?: string;
      catchAll: boolean;
      constraints: Constraint[];
    };

export interface RouteTemplate {
  template: string;
  segments: Segment[];
  /** ASP.NET inbound precedence digits, one per segment: lower is more specific. */
  precedence: number[];
}

const number = (v: string) => v.trim() !== '' && Number.isFinite(Number(v));

function constraintFrom(spec: string, template: string): Constraint {
  const call = /^(\w+)(?:\((.*)\))?$/s.exec(spec);
  if (!call) throw new Error(`route "${template}": cannot read constraint "${spec}"`);
  const [, name = '', rawArgs] = call;
  const args = rawArgs === undefined ? [] : name === 'regex' ? [rawArgs] : rawArgs.split(',').map((a) => a.trim());
  const arg = (i: number) => Number(args[i]);
  switch (name.toLowerCase()) {
    case 'int':
    case 'long':
      return (v) => /^-?\d+$/.test(v);
    case 'bool':
      return (v) => /^(true|false)$/i.test(v);
    case 'alpha':
      return (v) => /^[a-z]+$/i.test(v);
    case 'guid':
      return (v) => /^\{?[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\}?$/i.test(v);
    case 'decimal':
    case 'double':
    case 'float':
      return number;
    case 'datetime':
      return (v) => !Number.isNaN(Date.parse(v));
    case 'minlength':
      return (v) => v.length >= arg(0);
    case 'maxlength':
      return (v) => v.length <= arg(0);
    case 'length':
      return args.length === 2 ? (v) => v.length >= arg(0) && v.length <= arg(1) : (v) => v.length === arg(0);
    case 'min':
      return (v) => number(v) && Number(v) >= arg(0);
    case 'max':
      return (v) => number(v) && Number(v) <= arg(0);
    case 'range':
      return (v) => number(v) && Number(v) >= arg(0) && Number(v) <= arg(1);
    case 'regex': {
      const regex = new RegExp(args[0] ?? '', 'i');
      return (v) => regex.test(v);
    }
    default:
      throw new Error(`route "${template}": unknown constraint "${name}"`);
  }
}

function parseSegment(text: string, template: string): Segment {
  if (!text.includes('{')) {
    if (text.includes('}')) throw new Error(`route "${template}": unbalanced "}"`);
    return { kind: 'literal', text };
  }
  // Inside a parameter, `{{` and `}}` are escaped braces (regex quantifiers).
  const inner = text.slice(1, -1);
  if (!text.startsWith('{') || !text.endsWith('}') || /[{}]/.test(inner.replace(/\{\{|\}\}/g, ''))) {
    throw new Error(`route "${template}": a parameter must fill its whole segment ("${text}")`);
  }
  let body = inner.replace(/\{\{/g, '{').replace(/\}\}/g, '}');
  const catchAll = /^\*{1,2}/.test(body);
  body = body.replace(/^\*{1,2}/, '');
  let defaultValue: string | undefined;
  const eq = body.search(/=(?![^(]*\))/); // a '=' inside a constraint's parentheses is not a default
  if (eq >= 0) {
    defaultValue = body.slice(eq + 1);
    body = body.slice(0, eq);
  }
  const optional = body.endsWith('?');
  if (optional) body = body.slice(0, -1);
  // Constraints are separated by ':'; a regex argument may itself contain ':' only inside its parentheses.
  const parts = body.match(/(?:[^:(]+(?:\([^)]*\))?)+/g) ?? [];
  const [name = '', ...specs] = parts;
  if (!/^\w+$/.test(name)) throw new Error(`route "${template}": bad parameter name in "${text}"`);
  return {
    kind: 'parameter',
    name,
    optional: optional || defaultValue !== undefined || catchAll,
    ...(defaultValue === undefined ? {} : { defaultValue }),
    catchAll,
    constraints: specs.map((s) => constraintFrom(s, template)),
  };
}

function precedenceDigit(segment: Segment): number {
  if (segment.kind === 'literal') return 1;
  if (segment.catchAll) return 5;
  return segment.constraints.length > 0 ? 2 : 3;
}

export function parseRouteTemplate(template: string): RouteTemplate {
  const trimmed = template.replace(/^\/+|\/+$/g, '');
  const segments = trimmed === '' ? [] : trimmed.split('/').map((s) => parseSegment(s, template));
  segments.forEach((segment, i) => {
    if (segment.kind === 'parameter' && segment.catchAll && i !== segments.length - 1) {
      throw new Error(`route "${template}": a catch-all parameter must be last`);
    }
  });
  return { template, segments, precedence: segments.map(precedenceDigit) };
}

function decodeSegment(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

/** Match a path (without the route prefix, no query string) against one template. */
export function matchRouteTemplate(route: RouteTemplate, path: string): Record<string, string> | undefined {
  const trimmed = path.replace(/^\/+|\/+$/g, '');
  const raw = trimmed === '' ? [] : trimmed.split('/');
  const params: Record<string, string> = {};
  for (let i = 0; i < route.segments.length; i++) {
    const segment = route.segments[i]!;
    if (segment.kind === 'parameter' && segment.catchAll) {
      const rest = raw.slice(i).map(decodeSegment);
      if (rest.some((s) => s === undefined)) return undefined;
      const value = rest.join('/');
      if (value !== '') params[segment.name] = value;
      else if (segment.defaultValue !== undefined) params[segment.name] = segment.defaultValue;
      return params;
    }
    const rawValue = raw[i];
    if (rawValue === undefined) {
      if (segment.kind === 'literal' || !segment.optional) return undefined;
      if (segment.defaultValue !== undefined) params[segment.name] = segment.defaultValue;
      continue;
    }
    const value = decodeSegment(rawValue);
    if (value === undefined || value === '') return undefined;
    if (segment.kind === 'literal') {
      if (value.toLowerCase() !== segment.text.toLowerCase()) return undefined;
      continue;
    }
    if (!segment.constraints.every((ok) => ok(value))) return undefined;
    params[segment.name] = value;
  }
  return raw.length > route.segments.length ? undefined : params;
}

/** Negative when `a` is more specific than `b` (ASP.NET compares precedence digit by digit). */
export function compareRoutePrecedence(a: RouteTemplate, b: RouteTemplate): number {
  const length = Math.max(a.precedence.length, b.precedence.length);
  for (let i = 0; i < length; i++) {
    const diff = (a.precedence[i] ?? 0) - (b.precedence[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

/** The most specific candidate whose template matches `path`, with its parameters. */
export function selectRoute<T extends { route: RouteTemplate }>(
  candidates: readonly T[],
  path: string,
): { candidate: T; params: Record<string, string> } | undefined {
  let best: { candidate: T; params: Record<string, string> } | undefined;
  for (const candidate of candidates) {
    const params = matchRouteTemplate(candidate.route, path);
    if (params && (!best || compareRoutePrecedence(candidate.route, best.candidate.route) < 0)) {
      best = { candidate, params };
    }
  }
  return best;
}
