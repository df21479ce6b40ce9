import { resolve } from 'node:path';
import { initBackend } from '../../backend/select.js';
import { type BackendChoice } from '../../common/training/backends.js';
import { headlineMetric, headlineOf, numericFields } from '../../common/metrics/report-types.js';
import { evaluate } from '../../inference/evaluate.js';
import { type EvaluationGrouping, type EvaluationSplit } from '../../common/inference/evaluation.js';
import { checkReportDestination, evaluationReport, writeEvaluationReport } from '../../inference/evaluation-report.js';
import { checkpointOption, parseCommandLine, UsageError } from '../args.js';
import { progressBar } from '../progress.js';
import { BACKEND_OPTION, integerOption } from '../training-options.js';

export const summary =
  'Evaluates a finetuned classifier (a checkpoint of a run directory, by default its best, or an exported model) on a split, overall and per scene, season or GeoJSON region; optionally writes per-patch predictions as CSV and every metric as a JSON report. Prints one JSON line.';
export const usage = `sen12ms-studio evaluate <run-or-export-dir> --catalog <catalog.sqlite> [--checkpoint best|last|step-N]
    [--split test|val|train|all] [--by scene|season|regions=<file.geojson>] [--predictions <file.csv>]
    [--report <file.json>] [--batch-size N] [--size PX] [--backend tfjs-node-gpu|tfjs-node|wasm|cpu]
  --checkpoint applies to run directories only (an exported model holds one checkpoint).`;

const OPTIONS = {
  catalog: { type: 'string' },
  checkpoint: { type: 'string' },
  report: { type: 'string' },
  split: { type: 'string' },
  by: { type: 'string' },
  predictions: { type: 'string' },
  'batch-size': { type: 'string' },
  size: { type: 'string' },
  ...BACKEND_OPTION,
} as const;

const SPLITS: readonly string[] = ['test', 'val', 'train', 'all'];
const BACKENDS: readonly string[] = ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'];

/** The overall numbers worth a glance; the rest stay in the library's full report. */
const HEADLINE = {
  multi: ['jaccard_samples', 'f1_micro', 'f1_macro', 'f2_micro', 'precision_micro', 'recall_micro', 'hamming_loss', 'subset_accuracy', 'map_macro'],
  single: ['overall_accuracy', 'average_accuracy', 'f1_micro', 'f1_macro', 'f1_weighted'],
} as const;

function grouping(text: string | undefined): EvaluationGrouping | undefined {
  if (text === undefined) return undefined;
  if (text === 'scene' || text === 'season') return text;
  if (text.startsWith('regions=') && text.length > 'regions='.length) return { regions: resolve(text.slice('regions='.length)) };
  throw new UsageError(`--by: expected scene, season or regions=<file.geojson>, got "${text}"`);
}

export async function run(argv: string[]): Promise<number> {
  const { values: v, positionals } = parseCommandLine(argv, OPTIONS);
  if (positionals.length !== 1) throw new UsageError(`expected one model directory, got ${positionals.length} arguments`);
  if (!v.catalog) throw new UsageError('--catalog <catalog.sqlite> is required');
  if (v.split !== undefined && !SPLITS.includes(v.split)) throw new UsageError(`--split must be one of ${SPLITS.join(', ')}, got "${v.split}"`);
  if (v.backend !== undefined && !BACKENDS.includes(v.backend)) throw new UsageError(`--backend must be one of ${BACKENDS.join(', ')}, got "${v.backend}"`);
  const by = grouping(v.by);
  const checkpoint = checkpointOption(v.checkpoint);
  const batchSize = integerOption(v['batch-size'], 'batch-size');
  if (batchSize !== undefined && batchSize < 1) throw new UsageError(`--batch-size must be at least 1, got ${batchSize}`);
  const size = integerOption(v.size, 'size');
  if (size !== undefined && (size < 8 || size > 256)) throw new UsageError(`--size must be in 8..256, got ${size}`);
  const report = v.report === undefined ? undefined : resolve(v.report);
  if (report !== undefined) await checkReportDestination(report);

  const backend = await initBackend({ purpose: 'infer', prefer: v.backend as BackendChoice | undefined });
  process.stderr.write(`backend: ${backend.name} (${backend.reason})\n`);
  const bar = progressBar('evaluate');
  const catalog = resolve(v.catalog);
  const result = await evaluate({
    model: resolve(positionals[0]),
    checkpoint,
    catalog,
    split: v.split as EvaluationSplit | undefined,
    by,
    predictions: v.predictions === undefined ? undefined : resolve(v.predictions),
    batchSize,
    size,
    onProgress: (done, total) => bar.update(done, total),
  });
  bar.done();
  if (report !== undefined) await writeEvaluationReport(report, evaluationReport(result, { catalog, by, backend: backend.name }));
  const overall = numericFields(result.overall);
  const metric = headlineMetric(result.spec.scheme);
  const line = {
    model: result.model,
    checkpoint: result.checkpoint,
    split: result.split,
    task: result.overall.task,
    n: result.overall.n,
    ...Object.fromEntries(HEADLINE[result.spec.scheme].map((k) => [k, overall[k]])),
    ...(result.groups
      ? { groups: result.groups.map((g) => ({ group: g.group, n: g.n, [metric]: g.report ? headlineOf(g.report).value : null })) }
      : {}),
    predictions: result.predictions ?? null,
    report: report ?? null,
    backend: backend.name,
  };
  process.stdout.write(JSON.stringify(line) + '\n');
  return 0;
}
