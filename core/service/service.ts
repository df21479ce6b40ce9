/**
 * The app's service: every method of the contract over the data sets, the app database and the
 * job manager. Calls arrive untyped from a transport, are checked against the method's schema
 * (and the nested documents against their own validators) and only then reach a handler.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { exportAnnotationsGeoJson } from '../app-db/annotations-geojson.js';
import { openAppDb, type AppDb } from '../app-db/schema.js';
import { allSettings, setSetting } from '../app-db/settings.js';
import { CatalogQueryError, type CatalogQuery } from '../common/catalog/query-spec.js';
import { classCounts, listProblems, queryPatches } from '../catalog/query.js';
import { DEFAULT_PAGE_LIMIT } from '../common/catalog/query-spec.js';
import { JOB_ID_PATTERN, JobManager, JobReferenceError } from '../jobs/job-manager.js';
import type { JobProcessFactory } from '../jobs/job-process.js';
import { ensureSample, sampleDirectory } from '../synth/sample.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { schemaErrors } from '../common/util/json-schema.js';
import { packageVersion } from '../util/package-root.js';
import { validateJobSpec, type JobSpec } from '../common/jobs/job-spec.js';
import { DatasetFileError } from '../common/util/file-error.js';
import { expectedTrainingBackend } from '../backend/expected-backend.js';
import { estimateJob } from './job-estimate.js';
import { API_VERSION, type AnnotationFilter, type EventListener, type Method, type Params, type Result, type StudioEvent } from '../common/api/contract.js';
import { DatasetRegistry, type OpenDataset } from './datasets.js';
import { DecodePool } from '../dataset/tiff/pool.js';
import { METHOD_SCHEMAS } from '../common/api/method-schemas.js';
import { bandArrays, patchView, readSensor } from './patch-data.js';
import { renderPreview } from './patch-preview.js';
import { regionsFromGeoJsonText } from './region-import.js';
import { evaluationOf, evaluationSummaries, predictionsOf } from './results.js';
import { runCheckpoints } from './run-checkpoints.js';
import { runMetrics } from './run-metrics.js';
import { runLabels, setRunLabel } from '../app-db/run-labels.js';
import { ServiceError, storageFailure } from '../common/api/service-error.js';
import { confinedPath, listedRaster } from './confinement.js';
import { exportedFolder } from './exported-folder.js';
import type { ExportedFolder, ServiceHost } from './service-host.js';

export interface StudioServiceOptions {
  /** Where the app database, runs, exports and job logs live. */
  dataDir: string;
  mode: 'desktop' | 'server';
  createJobProcess: JobProcessFactory;
  /** Where the embedded sample is generated (default: the user cache folder). */
  sampleCacheDir?: string;
  /** Folders export jobs may write to besides `<dataDir>/exports` (server mode's --exports-dir). */
  exportRoots?: string[];
}

type Handlers = { [M in Method]: (params: Params<M>) => Promise<Result<M>> | Result<M> };

/** Runs a validator of a nested document, turning its complaint into an 'invalid-params' refusal. */
function checked<T>(validate: () => T): T {
  try {
    return validate();
  } catch (err) {
    // A full disk or a failing database is the server's trouble, not the request's (errorData: 'storage').
    if (err instanceof ServiceError || storageFailure(err) !== null) throw err;
    throw new ServiceError('invalid-params', (err as Error).message);
  }
}

export class StudioService implements ServiceHost {
  private readonly listeners = new Set<EventListener>();
  private readonly handlers: Handlers;
  /** Decodes patch.bands and patch.preview rasters off the service's thread; workers start at first use. */
  private readonly decodePool = new DecodePool();
  /** Where export jobs may write: `<dataDir>/exports`, --exports-dir, folders picked in a native dialog. */
  private readonly exportRoots: string[];
  private closed = false;

  private constructor(
    private readonly opts: StudioServiceOptions,
    private readonly appDb: AppDb,
    private readonly datasets: DatasetRegistry,
    private readonly jobs: JobManager,
    private readonly sampleDir: () => Promise<string>,
  ) {
    this.handlers = this.makeHandlers();
    this.exportRoots = [path.join(opts.dataDir, 'exports'), ...(opts.exportRoots ?? []).map((d) => path.resolve(d))];
    jobs.onEvent((e) => this.emit(e.type === 'job.state' ? { type: 'job.state', job: e.job } : { type: 'job.progress', id: e.id, progress: e.progress }));
  }

  static async create(opts: StudioServiceOptions): Promise<StudioService> {
    const dataDir = path.resolve(opts.dataDir);
    await mkdir(dataDir, { recursive: true });
    const appDb = openAppDb(path.join(dataDir, 'app.sqlite'));
    const emitter: { emit?: (e: StudioEvent) => void } = {};
    const sampleFolder = () => ensureSample({ cacheDir: opts.sampleCacheDir });
    const datasets = new DatasetRegistry({
      appDb,
      sampleDir: sampleDirectory({ cacheDir: opts.sampleCacheDir }),
      onIndexProgress: (dataset, done, total) => emitter.emit?.({ type: 'dataset.index', dataset, done, total }),
    });
    const jobs = new JobManager({
      db: appDb,
      runsDir: path.join(dataDir, 'runs'),
      jobsDir: path.join(dataDir, 'jobs'),
      createProcess: opts.createJobProcess,
    });
    const service = new StudioService({ ...opts, dataDir }, appDb, datasets, jobs, sampleFolder);
    emitter.emit = (e) => service.emit(e);
    return service;
  }

  async call(method: string, params: unknown): Promise<unknown> {
    if (this.closed) throw new ServiceError('conflict', 'the service is shutting down');
    if (!Object.hasOwn(METHOD_SCHEMAS, method)) throw new ServiceError('unknown-method', `unknown method ${JSON.stringify(method)}`);
    const m = method as Method;
    const errors = schemaErrors(METHOD_SCHEMAS[m], params ?? {}, 'params');
    if (errors.length > 0) throw new ServiceError('invalid-params', `${method}: ${errors.join('; ')}`);
    const handler = this.handlers[m] as (p: unknown) => Promise<unknown> | unknown;
    return handler(params ?? {});
  }

  onEvent(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Lets export jobs write under `dir` too: a folder the user picked in the desktop's native dialog. */
  allowExportRoot(dir: string): void {
    const abs = path.resolve(dir);
    if (!this.exportRoots.includes(abs)) this.exportRoots.push(abs);
  }

  async resolveFile(dataset: string, relPath: string): Promise<string> {
    const entry = this.datasets.get(dataset);
    if (relPath.includes('\0') || path.isAbsolute(relPath) || path.win32.isAbsolute(relPath)) {
      throw new ServiceError('forbidden', `${JSON.stringify(relPath)} is not a path inside the data set`);
    }
    const root = await realpath(entry.dir);
    const inside = (p: string) => {
      const rel = path.relative(root, p);
      return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
    };
    // Checked before and after resolving links: `..` is refused even when its target would exist.
    if (!inside(path.resolve(root, relPath))) throw new ServiceError('forbidden', `${JSON.stringify(relPath)} is outside the data set`);
    // Only the rasters the catalog lists, never anything else the folder holds.
    const rel = path.relative(root, path.resolve(root, relPath)).split(path.sep).join('/');
    if (!listedRaster(entry.catalog, rel)) throw new ServiceError('not-found', `${relPath}: not a raster file of the data set's catalog`);
    let real: string;
    try {
      real = await realpath(path.resolve(root, relPath));
    } catch {
      throw new ServiceError('not-found', `${relPath}: no such file in the data set`);
    }
    if (!inside(real)) throw new ServiceError('forbidden', `${JSON.stringify(relPath)} leads outside the data set`);
    if (!(await stat(real)).isFile()) throw new ServiceError('not-found', `${relPath}: not a file`);
    return real;
  }

  exportedFolder(job: string): Promise<ExportedFolder> {
    return exportedFolder(this.jobs.get(job), job);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.jobs.close();
    await this.decodePool.close();
    this.datasets.close();
    this.appDb.close();
    this.listeners.clear();
  }

  private emit(event: StudioEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // one broken subscriber (a closed socket) must not keep the event from the others
      }
    }
  }

  /** The query a catalog call runs: the user's query narrowed by the annotation filter. */
  private catalogQuery(entry: OpenDataset, query: CatalogQuery, filter: AnnotationFilter | undefined): CatalogQuery {
    if (filter === undefined) return query;
    const annotated = entry.annotations.patches().filter((a) => filter !== 'noisy' || a.noisy).map((a) => a.id);
    if (filter === 'unannotated') return { ...query, excludeIds: [...(query.excludeIds ?? []), ...annotated] };
    const keep = new Set(annotated);
    const ids = query.ids ? query.ids.filter((id) => keep.has(id)) : annotated;
    return { ...query, ids };
  }

  private inCatalog<T>(run: () => T): T {
    try {
      return run();
    } catch (err) {
      if (err instanceof CatalogQueryError) throw new ServiceError('invalid-params', err.message);
      throw err;
    }
  }

  private async jobSpec({ dataset, ...request }: Params<'jobs.start'>): Promise<JobSpec> {
    const entry = this.datasets.get(dataset);
    const catalog = entry.catalogPath;
    // Files the job reads or writes, confined (relative ones taken from the data set or exports folder).
    const readable = (file: string, field: string) => confinedPath(file, entry.dir, [entry.dir, this.opts.dataDir], field);
    if (request.kind === 'export') {
      const dest = await confinedPath(request.options.dest, this.exportRoots[0], this.exportRoots, 'params.options.dest');
      return { ...request, catalog, options: { ...request.options, run: await this.modelPath(request.options.run, 'params.options.run'), dest } };
    }
    if (request.kind !== 'evaluate') {
      const { subset } = request.options;
      const pretrained = request.kind === 'finetune' && request.options.pretrained !== undefined ? { pretrained: await this.modelPath(request.options.pretrained, 'params.options.pretrained') } : {};
      const list = subset !== undefined && /^list:./.test(subset) ? { subset: `list:${await readable(subset.slice(5), 'params.options.subset')}` } : {};
      // The app's retention setting, recorded in the run's config.json, unless the request names one.
      const keepCheckpoints = request.options.keepCheckpoints ?? allSettings(this.appDb).keepCheckpoints;
      return { ...request, catalog, options: { ...request.options, ...pretrained, ...list, keepCheckpoints } } as JobSpec;
    }
    const { by: asked, model, ...options } = request.options;
    const by =
      asked === 'regions'
        ? { regions: await this.drawnRegions(entry) }
        : typeof asked === 'object'
          ? { regions: await readable(asked.regions, 'params.options.by.regions') }
          : asked;
    // Every evaluation keeps its per-patch predictions, so the map can colour patches by them.
    const predictions = path.join(this.opts.dataDir, 'predictions', `${entry.id}-${randomUUID()}.csv`);
    await mkdir(path.dirname(predictions), { recursive: true });
    return { kind: 'evaluate', catalog, options: { ...options, model: await this.modelPath(model, 'params.options.model'), ...(by === undefined ? {} : { by }), predictions } };
  }

  /**
   * A run or exported model a job or method reads: a job id (the job manager resolves it to a
   * folder the app made), else a path inside the app's data folder or an export root.
   */
  private async modelPath(value: string, field: string): Promise<string> {
    if (JOB_ID_PATTERN.test(value)) return value;
    return confinedPath(value, this.opts.dataDir, [this.opts.dataDir, ...this.exportRoots], field);
  }

  /** The regions drawn on a data set, written as the GeoJSON file an evaluation reads; returns its path. */
  private async drawnRegions(entry: OpenDataset): Promise<string> {
    const file = path.join(this.opts.dataDir, 'regions', `${entry.id}.geojson`);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFileAtomic(file, JSON.stringify(exportAnnotationsGeoJson(entry.annotations)));
    return file;
  }

  /** A run directory given as a path or as the id of a completed pretrain or finetune job, as export's `run` option takes it. */
  private runDirectory(run: string): string {
    try {
      return this.jobs.resolveDirectory(run, ['pretrain', 'finetune']);
    } catch (err) {
      if (err instanceof JobReferenceError) throw new ServiceError(err.reason === 'no-job' ? 'not-found' : 'invalid-params', `params.run: ${err.message}`);
      throw err;
    }
  }

  /**
   * The run behind `runs.metrics`: a pretrain or finetune job in any state (a running one too;
   * null before it has a folder), else a run folder confined like runs.checkpoints'.
   */
  private async metricsRun(run: string): Promise<string | null> {
    if (!JOB_ID_PATTERN.test(run)) return this.runDirectory(await this.modelPath(run, 'params.run'));
    const job = this.jobs.get(run);
    if (!job) throw new ServiceError('not-found', `params.run: no job "${run}"`);
    if (job.kind !== 'pretrain' && job.kind !== 'finetune') throw new ServiceError('invalid-params', `params.run: job ${run} is a ${job.kind} job; expected a pretrain or finetune job`);
    return job.runDir;
  }

  private makeHandlers(): Handlers {
    const ds = (id: string) => this.datasets.get(id);
    const annotationChange = (dataset: string, change: ReturnType<OpenDataset['annotations']['undo']>) => {
      if (change) this.emit({ type: 'annotations.changed', dataset, change });
      return change;
    };
    return {
      'app.info': () => ({ apiVersion: API_VERSION, version: packageVersion(), mode: this.opts.mode, dataDir: this.opts.dataDir }),
      'datasets.open': async (p) => this.datasets.info(await this.datasets.openDir(p.dir)),
      'datasets.openSample': async () => this.datasets.info(await this.datasets.openDir(await this.sampleDir())),
      'datasets.index': async (p) => this.datasets.info(await this.datasets.reindex(p.dataset)),
      'datasets.list': () => this.datasets.list().map((e) => this.datasets.info(e)),
      'catalog.query': (p) => {
        const entry = ds(p.dataset);
        return this.inCatalog(() => queryPatches(entry.catalog, this.catalogQuery(entry, p.query, p.annotation)));
      },
      'catalog.classCounts': (p) => {
        const entry = ds(p.dataset);
        return this.inCatalog(() => classCounts(entry.catalog, this.catalogQuery(entry, p.query, p.annotation)));
      },
      'catalog.problems': (p) => {
        const entry = ds(p.dataset);
        return this.inCatalog(() => listProblems(entry.catalog, p.page ?? { offset: 0, limit: DEFAULT_PAGE_LIMIT }));
      },
      'patch.get': (p) => this.inCatalog(() => patchView(ds(p.dataset), p.id)),
      'patch.bands': async (p) => bandArrays(p.id, p.sensor, await this.inCatalog(() => readSensor(ds(p.dataset), p.id, p.sensor, this.decodePool))),
      'patch.preview': (p) => renderPreview(ds(p.dataset), p, this.decodePool),
      'annotations.get': (p) => {
        const a = ds(p.dataset).annotations;
        return { patches: a.patches(), regions: a.regions(), canUndo: a.canUndo(), canRedo: a.canRedo() };
      },
      'annotations.apply': (p) => {
        const entry = ds(p.dataset);
        return annotationChange(p.dataset, checked(() => entry.annotations.apply(p.change)))!;
      },
      'annotations.undo': (p) => annotationChange(p.dataset, ds(p.dataset).annotations.undo()),
      'annotations.redo': (p) => annotationChange(p.dataset, ds(p.dataset).annotations.redo()),
      'annotations.importRegions': (p) => {
        const entry = ds(p.dataset);
        return annotationChange(p.dataset, checked(() => entry.annotations.addRegions(regionsFromGeoJsonText(p.text, p.name))))!;
      },
      'annotations.exportGeojson': (p) => {
        const entry = ds(p.dataset);
        return exportAnnotationsGeoJson(entry.annotations, entry.catalog);
      },
      'jobs.start': async (p) => {
        const spec = await this.jobSpec(p);
        return checked(() => this.jobs.start(spec));
      },
      'jobs.estimate': async (p) => {
        const spec = (await this.jobSpec(p)) as Extract<JobSpec, { kind: 'pretrain' | 'finetune' }>;
        checked(() => validateJobSpec(spec));
        const backend = await expectedTrainingBackend(spec.options.backend);
        // A list file that does not read is the request's fault, named as the selection reader names it.
        return estimateJob(spec, this.jobs.list(), backend).catch((err: unknown) => {
          if (err instanceof DatasetFileError || err instanceof CatalogQueryError) throw new ServiceError('invalid-params', `params.options.subset: ${err.message}`);
          throw err;
        });
      },
      'jobs.cancel': (p) => checked(() => this.jobs.cancel(p.id)),
      'jobs.resume': (p) => checked(() => this.jobs.resume(p.id)),
      'jobs.list': () => this.jobs.list(),
      'jobs.log': async (p) => ({ lines: await this.jobs.log(p.id, { tail: p.tail }) }),
      'runs.checkpoints': async (p) => runCheckpoints(this.runDirectory(await this.modelPath(p.run, 'params.run'))),
      'runs.metrics': async (p) => {
        const dir = await this.metricsRun(p.run);
        return dir === null ? { run: null, points: [], steps: 0 } : runMetrics(dir);
      },
      'runs.labels': () => runLabels(this.appDb),
      'runs.setLabel': (p) => {
        if (!this.jobs.get(p.job)) throw new ServiceError('not-found', `params.job: no job "${p.job}"`);
        return checked(() => setRunLabel(this.appDb, p.job, p.name, p.notes));
      },
      'results.list': (p) => evaluationSummaries(this.jobs, p.dataset === undefined ? undefined : ds(p.dataset)),
      'results.get': (p) => evaluationOf(this.jobs, p.job),
      'results.predictions': async (p) => ({ patches: await predictionsOf(this.jobs, p.job) }),
      'settings.get': () => allSettings(this.appDb),
      'settings.set': (p) => {
        // The data set list is what file access is confined to: only datasets.open may grow it.
        if (p.key === 'datasets' || p.key === 'lastDataset') {
          throw new ServiceError('invalid-params', `params.key: ${p.key} is kept by the app (datasets.open changes it)`);
        }
        checked(() => setSetting(this.appDb, p.key, p.value));
        return allSettings(this.appDb);
      },
    };
  }
}

export function createStudioService(opts: StudioServiceOptions): Promise<StudioService> {
  return StudioService.create(opts);
}
