import { randomUUID } from 'node:crypto';
import { TestApp } from './test-app';

export interface UploadOptions {
  asset?: string | null;
  key?: string | null;
  fileName?: string;
  fields?: Record<string, string>;
  headers?: Record<string, string>;
}

export interface Upload {
  status: number;
  body: any;
  headers: Headers;
}

/** A real multipart request, built by fetch's FormData as a browser would. */
export async function upload(t: TestApp, token: string, file: string | Buffer | null, options: UploadOptions = {}): Promise<Upload> {
  const form = new FormData();
  if (options.asset !== null) form.append('asset', options.asset ?? 'GOLD_COINS');
  for (const [name, value] of Object.entries(options.fields ?? {})) form.append(name, value);
  if (file !== null) form.append('file', new Blob([file]), options.fileName ?? 'payouts.csv');
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, ...options.headers };
  if (options.key !== null) headers['idempotency-key'] = options.key ?? randomUUID();
  const response = await fetch(`${t.api.baseUrl}/api/v1/batches`, { method: 'POST', headers, body: form });
  return { status: response.status, body: await response.json(), headers: response.headers };
}

/** Polls the batch until it reaches a final status. */
export async function finished(t: TestApp, token: string, batchId: string, timeoutMs = 20_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await t.api.get(`/api/v1/batches/${batchId}`, token);
    if (body.status === 'COMPLETED' || body.status === 'COMPLETED_WITH_ERRORS') return body;
    if (Date.now() > deadline) throw new Error(`batch ${batchId} did not finish: ${JSON.stringify(body)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
