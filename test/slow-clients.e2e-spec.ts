import { connect, Socket } from 'node:net';
import { startTestApp, TestApp } from './support/test-app';

const REQUEST_TIMEOUT_MS = 1_000;

/** Sends `head`, then one more byte every 300 ms, and resolves with how long the server kept the socket and what it answered. */
function trickle(url: string, head: string, drip: string): Promise<{ heldMs: number; answer: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const started = Date.now();
    let answer = '';
    const socket: Socket = connect(Number(port), hostname, () => socket.write(head));
    const timer = setInterval(() => socket.writable && socket.write(drip), 300);
    socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ heldMs: Date.now() - started, answer });
    });
  });
}

/** docs/security.md "Hostile input": REQUEST_TIMEOUT_MS bounds the whole request, headers included. */
describe('slow clients', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS) });
  });
  afterAll(() => t.close());

  it('closes a connection whose headers arrive a byte at a time', async () => {
    const { heldMs, answer } = await trickle(t.api.baseUrl, 'GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ', 'a');
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    // Node checks its deadlines once a second here: the bound is the timeout plus that check.
    expect(heldMs).toBeLessThan(REQUEST_TIMEOUT_MS + 2_500);
  });

  it('closes a connection whose body arrives a byte at a time', async () => {
    const head = 'POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{';
    const { heldMs, answer } = await trickle(t.api.baseUrl, head, ' ');
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(heldMs).toBeLessThan(REQUEST_TIMEOUT_MS + 2_500);
  });
});
