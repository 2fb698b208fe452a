import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { reasonOf, reasonText, type ReasonLike } from './reasonText';

/** Shows a service error in the user's language, with the fields at fault when the input was refused. */
export function ErrorNote({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  const code = error instanceof ApiError ? error.code : 'INTERNAL';
  const issues = error instanceof ApiError ? (error.details?.issues as { path: string; code?: string; bound?: number }[] | undefined) : undefined;
  const retryAfterMs = error instanceof ApiError ? (error.details?.retryAfterMs as number | undefined) : undefined;
  // A case the workflow refused says why (needs a verification, waits for approval, …).
  const refusal = error instanceof ApiError ? (error.details?.refusal as string | undefined) : undefined;
  // A file or value checked against the policy catalogue: each problem where it is in the file, and why.
  const problems = error instanceof ApiError ? (error.details?.problems as { path: string; message: string; why?: ReasonLike }[] | undefined) : undefined;
  // The particular cause (which folder, which platform, why, and what to do), in the user's language.
  const reason = error instanceof ApiError ? reasonOf(error.details) : null;
  return (
    <div role="alert" className="error-note">
      {code === 'THROTTLED' && retryAfterMs
        ? t('login.throttled', { seconds: Math.ceil(retryAfterMs / 1000) })
        : reason
          ? reasonText(t, reason)
          : refusal
          ? t(code === 'WARNING_REFUSED' ? `monitoring.refusals.${refusal}` : `triage.refusals.${refusal}`, { defaultValue: t(`errors.${code}`) })
          : t(`errors.${code}`)}
      {problems && (
        <ul data-testid="problems">
          {problems.map((p) => (
            <li key={p.path}>
              {/* The place in the file is its JSON path; the whole file is called that in the user's language. */}
              <span className="mono">{p.path === '文件' ? t('reasons.parameterFile.file') : p.path}</span>
              {t('common.colon')}
              {p.why ? reasonText(t, p.why) : p.message}
            </li>
          ))}
        </ul>
      )}
      {issues && (
        <ul>
          {issues.map((i) => (
            <li key={i.path}>{t('validation.issue', { field: fieldName(i.path, t), problem: i.code === 'too_small' && i.bound === 1 ? t('validation.required') : t(`validation.${i.code ?? 'custom'}`, { bound: i.bound, defaultValue: t('validation.custom') }) })}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The field an issue is about, by its label (the last part of the path that is a name, not a position). */
function fieldName(path: string, t: (key: string, o?: Record<string, unknown>) => string): string {
  const name = path.split('.').filter((p) => !/^\d+$/.test(p)).at(-1) ?? '';
  return t(`audit.fields.${name}`, { defaultValue: t('validation.thisField') });
}
