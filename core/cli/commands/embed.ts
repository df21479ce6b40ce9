import { resolve } from 'node:path';
import { initBackend } from '../../backend/select.js';
import { embedPatch } from '../../training/embed.js';
import { parseCommandLine, UsageError } from '../args.js';

export const summary =
  "Prints the pooled feature vector of one patch as a JSON array, from an exported model (its card's bands, normalisation and input block).";
export const usage = 'sen12ms-studio embed --model <export-dir> --s2 <tif> [--s1 <tif>]';

const OPTIONS = { model: { type: 'string' }, s2: { type: 'string' }, s1: { type: 'string' } } as const;

export async function run(argv: string[]): Promise<number> {
  const { values: v, positionals } = parseCommandLine(argv, OPTIONS);
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (!v.model) throw new UsageError('--model <export-dir> is required');
  if (!v.s2 && !v.s1) throw new UsageError('give --s2 <tif> (and --s1 <tif> for models that read SAR)');
  await initBackend({ purpose: 'infer' });
  const features = await embedPatch({
    model: resolve(v.model),
    s2: v.s2 === undefined ? undefined : resolve(v.s2),
    s1: v.s1 === undefined ? undefined : resolve(v.s1),
  });
  process.stdout.write(JSON.stringify(features) + '\n');
  return 0;
}
