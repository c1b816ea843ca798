import { useMemo, useState } from 'react';
import { createClient, requestVia } from '../lib/api';
import { RegisterForm, SignInForm } from './AuthForms';

interface AuthPageProps {
  notice: string | null;
  onSignedIn: (token: string) => void;
}

export function AuthPage({ notice, onSignedIn }: AuthPageProps) {
  const [registering, setRegistering] = useState(false);
  const request = useMemo(() => requestVia(createClient({ token: null, onUnauthenticated: () => undefined })), []);
  return (
    <main className="auth">
      <h1>Wallet console</h1>
      {notice && (
        <p className="alert alert-info" role="status" data-testid="auth-message">
          {notice}
        </p>
      )}
      <section className="panel" aria-labelledby="auth-title">
        <h2 id="auth-title">{registering ? 'Create an account' : 'Sign in'}</h2>
        {registering ? <RegisterForm request={request} onSignedIn={onSignedIn} /> : <SignInForm request={request} onSignedIn={onSignedIn} />}
        <p>
          {registering ? 'Already have an account? ' : 'New here? '}
          <button type="button" className="link" onClick={() => setRegistering(!registering)}>
            {registering ? 'Sign in' : 'Create an account'}
          </button>
        </p>
      </section>
    </main>
  );
}
