import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendMetrics, readMetrics } from '../../core/runs/metrics-log.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'metrics-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const file = () => join(dir, 'metrics.jsonl');

describe('metrics.jsonl', () => {
  it('appends one JSON line per record and reads them back in order', async () => {
    await appendMetrics(dir, { step: 1, loss: 2.5 });
    await appendMetrics(dir, { step: 2, loss: Number.NaN, lr: 0.03 });
    expect(await readFile(file(), 'utf8')).toBe('{"step":1,"loss":2.5}\n{"step":2,"loss":null,"lr":0.03}\n');
    expect(await readMetrics(dir)).toEqual({ records: [{ step: 1, loss: 2.5 }, { step: 2, loss: null, lr: 0.03 }], tornTail: false });
  });

  it('reads nothing from a run that has no metrics yet', async () => {
    expect(await readMetrics(dir)).toEqual({ records: [], tornTail: false });
  });

  it('tolerates a torn last line after a crash', async () => {
    await appendMetrics(dir, { step: 1 });
    await appendFile(file(), '{"step":2,"lo');
    expect(await readMetrics(dir)).toEqual({ records: [{ step: 1 }], tornTail: true });
  });

  it('keeps a complete last record that only lacks its newline', async () => {
    await writeFile(file(), '{"step":1}\n{"step":2}');
    expect(await readMetrics(dir)).toEqual({ records: [{ step: 1 }, { step: 2 }], tornTail: false });
  });

  it('cuts a torn tail before appending, so the file stays valid', async () => {
    await appendMetrics(dir, { step: 1 });
    await appendFile(file(), '{"step":2,"lo');
    await appendMetrics(dir, { step: 3 });
    expect(await readFile(file(), 'utf8')).toBe('{"step":1}\n{"step":3}\n');
    await writeFile(file(), 'x'.repeat(100_000));
    await appendMetrics(dir, { step: 4 });
    expect(await readFile(file(), 'utf8')).toBe('{"step":4}\n');
  });

  it('names the file and line of a bad line that is not the last', async () => {
    await writeFile(file(), '{"step":1}\nnot json\n{"step":3}\n');
    await expect(readMetrics(dir)).rejects.toThrow(/metrics\.jsonl: line 2 is not valid JSON/);
    await writeFile(file(), '{"step":1}\n[1,2]\n');
    await expect(readMetrics(dir)).rejects.toThrow(/metrics\.jsonl: line 2 is not a JSON object/);
  });

  it('refuses a record that is not an object', async () => {
    await expect(appendMetrics(dir, [1] as unknown as Record<string, unknown>)).rejects.toThrow(/must be a JSON object/);
  });
});
