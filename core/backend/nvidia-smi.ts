import { execFile } from 'node:child_process';
import { errorSummary } from './optional-packages.js';

export interface GpuDevice {
  name: string;
  memoryTotal: string;
}

export interface NvidiaSmiReport {
  present: boolean;
  devices?: GpuDevice[];
  error?: string;
}

/** Parses `nvidia-smi --query-gpu=name,memory.total --format=csv,noheader`: one "name, memory" line per GPU. */
export function parseNvidiaSmiCsv(stdout: string): GpuDevice[] {
  return stdout
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .map((line) => {
      const comma = line.lastIndexOf(',');
      if (comma < 0) throw new Error(`nvidia-smi: unexpected line "${line}"`);
      return { name: line.slice(0, comma).trim(), memoryTotal: line.slice(comma + 1).trim() };
    });
}

/** Asks nvidia-smi which GPUs the driver sees; a missing binary is reported, not thrown. */
export function queryNvidiaSmi(timeoutMs = 3000): Promise<NvidiaSmiReport> {
  return new Promise((resolve) => {
    execFile(
      'nvidia-smi',
      ['--query-gpu=name,memory.total', '--format=csv,noheader'],
      { timeout: timeoutMs },
      (err, stdout) => {
        if (err) {
          const code = (err as NodeJS.ErrnoException).code;
          resolve(code === 'ENOENT' ? { present: false } : { present: true, error: errorSummary(err) });
          return;
        }
        try {
          resolve({ present: true, devices: parseNvidiaSmiCsv(stdout) });
        } catch (parseErr) {
          resolve({ present: true, error: (parseErr as Error).message });
        }
      },
    );
  });
}
