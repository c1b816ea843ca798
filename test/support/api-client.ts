import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { OpenApiContract, OpenApiDocument } from './openapi-contract';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './test-app';

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface RequestOptions {
  token?: string;
  key?: string | null;
  headers?: Record<string, string>;
  rawBody?: string;
}

export interface TestUser {
  id: string;
  email: string;
  token: string;
}

/** One document per service under test, fetched on its first checked answer. */
const contracts = new Map<string, Promise<OpenApiContract>>();

function contractOf(baseUrl: string): Promise<OpenApiContract> {
  let contract = contracts.get(baseUrl);
  if (contract === undefined) {
    contract = fetch(`${baseUrl}/docs-json`).then(async (r) => new OpenApiContract((await r.json()) as OpenApiDocument));
    // A service that was not answering yet must not poison later checks against the same URL.
    contract.catch(() => contracts.delete(baseUrl));
    contracts.set(baseUrl, contract);
  }
  return contract;
}

/**
 * Real HTTP against the listening service, through Node's fetch. Every JSON answer is checked
 * against the service's own OpenAPI document (test/support/openapi-contract.ts): a test whose
 * answer the document does not describe fails, naming the path, status and field.
 */
export class ApiClient {
  constructor(readonly baseUrl: string) {}

  async request<T = any>(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    if (options.key !== undefined && options.key !== null) headers['idempotency-key'] = options.key;
    let payload: string | undefined = options.rawBody;
    if (body !== undefined) payload = JSON.stringify(body);
    if (payload !== undefined) headers['content-type'] ??= 'application/json';
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, body: payload });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      // Not JSON (e.g. /metrics): the raw text is the body.
    }
    await this.checkContract(method, response, parsed);
    return { status: response.status, body: parsed as T, headers: response.headers };
  }

  /** CSV, metrics, 204 and the document itself are not JSON answers and are not checked. */
  private async checkContract(method: string, response: Response, body: unknown): Promise<void> {
    const mediaType = (response.headers.get('content-type') ?? '').split(';')[0].trim();
    if (!mediaType.endsWith('json') || body === undefined || response.url.endsWith('/docs-json')) return;
    (await contractOf(this.baseUrl)).check(method, response.url, response.status, mediaType, body);
    // Jest runs files in separate workers: a shared file is how a full run counts its checks.
    const countFile = process.env.CONTRACT_COUNT_FILE;
    if (countFile) appendFileSync(countFile, `${method} ${new URL(response.url).pathname} ${response.status}\n`);
  }

  get<T = any>(path: string, token?: string): Promise<ApiResponse<T>> {
    return this.request<T>('GET', path, undefined, { token });
  }

  /** A money-moving POST: a fresh Idempotency-Key unless one is given (null: none at all). */
  post<T = any>(path: string, body: unknown, token?: string, key: string | null = randomUUID()): Promise<ApiResponse<T>> {
    return this.request<T>('POST', path, body, { token, key });
  }

  async login(email: string, password: string): Promise<string> {
    const response = await this.request('POST', '/api/v1/auth/login', { email, password });
    if (response.status !== 200) throw new Error(`login failed: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body.accessToken;
  }

  adminToken(): Promise<string> {
    return this.login(ADMIN_EMAIL, ADMIN_PASSWORD);
  }

  async register(prefix = 'user'): Promise<TestUser> {
    const email = `${prefix}-${randomUUID().slice(0, 8)}@example.com`;
    const response = await this.request('POST', '/api/v1/auth/register', { email, password: 'password-123', name: prefix });
    if (response.status !== 201) throw new Error(`register failed: ${response.status} ${JSON.stringify(response.body)}`);
    return { id: response.body.id, email, token: await this.login(email, 'password-123') };
  }

  /** Admin top-up, asserting it worked: the usual way a test gives a user money. */
  async fund(adminToken: string, userId: string, asset: string, amount: number): Promise<void> {
    const response = await this.post('/api/v1/top-ups', { userId, asset, amount }, adminToken);
    if (response.status !== 201) throw new Error(`top-up failed: ${response.status} ${JSON.stringify(response.body)}`);
  }

  async balance(token: string, asset: string): Promise<number> {
    const response = await this.get<Array<{ asset: string; balance: number }>>('/api/v1/wallets', token);
    return response.body.find((w) => w.asset === asset)?.balance ?? 0;
  }
}
