/**
 * The findings inbox's state: the filter and sort the user chose, and a window cache of rows fetched in blocks as the
 * virtualised table scrolls. Changing the filter or sort starts a new generation, so late answers for an old filter
 * are dropped instead of mixed in.
 */
import { create } from 'zustand';
import type { CallOutput } from '../../src-main/contract/contract';
import type { InboxFilterInput, InboxRowView } from '../../src-main/contract/triage-schemas';
import { call } from '../api/client';

export const BLOCK = 200;
export type InboxSortView = { column: 'priority' | 'amount' | 'rule' | 'division' | 'name' | 'state' | 'change' | 'due' | 'assignee' | 'updated'; direction: 'asc' | 'desc' };
type Facets = CallOutput<'inbox.facets'>;

interface InboxState {
  filter: InboxFilterInput;
  divisionPrefix: string | undefined;
  sort: InboxSortView;
  total: number | null;
  blocks: Map<number, InboxRowView[]>;
  facets: Facets | null;
  generation: number;
  cursor: number;
  selected: Set<string>;
  /** The finding open in the detail panel, and a counter that makes the panel read it again. */
  open: string | null;
  detailVersion: number;
  error: unknown;
  setFilter(change: Partial<InboxFilterInput>, divisionPrefix?: string | null): void;
  replace(filter: InboxFilterInput, divisionPrefix: string | undefined, sort: InboxSortView): void;
  setSort(sort: InboxSortView): void;
  ensure(index: number): void;
  refresh(): void;
  rowAt(index: number): InboxRowView | undefined;
  moveCursor(delta: number): void;
  setCursor(index: number): void;
  toggle(fingerprint: string): void;
  clearSelection(): void;
  openFinding(fingerprint: string | null): void;
  /** The open finding's case changed elsewhere (a keyboard shortcut): read the panel again. */
  reloadDetail(): void;
}

const inflight = new Set<string>();

export const useInboxStore = create<InboxState>((set, get) => {
  const reload = (patch: Partial<InboxState>, keepCursor = false) => {
    // A refresh after a case changed keeps the total and the cursor where they were; a new filter starts at the top.
    set({ ...patch, blocks: new Map(), ...(keepCursor ? {} : { total: null, cursor: 0 }), generation: get().generation + 1 });
    get().ensure(get().cursor);
    const { filter, divisionPrefix, generation } = get();
    void call('inbox.facets', { filter, ...(divisionPrefix ? { divisionPrefix } : {}) }).then(
      (facets) => get().generation === generation && set({ facets }),
      (error: unknown) => get().generation === generation && set({ error }),
    );
  };
  return {
    ...freshState(),
    generation: 0,
    setFilter(change, divisionPrefix) {
      const filter = { ...get().filter, ...change };
      for (const [k, v] of Object.entries(filter)) if (v === undefined || (Array.isArray(v) && v.length === 0) || v === '') delete (filter as Record<string, unknown>)[k];
      reload({ filter, divisionPrefix: divisionPrefix === null ? undefined : (divisionPrefix ?? get().divisionPrefix), selected: new Set() });
    },
    replace(filter, divisionPrefix, sort) {
      reload({ filter, divisionPrefix, sort, selected: new Set() });
    },
    setSort(sort) {
      reload({ sort });
    },
    refresh() {
      reload({}, true);
    },
    ensure(index) {
      const block = Math.floor(index / BLOCK);
      const { blocks, generation, filter, divisionPrefix, sort, total } = get();
      if (blocks.has(block) || (total !== null && block * BLOCK >= total && block > 0)) return;
      const key = `${generation}:${block}`;
      if (inflight.has(key)) return;
      inflight.add(key);
      void call('inbox.page', { filter, ...(divisionPrefix ? { divisionPrefix } : {}), sort, offset: block * BLOCK, limit: BLOCK })
        .then(
          (page) => {
            if (get().generation !== generation) return;
            const next = new Map(get().blocks);
            next.set(block, page.rows);
            set({ blocks: next, total: page.total, error: null });
          },
          (error: unknown) => get().generation === generation && set({ error }),
        )
        .finally(() => inflight.delete(key));
    },
    rowAt(index) {
      return get().blocks.get(Math.floor(index / BLOCK))?.[index % BLOCK];
    },
    moveCursor(delta) {
      const { cursor, total } = get();
      const next = Math.max(0, Math.min((total ?? 1) - 1, cursor + delta));
      set({ cursor: next });
      get().ensure(next);
    },
    setCursor(index) {
      set({ cursor: index });
    },
    toggle(fingerprint) {
      const selected = new Set(get().selected);
      if (selected.has(fingerprint)) selected.delete(fingerprint);
      else selected.add(fingerprint);
      set({ selected });
    },
    clearSelection() {
      set({ selected: new Set() });
    },
    openFinding(fingerprint) {
      set({ open: fingerprint });
    },
    reloadDetail() {
      set({ detailVersion: get().detailVersion + 1 });
    },
  };
});

/**
 * A user left or another came: forget the filter, sort, rows, selection and open finding, so nothing of one user's
 * work shows to the next and no detail is fetched in their name. The generation moves on, so answers still in flight
 * for the previous user are dropped.
 */
export function resetInbox(): void {
  useInboxStore.setState((s) => ({ ...freshState(), generation: s.generation + 1 }));
}

/** The inbox as a user first sees it: no filter, default order, nothing loaded, selected or open. */
function freshState(): Pick<InboxState, 'filter' | 'divisionPrefix' | 'sort' | 'total' | 'blocks' | 'facets' | 'cursor' | 'selected' | 'open' | 'detailVersion' | 'error'> {
  return {
    filter: {},
    divisionPrefix: undefined,
    sort: { column: 'priority', direction: 'desc' },
    total: null,
    blocks: new Map(),
    facets: null,
    cursor: 0,
    selected: new Set(),
    open: null,
    detailVersion: 0,
    error: null,
  };
}
