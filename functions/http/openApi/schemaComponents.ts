import { z } from 'zod';

type JsonSchema = Record<string, unknown>;

/**
 * Turns zod schemas into the JSON Schemas of an OpenAPI 3.1 document, with zod's own converter.
 * Schemas with an `id` (`.meta({ id })`) become named components that others refer to. A request
 * body is described as zod reads it (`io: 'input'`: defaulted fields optional), a response as the
 * API writes it (`io: 'output'`); where the two differ the request's component is `<id>Input`.
 */
export class SchemaComponents {
  readonly schemas: Record<string, JsonSchema> = {};

  /** The JSON Schema of one body or parameter, its named parts moved to the components. */
  convert(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
    const converted = z.toJSONSchema(schema, { io, target: 'draft-2020-12', unrepresentable: 'any' }) as JsonSchema;
    const { $defs, $schema: _dialect, ...root } = converted;
    const defs = ($defs ?? {}) as Record<string, JsonSchema>;
    const names = new Map<string, string>();
    const rewrite = (node: unknown): unknown => {
      if (Array.isArray(node)) return node.map(rewrite);
      if (node === null || typeof node !== 'object') return node;
      return Object.fromEntries(
        Object.entries(node).map(([key, inner]) =>
          key === '$ref' && typeof inner === 'string' && inner.startsWith('#/$defs/')
            ? [key, `#/components/schemas/${resolve(inner.slice('#/$defs/'.length))}`]
            : [key, rewrite(inner)],
        ),
      );
    };
    const resolve = (id: string): string => {
      const known = names.get(id);
      if (known !== undefined) return known;
      // A schema that refers to itself does so under a placeholder until its own name is settled.
      const placeholder = `${PLACEHOLDER}${id}`;
      names.set(id, placeholder);
      const name = this.store(id, rewrite(defs[id]) as JsonSchema, placeholder);
      names.set(id, name);
      return name;
    };
    Object.keys(defs).forEach(resolve);
    // A schema with an id comes back as a reference to its component.
    return rewrite(root) as JsonSchema;
  }

  /**
   * Stores a component under `id`, or `<id>Input` when a different schema holds `id` already; its
   * references to itself (`placeholder`) are pointed at the name it gets.
   */
  private store(id: string, draft: JsonSchema, placeholder: string): string {
    const text = JSON.stringify(draft);
    for (const name of [id, `${id}Input`]) {
      const schema = JSON.parse(text.replaceAll(`#/components/schemas/${placeholder}`, `#/components/schemas/${name}`)) as JsonSchema;
      const existing = this.schemas[name];
      if (existing === undefined) {
        this.schemas[name] = schema;
        return name;
      }
      if (JSON.stringify(existing) === JSON.stringify(schema)) return name;
    }
    throw new Error(`schema id "${id}" names more than two different schemas`);
  }
}

/** Marks a reference whose target is still being named (`~` is in no schema id of ours). */
const PLACEHOLDER = '~naming~';
