import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../../src-main/contract/contract';
import { showTime } from '../../components/localTime';

type Entry = CallOutput<'export.register'>[number];

/** The export register: who exported what, when, why and for whom, with the file's hash. */
export function RegisterTable({ entries }: { entries: Entry[] }) {
  const { t } = useTranslation();
  if (!entries.length) return <p className="hint">{t('exportsScreen.none')}</p>;
  return (
    <table data-testid="export-register">
      <thead>
        <tr>
          <th scope="col">{t('exportsScreen.createdAt')}</th>
          <th scope="col">{t('exportsScreen.user')}</th>
          <th scope="col">{t('exportsScreen.exportId')}</th>
          <th scope="col" className="num">{t('exportsScreen.rows')}</th>
          <th scope="col">{t('exportsScreen.purpose')}</th>
          <th scope="col">{t('exportsScreen.state')}</th>
          <th scope="col">SHA-256</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((e) => (
          <tr key={e.exportId}>
            <td>{showTime(e.createdAt)}</td>
            <td>{e.displayName}</td>
            <td title={e.exportId}>
              {e.exportId.slice(0, 8)} · {t(`audit.kinds.${e.kind}`, { defaultValue: e.kind })} · {e.format}
              {e.approvalId ? ` · ${t('exportsScreen.approved')}` : ''}
            </td>
            <td className="num">{e.rowCount ?? '—'}</td>
            <td>
              {e.purpose}
              {e.recipient ? ` → ${e.recipient}` : ''}
            </td>
            <td>{t(`exportsScreen.exportStates.${e.status}`)}</td>
            <td title={e.fileSha256 ?? ''}>{e.fileSha256?.slice(0, 12) ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
