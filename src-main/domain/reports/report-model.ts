/**
 * A report as data: titled sections of key figures, bar charts and tables. The PDF and xlsx writers render it; the
 * tests recompute its figures. Money is integer cents everywhere until a writer formats it.
 */
export interface ReportFigure {
  label: string;
  value: number;
  /** 'cents' values are shown in 元. */
  unit: 'count' | 'cents' | 'percent';
}

export interface ReportChart {
  labels: string[];
  series: { name: string; values: number[] }[];
  unit: 'count' | 'cents';
}

export interface ReportTable {
  columns: { label: string; unit: 'text' | 'count' | 'cents' | 'percent' }[];
  rows: (string | number | null)[][];
}

export interface ReportSection {
  id: string;
  title: string;
  note?: string;
  figures?: ReportFigure[];
  chart?: ReportChart;
  table?: ReportTable;
}

export interface Report {
  title: string;
  period: string;
  scope: string[];
  snapshot: { snapshotId: string; asOf: string };
  generatedAt: string;
  generatedBy: string;
  sections: ReportSection[];
}

export const REPORT_SECTIONS = ['summary', 'anomalies', 'streets', 'cases', 'spending', 'budget', 'recoveries', 'monitoring'] as const;
export type ReportSectionId = (typeof REPORT_SECTIONS)[number];

/** `YYYY-MM` → the first day of that month and of the next (half-open), as ISO dates. */
export function periodBounds(period: string): { from: string; to: string } {
  const [y, m] = period.split('-').map(Number) as [number, number];
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  return { from: `${period}-01`, to: `${next}-01` };
}

export const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;
