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
    throw new DatasetFileError(path, `not valid JSON: ${(err as Error).message}`);
  }
}
