/**
 * Draws build/icon.png, the app icon electron-builder turns into each platform's format: a
 * rounded tile holding a 4x4 mosaic of patches in the simplified land-cover colours, the way
 * the app shows a data set. Run `npx tsx build/make-icon.ts` after changing it; the PNG is
 * committed so packaging needs no drawing step.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { encodePng } from '../core/preview/png.js';
import { SIMPLIFIED_PALETTE, type Rgb } from '../core/common/preview/palettes.js';

/** macOS wants at least 512x512 to build its .icns. */
export const ICON_SIZE = 512;
const RADIUS = 96;
const MARGIN = 56;
const GAP = 12;
const GRID = 4;
const BACKGROUND: Rgb = [0x1d, 0x24, 0x33];
// A fixed arrangement (not random) so the file only changes when the design does.
const TILE_CLASSES = [0, 3, 5, 9, 2, 0, 6, 5, 3, 8, 0, 1, 9, 5, 4, 0];

/** Whether (x, y) lies inside the rounded square [0, size) with corner radius r. */
function insideRounded(x: number, y: number, size: number, r: number): boolean {
  const cx = Math.min(Math.max(x, r), size - 1 - r);
  const cy = Math.min(Math.max(y, r), size - 1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

export function drawIcon(): Uint8Array {
  const rgba = new Uint8Array(ICON_SIZE * ICON_SIZE * 4);
  const tile = (ICON_SIZE - 2 * MARGIN - (GRID - 1) * GAP) / GRID;
  for (let y = 0; y < ICON_SIZE; y++) {
    for (let x = 0; x < ICON_SIZE; x++) {
      if (!insideRounded(x, y, ICON_SIZE, RADIUS)) continue;
      let colour = BACKGROUND;
      const gx = (x - MARGIN) / (tile + GAP);
      const gy = (y - MARGIN) / (tile + GAP);
      const inTile = gx >= 0 && gy >= 0 && gx < GRID && gy < GRID && (x - MARGIN) % (tile + GAP) < tile && (y - MARGIN) % (tile + GAP) < tile;
      if (inTile) colour = SIMPLIFIED_PALETTE[TILE_CLASSES[Math.floor(gy) * GRID + Math.floor(gx)]];
      rgba.set([...colour, 255], (y * ICON_SIZE + x) * 4);
    }
  }
  return encodePng(ICON_SIZE, ICON_SIZE, rgba);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(fileURLToPath(new URL('./icon.png', import.meta.url)), drawIcon());
}
