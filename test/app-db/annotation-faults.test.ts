import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Annotations } from '../../core/app-db/annotations.js';
import { openAppDb, type AppDb } from '../../core/app-db/schema.js';

/**
 * The audit's fault checks on the annotation store: an edit apply() acknowledged survives a
 * kill -9 at any moment, and a full disk refuses the edit that does not fit, keeps every earlier
 * one and leaves a database that opens and passes integrity_check.
 */
const EDITOR = fileURLToPath(new URL('./ref/edit-forever.ts', import.meta.url));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'annotation-faults-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Every note an event recorded, as the edit numbers they carry. */
function recordedEdits(db: AppDb): Set<number> {
  const rows = db.prepare("SELECT after FROM annotation_events WHERE action = 'change'").pluck().all() as string[];
  return new Set(rows.map((r) => Number(/edit-(\d+)/.exec(JSON.parse(r).note)?.[1])));
}

/** Starts the editor at edit `start`, kills it with SIGKILL after `acks` acknowledgements; the edits acknowledged. */
function editUntilKilled(file: string, start: number, acks: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', EDITOR, file, String(start)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acked: number[] = [];
    let buffered = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.stdout.on('data', (d: Buffer) => {
      buffered += d;
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) acked.push(Number(line.slice(4)));
      if (acked.length >= acks && !child.killed) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve(acked) : reject(new Error(`editor exited ${code}: ${stderr}`))));
  });
}

describe('annotation store under faults', () => {
  it('loses no acknowledged edit over five kill -9s mid-write, and stays intact', async () => {
    const file = path.join(dir, 'killed.sqlite');
    const acknowledged: number[] = [];
    for (const acks of [40, 97, 13, 150, 71]) {
      acknowledged.push(...(await editUntilKilled(file, acknowledged.length === 0 ? 0 : Math.max(...acknowledged) + 1, acks)));
    }
    const db = openAppDb(file);
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const recorded = recordedEdits(db);
      const lost = acknowledged.filter((i) => !recorded.has(i));
      expect(acknowledged.length).toBeGreaterThanOrEqual(371);
      expect(lost).toEqual([]);
    } finally {
      db.close();
    }
  }, 120_000);

  it('refuses the edit a full disk cannot take, keeps the earlier ones, and writes again once there is room', () => {
    const file = path.join(dir, 'full.sqlite');
    const db = openAppDb(file);
    const annotations = new Annotations(db, '/data/sen12ms');
    // SQLite's own size cap: past it every write fails as on a full disk (SQLITE_FULL).
    db.pragma(`max_page_count = ${(db.pragma('page_count', { simple: true }) as number) + 8}`);
    const applied: number[] = [];
    let refusal: Error | null = null;
    for (let i = 0; i < 10_000 && refusal === null; i++) {
      try {
        annotations.apply({ kind: 'patch', patch: `ROIs1158_spring_124_p${i}`, set: { note: `edit-${i} ${'x'.repeat(200)}` } });
        applied.push(i);
      } catch (err) {
        refusal = err as Error;
      }
    }
    expect(applied.length).toBeGreaterThan(5);
    expect(refusal?.message).toMatch(/full/i);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect([...recordedEdits(db)].sort((a, b) => a - b)).toEqual(applied);
    db.close();

    const reopened = openAppDb(file);
    try {
      const more = new Annotations(reopened, '/data/sen12ms').apply({ kind: 'patch', patch: 'ROIs1158_spring_124_p9999', set: { note: 'edit-9999' } });
      expect(more.state).toMatchObject({ note: 'edit-9999' });
      expect(recordedEdits(reopened).size).toBe(applied.length + 1);
    } finally {
      reopened.close();
    }
  });
});
