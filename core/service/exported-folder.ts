/**
 * What a download of a finished export holds: the folder the job wrote and the files it lists,
 * each resolved to its real path and required to stay inside the folder (a file replaced by a
 * symlink afterwards is refused, not followed).
 */
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { ServiceError } from '../common/api/service-error.js';
import type { ExportJobOptions, JobInfo } from '../common/jobs/job-spec.js';
import type { ExportedFolder } from './service-host.js';

/** Letters, digits and `._-` only: the name goes into a Content-Disposition header. */
function safeName(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'export';
}

function reported(job: JobInfo): { dir: string; files: string[]; checkpoint?: { kind?: unknown; step?: unknown } } {
  const result = job.result as { dir?: unknown; files?: unknown; card?: { checkpoint?: { kind?: unknown; step?: unknown } } } | null;
  if (!result || typeof result.dir !== 'string' || !Array.isArray(result.files) || !result.files.every((f) => typeof f === 'string')) {
    throw new ServiceError('not-found', `export job ${job.id} reports no files`);
  }
  return { dir: result.dir, files: result.files as string[], checkpoint: result.card?.checkpoint };
}

export async function exportedFolder(job: JobInfo | null, id: string): Promise<ExportedFolder> {
  if (!job) throw new ServiceError('not-found', `no job ${JSON.stringify(id)}`);
  if (job.kind !== 'export') throw new ServiceError('invalid-params', `job ${id} is a ${job.kind} job, not an export`);
  if (job.state !== 'completed') throw new ServiceError('conflict', `export job ${id} is ${job.state}; a download needs it completed`);
  const { dir, files, checkpoint } = reported(job);
  let root: string;
  try {
    root = await realpath(dir);
  } catch {
    throw new ServiceError('not-found', `the folder of export job ${id} is gone (${dir})`);
  }
  const resolved = [];
  for (const name of files) {
    const real = await realpath(path.resolve(root, name)).catch(() => null);
    const rel = real === null ? '..' : path.relative(root, real);
    if (real === null || rel.startsWith('..') || path.isAbsolute(rel) || !(await stat(real)).isFile()) {
      throw new ServiceError('not-found', `export job ${id}: ${name} is missing from its folder or leads outside it`);
    }
    resolved.push({ path: real, name: rel.split(path.sep).join('/') });
  }
  const run = path.basename((job.spec.options as ExportJobOptions).run);
  const step = typeof checkpoint?.step === 'number' ? `step${checkpoint.step}` : '';
  const kind = typeof checkpoint?.kind === 'string' && checkpoint.kind !== 'step' ? checkpoint.kind : '';
  const which = [kind, step].filter(Boolean).join('-') || 'checkpoint';
  return { dir: root, files: resolved, downloadName: `${safeName(`${run}-${which}-${job.id}`)}.zip` };
}
