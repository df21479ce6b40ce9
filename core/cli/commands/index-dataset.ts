/** `sen12ms-studio index`: one JSON line on stdout, a progress bar on stderr when it is a terminal. */
import { index } from '../../catalog/indexer.js';
import { parseCommandLine, UsageError } from '../args.js';
import { progressBar } from '../progress.js';

export const summary =
  'Index a SEN12MS folder into its catalog (SQLite): footprints, labels, splits and the problems found. ' +
  'Prints {"triplets":N,"problems":N,"seconds":S}. Re-running skips unchanged files.';
export const usage = 'sen12ms-studio index <dataset-dir> [--db <file>]';

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, { db: { type: 'string' } });
  if (positionals.length !== 1) throw new UsageError('expected exactly one <dataset-dir>');
  const bar = progressBar('indexing');
  // Counting files for the bar costs a listing pass: only worth it when someone watches.
  const onProgress = process.stderr.isTTY ? (done: number, total: number) => bar.update(done, total) : undefined;
  const result = await index(positionals[0], { db: values.db, onProgress });
  if (onProgress) bar.done();
  process.stderr.write(`catalog: ${result.db}\n`);
  const seconds = Math.round(result.seconds * 1000) / 1000;
  process.stdout.write(JSON.stringify({ triplets: result.triplets, problems: result.problems, seconds }) + '\n');
  return 0;
}
