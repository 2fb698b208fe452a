/**
 * A feed's rows cleaned into compact batches (data-platform/build.ts): each cell repaired or refused
 * (domain/exchange/cleanse.ts), each row either refused — with the column, check and reason its report line needs — or
 * turned into the values of the snapshot's insert, in the insert's column order, with the repairs it took.
 *
 * A batch is a few typed arrays over one buffer, and one string: the build may clean on a worker thread
 * (feed-worker.ts) and hand the batches to the inserting thread, where the buffer moves without a copy and the text is
 * one string to copy, not one per cell. The inserting thread reads the rows back with `BatchReader`, then hands the
 * buffer back to be filled again (`take`'s `spare`): a build allocates a few buffers, not one per batch.
 */
import { cleanCell, type Cleaned, type RawCell, type Repair } from '../domain/exchange/cleanse.js';
import { snapshotColumnOf, type FeedColumn } from '../domain/exchange/feed-schema.js';
import type { FeedRow } from '../platform/feed-reader.js';

/** Why a row is refused, as its report line says it (the file and line are added by the build). */
export interface Refusal {
  column: string | null;
  check: string;
  reason: string;
}

const REPAIRS: readonly Repair[] = ['full_width', 'trimmed', 'lowercase_x', 'legacy_15_digit', 'date_format', 'excel_serial', 'amount_format', 'dictionary_label'];
const REPAIR_CODE = new Map(REPAIRS.map((r, i) => [r, i]));

const NULL = 0;
const TEXT = 1;
const NUMBER = 2;

export interface CleanBatch {
  /** The buffer under every array below. */
  buffer: ArrayBuffer;
  /** The line of each row read. */
  lines: Int32Array;
  /** Per row read: 0 when its values are to be inserted (the next `width` values), else 1 + its index in `refusals`. */
  outcome: Int32Array;
  refusals: Refusal[];
  /** Per value of the rows to insert: NULL, TEXT (the text's next characters, up to `textEnds`) or NUMBER. */
  kinds: Uint8Array;
  numbers: Float64Array;
  textEnds: Int32Array;
  text: string;
  /** The repairs of the i-th row to insert: `repairCodes` from repairEnds[i - 1] (0 for the first) to repairEnds[i]. */
  repairEnds: Int32Array;
  repairCodes: Uint8Array;
}


/** One column as the build cleans it: where its cell is, where its value goes, and its last result. */
interface CleaningStep {
  column: FeedColumn;
  /** The cell's position in the file's rows (-1: the file lacks the column). */
  position: number;
  /** The value's position in the snapshot insert (-1: this layout lacks the column). */
  slot: number;
  /** How a refusal names the column. */
  shown: string;
  warningKey: string;
  lastRaw: RawCell;
  lastCleaned: Cleaned | null;
}

/**
 * Cleans one table's rows, a batch at a time. `positions`: each schema column's position in the file, in the order
 * the feed reader gives them (a row is refused for the first column, in that order, that cannot be repaired);
 * `insertColumns`: the snapshot insert's columns (none when this layout lacks the table).
 */
export class TableCleaner {
  private readonly plan: CleaningStep[];
  private readonly width: number;
  /** Values kept but outside their dictionary (Q-DICT), per table.column, in the order first met. */
  readonly warnings = new Map<string, number>();
  // The batch being filled: typed arrays grown as needed and kept from batch to batch (take copies what it hands over).
  private rows = 0;
  private lines = new Int32Array(1024);
  private outcome = new Int32Array(1024);
  private refusals: Refusal[] = [];
  private values = 0;
  private kinds = new Uint8Array(8192);
  private numbers = new Float64Array(8192);
  private textEnds = new Int32Array(8192);
  private texts: string[] = [];
  private textLength = 0;
  private kept = 0;
  private repairEnds = new Int32Array(1024);
  private repairs = 0;
  private repairCodes = new Uint8Array(1024);
  /** The values of the row being cleaned, in insert order. */
  private readonly row: (string | number | null)[];

  constructor(table: string, positions: ReadonlyMap<FeedColumn, number>, insertColumns: readonly string[]) {
    this.width = insertColumns.length;
    this.row = new Array(this.width).fill(null);
    this.plan = [...positions].map(([column, position]) => ({
      column,
      position,
      slot: insertColumns.indexOf(snapshotColumnOf(column)),
      shown: column.label ? `${column.key} (${column.label})` : column.key,
      warningKey: `${table}.${column.key}`,
      lastRaw: undefined,
      lastCleaned: null,
    }));
  }

  /** Rows cleaned and not yet taken. */
  get size(): number {
    return this.rows;
  }

  add(rows: readonly FeedRow[]): void {
    this.lines = grown(this.lines, this.rows + rows.length);
    this.outcome = grown(this.outcome, this.rows + rows.length);
    this.repairEnds = grown(this.repairEnds, this.kept + rows.length);
    this.kinds = grown(this.kinds, this.values + rows.length * this.width);
    this.numbers = grown(this.numbers, this.values + rows.length * this.width);
    this.textEnds = grown(this.textEnds, this.values + rows.length * this.width);
    for (const { line, cells, malformed } of rows) {
      this.lines[this.rows] = line;
      const refusal = malformed ? { column: null, check: 'format', reason: malformed } : this.clean(cells);
      this.outcome[this.rows++] = refusal ? this.refusals.push(refusal) : 0;
    }
  }

  /** Adds the row's values from its cells, or says why the row is refused; a kept row's repairs are recorded. */
  private clean(cells: readonly RawCell[]): Refusal | null {
    const row = this.row;
    row.fill(null);
    const repairsFrom = this.repairs;
    for (const step of this.plan) {
      const raw = step.position >= 0 ? cells[step.position] : null;
      // cleanCell is pure, and feeds repeat a cell down a column (a person's 24 income lines): the last result of each
      // column is reused for the same raw value.
      const cleaned = raw === step.lastRaw && step.lastCleaned ? step.lastCleaned : cleanCell(step.column, raw);
      step.lastRaw = raw;
      step.lastCleaned = cleaned;
      if (!cleaned.ok) {
        this.repairs = repairsFrom;
        return { column: step.shown, check: cleaned.check, reason: cleaned.reason };
      }
      if (cleaned.warning) this.warnings.set(step.warningKey, (this.warnings.get(step.warningKey) ?? 0) + 1);
      if (cleaned.repairs.length > 0) {
        this.repairCodes = grown(this.repairCodes, this.repairs + cleaned.repairs.length);
        for (const r of cleaned.repairs) this.repairCodes[this.repairs++] = REPAIR_CODE.get(r)!;
      }
      if (step.slot >= 0) row[step.slot] = cleaned.value;
    }
    this.repairEnds[this.kept++] = this.repairs;
    for (const value of row) {
      const v = this.values++;
      if (value === null) this.kinds[v] = NULL;
      else if (typeof value === 'number') {
        this.kinds[v] = NUMBER;
        this.numbers[v] = value;
      } else {
        this.kinds[v] = TEXT;
        this.texts.push(value);
        this.textLength += value.length;
      }
      this.textEnds[v] = this.textLength;
    }
    return null;
  }

  /**
   * The rows cleaned since the last take, as one batch: its arrays are copied into one buffer (taken from `spare`, the
   * buffers of batches already inserted, when one is large enough), which can be handed to another thread.
   */
  take(spare: ArrayBuffer[] = []): CleanBatch {
    const { rows, values, kept, repairs } = this;
    // Float64 first, then Int32, then bytes: each array starts aligned to its element size.
    const bytes = 8 * values + 4 * (2 * rows + values + kept) + values + repairs;
    const fits = spare.findIndex((b) => b.byteLength >= bytes);
    const buffer = fits >= 0 ? spare.splice(fits, 1)[0]! : new ArrayBuffer(Math.max(bytes, 1 << 16));
    let at = 0;
    const view = <A extends Float64Array | Int32Array | Uint8Array>(from: A, length: number): A => {
      const a = new (from.constructor as new (b: ArrayBuffer, at: number, length: number) => A)(buffer, at, length);
      a.set(from.subarray(0, length));
      at += length * from.BYTES_PER_ELEMENT;
      return a;
    };
    const batch: CleanBatch = {
      buffer,
      numbers: view(this.numbers, values),
      lines: view(this.lines, rows),
      outcome: view(this.outcome, rows),
      textEnds: view(this.textEnds, values),
      repairEnds: view(this.repairEnds, kept),
      kinds: view(this.kinds, values),
      repairCodes: view(this.repairCodes, repairs),
      refusals: this.refusals,
      text: this.texts.join(''),
    };
    this.rows = this.values = this.kept = this.repairs = this.textLength = 0;
    this.refusals = [];
    this.texts = [];
    return batch;
  }
}

/** `a`, or a copy at least `need` long (twice as long, at least) when it is shorter. */
function grown<A extends Int32Array | Uint8Array | Float64Array>(a: A, need: number): A {
  if (need <= a.length) return a;
  const b = new (a.constructor as new (length: number) => A)(Math.max(need, 2 * a.length));
  b.set(a);
  return b;
}

/** Reads a batch's rows back, in order, on the inserting thread. */
export class BatchReader {
  private row = -1;
  /** Rows to insert read so far, and where the next one's values start. */
  private kept = 0;
  private value = 0;
  private textStart = 0;
  /** The current row's values (insert order); one array, refilled for each row. */
  readonly values: (string | number | null)[];

  constructor(
    private readonly batch: CleanBatch,
    width: number,
  ) {
    this.values = new Array(width).fill(null);
  }

  /** Moves to the next row: false after the last. */
  next(): boolean {
    return ++this.row < this.batch.lines.length;
  }

  get line(): number {
    return this.batch.lines[this.row]!;
  }

  /** Why the current row is refused, or null when its values are read into `values`. */
  read(): Refusal | null {
    const b = this.batch;
    const outcome = b.outcome[this.row]!;
    if (outcome > 0) return b.refusals[outcome - 1]!;
    const values = this.values;
    for (let i = 0; i < values.length; i++, this.value++) {
      const kind = b.kinds[this.value];
      if (kind === TEXT) {
        const end = b.textEnds[this.value]!;
        values[i] = b.text.slice(this.textStart, end);
        this.textStart = end;
      } else values[i] = kind === NUMBER ? b.numbers[this.value]! : null;
    }
    this.kept++;
    return null;
  }

  /** The repairs of the row just read (the row last given values by `read`). */
  repairs(): Repair[] {
    const b = this.batch;
    const from = this.kept > 1 ? b.repairEnds[this.kept - 2]! : 0;
    const to = b.repairEnds[this.kept - 1]!;
    const out: Repair[] = [];
    for (let i = from; i < to; i++) out.push(REPAIRS[b.repairCodes[i]!]!);
    return out;
  }
}
