import { describe, expect, it } from 'vitest';
import { parseNvidiaSmiCsv } from '../../core/backend/nvidia-smi.js';

describe('parseNvidiaSmiCsv', () => {
  it('reads one GPU a line, name and total memory', () => {
    expect(parseNvidiaSmiCsv('NVIDIA H100 80GB HBM3, 81559 MiB\nNVIDIA A10, 23028 MiB\n\n')).toEqual([
      { name: 'NVIDIA H100 80GB HBM3', memoryTotal: '81559 MiB' },
      { name: 'NVIDIA A10', memoryTotal: '23028 MiB' },
    ]);
  });

  it('reads no GPUs from empty output', () => {
    expect(parseNvidiaSmiCsv('')).toEqual([]);
  });

  it('rejects a line without the memory column', () => {
    expect(() => parseNvidiaSmiCsv('No devices were found')).toThrow(/unexpected line "No devices were found"/);
  });
});
