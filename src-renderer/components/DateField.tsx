import { DatePicker } from 'antd';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { useTranslation } from 'react-i18next';

/**
 * A calendar date (YYYY-MM-DD, the local calendar) picked in the UI's language — the browser's own date input shows
 * its locale's "mm/dd/yyyy" whatever the UI says. The value stays a plain string.
 */
export function DateField({ label, value, onChange }: { label: string; value: string; onChange(date: string): void }) {
  const { i18n } = useTranslation();
  dayjs.locale(i18n.language === 'en' ? 'en' : 'zh-cn');
  return (
    <DatePicker
      aria-label={label}
      placeholder={label}
      format="YYYY-MM-DD"
      value={value ? dayjs(value, 'YYYY-MM-DD') : null}
      onChange={(d) => onChange(d ? d.format('YYYY-MM-DD') : '')}
    />
  );
}

/** A month (YYYY-MM) picked in the UI's language: the browser's own month input names months in its locale ("November 2026"). */
export function MonthField({ label, value, onChange }: { label: string; value: string; onChange(month: string): void }) {
  const { i18n } = useTranslation();
  dayjs.locale(i18n.language === 'en' ? 'en' : 'zh-cn');
  return (
    <DatePicker
      picker="month"
      aria-label={label}
      placeholder={label}
      format="YYYY-MM"
      allowClear={false}
      value={value ? dayjs(value, 'YYYY-MM') : null}
      onChange={(d) => onChange(d ? d.format('YYYY-MM') : '')}
    />
  );
}
