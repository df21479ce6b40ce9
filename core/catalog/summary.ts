/** Counts a person wants to see after indexing: per season and split, and per class. */
import { classCounts } from './query.js';
import type { Db } from './schema.js';

export interface CatalogSummary {
  patches: number;
  triplets: number;
  problems: number;
  /** Patches per season and split, seasons in SEN12MS order. */
  bySeason: { season: string; train: number; test: number }[];
  /** Patches per simplified single label (1..10), with its name; classes with no patch included. */
  byLabel: { label: number; name: string; count: number }[];
}

const SEASON_ORDER = "CASE season WHEN 'spring' THEN 1 WHEN 'summer' THEN 2 WHEN 'fall' THEN 3 WHEN 'winter' THEN 4 ELSE 5 END";

export function summarizeCatalog(db: Db): CatalogSummary {
  const count = (sql: string) => db.prepare(sql).pluck().get() as number;
  const bySeason = db
    .prepare<[], { season: string; train: number; test: number }>(
      `SELECT season, sum(split = 'train') AS train, sum(split = 'test') AS test
       FROM patches GROUP BY season ORDER BY ${SEASON_ORDER}`,
    )
    .all();
  return {
    patches: count('SELECT count(*) FROM patches'),
    triplets: count('SELECT count(*) FROM patches WHERE s1_path IS NOT NULL'),
    problems: count('SELECT count(*) FROM problems'),
    bySeason,
    byLabel: classCounts(db, {}),
  };
}
