/**
 * What a run is called in the Runs list: the name the user gave it, else a default from what it
 * trains (kind, strategy or input, depth), and the bounds of names and notes the service stores.
 */
import type { JobSpec } from './job-spec.js';

export const RUN_NAME_MAX = 120;
export const RUN_NOTES_MAX = 4000;

/** "pretrain · sensor-pairs · ResNet-10", "finetune · s2 · multi · ResNet-18", "evaluate", "export". */
export function defaultRunName(spec: Pick<JobSpec, 'kind' | 'options'>): string {
  const o = spec.options as { strategy?: unknown; input?: unknown; scheme?: unknown; depth?: unknown };
  const depth = typeof o.depth === 'number' ? `ResNet-${o.depth}` : undefined;
  const parts: unknown[] =
    spec.kind === 'pretrain' ? [o.strategy, depth] : spec.kind === 'finetune' ? [o.input, o.scheme, depth] : [];
  return [spec.kind, ...parts.filter((p): p is string => typeof p === 'string')].join(' · ');
}

/** The name shown: the user's when set (blank names fall back to the default). */
export function runName(spec: Pick<JobSpec, 'kind' | 'options'>, label: { name: string } | undefined): string {
  const given = label?.name.trim();
  return given ? given : defaultRunName(spec);
}
