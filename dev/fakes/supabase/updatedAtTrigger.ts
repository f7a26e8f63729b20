/**
 * SQL that keeps a table's `updated_at` current, the trigger Supabase projects add (the
 * `moddatetime` extension's job): every UPDATE stamps the row with the statement's clock time,
 * which is what incremental reads and the PATCH precondition rely on. Names are the caller's
 * constants, not input.
 */
export function updatedAtTriggerSql(table: string, column = 'updated_at'): string {
  const q = (name: string) => `"${name.replaceAll('"', '""')}"`;
  const fn = q(`${table}_touch_${column}`);
  return `
    CREATE OR REPLACE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN NEW.${q(column)} := clock_timestamp(); RETURN NEW; END $$;
    CREATE TRIGGER ${q(`${table}_touch`)} BEFORE UPDATE ON ${q(table)} FOR EACH ROW EXECUTE FUNCTION ${fn}();
  `;
}
