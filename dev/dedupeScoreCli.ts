import { readFileSync } from 'node:fs';
import { validateDedupeRules } from '../shared/core/dedupe/dedupeRules.js';
import { defaultDedupeRules } from '../shared/core/dedupe/defaultDedupeRules.js';
import { scoreLabeledRecords } from './dedupeScore.js';

/** `npm run dedupe-score -- FILE.jsonl [--rules RULES.json | --type customer]`: prints a table and a JSON line. */
async function main(args: string[]): Promise<void> {
  const file = args.find((arg, i) => !arg.startsWith('--') && !['--rules', '--type'].includes(args[i - 1] ?? ''));
  const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
  if (!file) throw new Error('usage: npm run dedupe-score -- FILE.jsonl [--rules RULES.json | --type customer|company|company_profile]');
  const rulesFile = option('--rules');
  const type = option('--type') ?? 'customer';
  if (!rulesFile && !(type in defaultDedupeRules)) throw new Error(`no default rules for "${type}": use ${Object.keys(defaultDedupeRules).join(', ')} or --rules`);
  const validation = validateDedupeRules(rulesFile ? JSON.parse(readFileSync(rulesFile, 'utf8')) : defaultDedupeRules[type as keyof typeof defaultDedupeRules]);
  if (!validation.ok) throw new Error(`invalid rules: ${validation.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  const quality = await scoreLabeledRecords(readFileSync(file, 'utf8').split('\n'), validation.rules);
  console.table([{ records: quality.records, precision: quality.precision.toFixed(4), recall: quality.recall.toFixed(4), f1: quality.f1.toFixed(4) }]);
  console.log(JSON.stringify(quality));
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(2);
});
