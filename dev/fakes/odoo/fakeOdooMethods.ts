import { notFound, valueError } from './fakeOdooErrors.js';
import type { OdooStore } from './fakeOdooStore.js';

/** The positional parameters of each method after `self` (JSON-RPC's `args`), named as JSON-2 takes them. */
const PARAMETERS: Record<string, readonly string[]> = {
  search_read: ['domain', 'fields', 'offset', 'limit', 'order'],
  search: ['domain', 'offset', 'limit', 'order'],
  search_count: ['domain'],
  read: ['ids', 'fields'],
  create: ['vals_list'],
  write: ['ids', 'vals'],
  unlink: ['ids'],
  action_archive: ['ids'],
};

/** Pure: JSON-RPC's `args` plus `kwargs` as the named arguments JSON-2 takes; a name given twice is refused, as Python would. */
export function namedArguments(method: string, args: unknown, kwargs: unknown): Record<string, unknown> {
  const names = PARAMETERS[method];
  if (!names) throw notFound(`method ${method}`);
  if (!Array.isArray(args) || args.length > names.length) throw valueError(`${method}() takes at most ${names.length} positional arguments`);
  const named: Record<string, unknown> = Object.fromEntries(args.map((value, index) => [names[index]!, value]));
  for (const [name, value] of Object.entries(typeof kwargs === 'object' && kwargs !== null ? kwargs : {})) {
    if (name in named) throw valueError(`${method}() got multiple values for argument '${name}'`);
    named[name] = value;
  }
  return named;
}

/** One model method called with named arguments, as both APIs end up calling it. */
export function callMethod(store: OdooStore, model: string, method: string, named: Record<string, unknown>): unknown {
  if (!store.isModel(model)) throw notFound(`model ${model}`);
  const unknown = Object.keys(named).filter((name) => name !== 'context' && !(PARAMETERS[method] ?? []).includes(name));
  if (!PARAMETERS[method]) throw notFound(`method ${method}`);
  if (unknown.length > 0) throw valueError(`${method}() got an unexpected keyword argument '${unknown[0]}'`);
  switch (method) {
    case 'search_read':
      return store.searchRead(model, named);
    case 'search':
      return store.searchRead(model, { ...named, fields: ['id'] }).map((row) => row.id);
    case 'search_count':
      return store.searchCount(model, named.domain, named.context);
    case 'read':
      return store.read(model, named.ids, named.fields);
    case 'create': {
      // A single dict makes one record and answers its id; a list answers the list of ids.
      const ids = store.create(model, named.vals_list);
      return Array.isArray(named.vals_list) ? ids : ids[0];
    }
    case 'write':
      return store.write(model, named.ids, named.vals);
    case 'unlink':
      return store.unlink(model, named.ids);
    case 'action_archive':
      return store.archive(model, named.ids);
    default:
      throw notFound(`method ${method}`);
  }
}
