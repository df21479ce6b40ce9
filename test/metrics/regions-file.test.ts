import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readRegionsFile } from '../../core/metrics/regions-file.js';

const square = { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] };

describe('readRegionsFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'regions-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a file and reports bad JSON with its path', async () => {
    const good = join(dir, 'good.geojson');
    writeFileSync(good, JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { name: 'A' }, geometry: square }] }));
    expect((await readRegionsFile(good)).map((r) => r.name)).toEqual(['A']);

    const bad = join(dir, 'bad.geojson');
    writeFileSync(bad, '{"type": "FeatureCollection", ');
    await expect(readRegionsFile(bad)).rejects.toThrow(`${bad}: not valid JSON`);
  });

  it('names a missing file', async () => {
    const missing = join(dir, 'missing.geojson');
    await expect(readRegionsFile(missing)).rejects.toThrow(`${missing}: no such file`);
  });
});
