import { randomUUID } from 'node:crypto';
import { validationError } from './fakeNotionHttp.js';

export interface NotionRichText {
  type: 'text';
  text: { content: string; link: null };
  annotations: { bold: false; italic: false; strikethrough: false; underline: false; code: false; color: 'default' };
  plain_text: string;
  href: null;
}

export interface NotionSelectOption {
  id: string;
  name: string;
  color: string;
}

export interface NotionPageProperties {
  Name: { id: 'title'; type: 'title'; title: NotionRichText[] };
  Email: { id: string; type: 'email'; email: string | null };
  Status: { id: string; type: 'select'; select: NotionSelectOption | null };
}

/** A page as Notion serves it under API version 2025-09-03. */
export interface NotionPage {
  object: 'page';
  id: string;
  created_time: string;
  last_edited_time: string;
  created_by: { object: 'user'; id: string };
  last_edited_by: { object: 'user'; id: string };
  cover: null;
  icon: null;
  parent: { type: 'data_source_id'; data_source_id: string; database_id: string };
  /** Older name of `in_trash`, still sent. */
  archived: boolean;
  in_trash: boolean;
  is_locked: boolean;
  properties: NotionPageProperties;
  url: string;
  public_url: null;
}

/** What a create or update may set; any property left out is kept (or empty on create). */
export interface NotionPropertyChanges {
  name?: string;
  email?: string | null;
  status?: string | null;
}

export interface NotionDataSource {
  id: string;
  databaseId: string;
  statusOptions: NotionSelectOption[];
}

const propertyNames = ['Name', 'Email', 'Status'] as const;
const dayMs = 24 * 60 * 60 * 1000;
const seededStatuses = ['Lead', 'Active', 'Churned'];
const firstNames = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken'];
const lastNames = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Allen', 'Thompson'];
const colors = ['gray', 'brown', 'orange', 'yellow', 'green', 'blue', 'purple', 'pink', 'red'];

/** Notion accepts ids with or without dashes, any case, and always answers with the dashed lower-case form. */
export function normaliseId(raw: string): string | undefined {
  const hex = raw.replaceAll('-', '').toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(hex)) return undefined;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function richText(content: string): NotionRichText {
  return {
    type: 'text',
    text: { content, link: null },
    annotations: { bold: false, italic: false, strikethrough: false, underline: false, code: false, color: 'default' },
    plain_text: content,
    href: null,
  };
}

/**
 * The pages of each data source, in memory. Edit times are truncated to `resolutionMs`: Notion
 * rounds `last_edited_time` to the minute (developers.notion.com changelog "Last edited time is
 * now rounded to the nearest minute"; the values seen end in `:00.000Z`, hence truncation), so
 * two writes in one minute share a time and an incremental read must use `on_or_after`.
 */
export class NotionStore {
  private readonly sources = new Map<string, NotionDataSource>();
  private readonly pages = new Map<string, NotionPage>();
  private readonly botId = randomUUID();

  constructor(private readonly resolutionMs: number) {}

  dataSource(id: string): NotionDataSource | undefined {
    return this.sources.get(id);
  }

  dataSourceOfDatabase(databaseId: string): NotionDataSource | undefined {
    return [...this.sources.values()].find((source) => source.databaseId === databaseId);
  }

  addDataSource(id: string = randomUUID()): NotionDataSource {
    const existing = this.sources.get(id);
    if (existing) return existing;
    const source: NotionDataSource = { id, databaseId: randomUUID(), statusOptions: seededStatuses.map((name, i) => ({ id: randomUUID().slice(0, 4), name, color: colors[i] ?? 'default' })) };
    this.sources.set(id, source);
    return source;
  }

  /**
   * n pages with deterministic properties, edited at scrambled minutes over the past day (creation
   * order is not edit order), all before any later write.
   */
  seed(dataSourceId: string, n: number): NotionPage[] {
    const source = this.addDataSource(dataSourceId);
    const now = Date.now();
    const seeded: NotionPage[] = [];
    for (let i = 0; i < n; i += 1) {
      // 7919 is prime, so i -> (i * 7919) % n permutes whenever n is not a multiple of it.
      const slot = n % 7919 === 0 ? i : (i * 7919) % n;
      const editedMs = now - dayMs + Math.floor((slot * dayMs) / Math.max(n, 1) / 2);
      const createdMs = now - 2 * dayMs + Math.floor((i * dayMs) / Math.max(n, 1));
      const first = firstNames[i % firstNames.length] as string;
      const last = lastNames[Math.floor(i / firstNames.length) % lastNames.length] as string;
      const page = this.build(source, { name: `${first} ${last} ${i + 1}`, email: `${first}.${last}.${i + 1}@example.com`.toLowerCase(), status: seededStatuses[i % seededStatuses.length] ?? null }, createdMs);
      page.last_edited_time = this.stamp(editedMs);
      this.pages.set(page.id, page);
      seeded.push(page);
    }
    return seeded;
  }

  create(dataSourceId: string, changes: NotionPropertyChanges): NotionPage {
    const source = this.sources.get(dataSourceId);
    if (!source) throw new Error(`fake Notion has no data source ${dataSourceId}`);
    const page = this.build(source, changes, Date.now());
    this.pages.set(page.id, page);
    return page;
  }

  get(id: string): NotionPage | undefined {
    return this.pages.get(id);
  }

  /** Every page of the data source, trashed ones included, in creation order. */
  all(dataSourceId: string): NotionPage[] {
    return [...this.pages.values()].filter((page) => page.parent.data_source_id === dataSourceId);
  }

  /** Applies the changes and the trash flag, and stamps the edit time. */
  update(id: string, changes: NotionPropertyChanges, inTrash?: boolean): NotionPage | undefined {
    const page = this.pages.get(id);
    if (!page) return undefined;
    const source = this.sources.get(page.parent.data_source_id) as NotionDataSource;
    this.apply(source, page, changes);
    if (inTrash !== undefined) {
      page.in_trash = inTrash;
      page.archived = inTrash;
    }
    page.last_edited_time = this.stamp(Date.now());
    return page;
  }

  private build(source: NotionDataSource, changes: NotionPropertyChanges, createdMs: number): NotionPage {
    const id = randomUUID();
    const created = this.stamp(createdMs);
    const page: NotionPage = {
      object: 'page',
      id,
      created_time: created,
      last_edited_time: created,
      created_by: { object: 'user', id: this.botId },
      last_edited_by: { object: 'user', id: this.botId },
      cover: null,
      icon: null,
      parent: { type: 'data_source_id', data_source_id: source.id, database_id: source.databaseId },
      archived: false,
      in_trash: false,
      is_locked: false,
      properties: {
        Name: { id: 'title', type: 'title', title: [] },
        Email: { id: 'EmL%3D', type: 'email', email: null },
        Status: { id: 'St%3Fs', type: 'select', select: null },
      },
      url: `https://www.notion.so/${id.replaceAll('-', '')}`,
      public_url: null,
    };
    this.apply(source, page, changes);
    return page;
  }

  private apply(source: NotionDataSource, page: NotionPage, changes: NotionPropertyChanges): void {
    if (changes.name !== undefined) page.properties.Name.title = changes.name === '' ? [] : [richText(changes.name)];
    if (changes.email !== undefined) page.properties.Email.email = changes.email;
    if (changes.status !== undefined) page.properties.Status.select = changes.status === null ? null : this.option(source, changes.status);
  }

  /** Writing an unknown option adds it to the schema, as Notion does for an integration with edit access. */
  private option(source: NotionDataSource, name: string): NotionSelectOption {
    const found = source.statusOptions.find((option) => option.name === name);
    if (found) return { ...found };
    const added = { id: randomUUID().slice(0, 4), name, color: 'default' };
    source.statusOptions.push(added);
    return { ...added };
  }

  private stamp(ms: number): string {
    return new Date(ms - (ms % this.resolutionMs)).toISOString();
  }
}

/**
 * Reads a request's `properties` (`{Name: {title: [...]}, Email: {email}, Status: {select: {name}}}`,
 * with or without `type`) into changes, refusing with Notion's validation messages.
 */
export function parsePropertyChanges(raw: unknown): NotionPropertyChanges {
  if (raw === undefined) return {};
  if (!isRecord(raw)) throw validationError('body failed validation: body.properties should be an object.');
  const changes: NotionPropertyChanges = {};
  for (const [name, value] of Object.entries(raw)) {
    if (!(propertyNames as readonly string[]).includes(name)) throw validationError(`${name} is not a property that exists.`);
    if (!isRecord(value)) throw validationError(`body failed validation: body.properties.${name} should be an object.`);
    if (name === 'Name') changes.name = titleText(value.title);
    if (name === 'Email') {
      if (value.email !== null && typeof value.email !== 'string') throw validationError('body failed validation: body.properties.Email.email should be a string or `null`.');
      changes.email = value.email === '' ? null : value.email;
    }
    if (name === 'Status') {
      const select = value.select;
      if (select !== null && !(isRecord(select) && typeof select.name === 'string' && select.name !== '')) {
        throw validationError('body failed validation: body.properties.Status.select.name should be a non-empty string.');
      }
      changes.status = select === null ? null : (select.name as string);
    }
  }
  return changes;
}

function titleText(title: unknown): string {
  if (!Array.isArray(title)) throw validationError('body failed validation: body.properties.Name.title should be an array.');
  return title
    .map((item: unknown, i) => {
      const content = isRecord(item) && isRecord(item.text) ? item.text.content : undefined;
      if (typeof content !== 'string') throw validationError(`body failed validation: body.properties.Name.title[${i}].text.content should be defined.`);
      return content;
    })
    .join('');
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
