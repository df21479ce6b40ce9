import { describe, expect, it } from 'vitest';
import { EXPORT_FORMATS } from '../../../../core/common/export/export-formats.js';
import { FORMATS, defaultDestination, exportedFiles } from '../../../../renderer/src/lib/export/destination.js';

describe('export destination', () => {
  it('offers every format the exporter writes', () => {
    expect([...FORMATS].sort()).toEqual([...EXPORT_FORMATS].sort());
  });

  it("defaults to <data dir>/exports/<job> with the data dir's own separator", () => {
    expect(defaultDestination('/home/u/.local/share/sen12ms-studio', 'job-1')).toBe('/home/u/.local/share/sen12ms-studio/exports/job-1');
    expect(defaultDestination('/data/', 'j')).toBe('/data/exports/j');
    expect(defaultDestination('C:\\Users\\u\\AppData\\sen12ms', 'j')).toBe('C:\\Users\\u\\AppData\\sen12ms\\exports\\j');
  });

  it('reads the files an export job reports, and nothing from other shapes', () => {
    expect(exportedFiles({ dir: '/x', files: ['model.json'], card: {} })).toEqual({ dir: '/x', files: ['model.json'] });
    expect(exportedFiles({ dir: '/x', files: [1] })).toBeNull();
    expect(exportedFiles(null)).toBeNull();
    expect(exportedFiles('done')).toBeNull();
  });
});
