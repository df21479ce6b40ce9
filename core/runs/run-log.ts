import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RUN_FILES } from './run-dir.js';

/** Appends a time-stamped line to the run's log.txt (human-readable; metrics go to metrics.jsonl). */
export async function appendLog(runDir: string, message: string): Promise<void> {
  // Continuation lines are indented so every entry still starts with its time stamp.
  const line = `${new Date().toISOString()} ${message.replace(/\r?\n/g, '\n    ')}\n`;
  await appendFile(join(runDir, RUN_FILES.log), line);
}
