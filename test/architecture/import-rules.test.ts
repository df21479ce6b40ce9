import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importOrder, importViolations, readmeProblems, sourceFiles, specifiers } from './import-rules.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ORDER = importOrder(readFileSync(`${ROOT}/docs/architecture.md`, 'utf8'));

describe('the source follows the import rules of docs/architecture.md', () => {
  const files = sourceFiles(ROOT);

  it('reads the whole tree and the folder order', () => {
    expect(files.filter((f) => f.path.startsWith('core/common/')).length).toBeGreaterThan(30);
    expect(files.filter((f) => f.path.startsWith('renderer/src/')).length).toBeGreaterThan(30);
    expect(ORDER.slice(0, 2)).toEqual(['common', 'util']);
  });

  it('core/common stays browser-safe, the renderer reaches core only through #common/, no folder imports a later one', () => {
    expect(importViolations(files, ORDER)).toEqual([]);
  });

  it("each core folder's README lists what the folder holds", () => {
    expect(readmeProblems(ROOT)).toEqual([]);
  });
});

describe('the rules catch what they forbid', () => {
  const order = ['common', 'util', 'dataset', 'training'];
  const check = (path: string, text: string) => importViolations([{ path, text }], order);

  it('a Node module, a package, an outside file or a Node global in core/common', () => {
    expect(check('core/common/a.ts', "import { join } from 'node:path';")).toEqual([
      "core/common/a.ts imports 'node:path': core/common imports only core/common",
      "core/common/a.ts imports the Node module 'node:path'",
    ]);
    expect(check('core/common/a.ts', "import type { Tensor } from '@tensorflow/tfjs-core';")).toHaveLength(1);
    expect(check('core/common/x/a.ts', "export { f } from '../../util/f.js';")).toHaveLength(1);
    expect(check('core/common/a.ts', 'const b = Buffer.from([]);')).toEqual(['core/common/a.ts uses the Node global Buffer']);
    expect(check('core/common/x/a.ts', "import { f } from '../y/f.js';")).toEqual([]);
  });

  it('a renderer import of core outside #common/', () => {
    expect(check('renderer/src/lib/a.ts', "import type { X } from '../../../core/jobs/job-runner.js';")).toHaveLength(1);
    expect(check('renderer/src/lib/a.svelte', "  import { X } from '#core/jobs/x.js';")).toHaveLength(1);
    expect(check('renderer/src/lib/a.ts', "import { X } from '#common/api/contract.js';")).toEqual([]);
  });

  it('an import of a later folder, and a folder the order does not place', () => {
    expect(check('core/dataset/a.ts', "import { t } from '../training/t.js';")).toEqual([
      "core/dataset/a.ts imports '../training/t.js': dataset/ comes before training/ in the data path",
    ]);
    expect(check('core/training/a.ts', "const w = new URL('../dataset/w.js', import.meta.url);")).toEqual([]);
    expect(check('core/extra/a.ts', "import { t } from '../util/t.js';")).toEqual(['core/extra/ is not in the import order of docs/architecture.md']);
    expect(check('core/util/a.ts', "import { e } from '../../electron/main.js';")).toHaveLength(1);
  });

  it('sees every form of import', () => {
    const text = "import a from './a.js';\nexport * from './b.js';\nimport './c.js';\nawait import('./d.js');\nnew URL('./e.js', import.meta.url);";
    expect(specifiers(text)).toEqual(['./a.js', './b.js', './c.js', './d.js', './e.js']);
  });
});
