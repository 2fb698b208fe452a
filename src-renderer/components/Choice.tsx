import { Select } from 'antd';
import type { CSSProperties } from 'react';

export interface ChoiceOption<V extends string> {
  value: V;
  label: string;
}

/**
 * A choice among a few named values: antd Select (what users of government systems know), named by `label` for screen
 * readers and tests (getByRole('combobox', { name })). Its dropdown is rendered into the page by React with the static
 * stylesheet's classes: it inserts no <style> element, so the strict CSP holds (test/e2e/screens.spec.ts opens one).
 * `field` puts the visible label above it, like the app's other fields.
 */
export function Choice<V extends string>({
  label,
  value,
  options,
  onChange,
  field,
  id,
  disabled,
  style,
  testId,
}: {
  label: string;
  value: V;
  options: readonly ChoiceOption<V>[];
  onChange: (value: V) => void;
  field?: boolean;
  id?: string;
  disabled?: boolean;
  style?: CSSProperties;
  testId?: string;
}) {
  const select = (
    <Select<V>
      id={id}
      aria-label={label}
      value={value}
      options={options as ChoiceOption<V>[]}
      onChange={onChange}
      disabled={disabled}
      popupMatchSelectWidth={false}
      style={{ minWidth: 120, ...style }}
      data-testid={testId}
    />
  );
  if (!field) return select;
  return (
    <div className="field">
      <span>{label}</span>
      {select}
    </div>
  );
}
