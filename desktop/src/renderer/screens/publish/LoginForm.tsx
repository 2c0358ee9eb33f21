import { useState } from 'react';
import { errorText, useClient } from '../../api/context';
import { ErrorNote } from '../../components/ui';

/** Server login: registers this workspace as a device; only the device token is kept. */
export function LoginForm({ onLoggedIn }: { onLoggedIn: () => void }) {
  const client = useClient();
  const [serverUrl, setServerUrl] = useState('https://');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      className="card form"
      aria-label="Log in to your server"
      onSubmit={(e) => {
        e.preventDefault();
        setBusy(true);
        setError(null);
        client
          .send('publish.login', { serverUrl, email, password })
          .then(() => {
            setPassword('');
            onLoggedIn();
          })
          .catch((err: unknown) => setError(errorText(err)))
          .finally(() => setBusy(false));
      }}
    >
      <h2>Log in to your server</h2>
      <p className="muted">
        Your password is used once to register this computer; it is not stored.
      </p>
      <label>
        Server address
        <input type="url" value={serverUrl} onChange={(e) => setServerUrl(e.target.value)} />
      </label>
      <div className="grid-2">
        <label>
          E-mail
          <input
            type="email"
            autoComplete="username"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </label>
        <label>
          Password
          <input
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
      </div>
      <ErrorNote error={error} />
      <div className="row">
        <button type="submit" className="primary" disabled={busy || !email || !password}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
      </div>
    </form>
  );
}
