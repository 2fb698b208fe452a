/**
 * The browser's own form checks (required, minLength, type) speak the browser's language — in Debian's Chromium, and
 * on an English Windows, "Please lengthen this text to 10 characters or more". Every field's message is set here from
 * the app's resources instead, in the language the user chose; it is cleared as soon as the field is edited.
 */
import i18next from '../i18n';

type Checked = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;

function messageFor(el: Checked): string {
  const v = el.validity;
  if (v.valueMissing) return i18next.t('validation.required');
  if (v.tooShort && 'minLength' in el) return i18next.t('validation.tooShort', { min: el.minLength, length: el.value.length });
  if (v.tooLong && 'maxLength' in el) return i18next.t('validation.tooLong', { max: el.maxLength });
  if (v.rangeUnderflow && el instanceof HTMLInputElement) return i18next.t('validation.rangeUnderflow', { min: el.min });
  if (v.rangeOverflow && el instanceof HTMLInputElement) return i18next.t('validation.rangeOverflow', { max: el.max });
  if (v.typeMismatch || v.patternMismatch || v.badInput || v.stepMismatch) return i18next.t('validation.invalid_format');
  return '';
}

export function installNativeValidationMessages(doc: Document = document): void {
  doc.addEventListener(
    'invalid',
    (e) => {
      const el = e.target as Checked;
      if (!('setCustomValidity' in el) || el.validity.customError) return;
      const message = messageFor(el);
      if (message) el.setCustomValidity(message);
    },
    true,
  );
  const clear = (e: Event) => {
    const el = e.target as Checked;
    if ('setCustomValidity' in el && el.validity.customError) el.setCustomValidity('');
  };
  doc.addEventListener('input', clear, true);
  doc.addEventListener('change', clear, true);
}
