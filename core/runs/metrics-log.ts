import { open, readFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { DatasetFileError } from '../common/util/file-error.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { RUN_FILES } from './run-dir.js';

/** One line of metrics.jsonl: any JSON object (step, epoch, loss, lr, ...). */
export type MetricRecord = Record<string, unknown>;

export interface MetricsRead {
  records: MetricRecord[];
  /** The last line was cut short (a crash during a write) and was left out. */
  tornTail: boolean;
}

const NEWLINE = 0x0a;

/**
 * Appends one record as a JSON line and flushes it to disk, so the file survives a crash up to
 * the last completed record. Non-finite numbers are written as null (JSON has no NaN).
 */
export async function appendMetrics(runDir: string, record: MetricRecord): Promise<void> {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    throw new TypeError('a metrics record must be a JSON object');
  }
  const line = Buffer.from(JSON.stringify(record) + '\n');
  const file = await open(join(runDir, RUN_FILES.metrics), 'a+');
  try {
    await dropTornTail(file);
    await file.write(line);
    await file.datasync();
  } finally {
    await file.close();
  }
}

/** Reads metrics.jsonl; a torn last line is skipped, a bad line elsewhere is an error naming it. */
export async function readMetrics(runDir: string): Promise<MetricsRead> {
  const path = join(runDir, RUN_FILES.metrics);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], tornTail: false };
    throw err;
  }
  const lines = text.split('\n');
  const unterminated = lines.pop() ?? '';
  const records: MetricRecord[] = [];
  lines.forEach((line, i) => {
    if (line.trim() !== '') records.push(parseRecord(line, path, i + 1));
  });
  let tornTail = false;
  if (unterminated.trim() !== '') {
    try {
      records.push(parseRecord(unterminated, path, lines.length + 1));
    } catch {
      tornTail = true;
    }
  }
  return { records, tornTail };
}

/**
 * Drops the records of steps after `step`: a run resumed from the checkpoint of that step runs
 * them again and appends them anew, so each step has one line, as in an uninterrupted run.
 * Records without a step are kept. Rewritten atomically: a crash leaves the old file or the new.
 */
export async function keepMetricsThrough(runDir: string, step: number): Promise<void> {
  const { records } = await readMetrics(runDir);
  const kept = records.filter((r) => !(typeof r.step === 'number' && r.step > step));
  await writeFileAtomic(join(runDir, RUN_FILES.metrics), kept.map((r) => JSON.stringify(r) + '\n').join(''));
}

function parseRecord(line: string, path: string, lineNumber: number): MetricRecord {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    throw new DatasetFileError(path, `line ${lineNumber} is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new DatasetFileError(path, `line ${lineNumber} is not a JSON object`);
  }
  return value as MetricRecord;
}

/**
 * A crash mid-append leaves a partial line; appending after it would glue the next record onto
 * it and make a bad line in the middle of the file. Cut the file back to its last newline first.
 */
async function dropTornTail(file: FileHandle): Promise<void> {
  let end = (await file.stat()).size;
  if (end === 0) return;
  const chunk = Buffer.alloc(64 * 1024);
  let keep = 0;
  let checkedLast = false;
  while (end > 0) {
    const start = Math.max(0, end - chunk.length);
    const { bytesRead } = await file.read(chunk, 0, end - start, start);
    const at = chunk.subarray(0, bytesRead).lastIndexOf(NEWLINE);
    if (!checkedLast) {
      if (at === bytesRead - 1) return;
      checkedLast = true;
    }
    if (at >= 0) {
      keep = start + at + 1;
      break;
    }
    end = start;
  }
  await file.truncate(keep);
}
