import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../../src-main/contract/contract';
import { yuan } from './drill';

type Report = CallOutput<'report.preview'>;

/** A value as the report's writers show it: 元 with two decimals, percentages with one, counts grouped. */
function shown(value: string | number | null, unit: string, language: string): string {
  if (value === null) return '—';
  if (typeof value === 'string') return value;
  if (unit === 'cents') return yuan(value, language);
  if (unit === 'percent') return `${value.toFixed(1)}%`;
  return value.toLocaleString(language);
}

/**
 * The monthly report on screen: the same sections, figures and tables the PDF and xlsx are written from (report.preview
 * returns the model the writers render), so what a supervisor reads here is what the file will say.
 */
export function ReportPreview({ report }: { report: Report }) {
  const { i18n } = useTranslation();
  const lang = i18n.language;
  return (
    <div className="report-preview" data-testid="report-preview">
      <h3>{report.title}</h3>
      {report.sections.map((s) => (
        <section key={s.id} aria-label={s.title} data-testid={`report-section-${s.id}`}>
          <h4>{s.title}</h4>
          {s.note && <p className="muted small">{s.note}</p>}
          {s.figures && (
            <div className="stats">
              {s.figures.map((f) => (
                <div key={f.label} className="stat">
                  <div className="stat-value">{shown(f.value, f.unit, lang)}</div>
                  <div className="stat-label">{f.label}</div>
                </div>
              ))}
            </div>
          )}
          {s.table && s.table.rows.length > 0 && (
            <table className="table">
              <thead>
                <tr>
                  {s.table.columns.map((c) => (
                    <th key={c.label} className={c.unit === 'text' ? undefined : 'num'}>
                      {c.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {s.table.rows.map((r, i) => (
                  <tr key={i}>
                    {r.map((v, j) => (
                      <td key={j} className={s.table!.columns[j]!.unit === 'text' ? undefined : 'num'}>
                        {shown(v, s.table!.columns[j]!.unit, lang)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      ))}
    </div>
  );
}
