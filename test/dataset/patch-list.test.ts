import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DatasetFileError } from '../../core/common/util/file-error.js';
import { readPatchList } from '../../core/dataset/patch-list.js';

const dir = mkdtempSync(join(tmpdir(), 'patch-list-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const A = 'ROIs1158_spring_s2_124_p100.tif';
const B = 'ROIs2017_winter_s1_64_p9.tif';

function write(name: string, content: string | Uint8Array): string {
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
}

async function refusal(file: string): Promise<DatasetFileError> {
  const err = await readPatchList(file).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DatasetFileError);
  expect((err as DatasetFileError).file).toBe(file);
  return err as DatasetFileError;
}

describe('readPatchList', () => {
  it('reads a text list, skipping blank lines and comments, reducing paths to base names', async () => {
    const file = write('list.txt', `# my list\r\n${A}\r\n\n  ROIs2017_winter/s1_64/${B}  \nC:\\data\\ROIs2017_winter\\s1_64\\${B}\n`);
    expect(await readPatchList(file)).toEqual([A, B, B]);
  });

  it('reads a JSON array', async () => {
    expect(await readPatchList(write('list.json', JSON.stringify([B, A])))).toEqual([B, A]);
  });

  it('reads a pickle by either extension', async () => {
    const u32 = (n: number) => [n, 0, 0, 0];
    const pkl = Uint8Array.from([0x80, 2, 0x5d, 0x28, 0x58, ...u32(A.length), ...Buffer.from(A), 0x65, 0x2e]);
    expect(await readPatchList(write('split.pkl', pkl))).toEqual([A]);
    expect(await readPatchList(write('split.PICKLE', pkl))).toEqual([A]);
  });

  it('names the file and the entry that is not a patch name', async () => {
    const err = await refusal(write('bad.txt', `${A}\nnot-a-patch.tif\n`));
    expect(err.reason).toContain('line 2 is not a SEN12MS patch file name');
    expect((await refusal(write('bad.json', JSON.stringify([A, 'x'])))).reason).toContain('entry 2 is not a SEN12MS patch file name');
  });

  it('never quotes the text of the file it refuses (a list may be any file the user points at)', async () => {
    const secret = 'root:x:0:0:SECRET-7f3a';
    for (const [name, text] of [
      ['passwd.txt', `${secret}
`],
      ['passwd.json', secret],
      ['strings.json', JSON.stringify([A, secret])],
      ['objects.json', JSON.stringify([{ secret }])],
      ['trailing.json', `[] ${secret}`],
    ]) {
      const err = await refusal(write(name, text));
      expect(err.message, name).not.toContain('SECRET');
      expect(err.message, name).not.toContain('root');
    }
    expect((await refusal(write('passwd.txt', `${secret}
`))).reason).toMatch(/^line 1 is not a SEN12MS patch file name/);
    expect((await refusal(write('passwd.pkl', `${secret}
`))).message).not.toContain('SECRET');
  });

  it('refuses other formats, bad JSON, empty lists and missing files', async () => {
    expect((await refusal(write('list.csv', A))).reason).toContain('unsupported list format ".csv"');
    expect((await refusal(write('broken.json', '[1,'))).reason).toContain('invalid JSON');
    expect((await refusal(write('object.json', '{"a": 1}'))).reason).toContain('JSON array');
    expect((await refusal(write('numbers.json', '[1]'))).reason).toContain('entry 1 is not a string');
    expect((await refusal(write('empty.txt', '# nothing\n\n'))).reason).toContain('no patch names');
    expect((await refusal(join(dir, 'missing.txt'))).reason).toContain('cannot read');
  });
});
