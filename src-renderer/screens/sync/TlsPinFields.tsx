import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../../components/Field';

export interface TlsPins {
  certificateFingerprint: string;
  ca: string;
}

export const NO_PINS: TlsPins = { certificateFingerprint: '', ca: '' };

/** The pins as the contract takes them: empty fields left out (no pin: the system's CA store decides). */
export function pinsInput(pins: TlsPins): { certificateFingerprint?: string; ca?: string } {
  return { ...(pins.certificateFingerprint.trim() ? { certificateFingerprint: pins.certificateFingerprint } : {}), ...(pins.ca.trim() ? { ca: pins.ca } : {}) };
}

/** The HTTPS pins of the platform (certificate fingerprint, CA certificate), used when enrolling and when changing them. */
export function TlsPinFields({ value, onChange }: { value: TlsPins; onChange: (next: TlsPins) => void }) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <>
      <p className="hint">{t('sync.tls.intro')}</p>
      <Field
        label={t('sync.tls.fingerprint')}
        hint={t('sync.tls.fingerprintHint')}
        className="mono"
        spellCheck={false}
        value={value.certificateFingerprint}
        onChange={(e) => onChange({ ...value, certificateFingerprint: e.target.value })}
      />
      <div className="field">
        <label htmlFor={id}>{t('sync.tls.ca')}</label>
        <textarea
          id={id}
          rows={4}
          className="mono"
          spellCheck={false}
          aria-describedby={`${id}-hint`}
          placeholder="-----BEGIN CERTIFICATE-----"
          value={value.ca}
          onChange={(e) => onChange({ ...value, ca: e.target.value })}
        />
        <small id={`${id}-hint`} className="hint">
          {t('sync.tls.caHint')}
        </small>
      </div>
    </>
  );
}
