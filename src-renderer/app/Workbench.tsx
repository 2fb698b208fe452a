import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../api/client';
import { useIdleLock } from '../hooks/useIdleLock';
import type { Language } from '../i18n';
import { AuditHistoryScreen } from '../screens/audit/AuditHistoryScreen';
import { HomeScreen } from '../screens/home/HomeScreen';
import { SettingsScreen } from '../screens/settings/SettingsScreen';
import { UsersScreen } from '../screens/users/UsersScreen';
import { SyncScreen } from '../screens/sync/SyncScreen';
import { ChecksScreen } from '../screens/checks/ChecksScreen';
import { PrecheckScreen } from '../screens/precheck/PrecheckScreen';
import { QualityScreen } from '../screens/quality/QualityScreen';
import { QueryScreen } from '../screens/query/QueryScreen';
import { AsOfBanner } from '../components/AsOfBanner';
import { forgetChartText } from '../components/chartText';
import { PersonSearch } from '../components/PersonSearch';
import { InboxScreen } from '../screens/triage/InboxScreen';
import { MonitoringScreen } from '../screens/monitoring/MonitoringScreen';
import { LearningScreen } from '../screens/triage/LearningScreen';
import { ExportsScreen } from '../screens/exports/ExportsScreen';
import { TeamAuditScreen } from '../screens/audit/TeamAuditScreen';
import { PersonFileScreen } from '../screens/triage/PersonFileScreen';
import { BackupScreen } from '../screens/backup/BackupScreen';
import { DashboardScreen } from '../screens/reports/DashboardScreen';
import { SpendingScreen } from '../screens/reports/SpendingScreen';
import { useNavStore, type Screen } from '../state/nav-store';
import { useSessionStore } from '../state/session-store';
import { LanguageSwitch } from './App';

/** The logged-in frame: top bar, navigation (Alt+1…4), lock (Ctrl+Shift+L) and the current screen. */
export function Workbench() {
  const { t } = useTranslation();
  const { session, lock, logout, adopt } = useSessionStore();
  const { screen, go, personRef } = useNavStore();
  useIdleLock(session?.idleLockMinutes ?? 10);
  // Leaving a screen (or the workbench: lock, logout) leaves none of its chart text in the page.
  useEffect(() => forgetChartText, [screen]);

  const items: { screen: Screen; label: string }[] = [
    { screen: 'home', label: t('nav.home') },
    ...(session?.role === 'admin'
      ? [{ screen: 'users' as const, label: t('nav.users') }]
      : [
          { screen: 'inbox' as const, label: t('nav.inbox') },
          ...(session?.role === 'auditor' || session?.role === 'supervisor' ? [{ screen: 'monitoring' as const, label: t('nav.monitoring') }] : []),
          ...(session?.role === 'supervisor' ? [{ screen: 'dashboard' as const, label: t('nav.dashboard') }] : []),
          ...(session?.role === 'supervisor' || session?.role === 'finance' ? [{ screen: 'spending' as const, label: t('nav.spending') }] : []),
          ...(session?.role === 'supervisor'
            ? [
                { screen: 'learning' as const, label: t('nav.learning') },
                { screen: 'teamAudit' as const, label: t('nav.teamAudit') },
              ]
            : []),
          { screen: 'exports' as const, label: t('nav.exports') },
          { screen: 'checks' as const, label: t('nav.checks') },
          { screen: 'precheck' as const, label: t('nav.precheck') },
          { screen: 'query' as const, label: t('nav.query') },
          { screen: 'quality' as const, label: t('nav.quality') },
          { screen: 'sync' as const, label: t('nav.sync') },
        ]),
    { screen: 'audit', label: t('nav.audit') },
    { screen: 'backup', label: t('nav.backup') },
    { screen: 'settings', label: t('nav.settings') },
  ];

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey && /^[1-9]$/.test(e.key)) {
        const target = items[Number(e.key) - 1];
        if (target) {
          e.preventDefault();
          go(target.screen);
        }
      } else if (e.ctrlKey && e.shiftKey && e.key.toLowerCase() === 'l') {
        e.preventDefault();
        void lock();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  if (!session) return null;
  return (
    <div className="workbench">
      <header className="topbar">
        <div className="brand">{t('app.title')}</div>
        <div className="topbar-right">
          {session.role !== 'admin' && <PersonSearch />}
          {session.role !== 'admin' && <AsOfBanner />}
          <span data-testid="current-user">
            {session.displayName} · {t(`roles.${session.role}`)}
          </span>
          <LanguageSwitch
            current={session.language as Language}
            onChange={(language) => void call('settings.update', { language }).then(adopt)}
          />
          <button type="button" onClick={() => void lock()} title="Ctrl+Shift+L">
            {t('nav.lock')}
          </button>
          <button type="button" onClick={() => void logout()}>
            {t('nav.logout')}
          </button>
        </div>
      </header>
      <nav className="sidebar" aria-label="main">
        {items.map((item, i) => (
          <button key={item.screen} type="button" aria-current={screen === item.screen ? 'page' : undefined} title={`Alt+${i + 1}`} onClick={() => go(item.screen)}>
            {item.label}
          </button>
        ))}
      </nav>
      <main className="content">
        {screen === 'home' && <HomeScreen />}
        {screen === 'users' && session.role === 'admin' && <UsersScreen />}
        {screen === 'sync' && session.role !== 'admin' && <SyncScreen />}
        {screen === 'inbox' && session.role !== 'admin' && <InboxScreen />}
        {screen === 'monitoring' && (session.role === 'auditor' || session.role === 'supervisor') && <MonitoringScreen />}
        {screen === 'person' && session.role !== 'admin' && <PersonFileScreen key={personRef} />}
        {screen === 'learning' && session.role === 'supervisor' && <LearningScreen />}
        {screen === 'exports' && session.role !== 'admin' && <ExportsScreen />}
        {screen === 'teamAudit' && session.role === 'supervisor' && <TeamAuditScreen />}
        {screen === 'checks' && session.role !== 'admin' && <ChecksScreen />}
        {screen === 'precheck' && session.role !== 'admin' && <PrecheckScreen />}
        {screen === 'quality' && session.role !== 'admin' && <QualityScreen />}
        {screen === 'query' && session.role !== 'admin' && <QueryScreen />}
        {screen === 'audit' && <AuditHistoryScreen />}
        {screen === 'backup' && <BackupScreen />}
        {screen === 'dashboard' && session.role === 'supervisor' && <DashboardScreen />}
        {screen === 'spending' && (session.role === 'supervisor' || session.role === 'finance') && <SpendingScreen />}
        {screen === 'settings' && <SettingsScreen />}
      </main>
    </div>
  );
}
