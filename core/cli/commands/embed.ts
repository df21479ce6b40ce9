import { resolve } from 'node:path';
import { initBackend } from '../../backend/select.js';
import { embedPatch } from '../../inference/embed.js';
import { checkpointOption, parseCommandLine, UsageError } from '../args.js';

export const summary =
  'Prints the pooled feature vector of one patch as a JSON array, from an exported model or a run directory (the same card, bands, normalisation and input block an export would have).';
export const usage = `sen12ms-studio embed --model <export-dir or run-dir> [--checkpoint last|best|step-N] --s2 <tif> [--s1 <tif>]
    --checkpoint: for a run directory (default: a pretrain's last, a finetune's best); an export holds one checkpoint.
    A sensor the model reads without its file is zero-filled, a file it does not read is ignored: both are warned about on stderr.`;

const OPTIONS = { model: { type: 'string' }, checkpoint: { type: 'string' }, s2: { type: 'string' }, s1: { type: 'string' } } as const;

export async function run(argv: string[]): Promise<number> {
  const { values: v, positionals } = parseCommandLine(argv, OPTIONS);
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (!v.model) throw new UsageError('--model <export-dir or run-dir> is required');
  if (!v.s2 && !v.s1) throw new UsageError('give --s2 <tif> (and --s1 <tif> for models that read SAR)');
  const checkpoint = checkpointOption(v.checkpoint);
  await initBackend({ purpose: 'infer' });
  const features = await embedPatch({
    model: resolve(v.model),
    checkpoint,
    s2: v.s2 === undefined ? undefined : resolve(v.s2),
    s1: v.s1 === undefined ? undefined : resolve(v.s1),
    warn: (line) => process.stderr.write(line + '\n'),
    info: (line) => process.stderr.write(line + '\n'),
  });
  process.stdout.write(JSON.stringify(features) + '\n');
  return 0;
}
