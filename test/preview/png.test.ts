import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodePng } from '../../core/preview/png.js';
import { Rng } from '../../core/util/rng.js';

const pilAvailable = spawnSync('/usr/bin/python3', ['-c', 'import PIL'], { stdio: 'ignore' }).status === 0;

describe('encodePng', () => {
  const dir = mkdtempSync(join(tmpdir(), 'preview-png-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.skipIf(!pilAvailable)('decodes with Pillow to the same RGBA pixels, transparency included (needs /usr/bin/python3 with PIL)', () => {
    const rng = new Rng(3);
    for (const [width, height] of [
      [7, 5],
      [1, 1],
      [64, 3],
    ]) {
      const rgba = Uint8ClampedArray.from({ length: width * height * 4 }, () => rng.int(256));
      const file = join(dir, `${width}x${height}.png`);
      writeFileSync(file, encodePng(width, height, rgba));
      const out = spawnSync(
        '/usr/bin/python3',
        ['-c', 'import sys; from PIL import Image; im = Image.open(sys.argv[1]); im.load(); print(im.mode, im.size[0], im.size[1], im.tobytes().hex())', file],
        { encoding: 'utf8' },
      );
      expect(out.status, out.stderr).toBe(0);
      const [mode, w, h, hex] = out.stdout.trim().split(' ');
      expect([mode, Number(w), Number(h)]).toEqual(['RGBA', width, height]);
      expect(hex).toBe(Buffer.from(rgba).toString('hex'));
    }
  });

  it('starts with the PNG signature and an IHDR of the size, 8-bit RGBA', () => {
    const png = encodePng(300, 2, new Uint8Array(300 * 2 * 4));
    expect(Array.from(png.subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const view = new DataView(png.buffer, png.byteOffset);
    expect(Buffer.from(png.subarray(12, 16)).toString('latin1')).toBe('IHDR');
    expect([view.getUint32(16), view.getUint32(20), png[24], png[25]]).toEqual([300, 2, 8, 6]);
    expect(Buffer.from(png.subarray(png.length - 8, png.length - 4)).toString('latin1')).toBe('IEND');
  });

  it('refuses pixels that do not fit the size', () => {
    expect(() => encodePng(2, 2, new Uint8Array(15))).toThrow(/rgba: expected 16 bytes \(2x2x4\), got 15/);
    expect(() => encodePng(0, 2, new Uint8Array(0))).toThrow(/^width/);
  });
});
