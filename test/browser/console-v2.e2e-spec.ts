import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Browser, Page } from 'playwright-core';
import { ledgerProblems } from '../support/ledger-checks';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, TestApp } from '../support/test-app';
import { startReceiver } from '../support/webhook-receiver';
import {
  assertConsoleBuilt,
  BrowserSession,
  browserInstalled,
  DOCS_DIR,
  expectAttribute,
  expectCount,
  expectText,
  goTo,
  horizontalOverflow,
  inCi,
  launchBrowser,
  screenshot,
  screenshotPath,
  signInThroughUi,
  submitMovement,
} from './browser-support';

/**
 * The console's v2 pages (holds, split payment, statements, events, exchange, admin webhooks and accounts) in a real browser against the real service, as in
 * console.e2e-spec.ts. UPDATE_DOCS_SCREENSHOTS=1 also refreshes docs/holds.png and docs/exchange.png.
 */

const PASSWORD = 'password-123';
const RUN = browserInstalled() || inCi();
const PHONE = { width: 375, height: 812 };

interface User {
  id: string;
  email: string;
  token: string;
}

(RUN ? describe : describe.skip)('web console v2 pages in a real browser', () => {
  let t: TestApp | undefined;
  let browser: Browser | undefined;
  let admin: string;
  let ui: BrowserSession;

  beforeAll(async () => {
    assertConsoleBuilt();
    browser = await launchBrowser();
    // Webhook deliveries are picked up quickly and retried soon, so the admin test sees a second attempt.
    t = await startTestApp({ WEBHOOK_POLL_MS: '50', WEBHOOK_RETRY_DELAYS_MS: '200' });
    admin = await t.api.adminToken();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  }, 30_000);

  function browserTest(name: string, body: () => Promise<void>, timeout = 60_000): void {
    const slug = name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
    it(
      name,
      async () => {
        ui = new BrowserSession(browser!, t!.api.baseUrl);
        try {
          await body();
          expect(ui.pageErrors).toEqual([]);
        } catch (error) {
          await ui.photographAll(slug);
          throw error;
        } finally {
          await ui.close();
        }
        expect(await ledgerProblems(t!.sql)).toEqual([]);
      },
      timeout,
    );
  }

  async function createUser(name: string): Promise<User> {
    const email = `${name.toLowerCase()}@example.com`;
    const created = await t!.api.request('POST', '/api/v1/auth/register', { email, password: PASSWORD, name });
    if (created.status !== 201) throw new Error(`register ${email}: ${created.status} ${JSON.stringify(created.body)}`);
    return { id: created.body.id, email, token: await t!.api.login(email, PASSWORD) };
  }

  async function signedInPage(user: User, label: string, viewport?: { width: number; height: number }): Promise<Page> {
    const page = await ui.newPage(label, viewport);
    await signInThroughUi(page, user.email, PASSWORD);
    return page;
  }

  async function expectFitsPhone(page: Page, name: string): Promise<void> {
    const overflow = await horizontalOverflow(page);
    expect({ page: name, scrollWidth: overflow.scrollWidth, widest: overflow.widest }).toEqual({ page: name, scrollWidth: PHONE.width, widest: [] });
  }

  function saveDocsScreenshot(name: string): void {
    if (process.env.UPDATE_DOCS_SCREENSHOTS !== '1') return;
    mkdirSync(DOCS_DIR, { recursive: true });
    copyFileSync(screenshotPath(name), join(DOCS_DIR, `${name}.png`));
  }

  const holdRow = (page: Page, status: string) => page.getByTestId('hold-row').and(page.locator(`[data-status="${status}"]`));

  browserTest('holds: the payer holds money, the recipient captures part of one hold and voids another', async () => {
    const payer = await createUser('Hana');
    const seller = await createUser('Ivo');
    await t!.api.fund(admin, payer.id, 'USD', 10_000);

    const payerPage = await signedInPage(payer, 'hana');
    await goTo(payerPage, 'Holds');
    await submitMovement(payerPage, 'hold-form', { asset: 'USD', amount: '40.00', recipientLabel: 'Recipient email', recipient: seller.email }, 'Hold');
    await submitMovement(payerPage, 'hold-form', { asset: 'USD', amount: '10.00', recipientLabel: 'Recipient email', recipient: seller.email }, 'Hold');
    await expectText(holdRow(payerPage, 'PENDING').first().locator('.badge'), 'You pay');
    const countdown = await holdRow(payerPage, 'PENDING').first().getByTestId('hold-countdown').textContent();
    expect(countdown).toMatch(/^[67]d \d\dh$/);
    expect(await t!.api.balance(payer.token, 'USD')).toBe(5_000);

    const sellerPage = await signedInPage(seller, 'ivo', PHONE);
    await goTo(sellerPage, 'Holds');
    const fortyHold = sellerPage.getByTestId('hold-row').filter({ hasText: '40.00 USD' });
    await expectText(fortyHold.locator('.badge'), 'You receive');
    await fortyHold.getByLabel('Capture amount (USD)').fill('25.00');
    await fortyHold.getByRole('button', { name: 'Capture' }).click();
    await expectAttribute(fortyHold, 'data-status', 'CAPTURED');
    await expectText(fortyHold.getByTestId('hold-captured'), 'captured 25.00 USD');

    const tenHold = sellerPage.getByTestId('hold-row').filter({ hasText: '10.00 USD' });
    await tenHold.getByRole('button', { name: 'Void' }).click();
    await expectAttribute(tenHold, 'data-status', 'VOIDED');
    await expectFitsPhone(sellerPage, 'holds');

    expect(await t!.api.balance(payer.token, 'USD')).toBe(7_500);
    expect(await t!.api.balance(seller.token, 'USD')).toBe(2_500);
  });

  browserTest('holds page fits a 375 px screen with pending holds, and its picture goes to docs/holds.png', async () => {
    const payer = await createUser('Jana');
    const seller = await createUser('Kofi');
    await t!.api.fund(admin, payer.id, 'USD', 10_000);
    for (const [amount, description] of [[1_250, 'Order 1042: standing desk, released on delivery'], [3_000, 'Deposit for the long-weekend bike rental']] as const) {
      await t!.api.post('/api/v1/holds', { asset: 'USD', amount, toUserId: seller.id, description }, payer.token);
    }

    const phone = await signedInPage(seller, 'kofi-phone', PHONE);
    await goTo(phone, 'Holds');
    await expectText(holdRow(phone, 'PENDING').first().locator('.badge'), 'You receive');
    await expectFitsPhone(phone, 'holds');

    const desktop = await signedInPage(seller, 'kofi-desktop', { width: 1280, height: 800 });
    await goTo(desktop, 'Holds');
    await holdRow(desktop, 'PENDING').nth(1).waitFor();
    await screenshot(desktop, 'holds');
    saveDocsScreenshot('holds');
  });

  browserTest('split payment: one transaction pays several recipients; a refused leg is named and nothing moves; fits 375 px', async () => {
    const buyer = await createUser('Mona');
    const seller = await createUser('Nils');
    const platform = await createUser('Otto');
    await t!.api.fund(admin, buyer.id, 'USD', 10_000);

    const page = await signedInPage(buyer, 'mona', PHONE);
    await goTo(page, 'Send');
    const form = page.getByTestId('split-form');
    const legs = form.getByTestId('split-leg');
    await form.getByLabel('Asset', { exact: true }).selectOption('USD');
    await legs.nth(0).getByLabel('Email').fill(seller.email);
    await legs.nth(0).getByLabel('Amount (USD)').fill('90.00');
    await legs.nth(1).getByLabel('Email').fill('nobody@example.com');
    await legs.nth(1).getByLabel('Amount (USD)').fill('10');
    await expectText(form.getByTestId('split-total'), 'Total: 100.00 USD');
    await form.getByRole('button', { name: 'Pay all' }).click();
    await expectText(page.getByTestId('split-refused-leg'), 'Recipient 2 was refused:');
    await expectAttribute(page.getByTestId('problem'), 'data-code', 'RECIPIENT_NOT_FOUND');
    expect(await t!.api.balance(buyer.token, 'USD')).toBe(10_000);

    await legs.nth(1).getByLabel('Email').fill(platform.email);
    await form.getByRole('button', { name: 'Pay all' }).click();
    await page.getByTestId('split-form-success').waitFor();
    await expectFitsPhone(page, 'send');

    expect(await t!.api.balance(buyer.token, 'USD')).toBe(0);
    expect(await t!.api.balance(seller.token, 'USD')).toBe(9_000);
    expect(await t!.api.balance(platform.token, 'USD')).toBe(1_000);
    const { rows } = await t!.sql.query(`SELECT count(*)::int AS n FROM transactions WHERE type = 'MULTI_LEG'`);
    expect(rows[0].n).toBe(1);
  });

  browserTest('statements: a date range shows the wallet\'s figures and downloads its entries as CSV; fits 375 px', async () => {
    const owner = await createUser('Pia');
    const friend = await createUser('Quinn');
    await t!.api.fund(admin, owner.id, 'USD', 5_000);
    const sent = await t!.api.post('/api/v1/transfers', { asset: 'USD', amount: 1_234, toUserId: friend.id }, owner.token);

    const page = await signedInPage(owner, 'pia', PHONE);
    await goTo(page, 'Statements');
    const form = page.getByTestId('statement-form');
    const wallets = await t!.api.get('/api/v1/wallets', owner.token);
    const usd = wallets.body.find((w: { asset: string }) => w.asset === 'USD');
    await form.getByLabel('Wallet').selectOption(String(usd.id));
    await form.getByRole('button', { name: 'Show statement' }).click();
    const statement = page.getByTestId('statement');
    await expectText(statement.getByTestId('statement-opening'), '0.00 USD');
    await expectText(statement.getByTestId('statement-credits'), '50.00 USD');
    await expectText(statement.getByTestId('statement-debits'), '12.34 USD');
    await expectText(statement.getByTestId('statement-closing'), '37.66 USD');
    await expectText(statement.getByTestId('statement-entries'), '2');
    await expectFitsPhone(page, 'statements');

    const [download] = await Promise.all([page.waitForEvent('download'), statement.getByTestId('statement-csv').click()]);
    const csv = readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    expect(csv).toHaveLength(3);
    expect(csv[0]).toMatch(/^createdAt,transactionId,type,direction,amount,balanceAfter/);
    expect(csv[2]).toContain(sent.body.id);
  });

  browserTest('events: the live view shows the feed and then events that happen while it is open; fits 375 px', async () => {
    const watcher = await createUser('Rosa');
    const payer = await createUser('Sami');
    await t!.api.fund(admin, watcher.id, 'USD', 1_000);

    const page = await signedInPage(watcher, 'rosa', PHONE);
    await goTo(page, 'Events');
    const rows = page.getByTestId('event-row');
    await expectAttribute(rows.first(), 'data-type', 'transaction.created');
    await expectCount(rows, 1);

    await t!.api.fund(admin, payer.id, 'USD', 500);
    await t!.api.post('/api/v1/holds', { asset: 'USD', amount: 200, toUserId: watcher.id }, payer.token);
    await expectAttribute(rows.first(), 'data-type', 'hold.created');
    await expectCount(rows, 2);
    await expectFitsPhone(page, 'events');
  });

  browserTest('exchange: a quote shows what it buys and its countdown; using it moves both assets once; fits 375 px', async () => {
    await t!.api.request('PUT', '/api/v1/rates/USD/GOLD_COINS', { rate: '2' }, { token: admin });
    const trader = await createUser('Lena');
    await t!.api.fund(admin, trader.id, 'USD', 5_000);

    for (const [label, viewport] of [['phone', PHONE], ['desktop', { width: 1280, height: 800 }]] as const) {
      const page = await signedInPage(trader, `lena-${label}`, viewport);
      await goTo(page, 'Exchange');
      const form = page.getByTestId('quote-form');
      await form.getByLabel('Asset', { exact: true }).selectOption('USD');
      await form.getByLabel('Amount (USD)', { exact: true }).fill('10.00');
      await form.getByLabel('Into', { exact: true }).selectOption('GOLD_COINS');
      await form.getByRole('button', { name: 'Get quote' }).click();
      const quote = page.getByTestId('quote');
      await expectText(quote.getByTestId('quote-from'), '10.00 USD');
      await expectText(quote.getByTestId('quote-to'), '20 GOLD_COINS');
      await expectAttribute(quote.getByTestId('quote-countdown'), 'data-expired', 'false');
      expect(await quote.getByTestId('quote-countdown').textContent()).toMatch(/^\d+s$/);
      if (label === 'phone') await expectFitsPhone(page, 'exchange');
      else {
        await screenshot(page, 'exchange');
        saveDocsScreenshot('exchange');
      }
      await quote.getByRole('button', { name: 'Exchange' }).click();
      await page.getByTestId('exchange-success').waitFor();
    }

    expect(await t!.api.balance(trader.token, 'USD')).toBe(3_000);
    expect(await t!.api.balance(trader.token, 'GOLD_COINS')).toBe(40);
  });

  /** Waits (bounded) until the query returns a row: the webhook worker runs on its own schedule. */
  async function untilRow(sql: string, params: unknown[]): Promise<void> {
    for (let attempt = 0; attempt < 300; attempt++) {
      if ((await t!.sql.query(sql, params)).rows.length > 0) return;
      await sleep(50);
    }
    throw new Error(`no row for ${sql}`);
  }

  browserTest('admin: registers a webhook (secret shown once), sees its delivery with two attempts, and disables an account; fits 375 px', async () => {
    const receiver = await startReceiver((_hook, index) => (index === 0 ? 500 : 200));
    try {
      const adminPage = await ui.newPage('admin', PHONE);
      await signInThroughUi(adminPage, ADMIN_EMAIL, ADMIN_PASSWORD);
      await goTo(adminPage, 'Admin');
      const hookForm = adminPage.getByTestId('webhook-form');
      await hookForm.getByLabel('Endpoint URL').fill(receiver.url);
      await hookForm.getByLabel('Events').fill('transaction.created');
      await hookForm.getByRole('button', { name: 'Register' }).click();
      const secret = (await adminPage.getByTestId('webhook-secret').textContent()) ?? '';
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]+$/);
      const hookRow = adminPage.getByTestId('webhook-row').filter({ hasText: receiver.url });
      await hookRow.waitFor();
      expect(await adminPage.getByTestId('webhooks').textContent()).not.toContain(secret);

      const payee = await createUser('Tove');
      await t!.api.fund(admin, payee.id, 'USD', 100);
      await untilRow(`SELECT 1 FROM webhook_deliveries WHERE status = 'SUCCEEDED' AND attempts = 2`, []);
      await hookRow.getByText('Deliveries', { exact: true }).click();
      await hookRow.getByRole('button', { name: 'Refresh deliveries' }).click();
      const delivery = hookRow.getByTestId('delivery-row');
      await expectAttribute(delivery, 'data-status', 'SUCCEEDED');
      await expectText(delivery.getByTestId('delivery-attempts'), '2');
      await expectFitsPhone(adminPage, 'admin');

      const accountForm = adminPage.getByTestId('account-find');
      await accountForm.getByLabel('Account user id').fill(payee.id);
      await accountForm.getByRole('button', { name: 'Find' }).click();
      const editor = adminPage.getByTestId('account-editor');
      await expectAttribute(editor, 'data-status', 'ACTIVE');
      await editor.getByLabel('Status').selectOption('DISABLED');
      await editor.getByRole('button', { name: 'Save' }).click();
      await expectAttribute(adminPage.getByTestId('account-editor'), 'data-status', 'DISABLED');
      const login = await t!.api.request('POST', '/api/v1/auth/login', { email: payee.email, password: PASSWORD });
      expect(login.status).toBe(401);
      await expectFitsPhone(adminPage, 'admin');
    } finally {
      await receiver.close();
    }
  });
});
