import { useState, type FormEvent } from 'react';
import { SelectField, TextField } from '../components/Field';
import { ProblemAlert } from '../components/ProblemAlert';
import { useApp } from '../context';
import type { ApiFailure } from '../lib/api';
import type { AccountStatus, Role, User } from '../../../libs/contract/src';

const ROLE_OPTIONS = [
  { value: 'user', label: 'User' },
  { value: 'admin', label: 'Administrator' },
];
const STATUS_OPTIONS = [
  { value: 'ACTIVE', label: 'Active' },
  { value: 'DISABLED', label: 'Disabled (cannot sign in or be paid)' },
];

/** Admins look an account up by id and change its role or disable it (PATCH /users/:id). */
export function AccountPanel() {
  const { request } = useApp();
  const [userId, setUserId] = useState('');
  const [user, setUser] = useState<User | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);

  async function send(path: string, body?: { role: Role; status: AccountStatus }) {
    const result = await request<User>(path, body ? { method: 'PATCH', body } : {});
    setFailure(result.ok ? null : result);
    if (result.ok) setUser(result.data);
  }

  function find(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void send(`/users/${encodeURIComponent(userId.trim())}`);
  }

  return (
    <section className="panel" aria-labelledby="account-title">
      <h2 id="account-title">Accounts</h2>
      <form noValidate onSubmit={find} data-testid="account-find">
        <TextField label="Account user id" autoComplete="off" value={userId} onChange={setUserId} />
        <button type="submit">Find</button>
      </form>
      {failure && <ProblemAlert failure={failure} />}
      {user && <AccountEditor key={`${user.id}-${user.role}-${user.status}`} user={user} onSave={(body) => void send(`/users/${user.id}`, body)} />}
    </section>
  );
}

function AccountEditor({ user, onSave }: { user: User; onSave: (body: { role: Role; status: AccountStatus }) => void }) {
  const [role, setRole] = useState<Role>(user.role);
  const [status, setStatus] = useState<AccountStatus>(user.status);
  return (
    <form
      noValidate
      data-testid="account-editor"
      data-role={user.role}
      data-status={user.status}
      onSubmit={(event) => {
        event.preventDefault();
        onSave({ role, status });
      }}
    >
      <p className="event-id">
        <strong>{user.name}</strong> {user.email}
      </p>
      <SelectField label="Role" value={role} onChange={(v) => setRole(v as Role)} options={ROLE_OPTIONS} />
      <SelectField label="Status" value={status} onChange={(v) => setStatus(v as AccountStatus)} options={STATUS_OPTIONS} />
      <button type="submit">Save</button>
    </form>
  );
}
