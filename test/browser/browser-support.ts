import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Browser, BrowserContext, chromium, Locator, Page } from 'playwright-core';

/**
 * Helpers for the browser tests: Debian's Chromium driven by playwright-core against the real
 * service. Everything waits through Playwright's own auto-waiting (locator.waitFor,
 * page.waitForFunction), never through fixed sleeps.
 */

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-quic',
  '--disable-sync',
];

const REPO_ROOT = resolve(__dirname, '../..');
export const CONSOLE_DIR = join(REPO_ROOT, 'dist', 'web');
export const SCREENSHOT_DIR = join(REPO_ROOT, 'test-output', 'screenshots');
export const DOCS_DIR = join(REPO_ROOT, 'docs');

/** Generous: the suite must pass on a loaded 2-core machine. */
export const UI_TIMEOUT_MS = 15_000;

/** CI=true (or 1, yes): a missing browser is a failure there, not a skip. */
export function inCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = (env.CI ?? '').trim().toLowerCase();
  return value !== '' && value !== 'false' && value !== '0' && value !== 'no';
}

export function browserInstalled(): boolean {
  return existsSync(CHROMIUM_PATH);
}

/** Throws a clear message when the console has not been built into dist/web. */
export function assertConsoleBuilt(): void {
  const missing = [join(CONSOLE_DIR, 'index.html'), join(CONSOLE_DIR, 'assets')].filter((path) => !existsSync(path));
  if (missing.length > 0) {
    throw new Error(
      `The web console is not built (missing ${missing.join(', ')}): run \`npm run build\` first ` +
        '(it builds the server with tsc and the console with Vite into dist/web; `npm test` is preceded by a build).',
    );
  }
}

export async function launchBrowser(): Promise<Browser> {
  if (!browserInstalled()) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM_PATH} (set CHROMIUM_PATH, or apt-get install chromium). ` +
        'Under CI a missing browser fails the run.',
    );
  }
  // launch() gives every browser a fresh temporary user-data-dir; each test adds fresh contexts.
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, timeout: 60_000 });
}

export function screenshotPath(name: string): string {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return join(SCREENSHOT_DIR, `${name}.png`);
}

export async function screenshot(page: Page, name: string, fullPage = true): Promise<void> {
  await page.screenshot({ path: screenshotPath(name), fullPage, animations: 'disabled' });
}

/**
 * The open pages of one test: uncaught page errors are collected (a test fails on any), and
 * on failure every page is photographed before the contexts close.
 */
export class BrowserSession {
  readonly pageErrors: string[] = [];
  private readonly contexts: BrowserContext[] = [];
  private readonly pages: Array<{ label: string; page: Page }> = [];

  constructor(
    private readonly browser: Browser,
    readonly baseUrl: string,
  ) {}

  async newPage(label: string, viewport = { width: 1280, height: 800 }): Promise<Page> {
    const context = await this.browser.newContext({ viewport, baseURL: this.baseUrl, reducedMotion: 'reduce' });
    context.setDefaultTimeout(UI_TIMEOUT_MS);
    context.setDefaultNavigationTimeout(30_000);
    this.contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => this.pageErrors.push(`[${label}] ${error.stack ?? error.message}`));
    page.on('console', (message) => {
      // Failed API answers (4xx) also log "Failed to load resource": expected in some tests, so only logged.
      if (message.type() === 'error' && !/Failed to load resource/.test(message.text())) {
        this.pageErrors.push(`[${label}] console.error: ${message.text()}`);
      }
    });
    this.pages.push({ label, page });
    return page;
  }

  async photographAll(prefix: string): Promise<void> {
    for (const { label, page } of this.pages) {
      if (page.isClosed()) continue;
      await screenshot(page, `FAILED-${prefix}-${label}`).catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.contexts.map((context) => context.close().catch(() => undefined)));
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Waits until the locator's text is exactly `expected` (whitespace-trimmed); says what it saw on timeout. */
export async function expectText(locator: Locator, expected: string, timeout = UI_TIMEOUT_MS): Promise<void> {
  try {
    await locator.filter({ hasText: new RegExp(`^\\s*${escapeRegExp(expected)}\\s*$`) }).first().waitFor({ timeout });
  } catch (error) {
    const actual = await locator
      .first()
      .textContent({ timeout: 1_000 })
      .catch(() => '(element not found)');
    throw new Error(`expected ${locator} to have text ${JSON.stringify(expected)}, saw ${JSON.stringify(actual)}\n${String(error)}`);
  }
}

/** Waits until the locator's element has attribute `name` equal to `value`. */
export async function expectAttribute(locator: Locator, name: string, value: string, timeout = UI_TIMEOUT_MS): Promise<void> {
  try {
    await locator.and(locator.page().locator(`[${name}="${value.replace(/"/g, '\\"')}"]`)).first().waitFor({ timeout });
  } catch (error) {
    const actual = await locator
      .first()
      .getAttribute(name, { timeout: 1_000 })
      .catch(() => '(element not found)');
    throw new Error(`expected ${locator} to have ${name}=${JSON.stringify(value)}, saw ${JSON.stringify(actual)}\n${String(error)}`);
  }
}

/** Waits until `count` elements match. */
export async function expectCount(locator: Locator, count: number, timeout = UI_TIMEOUT_MS): Promise<void> {
  try {
    if (count === 0) await locator.first().waitFor({ state: 'detached', timeout });
    else {
      await locator.nth(count - 1).waitFor({ timeout });
      await locator.nth(count).waitFor({ state: 'detached', timeout });
    }
  } catch (error) {
    throw new Error(`expected ${count} of ${locator}, saw ${await locator.count()}\n${String(error)}`);
  }
}

// ---- The console, through its UI -------------------------------------------------------------

export interface Credentials {
  name: string;
  email: string;
  password: string;
}

export async function openConsole(page: Page): Promise<void> {
  await page.goto('/');
  await page.getByTestId('sign-in-form').or(page.getByTestId('signed-in-as')).first().waitFor();
}

async function waitSignedIn(page: Page, email: string): Promise<void> {
  const signedIn = page.getByTestId('signed-in-as');
  const problem = page.getByTestId('problem');
  await signedIn.or(problem).first().waitFor();
  if (await problem.isVisible()) throw new Error(`signing in as ${email} failed: ${await problem.textContent()}`);
  // An admin's header also shows an "admin" badge after the email.
  await signedIn.filter({ hasText: email }).waitFor();
}

export async function registerThroughUi(page: Page, user: Credentials): Promise<void> {
  await openConsole(page);
  await page.getByRole('button', { name: 'Create an account' }).click();
  const form = page.getByTestId('register-form');
  await form.getByLabel('Name', { exact: true }).fill(user.name);
  await form.getByLabel('Email', { exact: true }).fill(user.email);
  await form.getByLabel('Password', { exact: true }).fill(user.password);
  await form.getByRole('button', { name: 'Create account' }).click();
  await waitSignedIn(page, user.email);
}

export async function signInThroughUi(page: Page, email: string, password: string): Promise<void> {
  await openConsole(page);
  const form = page.getByTestId('sign-in-form');
  await form.getByLabel('Email', { exact: true }).fill(email);
  await form.getByLabel('Password', { exact: true }).fill(password);
  await form.getByRole('button', { name: 'Sign in' }).click();
  await waitSignedIn(page, email);
}

export type PageName = 'Wallets' | 'Send' | 'Holds' | 'Exchange' | 'Statements' | 'Events' | 'History' | 'Batches' | 'Admin' | 'Demos';

/** Follows the navigation link; the page's heading confirms it rendered. */
export async function goTo(page: Page, name: PageName): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();
  await page.getByRole('navigation', { name: 'Main' }).locator('a[aria-current="page"]', { hasText: name }).waitFor();
}

/** Opens the wallets page (a fresh load of the wallets) and waits for `asset` to show `balance`. */
export async function expectBalance(page: Page, asset: string, balance: string): Promise<void> {
  const current = await page.getByRole('navigation', { name: 'Main' }).locator('a[aria-current="page"]').textContent();
  if (current === 'Wallets') await page.getByRole('button', { name: 'Refresh' }).click();
  else await goTo(page, 'Wallets');
  await expectText(page.getByTestId(`balance-${asset}`), balance);
}

/** Asset, amount and recipient of one of the money forms, then its submit button; waits for its success. */
export async function submitMovement(
  page: Page,
  formTestId: string,
  fields: { asset: string; amount: string; recipientLabel?: string; recipient?: string; description?: string },
  submitLabel: string,
): Promise<string> {
  const form = page.getByTestId(formTestId);
  await form.getByLabel('Asset', { exact: true }).selectOption(fields.asset);
  await form.getByLabel(`Amount (${fields.asset})`, { exact: true }).fill(fields.amount);
  if (fields.recipientLabel) await form.getByLabel(fields.recipientLabel, { exact: true }).fill(fields.recipient ?? '');
  if (fields.description !== undefined) await form.getByLabel('Description (optional)').fill(fields.description);
  await form.getByRole('button', { name: submitLabel, exact: true }).click();
  const success = page.getByTestId(`${formTestId}-success`);
  const problem = page.getByTestId('problem');
  await success.or(problem).first().waitFor();
  if (await problem.isVisible()) {
    throw new Error(`${formTestId} failed: ${await problem.getAttribute('data-code')} ${await problem.textContent()}`);
  }
  return (await success.locator('code').textContent()) ?? '';
}

/** The little of the DOM the in-page functions below use (the test tsconfig has no "dom" lib). */
interface InPage {
  document: {
    documentElement: { clientWidth: number; scrollWidth: number };
    body: { scrollWidth: number };
    querySelectorAll(selector: string): ArrayLike<{ tagName: string; className: unknown; getBoundingClientRect(): { right: number } }>;
  };
  scrollX: number;
  scrollTo(x: number, y: number): void;
}

/** How wide the page is against the viewport, and (for the message) the elements that stick out. */
export async function horizontalOverflow(page: Page): Promise<{ scrollWidth: number; viewport: number; widest: string[] }> {
  return page.evaluate(() => {
    const { document } = globalThis as unknown as InPage;
    const viewport = document.documentElement.clientWidth;
    const scrollWidth = Math.max(document.documentElement.scrollWidth, document.body.scrollWidth);
    const widest = Array.from(document.querySelectorAll('body *'))
      .filter((el) => el.getBoundingClientRect().right > viewport + 0.5)
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}${el.className ? `.${String(el.className).split(' ').join('.')}` : ''} right=${Math.round(el.getBoundingClientRect().right)}`);
    return { scrollWidth, viewport, widest };
  });
}

/** Tries to scroll the page 200 px to the right; returns how far it actually moved. */
export async function scrollSideways(page: Page): Promise<number> {
  return page.evaluate(() => {
    const window = globalThis as unknown as InPage;
    window.scrollTo(200, 0);
    return window.scrollX;
  });
}
