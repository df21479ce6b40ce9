import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PredictionsCsv, readPredictionsCsv, type PredictionRow } from '../../core/inference/predictions-csv.js';
import { csvCell, parseCsv } from '../../core/util/csv.js';
import { Rng } from '../../core/util/rng.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'predictions-csv-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('parseCsv', () => {
  it('reads back what csvCell writes, whatever the cell holds', () => {
    const rng = new Rng(4);
    const alphabet = ['a', 'b', ',', '"', '\n', '\r\n', ' ', '[', '1'];
    const rows = Array.from({ length: 40 }, () =>
      Array.from({ length: 1 + rng.int(5) }, () => Array.from({ length: rng.int(6) }, () => alphabet[rng.int(alphabet.length)]).join('')),
    ).filter((r) => !(r.length === 1 && r[0] === ''));
    const text = rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
    expect(parseCsv(text, 'x.csv')).toEqual(rows);
  });

  it('takes LF line ends, keeps empty cells and names the file in errors', () => {
    expect(parseCsv('a,,b\n"x""y",\n', 'f.csv')).toEqual([['a', '', 'b'], ['x"y', '']]);
    expect(() => parseCsv('a,"open\n', 'f.csv')).toThrow(/f\.csv: unterminated quoted cell starting at offset 2/);
    expect(() => parseCsv('"a"b\n', 'f.csv')).toThrow(/f\.csv: text after a closing quote at offset 3/);
  });
});

describe('predictions files', () => {
  it('read back exactly as written', async () => {
    const file = path.join(dir, 'p.csv');
    const rows: PredictionRow[] = [
      { id: 'ROIs1158_spring_1_p1', trueLabels: [1, 3], scores: [0.75, 0.125, 0.5], predicted: [1, 3] },
      { id: 'ROIs1158_spring_1_p2', trueLabels: [2], scores: [0.25, 0.375, 0.0625], predicted: [] },
    ];
    const csv = await PredictionsCsv.create(file, 3);
    for (const r of rows) await csv.write(r);
    expect(await csv.commit()).toBe(2);
    expect(await readPredictionsCsv(file)).toEqual(rows);
  });

  it('refuse a file that is not one, naming the file and line', async () => {
    const bad = (name: string, text: string) => {
      const file = path.join(dir, name);
      fs.writeFileSync(file, text);
      return readPredictionsCsv(file);
    };
    await expect(bad('h.csv', 'id,x\r\n')).rejects.toThrow(/h\.csv: not a predictions file/);
    await expect(bad('c.csv', 'id,true_labels,score_1,predicted_labels\r\na,"[2]",0.5,"[1]"\r\n')).rejects.toThrow(/c\.csv: line 2: true_labels must be a JSON array of classes 1\.\.1/);
    await expect(bad('n.csv', 'id,true_labels,score_1,predicted_labels\r\na,"[1]",x,"[1]"\r\n')).rejects.toThrow(/n\.csv: line 2: a score is not a number/);
    await expect(bad('w.csv', 'id,true_labels,score_1,predicted_labels\r\na,"[1]"\r\n')).rejects.toThrow(/w\.csv: line 2: 2 cells, expected 4/);
  });
});
