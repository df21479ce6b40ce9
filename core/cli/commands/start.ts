/**
 * `sen12ms-studio start`: until the app shell exists, the main job so far: make sure the embedded
 * sample exists (generated offline on first use), index it into its catalog, and summarise.
 */
import { index } from '../../catalog/indexer.js';
import { openCatalogForRead } from '../../catalog/schema.js';
import { summarizeCatalog, type CatalogSummary } from '../../catalog/summary.js';
import { ensureSample } from '../../synth/sample.js';
import { parseCommandLine, UsageError } from '../args.js';

export const summary = 'Generate the embedded sample data set if needed, index it, and print a summary.';
export const usage = 'sen12ms-studio start';

function report(dir: string, db: string, s: CatalogSummary): string {
  const width = Math.max(...s.byLabel.map((c) => c.name.length));
  return [
    `data set: ${dir}`,
    `catalog:  ${db}`,
    `triplets: ${s.triplets} (${s.patches} patches catalogued), problems: ${s.problems}`,
    '',
    'season   train  test',
    ...s.bySeason.map((r) => `${r.season.padEnd(8)} ${String(r.train).padStart(5)} ${String(r.test).padStart(5)}`),
    '',
    'class (simplified single label)',
    ...s.byLabel.map((c) => `${String(c.label).padStart(2)} ${c.name.padEnd(width)} ${String(c.count).padStart(6)}`),
  ].join('\n');
}

export async function run(argv: string[]): Promise<number> {
  const { positionals } = parseCommandLine(argv, {});
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const dir = await ensureSample();
  const result = await index(dir);
  const db = openCatalogForRead(result.db);
  try {
    process.stdout.write(report(dir, result.db, summarizeCatalog(db)) + '\n');
  } finally {
    db.close();
  }
  return 0;
}
