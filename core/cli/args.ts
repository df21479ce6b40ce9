import { parseArgs, type ParseArgsConfig } from 'node:util';
import { parseCheckpointSelector, type CheckpointSelector } from '../runs/checkpoint-select.js';

/** A wrong command line: the CLI prints it with the command's usage and exits 2. */
export class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;

/** node:util's parseArgs with its errors turned into UsageError. */
export function parseCommandLine<O extends Options>(argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

export function intOption(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new UsageError(`--${name} must be an integer, got "${value}"`);
  return n;
}

/** --checkpoint last|best|step-N, or undefined when not given. */
export function checkpointOption(value: string | undefined): CheckpointSelector | undefined {
  if (value === undefined) return undefined;
  try {
    return parseCheckpointSelector(value, '--checkpoint');
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}
