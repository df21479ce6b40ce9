/**
 * The data sets the user has opened: each indexed into its catalog (re-indexing skips unchanged
 * files, so opening again is cheap), remembered in the settings so the list survives a restart,
 * and known to clients by a stable id (a digest of the absolute folder, so no path has to travel
 * in a URL).
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { Annotations } from '../app-db/annotations.js';
import type { AppDb } from '../app-db/schema.js';
import { getSetting, setSetting } from '../app-db/settings.js';
import { index } from '../catalog/indexer.js';
import { defaultCatalogPath } from '../catalog/location.js';
import { openCatalogForRead, type Db } from '../catalog/schema.js';
import { summarizeCatalog } from '../catalog/summary.js';
import { sha256 } from '../util/atomic-write.js';
import type { DatasetInfo } from '../common/api/contract.js';
import { ServiceError } from '../common/api/service-error.js';
import { holdsScenes, notADataset } from './confinement.js';

export interface OpenDataset {
  id: string;
  dir: string;
  catalogPath: string;
  /** Read-only handle: every query of the app goes through it. */
  catalog: Db;
  annotations: Annotations;
}

export function datasetId(dir: string): string {
  return sha256(path.resolve(dir)).slice(0, 12);
}

export interface DatasetRegistryOptions {
  appDb: AppDb;
  /** The embedded sample's folder, so its info can say so. */
  sampleDir?: string;
  onIndexProgress?(dataset: string, done: number, total: number): void;
}

export class DatasetRegistry {
  private readonly open = new Map<string, OpenDataset>();
  /** Index runs in flight per id: a second open of the same folder waits for the first. */
  private readonly indexing = new Map<string, Promise<OpenDataset>>();

  constructor(private readonly opts: DatasetRegistryOptions) {}

  /** Indexes `dir` (validated: an existing folder holding SEN12MS scenes) and remembers it. */
  async openDir(dir: string): Promise<OpenDataset> {
    if (!path.isAbsolute(dir)) throw new ServiceError('invalid-params', `params.dir: must be an absolute folder, got ${JSON.stringify(dir)}`);
    const abs = path.resolve(dir);
    const info = await stat(abs).catch(() => null);
    if (!info) throw new ServiceError('not-found', `${abs}: no such folder`);
    if (!info.isDirectory()) throw new ServiceError('invalid-params', `${abs}: not a folder`);
    // Only a SEN12MS folder: the data set list is what the file routes are confined to.
    if (!(await holdsScenes(abs))) throw notADataset(abs);
    const id = datasetId(abs);
    let pending = this.indexing.get(id);
    if (!pending) {
      pending = this.indexDir(id, abs).finally(() => this.indexing.delete(id));
      this.indexing.set(id, pending);
    }
    const entry = await pending;
    this.remember(abs);
    return entry;
  }

  /** Indexes an opened data set again (files added, changed or removed since). */
  async reindex(id: string): Promise<OpenDataset> {
    return this.openDir(this.get(id).dir);
  }

  /** An opened data set, reopened from its catalog after a restart; 'not-found' otherwise. */
  get(id: string): OpenDataset {
    const entry = this.open.get(id);
    if (entry) return entry;
    const dir = getSetting(this.opts.appDb, 'datasets').find((d) => datasetId(d) === id);
    if (dir === undefined) throw new ServiceError('not-found', `data set ${JSON.stringify(id)} is not open (datasets.open it first)`);
    const catalogPath = defaultCatalogPath(dir);
    let catalog: Db;
    try {
      catalog = openCatalogForRead(catalogPath);
    } catch (err) {
      throw new ServiceError('not-found', `data set ${dir}: ${(err as Error).message}; open it again to index it`);
    }
    return this.keep({ id, dir, catalogPath, catalog, annotations: new Annotations(this.opts.appDb, dir) });
  }

  /** Every remembered data set whose catalog can be opened; one that cannot is left out of the list, not forgotten. */
  list(): OpenDataset[] {
    const entries: OpenDataset[] = [];
    for (const dir of getSetting(this.opts.appDb, 'datasets')) {
      try {
        entries.push(this.get(datasetId(dir)));
      } catch {
        // its catalog is gone (cache cleared): datasets.open indexes it again
      }
    }
    return entries;
  }

  info(entry: OpenDataset): DatasetInfo {
    const summary = summarizeCatalog(entry.catalog);
    const box = entry.catalog
      .prepare('SELECT min(min_lon) AS a, min(min_lat) AS b, max(max_lon) AS c, max(max_lat) AS d FROM patches')
      .get() as { a: number | null; b: number | null; c: number | null; d: number | null };
    return {
      id: entry.id,
      dir: entry.dir,
      name: path.basename(entry.dir),
      catalog: entry.catalogPath,
      triplets: summary.triplets,
      patches: summary.patches,
      problems: summary.problems,
      bbox: box.a === null ? null : [box.a, box.b!, box.c!, box.d!],
      sample: this.opts.sampleDir !== undefined && path.resolve(this.opts.sampleDir) === entry.dir,
    };
  }

  close(): void {
    for (const entry of this.open.values()) entry.catalog.close();
    this.open.clear();
  }

  private async indexDir(id: string, dir: string): Promise<OpenDataset> {
    const result = await index(dir, { onProgress: (done, total) => this.opts.onIndexProgress?.(id, done, total) });
    // A fresh read handle: the old one may predate a catalog rebuilt from scratch.
    this.open.get(id)?.catalog.close();
    this.open.delete(id);
    return this.keep({ id, dir, catalogPath: result.db, catalog: openCatalogForRead(result.db), annotations: new Annotations(this.opts.appDb, dir) });
  }

  private keep(entry: OpenDataset): OpenDataset {
    this.open.set(entry.id, entry);
    return entry;
  }

  private remember(dir: string): void {
    const known = getSetting(this.opts.appDb, 'datasets');
    if (!known.includes(dir)) setSetting(this.opts.appDb, 'datasets', [...known, dir]);
    setSetting(this.opts.appDb, 'lastDataset', dir);
  }
}
