import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, Page } from 'playwright-core';
import { ledgerProblems } from '../support/ledger-checks';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, TestApp } from '../support/test-app';
import {
  assertConsoleBuilt,
  BrowserSession,
  browserInstalled,
  CHROMIUM_PATH,
  DOCS_DIR,
  expectAttribute,
  expectBalance,
  expectCount,
  expectText,
  goTo,
  horizontalOverflow,
  inCi,
  launchBrowser,
  registerThroughUi,
  screenshot,
  screenshotPath,
  scrollSideways,
  signInThroughUi,
  submitMovement,
} from './browser-support';

/**
 * The web console in a real browser (Debian's Chromium, driven by playwright-core) against the
 * real service: real HTTP, real PostgreSQL, the console built into dist/web by `npm run build`.
 * Screenshots of the main screens land in test-output/screenshots/. UPDATE_DOCS_SCREENSHOTS=1
 * also refreshes docs/wallets.png (the README's picture of the wallets screen).
 */

const PASSWORD = 'password-123';
const RUN = browserInstalled() || inCi();

if (!RUN) {
  const line = '#'.repeat(100);
  console.warn(
    `\n${line}\n#  SKIPPING the browser tests: Chromium is not installed at ${CHROMIUM_PATH}.\n` +
      '#  Install it (apt-get install chromium) or point CHROMIUM_PATH at one. Under CI=true this is a failure.\n' +
      `${line}\n`,
  );
}

interface User {
  id: string;
  name: string;
  email: string;
  password: string;
  token: string;
}

(RUN ? describe : describe.skip)('web console in a real browser', () => {
  let t: TestApp | undefined;
  let browser: Browser | undefined;
  let admin: string;
  let ui: BrowserSession;

  beforeAll(async () => {
    assertConsoleBuilt();
    browser = await launchBrowser();
    t = await startTestApp();
    admin = await t.api.adminToken();
    const index = await fetch(`${t.api.baseUrl}/`);
    const html = await index.text();
    if (index.status !== 200 || !html.includes('<div id="root">')) {
      throw new Error(`the service does not serve the console at /: ${index.status} ${html.slice(0, 200)} (run \`npm run build\`)`);
    }
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  }, 30_000);

  /** One test with its own browser contexts; a failure photographs every page it opened. */
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
          // A crashed page explains a timeout better than the timeout does.
          if (ui.pageErrors.length > 0 && error instanceof Error) {
            error.message += `\n\nerrors in the page:\n${ui.pageErrors.join('\n')}`;
          }
          throw error;
        } finally {
          await ui.close();
        }
        expect(await ledgerProblems(t!.sql)).toEqual([]);
      },
      timeout,
    );
  }

  /** A user made through the API (fixtures for the tests that are not about registering). */
  async function createUser(name: string): Promise<User> {
    const email = `${name.toLowerCase()}@example.com`;
    const created = await t!.api.request('POST', '/api/v1/auth/register', { email, password: PASSWORD, name });
    if (created.status !== 201) throw new Error(`register ${email}: ${created.status} ${JSON.stringify(created.body)}`);
    return { id: created.body.id, name, email, password: PASSWORD, token: await t!.api.login(email, PASSWORD) };
  }

  async function signedInPage(user: User, label: string, viewport?: { width: number; height: number }): Promise<Page> {
    const page = await ui.newPage(label, viewport);
    await signInThroughUi(page, user.email, user.password);
    return page;
  }

  browserTest('registers, gets an admin top-up, sends money, and both users see balances and history update', async () => {
    // Alice and Bob register through the UI.
    const alicePage = await ui.newPage('alice');
    await alicePage.goto('/');
    await alicePage.getByTestId('sign-in-form').waitFor();
    await screenshot(alicePage, 'sign-in');
    const alice = { name: 'Alice', email: 'alice@example.com', password: PASSWORD };
    await registerThroughUi(alicePage, alice);
    await alicePage.getByText('No wallets yet').waitFor();
    const aliceId = (await alicePage.getByTestId('user-id').textContent())!.trim();
    expect(aliceId).toMatch(/^[0-9a-f-]{36}$/);

    const bobPage = await ui.newPage('bob');
    const bob = { name: 'Bob', email: 'bob@example.com', password: PASSWORD };
    await registerThroughUi(bobPage, bob);

    // The admin signs in and tops Alice up by her user id.
    const adminPage = await ui.newPage('admin');
    await signInThroughUi(adminPage, ADMIN_EMAIL, ADMIN_PASSWORD);
    await goTo(adminPage, 'Admin');
    await submitMovement(
      adminPage,
      'topup-form',
      { asset: 'USD', amount: '100.00', recipientLabel: 'User id', recipient: aliceId, description: 'Welcome' },
      'Top up',
    );
    await adminPage.getByTestId('reconciliation-status').waitFor();
    await screenshot(adminPage, 'admin');

    await expectBalance(alicePage, 'USD', '100.00');

    // Alice sends 12.34 USD to Bob by email.
    await goTo(alicePage, 'Send');
    const transferId = await submitMovement(
      alicePage,
      'transfer-form',
      { asset: 'USD', amount: '12.34', recipientLabel: 'Recipient email', recipient: bob.email, description: 'Lunch' },
      'Send',
    );
    expect(transferId).toMatch(/^[0-9a-f-]{36}$/);
    await screenshot(alicePage, 'send');

    await expectBalance(alicePage, 'USD', '87.66');
    await alicePage.getByRole('img', { name: /^Balance over the last 2 movements$/ }).waitFor();
    await screenshot(alicePage, 'wallets');
    await expectBalance(bobPage, 'USD', '12.34');

    // History: newest first, signed from the viewer's side; a row opens its ledger entries.
    await goTo(alicePage, 'History');
    const aliceRows = alicePage.getByTestId('transaction-row');
    await expectCount(aliceRows, 2);
    await expectAttribute(aliceRows.nth(0), 'data-transaction-id', transferId);
    await expectText(aliceRows.nth(0).locator('.tx-amount'), '-12.34 USD');
    await expectText(aliceRows.nth(1).locator('.tx-amount'), '+100.00 USD');
    // User text is isolated: a bidi override in a description cannot reorder the rest of the row.
    const description = aliceRows.nth(0).locator('.tx-desc bdi');
    await expectText(description, 'Lunch');
    const isolation = await description.evaluate((element) => {
      const { getComputedStyle } = globalThis as unknown as { getComputedStyle(element: unknown): { unicodeBidi: string } };
      return getComputedStyle(element).unicodeBidi;
    });
    expect(isolation).toBe('isolate');
    const open = aliceRows.nth(0).getByRole('button', { expanded: false });
    await open.click();
    await aliceRows.nth(0).getByRole('button', { expanded: true }).waitFor();
    const entries = aliceRows.nth(0).getByTestId('entries');
    await expectCount(entries.locator('tbody tr'), 2);
    await expectText(entries.locator('tbody tr', { hasText: 'Debit' }).locator('td').nth(2), '12.34');
    await expectText(entries.locator('tbody tr', { hasText: 'Debit' }).locator('td').nth(3), '87.66');
    // Bob's balance is his own business: the API sends null and the console shows a dash.
    await expectText(entries.locator('tbody tr', { hasText: 'Credit' }).locator('td').nth(3), '—');
    await screenshot(alicePage, 'history');

    await goTo(bobPage, 'History');
    const bobRows = bobPage.getByTestId('transaction-row');
    await expectCount(bobRows, 1);
    await expectAttribute(bobRows.nth(0), 'data-transaction-id', transferId);
    await expectText(bobRows.nth(0).locator('.tx-amount'), '+12.34 USD');
    await bobRows.nth(0).getByRole('button', { expanded: false }).click();
    await expectText(bobPage.getByTestId('entries').locator('tbody tr', { hasText: 'Credit' }).locator('td').nth(3), '12.34');

    // The ledger agrees with what the screens showed.
    const aliceToken = await t!.api.login(alice.email, PASSWORD);
    const bobToken = await t!.api.login(bob.email, PASSWORD);
    expect(await t!.api.balance(aliceToken, 'USD')).toBe(8_766);
    expect(await t!.api.balance(bobToken, 'USD')).toBe(1_234);
  });

  browserTest('uploads a payout CSV with one bad row: the progress bar reaches 100 % and the failed row is listed', async () => {
    const payer = await createUser('Paula');
    const bob = await createUser('Bert');
    const carol = await createUser('Carla');
    await t!.api.fund(admin, payer.id, 'USD', 1_000);
    const ghost = 'nobody-here@example.com';
    const csv = [
      'recipient,amount,reference',
      `${bob.email},150,first`,
      `${carol.id},200,second`,
      `${ghost},300,"ghost, unknown"`,
      `${bob.email},100,last`,
    ].join('\r\n');

    const page = await signedInPage(payer, 'payer');
    await goTo(page, 'Batches');
    const form = page.getByTestId('batch-form');
    await form.getByLabel('Asset', { exact: true }).selectOption('USD');
    await form.getByLabel('CSV file', { exact: true }).setInputFiles({ name: 'payouts.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    await form.getByRole('button', { name: 'Start payouts' }).click();

    const batch = page.getByTestId('batch');
    const problem = page.getByTestId('problem');
    await batch.or(problem).first().waitFor();
    if (await problem.isVisible()) {
      throw new Error(`the batch upload was refused: ${await problem.getAttribute('data-code')} ${await problem.textContent()}`);
    }
    const batchId = (await batch.getAttribute('data-batch-id'))!;
    const progress = page.getByRole('progressbar', { name: 'Batch progress' });
    await expectAttribute(progress, 'aria-valuenow', '100', 30_000);
    await expectAttribute(progress, 'aria-valuetext', '4 of 4 rows processed');
    await expectAttribute(page.getByTestId('batch-status'), 'data-status', 'COMPLETED_WITH_ERRORS');
    await expectText(page.getByTestId('batch-succeeded'), '3');
    await expectText(page.getByTestId('batch-failed'), '1');

    const failedRows = page.getByTestId('failed-row');
    await expectCount(failedRows, 1);
    await expectText(failedRows.locator('td[data-label="Recipient"]'), ghost);
    await expectText(failedRows.locator('td[data-label="Amount"]'), '300');
    await expectText(failedRows.locator('td[data-label="Error"]'), 'RECIPIENT_NOT_FOUND');
    await page.getByTestId('failed-rows-download').waitFor();
    await screenshot(page, 'batches');

    // The row number shown is the API's, and the money moved for the other rows only.
    const items = await t!.api.get(`/api/v1/batches/${batchId}/items?status=FAILED`, payer.token);
    expect(items.status).toBe(200);
    expect(items.body.items).toHaveLength(1);
    await expectText(failedRows.locator('td[data-label="Row"]'), String(items.body.items[0].row));
    expect(await t!.api.balance(payer.token, 'USD')).toBe(1_000 - 450);
    expect(await t!.api.balance(bob.token, 'USD')).toBe(250);
    expect(await t!.api.balance(carol.token, 'USD')).toBe(200);
    await expectBalance(page, 'USD', '5.50');
  });

  browserTest('the retry demo sends one transfer twice with the same key and the money moves once', async () => {
    const sender = await createUser('Rita');
    const recipient = await createUser('Ravi');
    await t!.api.fund(admin, sender.id, 'GOLD_COINS', 10);

    const page = await signedInPage(sender, 'rita');
    await goTo(page, 'Demos');
    const form = page.getByTestId('replay-form');
    await form.getByLabel('Asset', { exact: true }).selectOption('GOLD_COINS');
    await form.getByLabel('Amount (GOLD_COINS)', { exact: true }).fill('3');
    await form.getByLabel('Recipient email', { exact: true }).fill(recipient.email);
    await form.getByRole('button', { name: 'Send it twice' }).click();

    const result = page.getByTestId('replay-result');
    await result.waitFor();
    await expectAttribute(result, 'data-moved-once', 'true');
    await expectText(page.getByTestId('replay-first-status'), '201');
    await expectText(page.getByTestId('replay-second-status'), '201');
    await expectText(page.getByTestId('replay-replayed'), 'true');
    await expectText(page.getByTestId('replay-same-transaction'), 'yes');
    await expectText(page.getByTestId('replay-balance-before'), '10 GOLD_COINS');
    await expectText(page.getByTestId('replay-balance-after'), '7 GOLD_COINS');
    await screenshot(page, 'demos');

    expect(await t!.api.balance(recipient.token, 'GOLD_COINS')).toBe(3);
    const { rows } = await t!.sql.query(`SELECT count(*)::int AS n FROM transactions WHERE type = 'TRANSFER' AND from_user_id = $1`, [sender.id]);
    expect(rows[0].n).toBe(1);
  });

  /** One long unbroken word: it once widened the history rows past a phone's screen. */
  const LONG_DESCRIPTION = 'Rent-share-invoice-2026-11-0000000000000000000000000000000042';

  browserTest('the wallets page (and the history) fit a 375 px wide screen without horizontal scrolling; wallets at desktop width', async () => {
    const dana = await createUser('Dana');
    const friend = await createUser('Eli');
    await t!.api.fund(admin, dana.id, 'USD', 250_000);
    await t!.api.fund(admin, dana.id, 'USD', 1_999);
    await t!.api.post('/api/v1/transfers', { asset: 'USD', amount: 42_050, toUserId: friend.id, description: LONG_DESCRIPTION }, dana.token);
    await t!.api.post('/api/v1/spends', { asset: 'USD', amount: 3_499 }, dana.token);
    await t!.api.fund(admin, dana.id, 'GOLD_COINS', 1_500);
    await t!.api.post('/api/v1/spends', { asset: 'GOLD_COINS', amount: 350 }, dana.token);
    await t!.api.fund(admin, dana.id, 'GOLD_COINS', 200);
    await t!.api.fund(admin, dana.id, 'DIAMONDS', 12);
    await t!.api.post('/api/v1/transfers', { asset: 'DIAMONDS', amount: 5, toUserId: friend.id }, dana.token);
    await t!.api.fund(admin, dana.id, 'DIAMONDS', 30);
    const expected: Record<string, string> = { USD: '2064.50', GOLD_COINS: '1350', DIAMONDS: '37' };

    for (const [label, viewport] of [
      ['desktop', { width: 1280, height: 800 }],
      ['mobile', { width: 375, height: 812 }],
    ] as const) {
      const page = await signedInPage(dana, label, viewport);
      for (const [asset, balance] of Object.entries(expected)) {
        await expectText(page.getByTestId(`balance-${asset}`), balance);
        await page.getByTestId(`wallet-${asset}`).getByRole('img', { name: /^Balance over the last \d+ movements$/ }).waitFor();
      }
      const overflow = await horizontalOverflow(page);
      expect({ label, ...overflow, widest: overflow.scrollWidth > overflow.viewport ? overflow.widest : [] }).toEqual({
        label,
        scrollWidth: overflow.viewport,
        viewport: viewport.width,
        widest: [],
      });
      // Sideways scrolling does nothing when nothing overflows.
      expect(await scrollSideways(page)).toBe(0);
      await screenshot(page, `wallets-${label}`);
      if (label === 'mobile') {
        await goTo(page, 'History');
        await page.getByTestId('transaction-row').filter({ hasText: LONG_DESCRIPTION }).waitFor();
        const history = await horizontalOverflow(page);
        expect({ page: 'history', scrollWidth: history.scrollWidth, widest: history.widest }).toEqual({ page: 'history', scrollWidth: 375, widest: [] });
        await screenshot(page, 'history-mobile');
      }
      if (label === 'desktop' && process.env.UPDATE_DOCS_SCREENSHOTS === '1') {
        // The screen down to just below the wallet cards, without the empty space under them.
        const cards = (await page.getByTestId('wallets').boundingBox())!;
        await page.screenshot({ path: screenshotPath('docs-wallets'), clip: { x: 0, y: 0, width: viewport.width, height: Math.ceil(cards.y + cards.height + 32) } });
        mkdirSync(DOCS_DIR, { recursive: true });
        copyFileSync(screenshotPath('docs-wallets'), join(DOCS_DIR, 'wallets.png'));
      }
    }
  });
});
