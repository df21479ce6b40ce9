import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultCatalogPath } from '../../core/catalog/location.js';

describe('defaultCatalogPath', () => {
  const env = { SEN12MS_STUDIO_CACHE: '/cache' };

  it('puts the catalog in the cache folder, not in the data set', () => {
    expect(defaultCatalogPath('/data/SEN12MS', { XDG_CACHE_HOME: '/xdg' }).startsWith(path.join('/xdg', 'sen12ms-studio', 'catalogs'))).toBe(true);
    const db = defaultCatalogPath('/data/SEN12MS', env);
    expect(path.dirname(path.dirname(db))).toBe(path.resolve('/cache'));
    expect(db.startsWith('/data/')).toBe(false);
    expect(path.basename(db)).toMatch(/^SEN12MS-[0-9a-f]{16}\.sqlite$/);
  });

  it('is the same for the same folder however it is written, and differs between folders', () => {
    expect(defaultCatalogPath('/data/SEN12MS/', env)).toBe(defaultCatalogPath('/data/./SEN12MS', env));
    expect(defaultCatalogPath('/data/SEN12MS', env)).not.toBe(defaultCatalogPath('/other/SEN12MS', env));
  });
});
