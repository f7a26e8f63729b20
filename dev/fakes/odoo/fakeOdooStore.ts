import { comparatorOf, matches, type Row } from './fakeOdooDomain.js';
import { missingError, validationError, valueError } from './fakeOdooErrors.js';
import { ARCHIVABLE, CURRENCIES, FAKE_ODOO_MODELS, LOCATIONS, odooNow, seededWrittenMs, seedRow, type FakeOdooModel } from './fakeOdooSeed.js';

export interface SearchReadArgs {
  domain?: unknown;
  fields?: unknown;
  offset?: unknown;
  limit?: unknown;
  order?: unknown;
  context?: unknown;
}

/** Fields a write never sets (Odoo computes them). */
const MAGIC = new Set(['id', 'create_date', 'write_date', 'display_name']);
/** Fields a create must set: the database's NOT NULL columns. */
const REQUIRED: Record<string, readonly string[]> = { 'res.partner': ['name'], 'product.product': ['name'], 'account.payment': ['amount'] };
/** many2one fields and the rows they name. */
const MANY2ONE: Record<string, string> = { partner_id: 'res.partner', parent_id: 'res.partner', product_id: 'product.product', currency_id: 'currency', location_id: 'location', country_id: 'country' };

/** The fake's records per model, with Odoo's write_date bookkeeping, archiving and unlinking. */
export class OdooStore {
  private readonly rows = new Map<string, Map<number, Row>>(FAKE_ODOO_MODELS.map((model) => [model, new Map()]));
  private readonly templates = new Map<string, ReadonlySet<string>>();
  private readonly nextIds = new Map<string, number>();

  constructor(private readonly now: () => number) {
    for (const model of FAKE_ODOO_MODELS) this.templates.set(model, new Set(Object.keys(seedRow(model, 1, 1, 0, () => 'x', () => 'x'))));
  }

  isModel(model: string): model is FakeOdooModel {
    return this.rows.has(model);
  }

  /** Appends n rows numbered after the existing ones; write times scattered over the past day. */
  seed(model: FakeOdooModel, n: number): Row[] {
    const table = this.table(model);
    const made: Row[] = [];
    const partnerName = (index: number) => this.rows.get('res.partner')!.get(index)?.name as string | undefined;
    const productName = (index: number) => this.rows.get('product.product')!.get(index)?.name as string | undefined;
    for (let i = 0; i < n; i++) {
      const id = this.nextId(model);
      const row = seedRow(model, id, id, seededWrittenMs(this.now(), id), partnerName, productName);
      table.set(id, row);
      made.push(row);
    }
    return made.map((row) => ({ ...row }));
  }

  get(model: string, id: number): Row | undefined {
    const row = this.table(model).get(id);
    return row ? { ...row } : undefined;
  }

  /** Every row of the model, archived ones included, by id. */
  all(model: string): Row[] {
    return [...this.table(model).values()].sort((a, b) => a.id - b.id).map((row) => ({ ...row }));
  }

  searchRead(model: string, args: SearchReadArgs): Record<string, unknown>[] {
    const known = this.known(model);
    const domain = args.domain ?? [];
    const hideArchived = ARCHIVABLE.has(model) && activeTest(args.context) && !(Array.isArray(domain) && domain.some((term) => Array.isArray(term) && term[0] === 'active'));
    const offset = args.offset === undefined || args.offset === null ? 0 : args.offset;
    const limit = args.limit === undefined || args.limit === null || args.limit === false ? 0 : args.limit;
    if (!Number.isSafeInteger(offset) || (offset as number) < 0 || !Number.isSafeInteger(limit) || (limit as number) < 0) throw valueError('offset and limit must be non-negative integers');
    const found = [...this.table(model).values()].filter((row) => !(hideArchived && row.active === false) && matches(row, domain, known)).sort(comparatorOf(args.order, known));
    const page = found.slice(offset as number, (limit as number) > 0 ? (offset as number) + (limit as number) : undefined);
    return page.map((row) => this.project(model, row, args.fields));
  }

  searchCount(model: string, domain: unknown, context: unknown): number {
    return this.searchRead(model, { domain, context, fields: ['id'] }).length;
  }

  /** `read`: every id must exist (archived ones do), else MissingError. */
  read(model: string, ids: unknown, fields: unknown): Record<string, unknown>[] {
    return this.existing(model, ids).map((row) => this.project(model, row, fields));
  }

  create(model: string, valsList: unknown): number[] {
    const list = Array.isArray(valsList) ? valsList : [valsList];
    if (list.length === 0 || !list.every(isObject)) throw valueError('create expects a list of dicts of values');
    for (const vals of list) this.checkVals(model, vals as Record<string, unknown>, true);
    return list.map((vals) => {
      const id = this.nextId(model);
      const stamp = odooNow(this.now());
      const blank = Object.fromEntries([...this.known(model)].map((field) => [field, false]));
      const row: Row = { ...blank, ...(ARCHIVABLE.has(model) ? { active: true } : {}), ...this.resolved(vals as Record<string, unknown>), id, create_date: stamp, write_date: stamp };
      row.display_name = typeof row.name === 'string' ? row.name : `${model},${id}`;
      this.table(model).set(id, row);
      return id;
    });
  }

  /** `write`: stamps write_date now (to the second), as Odoo does on every write. */
  write(model: string, ids: unknown, vals: unknown): true {
    const rows = this.existing(model, ids);
    if (!isObject(vals)) throw valueError('write expects a dict of values');
    this.checkVals(model, vals, false);
    const stamp = odooNow(this.now());
    for (const row of rows) Object.assign(row, this.resolved(vals), { write_date: stamp });
    return true;
  }

  unlink(model: string, ids: unknown): true {
    const rows = this.existing(model, ids);
    for (const row of rows) this.table(model).delete(row.id);
    return true;
  }

  /** `action_archive`: `active = false`, a write like any other. */
  archive(model: string, ids: unknown): true {
    if (!ARCHIVABLE.has(model)) throw valueError(`Model ${model} has no active field`);
    return this.write(model, ids, { active: false });
  }

  private existing(model: string, ids: unknown): Row[] {
    const list = typeof ids === 'number' ? [ids] : ids;
    if (!Array.isArray(list) || !list.every((id) => Number.isSafeInteger(id))) throw valueError(`ids must be a list of integers, not ${JSON.stringify(ids)}`);
    const table = this.table(model);
    const missing = (list as number[]).filter((id) => !table.has(id));
    if (missing.length > 0) throw missingError(model, missing);
    return (list as number[]).map((id) => table.get(id)!);
  }

  private checkVals(model: string, vals: Record<string, unknown>, creating: boolean): void {
    const known = this.known(model);
    for (const field of Object.keys(vals)) {
      if (!known.has(field) || MAGIC.has(field)) throw valueError(`Invalid field '${field}' on model '${model}'`);
    }
    const required = REQUIRED[model] ?? [];
    const unset = required.find((field) => (creating ? vals[field] === undefined : field in vals) && (vals[field] === false || vals[field] === '' || vals[field] === null));
    const absent = creating ? required.find((field) => vals[field] === undefined) : undefined;
    const field = unset ?? absent;
    if (field !== undefined) {
      throw validationError(`The operation cannot be completed:\n- Create/update: a mandatory field is not set.\n- Delete: another model requires the record being deleted. If possible, archive it instead.\n\nModel: ${model}\nField: ${field}`);
    }
  }

  /** A many2one given as an id is kept as `[id, name]`, as reads answer it. */
  private resolved(vals: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(
      Object.entries(vals).map(([field, value]) => {
        const target = MANY2ONE[field];
        if (target === undefined || typeof value !== 'number') return [field, value];
        const name = target === 'currency' ? CURRENCIES[value] : target === 'location' ? LOCATIONS[value] : target === 'country' ? 'Country' : (this.rows.get(target)?.get(value)?.name as string | undefined);
        if (name === undefined) throw missingError(target, [value]);
        return [field, [value, name]];
      }),
    );
  }

  private project(model: string, row: Row, fields: unknown): Record<string, unknown> {
    if (fields === undefined || fields === null || (Array.isArray(fields) && fields.length === 0)) return { ...row };
    if (!Array.isArray(fields) || !fields.every((field) => typeof field === 'string')) throw valueError('fields must be a list of field names');
    const known = this.known(model);
    const unknown = fields.find((field) => !known.has(field));
    if (unknown !== undefined) throw valueError(`Invalid field '${unknown}' on model '${model}'`);
    // `id` always comes back, asked or not.
    return Object.fromEntries([['id', row.id], ...fields.map((field) => [field, row[field]])]);
  }

  private known(model: string): ReadonlySet<string> {
    return this.templates.get(model)!;
  }

  private table(model: string): Map<number, Row> {
    const table = this.rows.get(model);
    if (!table) throw valueError(`Unknown model ${model}`);
    return table;
  }

  private nextId(model: string): number {
    const id = (this.nextIds.get(model) ?? 0) + 1;
    this.nextIds.set(model, id);
    return id;
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
/** Odoo's default hides archived rows; `active_test: false` in the context shows them. */
const activeTest = (context: unknown) => !(isObject(context) && context.active_test === false);
