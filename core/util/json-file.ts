import { readFile } from 'node:fs/promises';
import { DatasetFileError } from '../common/util/file-error.js';

/**
 * The parsed contents of a JSON file, or null when there is no such file. A file that cannot be
 * read or is not JSON is a DatasetFileError naming it; checking the shape is the caller's job.
 */
export async function readJsonFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    throw new DatasetFileError(path, `cannot read: ${code ?? (err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new DatasetFileError(path, `not valid JSON${jsonErrorPlace(err, text)}`);
  }
}

/**
 * Where JSON.parse gave up, as " (line L, column C)" or " (it ends too early)", or '' when the
 * engine does not say: never its message, which quotes the text (a file's content is not echoed).
 */
export function jsonErrorPlace(err: unknown, text: string): string {
  const message = err instanceof Error ? err.message : '';
  if (/end of JSON input/i.test(message)) return ' (it ends too early)';
  const at = /position (\d+)/.exec(message);
  if (!at) return '';
  const before = text.slice(0, Number(at[1])).split('\n');
  return ` (line ${before.length}, column ${before[before.length - 1].length + 1})`;
}
