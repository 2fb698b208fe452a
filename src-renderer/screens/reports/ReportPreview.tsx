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
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  // Money says it is money: 801,678.96 元, and a column of amounts says 涉及金额（元）.
  const money = (label: string) => {
    if (/元|yuan/i.test(label)) return label;
    const qualified = /^(.*?)\s*[（(]([^（）()]+)[）)]$/.exec(label); // 金额（累计） → 金额（累计，元）
    return qualified ? t('reports.moneyColumnQualified', { label: qualified[1], qualifier: qualified[2] }) : t('reports.moneyColumn', { label });
  };
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
                  <div className="stat-value">
                    {shown(f.value, f.unit, lang)}
                    {f.unit === 'cents' && f.value !== null && <span className="stat-unit"> {t('triage.yuan')}</span>}
                  </div>
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
                      {c.unit === 'cents' ? money(c.label) : c.label}
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
          {/* Nothing decided yet, the table is empty: the chart's figures (the case funnel) still say where things stand. */}
          {!s.table?.rows.length && !s.figures?.length && s.chart && s.chart.series.length === 1 && (
            <div className="stats" data-testid={`report-section-${s.id}-chart`}>
              {s.chart.labels.map((label, i) => (
                <div key={label} className="stat">
                  <div className="stat-value">
                    {shown(s.chart!.series[0]!.values[i] ?? null, s.chart!.unit, lang)}
                    {s.chart!.unit === 'cents' && <span className="stat-unit"> {t('triage.yuan')}</span>}
                  </div>
                  <div className="stat-label">{label}</div>
                </div>
              ))}
            </div>
          )}
          {!s.table?.rows.length && !s.figures?.length && !s.note && !s.chart && (
            <p className="muted" data-testid={`report-section-${s.id}-empty`}>
              {t('reports.noRows')}
            </p>
          )}
        </section>
      ))}
    </div>
  );
}
