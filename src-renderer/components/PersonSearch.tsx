import { Input, Popover } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../src-main/contract/contract';
import { call } from '../api/client';
import { useNavStore } from '../state/nav-store';

type Found = CallOutput<'person.find'>;

/**
 * 查人 in the top bar: a whole ID number or a name, inside the user's scope, opens 一人一档 (the search and the file
 * are both audited). Nothing is searched until the user presses Enter.
 */
export function PersonSearch() {
  const { t } = useTranslation();
  const openPerson = useNavStore((s) => s.openPerson);
  const [text, setText] = useState('');
  const [found, setFound] = useState<Found | null>(null);
  const open = (personRef: string) => {
    setFound(null);
    setText('');
    openPerson(personRef);
  };
  const search = async () => {
    if (text.trim().length < 2) return;
    const result = await call('person.find', { query: text.trim() }).catch(() => [] as Found);
    if (result.length === 1) open(result[0]!.personRef);
    else setFound(result);
  };
  return (
    <Popover
      open={found !== null}
      onOpenChange={(v) => !v && setFound(null)}
      placement="bottomRight"
      content={
        found?.length ? (
          <ul className="plain person-results" aria-label={t('find.label')}>
            {found.map((p) => (
              <li key={p.personRef}>
                <button type="button" className="link" onClick={() => open(p.personRef)}>
                  {p.name} <span className="mono hint">{p.idLabel}</span> {p.divisionName ?? ''}
                </button>
              </li>
            ))}
          </ul>
        ) : (
          <p className="hint">{t('find.none')}</p>
        )
      }
    >
      <Input.Search
        aria-label={t('find.label')}
        placeholder={t('find.placeholder')}
        value={text}
        allowClear
        onChange={(e) => setText(e.target.value)}
        onSearch={() => void search()}
        style={{ width: 230 }}
      />
    </Popover>
  );
}
