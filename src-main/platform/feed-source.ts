/**
 * Where `platform build` reads its feeds from. A department delivers a folder of files; a 数据中台 keeps the same
 * tables in a database (store/feed-database/). Both are a FeedSource: for each table of exchange-schema.md, its rows
 * as cells under headers, so that one importer (data-platform/build.ts) repairs, refuses and reports them the same way
 * whatever they came from.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FeedTable } from '../domain/exchange/feed-schema.js';
import { FeedRejectedError, openFeed, type FeedLimits, type OpenedFeed } from './feed-reader.js';

export interface FeedSource {
  /**
   * The table's feed, named as the quality report names it (a file name, a database table), or null when the source
   * does not deliver that table (an absent feed, not an empty one). Called for one table at a time, in schema order.
   */
  open(table: FeedTable, limits: FeedLimits): Promise<{ name: string; feed: OpenedFeed } | null>;
  /** Releases what the source holds (a database connection); called once, after the last table or on failure. */
  close(): Promise<void>;
}

/** A folder of department files: `<table>.csv` or `<table>.xlsx`. */
export function folderFeedSource(dir: string): FeedSource {
  const present = new Set(existsSync(dir) ? readdirSync(dir) : []);
  if (present.size === 0) throw new FeedRejectedError(dir, 'no feed files found');
  return {
    async open(spec, limits) {
      const name = [`${spec.table}.csv`, `${spec.table}.xlsx`].find((f) => present.has(f));
      return name ? { name, feed: await openFeed(join(dir, name), spec, limits) } : null;
    },
    async close() {},
  };
}
