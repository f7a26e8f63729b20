import { useEffect, useState } from 'preact/hooks';
import { session } from './api.js';
import { SignIn } from './components/SignIn.js';
import { ConnectionsPage } from './pages/ConnectionsPage.js';
import { ExecutionsPage } from './pages/ExecutionsPage.js';
import { ExecutionPage } from './pages/ExecutionPage.js';
import { ConflictsPage } from './pages/ConflictsPage.js';
import { FailuresPage } from './pages/FailuresPage.js';
import { ShardsPage } from './pages/ShardsPage.js';
import { ShardPage } from './pages/ShardPage.js';
import { SchedulesPage } from './pages/SchedulesPage.js';
import { ActivityPage } from './pages/ActivityPage.js';

const PAGES = [
  ['connections', 'Connections and tasks'],
  ['executions', 'Executions'],
  ['conflicts', 'Conflicts'],
  ['failures', 'Failures'],
  ['shards', 'Shards'],
  ['schedules', 'Schedules'],
  ['activity', 'Activity'],
] as const;

/** Hash routes (`#/executions/exe_1`): the server serves one page, the browser keeps history. */
const currentRoute = () => location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);

export function App() {
  const [signedIn, setSignedIn] = useState(session.key() !== null);
  const [route, setRoute] = useState(currentRoute());
  useEffect(() => {
    const onHash = () => setRoute(currentRoute());
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  if (!signedIn) return <SignIn onSignedIn={() => setSignedIn(true)} />;
  const [named, id] = route;
  // An unknown or empty hash opens the first page rather than a blank one.
  const page = PAGES.some(([path]) => path === named) ? named : 'connections';
  return (
    <>
      <a class="skip" href="#main" onClick={(e) => (e.preventDefault(), document.getElementById('main')?.focus())}>Skip to content</a>
      <header>
        <span class="brand">shardsync · tenant <strong>{session.tenant()}</strong></span>
        <nav aria-label="Console pages">
          <ul>
            {PAGES.map(([path, label]) => (
              <li key={path}>
                <a href={`#/${path}`} aria-current={page === path ? 'page' : undefined}>{label}</a>
              </li>
            ))}
          </ul>
        </nav>
        <button type="button" onClick={() => (session.signOut(), setSignedIn(false))}>Sign out</button>
      </header>
      <main id="main" tabIndex={-1}>
        {page === 'executions' && id ? <ExecutionPage id={id} /> : null}
        {page === 'executions' && !id ? <ExecutionsPage /> : null}
        {page === 'conflicts' ? <ConflictsPage /> : null}
        {page === 'failures' ? <FailuresPage /> : null}
        {page === 'shards' && id ? <ShardPage id={id} /> : null}
        {page === 'shards' && !id ? <ShardsPage /> : null}
        {page === 'schedules' ? <SchedulesPage /> : null}
        {page === 'activity' ? <ActivityPage /> : null}
        {page === 'connections' ? <ConnectionsPage /> : null}
      </main>
    </>
  );
}
