import { createWriteStream, type WriteStream } from 'node:fs';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { basename, dirname, join } from 'node:path';
import { ChunkedWriter } from '../util/chunked-writer.js';
import { csvCell, parseCsv } from '../util/csv.js';
import { DatasetFileError } from '../common/util/file-error.js';

/**
 * The per-patch predictions of an evaluation as CSV (RFC 4180: CRLF line ends, cells with commas
 * or quotes quoted): id, true_labels and predicted_labels as JSON arrays of 1-based classes, and
 * one score_<class> column per class (probabilities). Rows stream to a temporary file in the
 * target's folder that is renamed over the target on commit, so a reader never sees half a file.
 */
export interface PredictionRow {
  id: string;
  /** 1-based classes. */
  trueLabels: readonly number[];
  scores: ArrayLike<number>;
  /** 1-based classes. */
  predicted: readonly number[];
}

export function predictionColumns(classes: number): string[] {
  return ['id', 'true_labels', ...Array.from({ length: classes }, (_, k) => `score_${k + 1}`), 'predicted_labels'];
}

export class PredictionsCsv {
  private readonly writer: ChunkedWriter;
  private rows = 0;

  private constructor(
    readonly path: string,
    private readonly temp: string,
    private readonly stream: WriteStream,
    private readonly classes: number,
  ) {
    this.writer = new ChunkedWriter(stream);
  }

  static async create(path: string, classes: number): Promise<PredictionsCsv> {
    const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
    const stream = createWriteStream(temp);
    await once(stream, 'open');
    const csv = new PredictionsCsv(path, temp, stream, classes);
    await csv.writer.write(predictionColumns(classes).join(',') + '\r\n');
    return csv;
  }

  async write(row: PredictionRow): Promise<void> {
    if (row.scores.length !== this.classes) throw new Error(`prediction for ${row.id}: ${row.scores.length} scores, expected ${this.classes}`);
    const cells = [csvCell(row.id), csvCell(JSON.stringify(row.trueLabels)), ...Array.from(row.scores, String), csvCell(JSON.stringify(row.predicted))];
    await this.writer.write(cells.join(',') + '\r\n');
    this.rows++;
  }

  /** Flushes, syncs and renames into place; returns the number of rows. */
  async commit(): Promise<number> {
    await this.writer.flush();
    this.stream.end();
    await once(this.stream, 'close');
    const handle = await open(this.temp, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(this.temp, this.path);
    return this.rows;
  }

  /** Drops the temporary file (after an error). */
  async abort(): Promise<void> {
    this.stream.destroy();
    await rm(this.temp, { force: true });
  }
}

/** Reads a predictions file back (the results view colours patches by it); each row checked. */
export async function readPredictionsCsv(file: string): Promise<PredictionRow[]> {
  const [header, ...rows] = parseCsv(await readFile(file, 'utf8'), file);
  const classes = (header?.length ?? 0) - 3;
  if (!header || classes < 1 || header.join(',') !== predictionColumns(classes).join(',')) {
    throw new DatasetFileError(file, `not a predictions file (header ${JSON.stringify(header?.join(',') ?? '')})`);
  }
  const classList = (text: string, line: number, column: string): number[] => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      value = undefined;
    }
    if (!Array.isArray(value) || !value.every((k) => Number.isInteger(k) && k >= 1 && k <= classes)) {
      throw new DatasetFileError(file, `line ${line}: ${column} must be a JSON array of classes 1..${classes}, got ${JSON.stringify(text)}`);
    }
    return value as number[];
  };
  return rows.map((cells, k) => {
    const line = k + 2;
    if (cells.length !== header.length) throw new DatasetFileError(file, `line ${line}: ${cells.length} cells, expected ${header.length}`);
    const scores = cells.slice(2, 2 + classes).map(Number);
    if (scores.some((v) => !Number.isFinite(v))) throw new DatasetFileError(file, `line ${line}: a score is not a number`);
    return { id: cells[0], trueLabels: classList(cells[1], line, 'true_labels'), scores, predicted: classList(cells.at(-1)!, line, 'predicted_labels') };
  });
}
