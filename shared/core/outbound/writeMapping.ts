import type { CompiledSchema } from '../conversion/compileSchema.js';

export type WriteMapping = { ok: true; fields: Record<string, unknown> } | { ok: false; problems: string[] };

/**
 * A shard's data (references already substituted) run forward through a compiled write schema:
 * its primary output is the provider's record. Fields the provider keeps itself (`readOnly`: its
 * id, modified time, version) are left out even if the schema produces them.
 */
export async function runWriteMapping(schema: CompiledSchema, data: Record<string, unknown>, readOnly: readonly string[] = []): Promise<WriteMapping> {
  const converted = schema.async ? await schema.run(data) : schema.run(data);
  if (!converted.ok) return { ok: false, problems: converted.issues.map((issue) => `${issue.targetPath}: ${issue.message}`) };
  const fields = Object.fromEntries(Object.entries(converted.primary.data).filter(([key]) => !readOnly.includes(key)));
  return { ok: true, fields };
}
