import { randomUUID } from 'node:crypto';
import { ApiProblemError, WalletClient, type ClientOptions, type Event, type Transaction } from '../libs/client/src';
import { ledgerProblems } from './support/ledger-checks';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, TestApp } from './support/test-app';

/** libs/client against the real service: every call below goes through the typed client only. */
describe('typed client (libs/client)', () => {
  let t: TestApp;
  let admin: WalletClient;

  const clientAs = async (email: string, password: string, options: ClientOptions = {}) => {
    const token = (await new WalletClient({ baseUrl: t.api.baseUrl }).auth.login({ email, password })).accessToken;
    return new WalletClient({ baseUrl: t.api.baseUrl, token, ...options });
  };
  const newUser = async (name: string, options?: ClientOptions) => {
    const email = `${name}-${randomUUID()}@example.com`;
    const user = await new WalletClient({ baseUrl: t.api.baseUrl }).auth.register({ email, password: 'password-123', name });
    return { user, client: await clientAs(email, 'password-123', options) };
  };
  const usd = async (client: WalletClient) => (await client.wallets.list()).find((w) => w.asset === 'USD');

  beforeAll(async () => {
    t = await startTestApp();
    admin = await clientAs(ADMIN_EMAIL, ADMIN_PASSWORD);
  });
  afterEach(async () => expect(await ledgerProblems(t.sql)).toEqual([]));
  afterAll(() => t.close());

  it('registers, logs in, is topped up by an admin and sees the money', async () => {
    const { user, client } = await newUser('alice');
    expect(await client.users.me()).toMatchObject({ id: user.id, role: 'user', status: 'ACTIVE' });
    const topUp = await admin.topUps.create({ userId: user.id, asset: 'USD', amount: 2_500 });
    expect(topUp).toMatchObject({ type: 'TOP_UP', amount: 2_500, toUserId: user.id });
    expect(await usd(client)).toMatchObject({ balance: 2_500, held: 0 });
  });

  it('retries a transfer whose answer was lost with the same key: the server replays it, the money moves once', async () => {
    const replays: boolean[] = [];
    let dropNextAnswer = true;
    const losingFetch: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      replays.push(response.headers.get('Idempotent-Replayed') === 'true');
      if (String(input).endsWith('/transfers') && dropNextAnswer) {
        dropNextAnswer = false;
        throw new TypeError('connection reset after the request was applied');
      }
      return response;
    };
    const { user: payer, client } = await newUser('payer', { fetch: losingFetch, retry: { baseDelayMs: 10 } });
    const { user: payee, client: payeeClient } = await newUser('payee');
    await admin.topUps.create({ userId: payer.id, asset: 'USD', amount: 1_000 });
    replays.length = 0;

    const transfer = await client.transfers.create({ asset: 'USD', amount: 300, toUserId: payee.id });

    expect(replays).toEqual([false, true]);
    expect(transfer).toMatchObject({ type: 'TRANSFER', amount: 300, fromUserId: payer.id, toUserId: payee.id });
    expect(await usd(client)).toMatchObject({ balance: 700 });
    expect(await usd(payeeClient)).toMatchObject({ balance: 300 });
  });

  it('surfaces a refusal as ApiProblemError with its code', async () => {
    const { client } = await newUser('poor');
    const { user: payee } = await newUser('payee');
    const refusal = await client.transfers.create({ asset: 'USD', amount: 1, toUserId: payee.id }).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(ApiProblemError);
    expect(refusal).toMatchObject({ status: 422, code: 'INSUFFICIENT_FUNDS' });
  });

  it('iterates the whole history across keyset pages, newest first', async () => {
    const { user: payer, client } = await newUser('sender');
    const { user: payee } = await newUser('payee');
    const topUp = await admin.topUps.create({ userId: payer.id, asset: 'USD', amount: 1_000 });
    const sent: Transaction[] = [];
    for (const amount of [11, 12, 13, 14, 15]) sent.push(await client.transfers.create({ asset: 'USD', amount, toUserId: payee.id }));

    const seen: Transaction[] = [];
    for await (const tx of client.transactions.list({ limit: 2 })) seen.push(tx);

    expect(seen.map((tx) => tx.id)).toEqual([...sent.reverse(), topUp].map((tx) => tx.id));
  });

  it('creates a hold, captures part of it, and follows the events of both until the capture', async () => {
    const { user: payer, client } = await newUser('buyer');
    const { user: payee, client: payeeClient } = await newUser('seller');
    await admin.topUps.create({ userId: payer.id, asset: 'USD', amount: 1_000 });

    const hold = await client.holds.create({ asset: 'USD', amount: 400, toUserId: payee.id, description: 'order 9' });
    expect(hold).toMatchObject({ status: 'PENDING', amount: 400, capturedAmount: 0, recipient: { userId: payee.id } });
    expect(await usd(client)).toMatchObject({ balance: 600, held: 400 });
    const capture = await payeeClient.holds.capture(hold.id, { amount: 250 });
    expect(capture).toMatchObject({ type: 'HOLD_CAPTURE', holdId: hold.id });
    expect(capture.postings).toContainEqual(expect.objectContaining({ amount: 250, to: expect.objectContaining({ userId: payee.id }) }));
    expect(await client.holds.get(hold.id)).toMatchObject({ status: 'CAPTURED', capturedAmount: 250 });

    const events: Event[] = [];
    for await (const event of payeeClient.events.follow({ limit: 1 })) {
      events.push(event);
      if (event.type === 'hold.captured') break;
    }
    expect(events.map((e) => e.type)).toEqual(['hold.created', 'transaction.created', 'hold.captured']);
    expect(events[2].data).toMatchObject({ id: hold.id, status: 'CAPTURED' });
  });
});
