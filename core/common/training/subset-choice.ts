/**
 * The subset as a form offers it: a choice among the kinds of subset (with the research's own
 * where they apply), a number for random draws and a file for lists, rather than free text. It
 * becomes the subset text the CLI and the job spec take (parseSubsetSyntax reads it back).
 */
import { parseSubsetSyntax } from '../sampler/selection-spec.js';

export const SUBSET_KINDS = ['all', 'one-per-scene', 'non-overlapping', 'random', 'random-seasons', 'list'] as const;
export type SubsetKind = (typeof SUBSET_KINDS)[number];

export interface SubsetChoice {
  kind: SubsetKind;
  /** Patches drawn, for random and random-seasons. */
  n: number;
  /** The patch list file, for list (relative ones are taken from the data set folder). */
  file: string;
}

export interface SubsetOption {
  kind: SubsetKind;
  title: string;
  /** Where the research uses this subset, shown beside the choice. */
  research?: string;
}

export const SUBSET_OPTIONS: readonly SubsetOption[] = [
  { kind: 'all', title: 'All patches', research: 'the research pretrains on all 180,662 too' },
  { kind: 'one-per-scene', title: 'One patch per scene', research: "the research's 252-patch pretraining set" },
  { kind: 'non-overlapping', title: 'Non-overlapping patches', research: "the research's 35,792-patch pretraining set" },
  { kind: 'random', title: 'Random N patches' },
  { kind: 'random-seasons', title: 'Random N, stratified by season' },
  { kind: 'list', title: 'Patch list file', research: 'the research finetunes on train_list_1024 (819 train / 205 validation)' },
];

/** Whether the choice needs a number (random draws) or a file (lists). */
export function subsetNeeds(kind: SubsetKind): 'n' | 'file' | null {
  return kind === 'random' || kind === 'random-seasons' ? 'n' : kind === 'list' ? 'file' : null;
}

export const DEFAULT_SUBSET_CHOICE: SubsetChoice = { kind: 'all', n: 1024, file: '' };

/**
 * The subset text of a choice. A number or file that is not valid is written as it is, so the
 * job spec's check names it under the subset field rather than the form guessing a value.
 */
export function subsetText(choice: SubsetChoice): string {
  const needs = subsetNeeds(choice.kind);
  if (needs === 'n') return `${choice.kind}:${Number.isFinite(choice.n) ? choice.n : ''}`;
  if (needs === 'file') return `list:${choice.file.trim()}`;
  return choice.kind;
}

/** The choice a subset text makes (a recorded or running job's); null when the text does not parse. */
export function subsetChoiceOf(text: string | undefined): SubsetChoice | null {
  try {
    const spec = parseSubsetSyntax(text);
    if (spec.kind === 'random') return { ...DEFAULT_SUBSET_CHOICE, kind: spec.stratifyBySeason ? 'random-seasons' : 'random', n: spec.n };
    if (spec.kind === 'list') return { ...DEFAULT_SUBSET_CHOICE, kind: 'list', file: spec.file };
    return { ...DEFAULT_SUBSET_CHOICE, kind: spec.kind };
  } catch {
    return null;
  }
}

/** Problems of the number or file a choice needs, in the form's words; the job spec checks the rest. */
export function subsetChoiceProblems(choice: SubsetChoice): string[] {
  const needs = subsetNeeds(choice.kind);
  if (needs === 'n' && !(Number.isInteger(choice.n) && choice.n >= 1)) return [`the number of patches must be a whole number of at least 1, got ${Number.isFinite(choice.n) ? choice.n : 'nothing'}`];
  if (needs === 'file' && choice.file.trim() === '') return ['name the patch list file (.txt, .json or .pkl; relative to the data set folder)'];
  return [];
}
