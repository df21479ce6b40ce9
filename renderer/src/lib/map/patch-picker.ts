import { SIMPLIFIED_CLASSES } from '#common/dataset/labels.js';
import type { PatchSummary } from '#common/catalog/patch-types.js';

/** One row of the list a click shows where several footprints overlap. */
export interface PickChoice {
  id: string;
  season: string;
  /** The simplified class name the map colours the patch by: the user's label over the catalog's. */
  label: string;
}

/**
 * The patches under a click, by id, each once; ids without a summary (filtered out meanwhile)
 * are left out, so every row can be selected.
 */
export function pickChoices(
  ids: readonly string[],
  summaries: ReadonlyMap<string, Pick<PatchSummary, 'id' | 'season' | 'label'>>,
  annotatedLabels: Readonly<Record<string, { label?: number | null } | undefined>> = {},
): PickChoice[] {
  return [...new Set(ids)]
    .sort()
    .flatMap((id) => {
      const s = summaries.get(id);
      if (!s) return [];
      const label = annotatedLabels[id]?.label ?? s.label;
      return [{ id, season: s.season, label: SIMPLIFIED_CLASSES[label - 1] ?? String(label) }];
    });
}

/** Where the popup goes: at the click, kept inside the map (it opens up or left near an edge). */
export function pickerPosition(
  click: readonly [number, number],
  popup: { width: number; height: number },
  map: { width: number; height: number },
  margin = 8,
): { left: number; top: number } {
  const clamp = (v: number, max: number) => Math.max(margin, Math.min(v, max - margin));
  const left = click[0] + popup.width + margin > map.width ? click[0] - popup.width : click[0];
  const top = click[1] + popup.height + margin > map.height ? click[1] - popup.height : click[1];
  return { left: clamp(left, map.width - popup.width), top: clamp(top, map.height - popup.height) };
}
