/**
 * One plain-text log per job, `<jobsDir>/<id>.log`: every line its worker printed and every state
 * change. Appends are synchronous so lines from messages and state changes keep their order.
 */
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export function jobLogPath(jobsDir: string, id: string): string {
  return join(jobsDir, `${id}.log`);
}

export function appendJobLog(jobsDir: string, id: string, lines: string): void {
  mkdirSync(jobsDir, { recursive: true });
  appendFileSync(jobLogPath(jobsDir, id), lines.endsWith('\n') ? lines : `${lines}\n`);
}

/** The log's lines, or its last `tail` lines; none for a job that has logged nothing. */
export function readJobLog(jobsDir: string, id: string, tail?: number): string[] {
  let text: string;
  try {
    text = readFileSync(jobLogPath(jobsDir, id), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return tail === undefined ? lines : lines.slice(Math.max(0, lines.length - tail));
}
