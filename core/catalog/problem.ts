import { patchRelPath, type PatchRef, type Sensor } from '../common/dataset/names.js';

/**
 * The reason for a patch file whose partners are missing: every missing partner and what became
 * of the patch in one sentence, so an incomplete patch reads as one problem, never as several
 * that each tell part of the story. E.g. "orphan S2 patch with no S1 or LC partner
 * (… and … are missing): not catalogued, no labels".
 */
export function missingPartnersReason(ref: PatchRef, sensor: Sensor, missing: Sensor[], outcome: string): string {
  const names = missing.map((s) => s.toUpperCase()).join(' or ');
  const paths = missing.map((s) => patchRelPath(ref, s));
  // With both partners gone the file stands alone: "orphan" is the word a person searches for.
  const what = `${missing.length === 2 ? 'orphan ' : ''}${sensor.toUpperCase()} patch with no ${names} partner`;
  return `${what} (${paths.join(' and ')} ${paths.length === 1 ? 'is' : 'are'} missing): ${outcome}`;
}
