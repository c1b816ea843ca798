import { useState, type FormEvent } from 'react';
import { TextField } from '../components/Field';
import { ProblemAlert } from '../components/ProblemAlert';
import type { ApiFailure, ApiRequest, ApiResult } from '../lib/api';
import type { Token, User } from '../../../libs/contract/src';

interface AuthFormProps {
  request: ApiRequest;
  onSignedIn: (token: string) => void;
}

type Errors = Partial<Record<'name' | 'email' | 'password', string>>;

function login(request: ApiRequest, email: string, password: string): Promise<ApiResult<Token>> {
  return request<Token>('/auth/login', { method: 'POST', body: { email: email.trim(), password } });
}

function checkEmail(email: string): Errors {
  return /^[^\s@]+@[^\s@]+$/.test(email.trim()) ? {} : { email: 'Enter your email address.' };
}

/** Credentials, errors and the request in flight, shared by both forms. */
function useAuthForm(onSignedIn: (token: string) => void) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [pending, setPending] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>, found: Errors, send: () => Promise<ApiResult<Token>>) {
    event.preventDefault();
    setErrors(found);
    if (Object.keys(found).length > 0 || pending) return;
    setPending(true);
    setFailure(null);
    const result = await send();
    setPending(false);
    if (result.ok) onSignedIn(result.data.accessToken);
    else setFailure(result);
  }

  return { email, setEmail, password, setPassword, errors, pending, failure, submit };
}

export function SignInForm({ request, onSignedIn }: AuthFormProps) {
  const form = useAuthForm(onSignedIn);
  const found = { ...checkEmail(form.email), ...(form.password ? {} : { password: 'Enter your password.' }) };
  return (
    <form noValidate onSubmit={(e) => form.submit(e, found, () => login(request, form.email, form.password))} data-testid="sign-in-form">
      <TextField label="Email" type="email" name="email" autoComplete="username" value={form.email} onChange={form.setEmail} error={form.errors.email} />
      <TextField label="Password" type="password" name="password" autoComplete="current-password" value={form.password} onChange={form.setPassword} error={form.errors.password} />
      <button type="submit" disabled={form.pending}>{form.pending ? 'Signing in…' : 'Sign in'}</button>
      {form.failure && <ProblemAlert failure={form.failure} />}
    </form>
  );
}

export function RegisterForm({ request, onSignedIn }: AuthFormProps) {
  const form = useAuthForm(onSignedIn);
  const [name, setName] = useState('');
  const found: Errors = {
    ...(name.trim() ? {} : { name: 'Enter your name.' }),
    ...checkEmail(form.email),
    ...(form.password.length >= 8 && form.password.length <= 128 ? {} : { password: 'Use 8 to 128 characters.' }),
  };

  async function registerThenSignIn(): Promise<ApiResult<Token>> {
    const body = { email: form.email.trim(), password: form.password, name: name.trim() };
    const created = await request<User>('/auth/register', { method: 'POST', body });
    return created.ok ? login(request, form.email, form.password) : created;
  }

  return (
    <form noValidate onSubmit={(e) => form.submit(e, found, registerThenSignIn)} data-testid="register-form">
      <TextField label="Name" name="name" autoComplete="name" value={name} onChange={setName} error={form.errors.name} />
      <TextField label="Email" type="email" name="email" autoComplete="email" value={form.email} onChange={form.setEmail} error={form.errors.email} />
      <TextField label="Password" type="password" name="password" autoComplete="new-password" hint="8 to 128 characters." value={form.password} onChange={form.setPassword} error={form.errors.password} />
      <button type="submit" disabled={form.pending}>{form.pending ? 'Creating account…' : 'Create account'}</button>
      {form.failure && <ProblemAlert failure={form.failure} />}
    </form>
  );
}
