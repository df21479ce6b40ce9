import { describe, expect, it } from 'vitest';
import { changedPatches, checkAnnotationChange, describeChange, MAX_BATCH_ITEMS, type AppliedChange } from '../../../core/common/annotations/annotation-changes.js';

const P = 'ROIs1970_fall_55_p12';
const ring = [[10, 45], [11, 45], [11, 46], [10, 45]];

function message(value: unknown): string {
  try {
    checkAnnotationChange(value);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected the change to be refused');
}

describe('checkAnnotationChange', () => {
  it('accepts each kind of change and returns it unchanged', () => {
    const changes = [
      { kind: 'patch', patch: P, set: { label: 10, labels: [1, 4, 10], noisy: false, note: 'ok' } },
      { kind: 'patch', patch: P, set: { label: null, labels: null, note: null } },
      { kind: 'region', region: { id: 'a', name: 'A', geometry: { type: 'Polygon', coordinates: [ring] } } },
      { kind: 'region', region: { id: 'b', name: 'B', geometry: { type: 'MultiPolygon', coordinates: [[ring], [ring]] } } },
      { kind: 'deleteRegion', id: 'a' },
      { kind: 'patches', patches: [P, 'ROIs2017_winter_7_p3'], set: { label: 4, noisy: true, note: 'burnt' } },
    ];
    for (const change of changes) expect(checkAnnotationChange(change)).toEqual(change);
  });

  it('names the field of every problem in a patch change', () => {
    expect(message({ kind: 'relabel' })).toMatch(/^invalid annotation change: kind: must be one of "patch", "patches", "region", "deleteRegion", got "relabel"/);
    expect(message(null)).toMatch(/kind: must be one of .* got nothing/);
    expect(message({ kind: 'patch', patch: 'ROIs1158_spring_s2_1_p1.tif', set: { noisy: true } })).toMatch(/patch: not a SEN12MS patch id/);
    expect(message({ kind: 'patch', patch: P, set: { label: 0 } })).toMatch(/set\.label: must be >= 1, got 0/);
    expect(message({ kind: 'patch', patch: P, set: { label: 2.5 } })).toMatch(/set\.label: must be an integer/);
    expect(message({ kind: 'patch', patch: P, set: { labels: [3, 11] } })).toMatch(/set\.labels\[1\]: must be <= 10, got 11/);
    expect(message({ kind: 'patch', patch: P, set: { labels: [4, 2] } })).toMatch(/set\.labels: must be ascending without repeats, got \[4,2\]/);
    expect(message({ kind: 'patch', patch: P, set: { labels: [2, 2] } })).toMatch(/set\.labels: must be ascending/);
    expect(message({ kind: 'patch', patch: P, set: { noisy: 'yes' } })).toMatch(/set\.noisy: must be true or false/);
    expect(message({ kind: 'patch', patch: P, set: { colour: 'red' } })).toMatch(/set\.colour: is not a known field/);
    expect(message({ kind: 'patch', patch: P, set: {} })).toMatch(/set: names no field to change/);
    expect(message({ kind: 'patch', set: { noisy: true } })).toMatch(/patch: is missing/);
  });

  it('names the field of a bad region, down to the ring position', () => {
    const region = (geometry: unknown, extra = {}) => ({ kind: 'region', region: { id: 'r', name: 'R', geometry, ...extra } });
    expect(message(region({ type: 'Point', coordinates: [1, 2] }))).toMatch(/region\.geometry\.type: must be one of "Polygon", "MultiPolygon"/);
    expect(message(region({ type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1]]] }))).toMatch(
      /region\.geometry\.coordinates\[0\]: ring is not closed/,
    );
    expect(message(region({ type: 'Polygon', coordinates: [[[0, 0], [500000, 0], [1, 1], [0, 0]]] }))).toMatch(
      /region\.geometry\.coordinates\[0\]\[1\]: longitude 500000 outside/,
    );
    expect(message(region({ type: 'Polygon', coordinates: [ring] }, { name: '' }))).toMatch(/region\.name: must not be shorter than 1/);
    expect(message({ kind: 'deleteRegion' })).toMatch(/id: is missing/);
  });
});

describe('a batch of patches', () => {
  const ids = (n: number) => Array.from({ length: n }, (_, i) => `ROIs1970_fall_55_p${i + 1}`);

  it('is bounded, and names each bad id by its position', () => {
    expect(checkAnnotationChange({ kind: 'patches', patches: ids(MAX_BATCH_ITEMS), set: { label: 1 } })).toMatchObject({ kind: 'patches' });
    expect(message({ kind: 'patches', patches: ids(MAX_BATCH_ITEMS + 1), set: { label: 1 } })).toMatch(
      new RegExp(`patches: allows at most ${MAX_BATCH_ITEMS} items, has ${MAX_BATCH_ITEMS + 1}`),
    );
    expect(message({ kind: 'patches', patches: [], set: { label: 1 } })).toMatch(/patches: /);
    expect(message({ kind: 'patches', patches: [P, 'nope'], set: { label: 1 } })).toMatch(/patches\[1\]: not a SEN12MS patch id/);
    expect(message({ kind: 'patches', patches: [P, P], set: { label: 1 } })).toMatch(/patches\[1\]: repeats an earlier patch/);
    expect(message({ kind: 'patches', patches: [P], set: { label: 11 } })).toMatch(/set\.label: must be <= 10, got 11/);
    expect(message({ kind: 'patches', patches: [P], set: {} })).toMatch(/set: names no field to change/);
    // thousands of bad ids answer with a short message, not one line each
    const bad = message({ kind: 'patches', patches: Array.from({ length: 100 }, (_, i) => `x${i}`), set: { label: 1 } });
    expect(bad).toMatch(/and 95 more/);
    expect(bad.length).toBeLessThan(1000);
  });

  it('says what a step changed: its patches, by name for one, by count for many', () => {
    const patch = (key: string) => ({ target: 'patch' as const, key, state: null });
    const step = (items: AppliedChange['items']): AppliedChange => ({ ...items[0], eventId: 1, items });
    expect(changedPatches(step([patch(P), patch('ROIs2017_winter_7_p3')]))).toEqual([P, 'ROIs2017_winter_7_p3']);
    expect(describeChange(step([patch(P)]))).toBe(P);
    expect(describeChange(step(ids(1200).map(patch)))).toBe('1,200 patches');
    const region = { target: 'region' as const, key: 'r', state: { id: 'r', name: 'Lake', geometry: { type: 'Polygon' as const, coordinates: [ring] } } };
    expect(describeChange(step([region]))).toBe('region Lake');
    expect(changedPatches(step([region, region]))).toEqual([]);
    expect(describeChange(step([region, region]))).toBe('2 regions');
  });
});
