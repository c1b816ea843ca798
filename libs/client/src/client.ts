import type * as C from '../../contract/src';
import { items } from './paginate';
import type * as R from './requests';
import { sleep } from './retry';
import { Transport, type ApiRequest, type Query, type TransportOptions } from './transport';

export interface ClientOptions extends TransportOptions {
  /** Makes Idempotency-Keys; default crypto.randomUUID (a fresh key per intended action). */
  newKey?: () => string;
}

const FOLLOW_POLL_MS_DEFAULT = 1_000;

/**
 * A typed client of the wallet service: one method per endpoint, lists as async iterables, and every money-moving
 * POST sent with one Idempotency-Key per call, reused by the client's own retries.
 */
export class WalletClient {
  readonly transport: Transport;
  private readonly newKey: () => string;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(options: ClientOptions = {}) {
    this.transport = new Transport(options);
    this.newKey = options.newKey ?? (() => globalThis.crypto.randomUUID());
    this.sleep = options.sleep ?? sleep;
  }

  readonly auth = {
    register: (body: { email: string; password: string; name: string }) => this.post<C.User>('/auth/register', body),
    login: (body: { email: string; password: string }) => this.post<C.Token>('/auth/login', body),
    logout: () => this.post<void>('/auth/logout'),
  };

  readonly users = {
    me: () => this.get<C.User>('/users/me'),
    get: (id: string) => this.get<C.User>(`/users/${id}`),
    update: (id: string, body: R.UserUpdate) => this.call<C.User>({ method: 'PATCH', path: `/users/${id}`, body }),
    changePassword: (body: { currentPassword: string; newPassword: string }) => this.post<void>('/users/me/password', body),
  };

  readonly assets = {
    list: () => this.get<C.Asset[]>('/assets'),
    create: (body: C.Asset) => this.post<C.Asset>('/assets', body),
  };

  readonly wallets = {
    list: (kind?: 'USER' | 'SYSTEM') => this.get<C.Wallet[]>('/wallets', { kind }),
    get: (id: number) => this.get<C.Wallet>(`/wallets/${id}`),
    entriesPage: (id: number, cursor: string | null = null, filter: R.PageFilter = {}) =>
      this.get<C.Page<C.Entry>>(`/wallets/${id}/entries`, { ...filter, cursor }),
    entries: (id: number, filter: R.PageFilter = {}) => items((cursor) => this.wallets.entriesPage(id, cursor, filter)),
    balanceAt: (id: number, at: string) => this.get<C.BalanceAt>(`/wallets/${id}/balance`, { at }),
    statement: (id: number, from: string, to: string) => this.get<C.Statement>(`/wallets/${id}/statement`, { from, to }),
    statementCsv: (id: number, from: string, to: string) =>
      this.call<string>({ method: 'GET', path: `/wallets/${id}/statement`, query: { from, to }, accept: 'text/csv' }),
  };

  readonly transfers = { create: (body: R.TransferInput, options?: R.WriteOptions) => this.write<C.Transaction>('/transfers', body, options) };
  readonly spends = { create: (body: R.MovementInput, options?: R.WriteOptions) => this.write<C.Transaction>('/spends', body, options) };
  readonly withdrawals = { create: (body: R.MovementInput, options?: R.WriteOptions) => this.write<C.Transaction>('/withdrawals', body, options) };
  readonly topUps = { create: (body: R.TopUpInput, options?: R.WriteOptions) => this.write<C.Transaction>('/top-ups', body, options) };
  readonly bonuses = { create: (body: R.TopUpInput, options?: R.WriteOptions) => this.write<C.Transaction>('/bonuses', body, options) };

  readonly transactions = {
    create: (body: R.MultiLegInput, options?: R.WriteOptions) => this.write<C.Transaction>('/transactions', body, options),
    reverse: (id: string, body: { reason: string; metadata?: C.Metadata }, options?: R.WriteOptions) =>
      this.write<C.Transaction>(`/transactions/${id}/reversal`, body, options),
    get: (id: string) => this.get<C.TransactionWithEntries>(`/transactions/${id}`),
    page: (cursor: string | null = null, filter: R.TransactionFilter = {}) => this.get<C.Page<C.Transaction>>('/transactions', { ...filter, cursor }),
    list: (filter: R.TransactionFilter = {}) => items((cursor) => this.transactions.page(cursor, filter)),
  };

  readonly holds = {
    create: (body: R.HoldInput, options?: R.WriteOptions) => this.write<C.Hold>('/holds', body, options),
    capture: (id: string, body: R.CaptureInput = {}, options?: R.WriteOptions) => this.write<C.Transaction>(`/holds/${id}/capture`, body, options),
    void: (id: string, body: R.VoidInput = {}, options?: R.WriteOptions) => this.write<C.Transaction>(`/holds/${id}/void`, body, options),
    get: (id: string) => this.get<C.Hold>(`/holds/${id}`),
    page: (cursor: string | null = null, filter: R.HoldFilter = {}) => this.get<C.Page<C.Hold>>('/holds', { ...filter, cursor }),
    list: (filter: R.HoldFilter = {}) => items((cursor) => this.holds.page(cursor, filter)),
  };

  readonly rates = {
    list: () => this.get<C.Rate[]>('/rates'),
    put: (from: string, to: string, rate: string) => this.call<C.Rate>({ method: 'PUT', path: `/rates/${from}/${to}`, body: { rate } }),
    delete: (from: string, to: string) => this.call<void>({ method: 'DELETE', path: `/rates/${from}/${to}` }),
  };

  readonly quotes = { create: (body: R.QuoteInput) => this.post<C.Quote>('/quotes', body) };
  readonly exchanges = { create: (body: R.ExchangeInput, options?: R.WriteOptions) => this.write<C.Transaction>('/exchanges', body, options) };

  readonly events = {
    page: (filter: R.EventFilter = {}) => this.get<C.Page<C.Event>>('/events', { ...filter }),
    follow: (options: R.FollowOptions = {}) => this.follow(options),
  };

  readonly webhooks = {
    create: (body: R.WebhookInput) => this.post<C.CreatedWebhook>('/webhooks', body),
    list: () => this.get<C.Webhook[]>('/webhooks'),
    delete: (id: string) => this.call<void>({ method: 'DELETE', path: `/webhooks/${id}` }),
    deliveriesPage: (id: string, cursor: string | null = null, filter: R.PageFilter = {}) =>
      this.get<C.Page<C.Delivery>>(`/webhooks/${id}/deliveries`, { ...filter, cursor }),
    deliveries: (id: string) => items((cursor) => this.webhooks.deliveriesPage(id, cursor)),
  };

  readonly batches = {
    upload: (asset: string, file: Blob, fileName: string, options?: R.WriteOptions) => this.upload(asset, file, fileName, options),
    get: (id: string) => this.get<C.Batch>(`/batches/${id}`),
    page: (cursor: string | null = null, filter: R.PageFilter = {}) => this.get<C.Page<C.Batch>>('/batches', { ...filter, cursor }),
    list: () => items((cursor) => this.batches.page(cursor)),
    itemsPage: (id: string, cursor: string | null = null, filter: R.BatchItemFilter = {}) =>
      this.get<C.Page<C.BatchItem>>(`/batches/${id}/items`, { ...filter, cursor }),
    items: (id: string, filter: R.BatchItemFilter = {}) => items((cursor) => this.batches.itemsPage(id, cursor, filter)),
  };

  readonly admin = { reconciliation: () => this.get<C.Reconciliation>('/admin/reconciliation') };

  /** The event feed from `after` on, oldest first; waits `pollMs` whenever it has read to the end. */
  private async *follow({ pollMs = FOLLOW_POLL_MS_DEFAULT, signal, ...filter }: R.FollowOptions): AsyncGenerator<C.Event> {
    let after = filter.after;
    while (!signal?.aborted) {
      const page = await this.events.page({ ...filter, after });
      yield* page.items;
      after = page.nextCursor ?? after;
      if (page.items.length === 0) await this.sleep(pollMs);
    }
  }

  private upload(asset: string, file: Blob, fileName: string, options?: R.WriteOptions): Promise<C.Batch> {
    const form = new FormData();
    form.set('asset', asset);
    form.set('file', file, fileName);
    return this.call<C.Batch>({ method: 'POST', path: '/batches', form, idempotencyKey: options?.idempotencyKey ?? this.newKey() });
  }

  private write<T>(path: string, body: unknown, options?: R.WriteOptions): Promise<T> {
    return this.call<T>({ method: 'POST', path, body, idempotencyKey: options?.idempotencyKey ?? this.newKey() });
  }

  private post<T>(path: string, body?: unknown): Promise<T> {
    return this.call<T>({ method: 'POST', path, body });
  }

  private get<T>(path: string, query?: Query): Promise<T> {
    return this.call<T>({ method: 'GET', path, query });
  }

  private async call<T>(request: ApiRequest): Promise<T> {
    return (await this.transport.send<T>(request)).data;
  }
}
