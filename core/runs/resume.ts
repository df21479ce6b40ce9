import { mkdir, readdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { DatasetFileError } from '../common/util/file-error.js';
import { latestCheckpoint, type LoadedCheckpoint } from './checkpoint.js';
import { keepMetricsThrough } from './metrics-log.js';
import { RUN_FILES, type Run } from './run-dir.js';
import { appendLog } from './run-log.js';

/** A run to continue with its own config, rather than a new run; `restart` as resumePoint takes it. */
export interface ResumeRun {
  resume: string;
  restart?: boolean;
}

/**
 * Where a resumed run continues: its newest checkpoint that verifies, with metrics.jsonl cut
 * back to that step so the steps run again replace their lines. A run with no valid checkpoint
 * is refused unless `restart`, which starts it again from step 0 in the same directory, keeping
 * the unusable checkpoints aside (nothing is deleted) and saying so in log.txt.
 */
export async function resumePoint(run: Run, restart: boolean): Promise<LoadedCheckpoint | null> {
  const checkpoint = await latestCheckpoint(run.dir);
  if (checkpoint) {
    await keepMetricsThrough(run.dir, checkpoint.state.step);
    return checkpoint;
  }
  if (!restart) {
    throw new DatasetFileError(
      run.dir,
      'no valid checkpoint to resume from (log.txt says why each one was skipped); pass --restart to run it again from step 0 in this directory',
    );
  }
  const dir = join(run.dir, RUN_FILES.checkpoints);
  const left = await readdir(dir).catch(() => [] as string[]);
  let note = '';
  if (left.length > 0) {
    const aside = `${RUN_FILES.checkpoints}.unusable-${new Date().toISOString().replace(/[-:.]/g, '')}`;
    await rename(dir, join(run.dir, aside));
    note = `; the unusable checkpoint files were moved to ${aside}/`;
  }
  await mkdir(dir, { recursive: true });
  await keepMetricsThrough(run.dir, 0);
  await appendLog(run.dir, `restarted from step 0: no valid checkpoint to resume from${note}`);
  return null;
}
