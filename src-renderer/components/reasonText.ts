/**
 * A service error's particular cause in the user's language: `details.reason` is a key under `reasons.` in
 * resources/i18n and `details.params` its parameters, any of which may be a cause itself (src-main/domain/reasons.ts).
 * The error's `message` is for logs and the CLI and is never shown.
 */
export type ReasonLike = { reason: string; params?: Record<string, unknown> | undefined };

type Translate = (key: string, options?: Record<string, unknown>) => string;

export function isReason(value: unknown): value is ReasonLike {
  return !!value && typeof value === 'object' && typeof (value as { reason?: unknown }).reason === 'string';
}

/** A name the data carries in both languages ({ zh, en }: a parameter's label). */
function isBilingual(value: unknown): value is { zh: string; en: string } {
  return !!value && typeof value === 'object' && typeof (value as { zh?: unknown }).zh === 'string' && typeof (value as { en?: unknown }).en === 'string';
}

export function reasonText(t: Translate, r: ReasonLike): string {
  // reasons.pick is {{zh}} in Chinese and {{en}} in English: the user's half of a bilingual name.
  const param = (v: unknown) => (isReason(v) ? reasonText(t, v) : isBilingual(v) ? t('reasons.pick', { zh: v.zh, en: v.en }) : v);
  const params = Object.fromEntries(Object.entries(r.params ?? {}).map(([k, v]) => [k, param(v)]));
  return t(`reasons.${r.reason}`, params);
}

/** The reason an error carries in its details, if any. */
export function reasonOf(details: Record<string, unknown> | undefined): ReasonLike | null {
  return details && isReason(details) ? details : null;
}
