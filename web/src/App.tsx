import { useCallback, useEffect, useState } from 'react';
import { Console } from './Console';
import { AuthPage } from './pages/AuthPage';
import { forgetToken, restoreSession, SESSION_EXPIRED_MESSAGE, sessionFromToken, storeToken, type Session } from './lib/session';

/** setTimeout cannot wait longer than this; a later expiry is left to the server's 401. */
const MAX_TIMER_MS = 2_147_483_647;

export function App() {
  const [restored] = useState(() => restoreSession(sessionStorage, Date.now()));
  const [session, setSession] = useState<Session | null>(restored.session);
  const [notice, setNotice] = useState<string | null>(restored.expired ? SESSION_EXPIRED_MESSAGE : null);

  const signOut = useCallback((message: string | null) => {
    forgetToken(sessionStorage);
    setSession(null);
    setNotice(message);
  }, []);

  useEffect(() => {
    const exp = session?.claims.exp;
    if (!exp) return;
    const delay = exp * 1000 - Date.now();
    if (delay > MAX_TIMER_MS) return;
    const timer = setTimeout(() => signOut(SESSION_EXPIRED_MESSAGE), Math.max(0, delay));
    return () => clearTimeout(timer);
  }, [session, signOut]);

  function signIn(token: string) {
    const next = sessionFromToken(token, Date.now());
    if (!next) {
      setNotice('The server answered with a token this console cannot read.');
      return;
    }
    storeToken(sessionStorage, token);
    setSession(next);
    setNotice(null);
  }

  if (!session) return <AuthPage notice={notice} onSignedIn={signIn} />;
  return <Console session={session} onSignOut={signOut} />;
}
