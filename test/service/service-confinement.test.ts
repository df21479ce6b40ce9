/**
 * The API does not undo the file confinement (issue 12): datasets.open takes only SEN12MS
 * folders, resolveFile only the rasters a catalog lists, export jobs write only under the export
 * roots, and list subsets and region files come only from the data set or the app's data folder.
 * The audit's paths: /etc, `..`, a symlink from inside to outside, absolute paths. The job
 * process is scripted (it fails every job at once): what matters is the spec the service makes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient, DatasetInfo, JobRequest } from '../../core/common/api/contract.js';
import type { PatchDetail } from '../../core/common/catalog/patch-types.js';
import type { JobSpec } from '../../core/common/jobs/job-spec.js';
import { inProcessClient } from '../../core/service/in-process-client.js';
import { createStudioService, type StudioService } from '../../core/service/service.js';
import { syntheticDataset, tempDir } from '../catalog/fixture.js';
import { cacheIn, refusal, scriptedJobProcess, tearDown } from './service-fixture.js';

const SECRET = 'root:x:0:0:SECRET-CONTENTS-91c2';

/** Every job fails at once: these tests look at what the service sends, not at training. */
const failingWorker = () => scriptedJobProcess((_, reply) => reply({ type: 'failed', error: 'scripted' }));

let root: string;
let dataDir: string;
let datasetDir: string;
let outside: string;
let service: StudioService;
let api: ApiClient;
let info: DatasetInfo;
/** A patch whose s2 file is a symlink to a copy outside the data set (catalogued: the scan follows links). */
let linkedRel: string;


const start = async (request: JobRequest): Promise<JobSpec> => (await api.call('jobs.start', { dataset: info.id, ...request })).spec;
const real = (p: string) => fs.realpathSync(p);

beforeAll(async () => {
  root = tempDir('service-confinement');
  cacheIn(root);
  dataDir = path.join(root, 'data');
  outside = path.join(root, 'outside');
  fs.mkdirSync(outside);
  fs.writeFileSync(path.join(outside, 'secret.txt'), SECRET);
  datasetDir = await syntheticDataset(root, 2, 2);
  // One patch file moved out of the data set and linked back in.
  const roi = fs.readdirSync(datasetDir).find((n) => n.startsWith('ROIs'))!;
  const sceneDir = fs.readdirSync(path.join(datasetDir, roi)).find((n) => n.startsWith('s2_'))!;
  const file = fs.readdirSync(path.join(datasetDir, roi, sceneDir))[0];
  linkedRel = `${roi}/${sceneDir}/${file}`;
  fs.renameSync(path.join(datasetDir, linkedRel), path.join(outside, file));
  fs.symlinkSync(path.join(outside, file), path.join(datasetDir, linkedRel));
  // Files in the data set folder that are not rasters of its catalog.
  fs.writeFileSync(path.join(datasetDir, 'passwd'), SECRET);
  fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(datasetDir, 'link.txt'));
  fs.mkdirSync(path.join(datasetDir, 'splits'));
  fs.writeFileSync(path.join(datasetDir, 'splits', 'train.txt'), `${file}\n`);
  fs.writeFileSync(path.join(datasetDir, 'regions.geojson'), '{"type":"FeatureCollection","features":[]}');
  service = await createStudioService({ dataDir, mode: 'server', createJobProcess: failingWorker, sampleCacheDir: path.join(root, 'cache') });
  api = inProcessClient(service);
  info = await api.call('datasets.open', { dir: datasetDir });
}, 120_000);

afterAll(() => tearDown(service, root));

describe('datasets.open', () => {
  it('refuses a folder that holds no SEN12MS scenes, naming it', async () => {
    expect(await refusal(api.call('datasets.open', { dir: '/etc' }))).toEqual({
      code: 'invalid-params',
      message: expect.stringMatching(/^params\.dir: \/etc holds no SEN12MS scenes/),
    });
    // `..` out of the data set: the folder above holds the data set, not scenes.
    const up = path.join(datasetDir, '..');
    expect(await refusal(api.call('datasets.open', { dir: `${datasetDir}/ROIs1158_spring/../..` }))).toMatchObject({ code: 'invalid-params', message: expect.stringContaining(up) });
    // An ROI-set folder without scene folders, and a symlink to /etc inside the data set.
    const empty = path.join(root, 'empty');
    fs.mkdirSync(path.join(empty, 'ROIs1158_spring', 'notes'), { recursive: true });
    expect(await refusal(api.call('datasets.open', { dir: empty }))).toMatchObject({ code: 'invalid-params', message: expect.stringContaining(empty) });
    fs.symlinkSync('/etc', path.join(datasetDir, 'etc'));
    try {
      expect(await refusal(api.call('datasets.open', { dir: path.join(datasetDir, 'etc') }))).toMatchObject({ code: 'invalid-params' });
    } finally {
      fs.rmSync(path.join(datasetDir, 'etc'));
    }
    expect((await api.call('datasets.list', {})).map((d) => d.dir)).toEqual([datasetDir]);
  });
});

describe('resolveFile', () => {
  it('gives only the rasters the catalog lists, inside the data set after resolving links', async () => {
    const { patches } = await api.call('catalog.query', { dataset: info.id, query: { fields: 'full', page: { offset: 0, limit: 100 } } });
    const listed = patches.map((p) => (p as PatchDetail).paths);
    expect(listed.map((p) => p.s2)).toContain(linkedRel);
    const plain = listed.find((p) => p.s2 !== linkedRel)!;
    for (const rel of [plain.s2, plain.lc, plain.s1!]) expect(await service.resolveFile(info.id, rel)).toBe(real(path.join(datasetDir, rel)));
    // Not in the catalog: anything else the folder holds, existing or not.
    for (const rel of ['passwd', 'link.txt', 'splits/train.txt', `${path.dirname(plain.s2)}/../../passwd`, 'catalog.sqlite', 'missing.tif']) {
      expect(await refusal(service.resolveFile(info.id, rel)), rel).toMatchObject({ code: 'not-found' });
    }
    // Out of the data set: `..`, absolute paths, and a catalogued patch that is a symlink to outside.
    for (const rel of ['../outside/secret.txt', `${path.dirname(plain.s2)}/../../../outside/secret.txt`, '/etc/passwd', path.join(outside, 'secret.txt'), linkedRel]) {
      expect(await refusal(service.resolveFile(info.id, rel)), rel).toMatchObject({ code: 'forbidden' });
    }
  });
});

describe('export destinations', () => {
  const exportOf = (dest: string): JobRequest => ({ kind: 'export', options: { run: path.join(dataDir, 'runs', 'some-run'), formats: ['safetensors'], dest } });

  it('are the exports folder (relative ones taken from it), a picked folder, nothing else', async () => {
    const exports = path.join(real(dataDir), 'exports');
    expect((await start(exportOf('mine'))).options).toMatchObject({ dest: path.join(exports, 'mine') });
    expect((await start(exportOf(path.join(dataDir, 'exports', 'a', 'b')))).options).toMatchObject({ dest: path.join(exports, 'a', 'b') });
    fs.mkdirSync(path.join(dataDir, 'exports'), { recursive: true });
    fs.symlinkSync(outside, path.join(dataDir, 'exports', 'escape'));
    for (const dest of ['/etc/cron.d', path.join(dataDir, 'exports', '..', '..', 'x'), '../runs', path.join(dataDir, 'runs'), path.join(dataDir, 'exports', 'escape', 'x'), datasetDir]) {
      expect(await refusal(start(exportOf(dest))), dest).toEqual({ code: 'forbidden', message: expect.stringMatching(/^params\.options\.dest: .*is outside the folders/) });
    }
    const picked = path.join(root, 'picked');
    expect(await refusal(start(exportOf(picked)))).toMatchObject({ code: 'forbidden' });
    service.allowExportRoot(picked);
    expect((await start(exportOf(path.join(picked, 'model')))).options).toMatchObject({ dest: path.join(real(root), 'picked', 'model') });
  });

  it("take server mode's --exports-dir (the service's exportRoots) besides the exports folder", async () => {
    const served = path.join(root, 'served-exports');
    const other = await createStudioService({ dataDir: path.join(root, 'data2'), mode: 'server', createJobProcess: failingWorker, exportRoots: [served] });
    try {
      const client = inProcessClient(other);
      const { id } = await client.call('datasets.open', { dir: datasetDir });
      const ownRun = (dest: string): JobRequest => ({ kind: 'export', options: { run: path.join(root, 'data2', 'runs', 'r'), formats: ['safetensors'], dest } });
      const job = await client.call('jobs.start', { dataset: id, ...ownRun(path.join(served, 'm')) });
      expect(job.spec.options).toMatchObject({ dest: path.join(real(root), 'served-exports', 'm') });
      expect(await refusal(client.call('jobs.start', { dataset: id, ...ownRun(path.join(dataDir, 'exports', 'm')) }))).toMatchObject({ code: 'forbidden' });
    } finally {
      await other.close();
    }
  });
});

describe('list subsets and region files', () => {
  it('come from the data set folder or the app data folder only', async () => {
    expect((await start({ kind: 'pretrain', options: { subset: 'list:splits/train.txt' } })).options).toMatchObject({
      subset: `list:${real(path.join(datasetDir, 'splits', 'train.txt'))}`,
    });
    fs.mkdirSync(path.join(dataDir, 'uploads'), { recursive: true });
    fs.writeFileSync(path.join(dataDir, 'uploads', 'val.txt'), 'x');
    expect((await start({ kind: 'finetune', options: { variant: 'supervised', subset: `list:${path.join(dataDir, 'uploads', 'val.txt')}` } })).options).toMatchObject({
      subset: `list:${real(path.join(dataDir, 'uploads', 'val.txt'))}`,
    });
    for (const file of ['/etc/passwd', '../outside/secret.txt', 'splits/../../outside/secret.txt', 'link.txt', path.join(outside, 'secret.txt')]) {
      expect(await refusal(start({ kind: 'pretrain', options: { subset: `list:${file}` } })), file).toEqual({
        code: 'forbidden',
        message: expect.stringMatching(/^params\.options\.subset: .*is outside the folders/),
      });
    }
    const evaluate = (regions: string): JobRequest => ({ kind: 'evaluate', options: { model: path.join(dataDir, 'runs', 'model'), by: { regions } } });
    expect((await start(evaluate('regions.geojson'))).options).toMatchObject({ by: { regions: real(path.join(datasetDir, 'regions.geojson')) } });
    for (const file of ['/etc/passwd', '../outside/secret.txt', 'link.txt', path.join(outside, 'secret.txt')]) {
      expect(await refusal(start(evaluate(file))), file).toEqual({ code: 'forbidden', message: expect.stringMatching(/^params\.options\.by\.regions: .*is outside the folders/) });
    }
  });
});

describe('runs and models a job or method reads', () => {
  it('are job ids or folders in the app data folder or an export root, nothing else', async () => {
    const inside = path.join(dataDir, 'runs', 'r1');
    expect((await start({ kind: 'evaluate', options: { model: inside } })).options).toMatchObject({ model: path.join(real(dataDir), 'runs', 'r1') });
    expect((await start({ kind: 'evaluate', options: { model: 'runs/r1' } })).options).toMatchObject({ model: path.join(real(dataDir), 'runs', 'r1') });
    const id = 'job-20200101-000000-abcd';
    // A job id is not a path: the job manager looks it up (and knows no such job here).
    expect(await refusal(start({ kind: 'finetune', options: { variant: 'moco', pretrained: id } }))).toMatchObject({ code: 'invalid-params', message: expect.stringMatching(/no job "job-20200101/) });
    fs.mkdirSync(path.join(dataDir, 'runs'), { recursive: true });
    fs.symlinkSync(outside, path.join(dataDir, 'runs', 'escape'));
    for (const dir of ['/etc', outside, '../outside', path.join(dataDir, '..', 'outside'), path.join(dataDir, 'runs', 'escape'), datasetDir]) {
      const forbidden = { code: 'forbidden', message: expect.stringMatching(/is outside the folders/) };
      expect(await refusal(start({ kind: 'evaluate', options: { model: dir } })), dir).toEqual({ ...forbidden, message: expect.stringMatching(/^params\.options\.model: /) });
      expect(await refusal(start({ kind: 'finetune', options: { variant: 'moco', pretrained: dir } })), dir).toMatchObject({ code: 'forbidden' });
      expect(await refusal(start({ kind: 'export', options: { run: dir, formats: ['onnx'], dest: 'x' } })), dir).toMatchObject({ code: 'forbidden' });
      expect(await refusal(api.call('runs.checkpoints', { run: dir })), dir).toMatchObject({ code: 'forbidden' });
    }
  });
});
