/**
 * GET /exports/<job>.zip over the real service: a finished export job's folder as one zip that
 * an independent reader (Python's zipfile, where present; else the central directory read here)
 * opens with the same bytes; refused without the token, for an unknown job, and when a file of the folder was replaced by a symlink leading out.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobInfo } from '../../core/common/jobs/job-spec.js';
import { startServer, type RunningServer } from '../../core/server/server.js';
import { exportedFolder } from '../../core/service/exported-folder.js';
import { createStudioService, type StudioService } from '../../core/service/service.js';
import { syntheticDataset, tempDir } from '../catalog/fixture.js';
import { scriptedJobProcess } from '../service/service-fixture.js';
import { raw } from './client.js';

const PYTHON = '/usr/bin/python3';
let root: string;
let service: StudioService;
let server: RunningServer;
let exportDir: string;
let done: JobInfo;
const weights = Buffer.alloc(300_000, 7);
const card = JSON.stringify({ checkpoint: { kind: 'best', step: 12 } });

async function finished(id: string): Promise<JobInfo> {
  for (;;) {
    const job = (await service.call('jobs.list', {}) as JobInfo[]).find((j) => j.id === id)!;
    if (job.state !== 'queued' && job.state !== 'running') return job;
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(async () => {
  root = tempDir('export-download');
  mkdirSync(join(root, 'renderer'));
  writeFileSync(join(root, 'renderer', 'index.html'), '<!doctype html>');
  const datasetDir = await syntheticDataset(root, 1, 2);
  service = await createStudioService({
    dataDir: join(root, 'data'),
    mode: 'server',
    sampleCacheDir: join(root, 'cache'),
    // the worker's part, scripted: a pretrain writes nothing; an export writes its folder
    createJobProcess: () =>
      scriptedJobProcess(async ({ job }, reply) => {
        if (job.kind !== 'export') return reply({ type: 'failed', error: 'not scripted' });
        const dest = (job.spec.options as { dest: string }).dest;
        mkdirSync(dest, { recursive: true });
        writeFileSync(join(dest, 'model.safetensors'), weights);
        writeFileSync(join(dest, 'model-card.json'), card);
        reply({ type: 'done', result: { dir: dest, files: ['model.safetensors', 'model-card.json'], card: JSON.parse(card) } });
      }),
  });
  server = await startServer(service, { rendererDir: join(root, 'renderer') });
  const { id: dataset } = (await service.call('datasets.open', { dir: datasetDir })) as { id: string };
  const runDir = join(root, 'data', 'runs', 'fake-run');
  mkdirSync(runDir, { recursive: true });
  exportDir = join(root, 'data', 'exports', 'first');
  const started = (await service.call('jobs.start', { dataset, kind: 'export', options: { run: runDir, formats: ['safetensors'], dest: exportDir } })) as JobInfo;
  done = await finished(started.id);
}, 120_000);

afterAll(async () => {
  await server?.close();
  await service?.close();
  rmSync(root, { recursive: true, force: true });
});

const get = (path: string, auth = true) => raw(server.port, { path, headers: auth ? { authorization: `Token ${server.token}` } : {} });

describe('the download of an export', () => {
  it('is a zip of the files the job wrote, named by run, checkpoint and job', async () => {
    expect(done.state).toBe('completed');
    const r = await get(`/exports/${done.id}.zip`);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/zip');
    expect(r.headers['content-disposition']).toBe(`attachment; filename="fake-run-best-step12-${done.id}.zip"`);
    // the local file headers in order, each name followed by its bytes (stored) or deflated JSON
    expect(r.body.subarray(0, 4).toString('hex')).toBe('504b0304');
    const zipPath = join(root, 'download.zip');
    writeFileSync(zipPath, r.body);
    if (existsSync(PYTHON)) {
      const listing = execFileSync(PYTHON, ['-c', 'import sys, zipfile, hashlib, json; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print(json.dumps({i.filename: hashlib.sha256(z.read(i)).hexdigest() for i in z.infolist()}))', zipPath], { encoding: 'utf8' });
      const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
      expect(JSON.parse(listing)).toEqual({ 'model.safetensors': sha(weights), 'model-card.json': sha(card) });
    }
    expect(r.body.includes(Buffer.from('model.safetensors'))).toBe(true);
    expect(r.body.includes(weights.subarray(0, 1000))).toBe(true);
  });

  it('is refused without the token, for an unknown job or a malformed address, and when a file that leads out of the folder', async () => {
    expect((await get(`/exports/${done.id}.zip`, false)).status).toBe(401);
    expect((await get('/exports/nope.zip')).json()).toMatchObject({ error: { code: 'not-found' } });
    expect((await get(`/exports/${done.id}`)).status).toBe(404);
    writeFileSync(join(root, 'secret.txt'), 'SECRET');
    unlinkSync(join(exportDir, 'model-card.json'));
    symlinkSync(join(root, 'secret.txt'), join(exportDir, 'model-card.json'));
    const r = await get(`/exports/${done.id}.zip`);
    expect(r.status).toBe(404);
    expect(r.text).not.toContain('SECRET');
    expect(readFileSync(join(exportDir, 'model.safetensors')).length).toBe(weights.length);
  });
});

describe('exportedFolder', () => {
  const job = (over: Partial<JobInfo>) => ({ ...done, ...over }) as JobInfo;
  it('refuses a job that is not an export, or not completed, with the code a client can act on', async () => {
    await expect(exportedFolder(null, 'x')).rejects.toMatchObject({ code: 'not-found' });
    await expect(exportedFolder(job({ kind: 'pretrain' }), done.id)).rejects.toMatchObject({ code: 'invalid-params', message: expect.stringMatching(/pretrain job, not an export/) });
    await expect(exportedFolder(job({ state: 'running' }), done.id)).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/running/) });
    await expect(exportedFolder(job({ result: null }), done.id)).rejects.toMatchObject({ code: 'not-found' });
  });
});
