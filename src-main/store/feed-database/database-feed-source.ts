/**
 * The platform's database as a FeedSource (`platform build --from postgresql://…`): a 数据中台 keeps the feed tables of
 * exchange-schema.md — same table names, same column names (English keys or the Chinese labels) — in PostgreSQL rather
 * than exporting CSV. Each table is streamed with `COPY (SELECT * FROM t) TO STDOUT (FORMAT csv, HEADER)` and read by
 * the very CSV reader the files go through (platform/feed-reader.ts), so cleansing, refusals and the quality report
 * are the same code; typed columns (date, numeric) arrive in PostgreSQL's ISO text and are repaired like any cell.
 *
 * - One REPEATABLE READ, READ ONLY transaction for all tables: the snapshot is one consistent moment of the source,
 *   even while the 中台 keeps writing.
 * - Memory stays flat: COPY's data messages are pushed into a Readable, and the socket is paused whenever the reader
 *   falls behind (no pg-copy-streams needed; node-postgres hands a query object with `submit` the protocol messages).
 * - A table has no row order of its own (PostgreSQL places rows wherever they fit, not in insertion order), yet the
 *   first of two rows with the same key is the one kept: rows are read sorted by all their columns, so the same
 *   database builds the same snapshot every time. The sort is the server's (spilling to disk as it needs).
 * - A row is named like a line of that sorted CSV export: `line` N is row N−1 of `SELECT * FROM t ORDER BY 1, 2, …`
 *   (the header is line 1), under the file name `postgresql:<table>`.
 */
import pg from 'pg';
import { Readable } from 'node:stream';
import { FeedRejectedError, openCsvStream } from '../../platform/feed-reader.js';
import type { FeedSource } from '../../platform/feed-source.js';

/**
 * One `COPY … TO STDOUT` as a byte stream. node-postgres calls these handlers with the protocol's messages while the
 * query is active; the chunk is copied because the protocol parser reuses its buffer for the next message.
 */
class CopyOut extends Readable implements pg.Submittable {
  private connection: { stream: { pause(): void; resume(): void } } | null = null;
  private failed = false;

  constructor(
    private readonly text: string,
    private readonly name: string,
  ) {
    super();
  }

  submit(connection: pg.Connection): void {
    this.connection = connection as unknown as { stream: { pause(): void; resume(): void } };
    (connection as unknown as { query(text: string): void }).query(this.text);
  }

  handleCopyData(msg: { chunk: Buffer }): void {
    if (this.destroyed) return; // abandoned by the build (see close): the rest is drained and dropped
    if (!this.push(Buffer.from(msg.chunk))) this.connection?.stream.pause();
  }

  override _read(): void {
    this.connection?.stream.resume();
  }

  handleCommandComplete(): void {}
  handleReadyForQuery(): void {
    if (!this.failed && !this.destroyed) this.push(null);
  }

  /** The build stopped reading (a refused table): let the rest of the data through to be dropped. */
  abandon(): void {
    this.destroy();
    this.connection?.stream.resume();
  }

  handleError(error: Error): void {
    this.fail(error);
  }

  fail(error: Error): void {
    if (this.failed) return;
    this.failed = true;
    this.connection?.stream.resume();
    this.destroy(new FeedRejectedError(this.name, `reading the table from the database failed: ${error.message}`));
  }

  // A COPY answers none of these; node-postgres may still call them on an active query.
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
}

/** Connects and opens the read-only transaction; `close()` ends both. The URL's password is never printed. */
export async function openDatabaseFeedSource(url: string): Promise<FeedSource> {
  const client = new pg.Client({ connectionString: url, application_name: 'aw-platform-build' });
  let active: CopyOut | null = null;
  // A lost connection (the server restarted, the network dropped) fails the table being read, with its name.
  client.on('error', (error) => active?.fail(error));
  await client.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    // Dates as YYYY-MM-DD and floats exactly, whatever the server's or role's defaults.
    await client.query("SET LOCAL DateStyle = 'ISO, YMD'; SET LOCAL extra_float_digits = 1");
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  return {
    async open(spec, limits) {
      // to_regclass follows the URL's search_path (`?options=-c%20search_path%3Dfeeds` for another schema) and
      // answers null for an absent table; ::text quotes the name for the statement.
      const found = await client.query<{ name: string | null; columns: number }>(
        'SELECT to_regclass($1)::text AS name, (SELECT count(*)::int FROM pg_attribute WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped) AS columns',
        [spec.table],
      );
      const relation = found.rows[0]?.name;
      if (!relation) return null;
      const name = `postgresql:${spec.table}`;
      const order = Array.from({ length: found.rows[0]!.columns }, (_, i) => i + 1).join(', ');
      active = client.query(new CopyOut(`COPY (SELECT * FROM ${relation}${order ? ` ORDER BY ${order}` : ''}) TO STDOUT (FORMAT csv, HEADER)`, name));
      return { name, feed: await openCsvStream(name, active, spec, limits) };
    },
    async close() {
      // Ending the session ends its read-only transaction; a COPY the build stopped reading is drained first, or the
      // paused socket would never carry the goodbye.
      if (active && !active.readableEnded) active.abandon();
      await client.end().catch(() => undefined);
    },
  };
}
