import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { readCheckpointIndex } from '../../core/runs/checkpoint-index.js';
import { latestCheckpoint } from '../../core/runs/checkpoint.js';

/**
 * A checkpoint that does not fit on the disk fails cleanly: the writer gets the error, no torn or
 * temporary file is left, and the run still resumes from the checkpoint before. The disk is
 * "full" through a file-size limit (ulimit -f) on the writing process: its writes past 256 KiB
 * fail (EFBIG) where a full disk would fail them (ENOSPC), along the same code path.
 */
const WRITER = fileURLToPath(new URL('./ref/checkpoint-no-room.ts', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'checkpoint-no-room-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe.skipIf(process.platform === 'win32')('a checkpoint write with no room left', () => {
  it('fails, leaves no partial file, and the previous checkpoint is still the one a resume loads', async () => {
    const child = spawnSync('bash', ['-c', `ulimit -f 256 && exec "${process.execPath}" --import tsx "${WRITER}" "${root}"`], { encoding: 'utf8' });
    expect(child.status, child.stderr).toBe(0);
    const { runDir, error } = JSON.parse(child.stdout) as { runDir: string; error: string | null };
    expect(error).toBe('EFBIG');

    const dir = join(runDir, 'checkpoints');
    expect(readdirSync(dir).sort()).toEqual(['index.json', 'step-000001.safetensors']);
    expect((await readCheckpointIndex(dir))?.map((e) => e.step)).toEqual([1]);
    const latest = await latestCheckpoint(runDir, () => {});
    expect(latest?.state.step).toBe(1);
  });
});
