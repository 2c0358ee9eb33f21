import './zod-config';
import { createRoot } from 'react-dom/client';
import { createAppClient } from './api/bridge';
import { ClientProvider } from './api/context';
import { App } from './app/App';
import './styles.css';

const root = createRoot(document.getElementById('root') as HTMLElement);
const client = createAppClient();
root.render(
  client ? (
    <ClientProvider client={client}>
      <App />
    </ClientProvider>
  ) : (
    <main className="locked">
      <h1>Creator Hub</h1>
      <p>
        This page needs the link printed by <code>npm start</code> (it carries a one-time key). Open
        that link, or start the app again.
      </p>
    </main>
  ),
);
