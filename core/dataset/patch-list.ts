/**
 * User patch lists: which patches to train or evaluate on, as .txt (one name a line), .json (an
 * array of names) or a Python pickle of a list of names (how the SEN12MS splits are published).
 * Entries may carry folders; they come back as base file names, in list order.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { DatasetFileError } from '../common/util/file-error.js';
import { parsePatchFileName } from '../common/dataset/names.js';
import { jsonErrorPlace } from '../util/json-file.js';
import { unpickleStringList } from './pickle.js';

const EXAMPLE = 'ROIs1158_spring_s2_124_p100.tif';

function entries(ext: string, bytes: Buffer, file: string): { where: string; value: string }[] {
  // Reasons name positions only: a list may be any file the user points at, and its text is not echoed.
  switch (ext) {
    case '.txt':
      return bytes
        .toString('utf8')
        .split(/\r?\n/)
        .map((line, i) => ({ where: `line ${i + 1}`, value: line.trim() }))
        .filter((e) => e.value !== '' && !e.value.startsWith('#'));
    case '.json': {
      let data: unknown;
      const text = bytes.toString('utf8');
      try {
        data = JSON.parse(text);
      } catch (err) {
        throw new DatasetFileError(file, `invalid JSON${jsonErrorPlace(err, text)}`);
      }
      if (!Array.isArray(data)) throw new DatasetFileError(file, 'expected a JSON array of patch file names');
      return data.map((value: unknown, i) => {
        if (typeof value !== 'string') throw new DatasetFileError(file, `entry ${i + 1} is not a string`);
        return { where: `entry ${i + 1}`, value: value.trim() };
      });
    }
    case '.pkl':
    case '.pickle':
      return unpickleStringList(bytes, file).map((value, i) => ({ where: `entry ${i + 1}`, value: value.trim() }));
    default:
      throw new DatasetFileError(file, `unsupported list format "${ext || '(no extension)'}": use .txt, .json, .pkl or .pickle`);
  }
}

/** The patch file names of a list, as base names in list order. */
export async function readPatchList(file: string): Promise<string[]> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    throw new DatasetFileError(file, `cannot read the list: ${(err as Error).message}`);
  }
  const names = entries(extname(file).toLowerCase(), bytes, file).map(({ where, value }) => {
    const base = value.split(/[\\/]/).pop()!;
    if (!parsePatchFileName(base)) {
      throw new DatasetFileError(file, `${where} is not a SEN12MS patch file name (expected e.g. "${EXAMPLE}")`);
    }
    return base;
  });
  if (names.length === 0) throw new DatasetFileError(file, 'the list holds no patch names');
  return names;
}
