import { resolve } from 'node:path';
import type { SubsetSpec } from './selection.js';

/**
 * The text form of a subset, shared by the CLI's `--subset` and the app's job specs:
 * `all | random:N | random-seasons:N | one-per-scene | non-overlapping | list:<file>`.
 * A relative list file is taken from the current directory.
 */
export function parseSubsetText(text: string | undefined): SubsetSpec {
  if (text === undefined || text === 'all') return { kind: 'all' };
  if (text === 'one-per-scene' || text === 'non-overlapping') return { kind: text };
  const m = /^(random|random-seasons):(\d+)$/.exec(text);
  if (m) return { kind: 'random', n: Number(m[2]), stratifyBySeason: m[1] === 'random-seasons' };
  if (text.startsWith('list:') && text.length > 5) return { kind: 'list', file: resolve(text.slice(5)) };
  throw new Error(`expected all, random:N, random-seasons:N, one-per-scene, non-overlapping or list:<file>, got "${text}"`);
}
