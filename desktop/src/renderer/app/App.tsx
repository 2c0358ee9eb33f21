import type { Theme } from '@creator-hub/shared/api/index';
import { useEffect, useState } from 'react';
import { useClient, useLoad } from '../api/context';
import { EvaluationScreen } from '../screens/evaluation/EvaluationScreen';
import { KnowledgeScreen } from '../screens/knowledge/KnowledgeScreen';
import { PersonaScreen } from '../screens/persona/PersonaScreen';
import { PlaygroundScreen } from '../screens/playground/PlaygroundScreen';
import { ProgramsScreen } from '../screens/programs/ProgramsScreen';
import { PublishScreen } from '../screens/publish/PublishScreen';
import { SettingsScreen } from '../screens/settings/SettingsScreen';
import { Onboarding } from './Onboarding';
import { SCREENS, type ScreenId } from './screens';
import { applyTheme } from './theme';

export function App() {
  const client = useClient();
  const info = useLoad('app.info', {});
  const [screen, setScreen] = useState<ScreenId>('knowledge');
  const [theme, setTheme] = useState<Theme>('system');
  const [onboarded, setOnboarded] = useState(false);

  useEffect(() => {
    client
      .send('settings.get', {})
      .then((s) => setTheme(s.theme))
      .catch(() => undefined);
  }, [client]);
  useEffect(() => {
    applyTheme(theme);
  }, [theme]);

  if (!info.data) {
    return <div className="splash">{info.error ?? 'Opening your workspace…'}</div>;
  }
  if (info.data.firstRun && !onboarded) {
    return <Onboarding info={info.data} onDone={() => setOnboarded(true)} />;
  }

  return (
    <div className="shell">
      <nav className="sidebar" aria-label="Sections">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            ◆
          </span>
          Creator Hub
        </div>
        <ul>
          {SCREENS.map((s) => (
            <li key={s.id}>
              <button
                type="button"
                className={`nav-item ${screen === s.id ? 'active' : ''}`}
                aria-current={screen === s.id ? 'page' : undefined}
                onClick={() => setScreen(s.id)}
              >
                <span className="nav-icon" aria-hidden="true">
                  {s.icon}
                </span>
                {s.label}
              </button>
            </li>
          ))}
        </ul>
        <div className={`ollama-pill ${info.data.ollama.reachable ? 'ok' : 'off'}`}>
          <span className="dot" aria-hidden="true" />
          {info.data.ollama.reachable ? 'Ollama connected' : 'Ollama offline'}
        </div>
      </nav>
      <main className="content" id="main">
        {screen === 'knowledge' && <KnowledgeScreen />}
        {screen === 'playground' && <PlaygroundScreen />}
        {screen === 'persona' && <PersonaScreen />}
        {screen === 'programs' && <ProgramsScreen />}
        {screen === 'evaluation' && <EvaluationScreen />}
        {screen === 'publish' && <PublishScreen />}
        {screen === 'settings' && (
          <SettingsScreen home={info.data.home} onTheme={setTheme} onSaved={() => info.reload()} />
        )}
      </main>
    </div>
  );
}
