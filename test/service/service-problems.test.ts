/**
 * `catalog.problems`: the files an index run could not catalogue, with the reason, paged, names
 * escaped so that they map back to the real file (issue 12 item 5, issue 13's problems panel).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient, DatasetInfo } from '../../core/common/api/contract.js';
import { patchRelPath } from '../../core/common/dataset/names.js';
import { unescapeFileName } from '../../core/common/util/file-name.js';
import { inProcessClient } from '../../core/service/in-process-client.js';
import { createStudioService, type StudioService } from '../../core/service/service.js';
import { s2Patches, syntheticDataset, tempDir } from '../catalog/fixture.js';
import { cacheIn, refusal, tearDown } from './service-fixture.js';

let root: string;
let datasetDir: string;
let service: StudioService;
let api: ApiClient;
let info: DatasetInfo;
let truncated: string;
let sceneFolder: string;

beforeAll(async () => {
  root = tempDir('service-problems');
  cacheIn(root);
  datasetDir = await syntheticDataset(root, 2, 3);
  const refs = s2Patches(datasetDir);
  truncated = patchRelPath(refs[1], 's2');
  const full = path.join(datasetDir, truncated);
  fs.truncateSync(full, Math.floor(fs.statSync(full).size / 3));
  sceneFolder = path.dirname(patchRelPath(refs[0], 's2'));
  // a name that is not UTF-8 and one with a newline: both must come back escaped
  fs.writeFileSync(Buffer.concat([Buffer.from(path.join(datasetDir, sceneFolder) + '/bad-'), Buffer.from([0xff]), Buffer.from('.tif')]), 'x');
  fs.writeFileSync(path.join(datasetDir, sceneFolder, 'two\nlines.tif'), 'x');
  service = await createStudioService({
    dataDir: path.join(root, 'data'),
    mode: 'server',
    createJobProcess: () => {
      throw new Error('this test starts no job');
    },
  });
  api = inProcessClient(service);
  info = await api.call('datasets.open', { dir: datasetDir });
}, 120_000);

afterAll(() => tearDown(service, root));

describe('catalog.problems', () => {
  it('lists every problem row the data set info counts, each with its reason', async () => {
    const page = await api.call('catalog.problems', { dataset: info.id });
    expect(info.problems).toBeGreaterThanOrEqual(3);
    expect(page.total).toBe(info.problems);
    expect(page.problems).toHaveLength(info.problems);
    const row = page.problems.find((p) => p.file === truncated);
    expect(row?.reason).toMatch(/\S/);
    expect(info.patches).toBe(5);
  });

  it('escapes undecodable bytes and control characters so each name maps back to the real file', async () => {
    const { problems } = await api.call('catalog.problems', { dataset: info.id });
    const odd = problems.filter((p) => p.file.startsWith(`${sceneFolder}/`) && p.file !== truncated);
    expect(odd.map((p) => p.file).sort()).toEqual([`${sceneFolder}/bad-\\xff.tif`, `${sceneFolder}/two\\x0alines.tif`]);
    for (const p of problems) expect(p.file + p.reason).not.toMatch(/[\u0000-\u001f\ufffd]/);
    for (const p of odd) {
      expect(fs.existsSync(Buffer.concat([Buffer.from(datasetDir + '/'), Buffer.from(unescapeFileName(p.file))]))).toBe(true);
    }
  });

  it('pages in file order and refuses unbounded pages', async () => {
    const all = (await api.call('catalog.problems', { dataset: info.id })).problems.map((p) => p.file);
    expect(all).toEqual([...all].sort());
    const second = await api.call('catalog.problems', { dataset: info.id, page: { offset: 1, limit: 1 } });
    expect(second).toEqual({ total: all.length, problems: [expect.objectContaining({ file: all[1] })] });
    expect(await refusal(api.call('catalog.problems', { dataset: info.id, page: { offset: 0, limit: 1e9 } }))).toMatchObject({ code: 'invalid-params', message: expect.stringMatching(/limit/) });
    expect(await refusal(api.call('catalog.problems', { dataset: 'nope' }))).toMatchObject({ code: 'not-found' });
  });
});
