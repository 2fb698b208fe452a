import { useState, useRef, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../../src-main/contract/contract';
import { call } from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';
import { useAsyncAction } from '../../components/useAsyncAction';
import { showTime } from '../../components/localTime';
import { FilePicker } from '../../components/FilePicker';

type Trace = CallOutput<'export.trace'>;

/** The file's bytes as base64 (chunked: a spread of a large array overflows the stack). */
async function base64Of(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** 泄露溯源: a leaked file, or rows pasted as text, ranked against the register with the evidence for each candidate. */
export function TracePanel() {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [text, setText] = useState('');
  const [trace, setTrace] = useState<Trace | null>(null);
  // The result shows where the user looks: scrolled into view when it arrives.
  const resultRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (trace) resultRef.current?.scrollIntoView({ behavior: 'smooth', block: 'nearest' });
  }, [trace]);
  const { busy, error, run } = useAsyncAction();
  return (
    <section aria-labelledby="trace-title" className="card">
      <h2 id="trace-title">{t('trace.title')}</h2>
      <p className="hint">{t('trace.intro')}</p>
      <div className="row wrap-row">
        <FilePicker label={t('trace.file')} accept=".xlsx,.csv,.txt,.tsv" onFile={setFile} />
        <button type="button" className="primary" disabled={busy || !file} onClick={() => void run(async () => setTrace(await call('export.trace', { fileName: file!.name, base64: await base64Of(file!) })))}>
          {t('trace.traceFile')}
        </button>
      </div>
      <textarea className="wide" aria-label={t('trace.paste')} placeholder={t('trace.paste')} rows={4} value={text} onChange={(e) => setText(e.target.value)} />
      <button type="button" disabled={busy || !text.trim()} onClick={() => void run(async () => setTrace(await call('export.trace', { text })))}>
        {t('trace.traceText')}
      </button>
      <ErrorNote error={error} />
      {trace && (
        <div data-testid="trace-result" ref={resultRef}>
          <p role="status">{t('trace.summary', { rows: trace.dataRows, unexplained: trace.unexplainedRows, hash: trace.fileSha256.slice(0, 12) })}</p>
          {!trace.candidates.some((c) => c.attributed) && <p className="warn">{t('trace.notAttributed')}</p>}
          {trace.candidates.length > 0 && (
            <table aria-label={t('trace.candidates')}>
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">{t('trace.verdict')}</th>
                  <th scope="col" className="num">{t('trace.score')}</th>
                  <th scope="col">{t('trace.evidence')}</th>
                  <th scope="col">{t('exportsScreen.user')}</th>
                  <th scope="col">{t('exportsScreen.exportId')}</th>
                  <th scope="col">{t('exportsScreen.purpose')}</th>
                </tr>
              </thead>
              <tbody>
                {trace.candidates.map((c, i) => (
                  <tr key={c.exportId} className={c.attributed ? 'warn' : ''}>
                    <td>{i + 1}</td>
                    <td>
                      {c.attributed ? t('trace.attributed') : t('trace.weak')}
                      {c.attributed && c.evidence === 'tags_only' && <div className="muted">{t('trace.tagsOnly')}</div>}
                    </td>
                    <td className="num">{(c.score * 100).toFixed(0)}%</td>
                    <td>{t('trace.rows', { rows: c.rows, byMark: c.rowsByMark, byTag: c.rowsByTag })}</td>
                    <td>
                      {t('explain.words.named', { name: c.displayName, id: c.username })}
                    </td>
                    <td title={c.exportId}>
                      {c.exportId.slice(0, 8)} · {showTime(c.createdAt)} · {c.format} · {c.rowCount ?? '?'}
                    </td>
                    <td>
                      {c.purpose}
                      {c.recipient ? ` → ${c.recipient}` : ''}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {trace.stated.map((s) => (
            <p key={s.exportId} className="hint">
              {t('trace.stated', { id: s.exportId, known: s.known ? t('trace.known') : t('trace.unknown') })}
            </p>
          ))}
        </div>
      )}
    </section>
  );
}
