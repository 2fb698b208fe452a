import { Cascader } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../api/client';

interface Division {
  prefix: string;
  name: string;
  level: number;
}
interface Option {
  value: string;
  label: string;
  children?: Option[];
}

let cached: Promise<Division[]> | null = null;
/** The division tree of the user's snapshot (one request per session; reset when the user changes). */
function loadDivisions(): Promise<Division[]> {
  cached ??= call('divisions.tree', {}).catch(() => {
    cached = null;
    return [];
  });
  return cached;
}
export function resetDivisionCache(): void {
  cached = null;
}

/** "顶山街道（320111002）": a division as people read it, the code beside the name. */
export function useDivisionLabel(): (prefix: string) => string {
  const { t } = useTranslation();
  const [divisions, setDivisions] = useState<Division[]>([]);
  useEffect(() => {
    void loadDivisions().then(setDivisions);
  }, []);
  const names = useMemo(() => new Map(divisions.map((d) => [d.prefix, d.name])), [divisions]);
  // 顶山街道（320111002） in Chinese, 顶山街道 (320111002) in English: the services' words for a division (explain.words.division).
  return (prefix) => (names.get(prefix) ? t('explain.words.division', { name: names.get(prefix), code: prefix }) : prefix);
}

function tree(divisions: Division[], deepest: number, label: (d: Division) => string): Option[] {
  const within = (parent: Division) => divisions.filter((d) => d.level === parent.level + 1 && d.prefix.startsWith(parent.prefix) && d.level <= deepest);
  const build = (d: Division): Option => {
    const children = within(d).map(build);
    return { value: d.prefix, label: label(d), ...(children.length ? { children } : {}) };
  };
  const top = Math.min(...divisions.map((d) => d.level));
  return divisions.filter((d) => d.level === top).map(build);
}

/** The path of prefixes from the top of the tree down to `prefix` (what the Cascader's value is). */
function pathOf(divisions: Division[], prefix: string): string[] {
  return divisions.filter((d) => prefix.startsWith(d.prefix)).sort((a, b) => a.level - b.level).map((d) => d.prefix);
}

/**
 * 区/街道/社区 picker with names from the snapshot's divisions, searchable by name or code. `deepest`: 5 allows
 * communities, 4 stops at streets; `leafOnly` requires a community (a residence). The value is a division prefix.
 */
export function DivisionPicker(props: {
  value: string | undefined;
  onChange(prefix: string | undefined): void;
  label: string;
  deepest?: 4 | 5;
  leafOnly?: boolean;
  placeholder?: string;
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  const [divisions, setDivisions] = useState<Division[]>([]);
  useEffect(() => {
    void loadDivisions().then(setDivisions);
  }, []);
  const options = useMemo(() => (divisions.length ? tree(divisions, props.deepest ?? 5, (d) => t('explain.words.division', { name: d.name, code: d.prefix })) : []), [divisions, props.deepest, t]);
  return (
    <Cascader
      aria-label={props.label}
      options={options}
      value={props.value ? pathOf(divisions, props.value) : undefined}
      changeOnSelect={!props.leafOnly}
      disabled={props.disabled}
      placeholder={props.placeholder ?? t('divisions.pick')}
      showSearch={{ filter: (input, path) => path.some((o) => String(o.label).includes(input.trim())) }}
      onChange={(path) => props.onChange(path?.length ? String(path[path.length - 1]) : undefined)}
      style={{ minWidth: 260 }}
    />
  );
}

/** Several divisions at once (a data scope): each a county, street or community prefix. */
export function DivisionsPicker(props: { value: string[]; onChange(prefixes: string[]): void; label: string; disabled?: boolean }) {
  const { t } = useTranslation();
  const [divisions, setDivisions] = useState<Division[]>([]);
  useEffect(() => {
    void loadDivisions().then(setDivisions);
  }, []);
  const options = useMemo(() => (divisions.length ? tree(divisions, 5, (d) => t('explain.words.division', { name: d.name, code: d.prefix })) : []), [divisions, t]);
  return (
    <Cascader
      aria-label={props.label}
      multiple
      options={options}
      showCheckedStrategy={Cascader.SHOW_PARENT}
      value={props.value.map((p) => pathOf(divisions, p))}
      disabled={props.disabled}
      placeholder={t('divisions.pickMany')}
      showSearch={{ filter: (input, path) => path.some((o) => String(o.label).includes(input.trim())) }}
      onChange={(paths) => props.onChange((paths as string[][]).map((p) => String(p[p.length - 1])))}
      style={{ minWidth: 320, width: '100%' }}
      maxTagCount="responsive"
    />
  );
}
