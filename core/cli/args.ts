import { parseArgs, type ParseArgsConfig } from 'node:util';
import { parseCheckpointSelector, type CheckpointSelector } from '../common/runs/checkpoint-ref.js';

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

/** Runs a check whose error means the command line asked for something invalid: a UsageError (exit 2). */
export async function asUsageError<T>(check: () => T | Promise<T>): Promise<T> {
  try {
    return await check();
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/**
 * Runs long work with Ctrl+C wired to its abort signal: the run stops after its current step and
 * writes a cancel checkpoint instead of dying mid-write.
 */
export async function untilInterrupted<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  try {
    return await work(controller.signal);
  } finally {
    process.off('SIGINT', onSignal);
  }
}
