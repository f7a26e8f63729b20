import { useState } from 'preact/hooks';
import { api, session } from '../api.js';
import { messageOf } from '../useApi.js';
import { Notice } from './Notice.js';

/**
 * Asks for an API key and a tenant, and checks them with one read before keeping them.
 * The key field is a password field: the key is never shown back.
 */
export function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const [tenant, setTenant] = useState(session.tenant());
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | undefined>();
  const submit = async (event: Event) => {
    event.preventDefault();
    session.signIn(key.trim(), tenant.trim());
    try {
      await api('GET', `tenants/${encodeURIComponent(tenant.trim())}`);
      onSignedIn();
    } catch (e) {
      session.signOut();
      setError(messageOf(e));
    }
  };
  return (
    <main id="main" class="signin">
      <h1>shardsync console</h1>
      <form onSubmit={submit}>
        <label for="tenant">Tenant</label>
        <input id="tenant" name="tenant" required value={tenant} onInput={(e) => setTenant(e.currentTarget.value)} autocomplete="off" />
        <label for="apikey">API key</label>
        <input id="apikey" name="apikey" type="password" required value={key} onInput={(e) => setKey(e.currentTarget.value)} autocomplete="off" />
        <button type="submit">Sign in</button>
      </form>
      <p class="hint">The key is kept in this tab's session storage only. Locally it is in <code>.data/admin.key</code>.</p>
      <Notice error={error} />
    </main>
  );
}
