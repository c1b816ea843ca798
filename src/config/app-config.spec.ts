import { loadConfig } from './app-config';

describe('loadConfig', () => {
  it('has working defaults for a bare development start', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3000, databaseUrl: null, throttleEnabled: true, jwtTtlSeconds: 3600, jwtSecretGenerated: true, quoteTtlSeconds: 30 });
    expect(config.jwtSecret.length).toBeGreaterThanOrEqual(32);
  });

  it.each([
    [{ PORT: 'abc' }, /PORT must be an integer/],
    [{ PORT: '70000' }, /PORT must be between/],
    [{ JWT_SECRET: 'short' }, /JWT_SECRET must be at least 32/],
    [{ NODE_ENV: 'production' }, /JWT_SECRET is required/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must use postgres/],
    [{ THROTTLE_ENABLED: 'maybe' }, /THROTTLE_ENABLED must be true or false/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL must be one of/],
    [{ ADMIN_EMAIL: 'a@b.c' }, /ADMIN_PASSWORD must be set together/],
    [{ LOCK_TIMEOUT_MS: '9000', STATEMENT_TIMEOUT_MS: '1000' }, /LOCK_TIMEOUT_MS must not exceed/],
    [{ QUOTE_TTL_SECONDS: '0' }, /QUOTE_TTL_SECONDS must be between 1 and 3600/],
    // The documented staleness bound of authorization (docs/security.md) cannot be configured away.
    [{ AUTH_CACHE_MS: '5001' }, /AUTH_CACHE_MS must be between 0 and 5000/],
    [{ BATCH_OPEN_MAX: '0' }, /BATCH_OPEN_MAX must be between/],
    [{ WEBHOOK_RETRY_DELAYS_MS: '5000,soon' }, /WEBHOOK_RETRY_DELAYS_MS must be a comma-separated list/],
    [{ AMQP_URL: 'http://broker' }, /AMQP_URL must use amqp: or amqps:/],
    [{ AMQP_EXCHANGE: 'wallet events' }, /AMQP_EXCHANGE must be/],
  ])('refuses %p naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('reads THROTTLE_ENABLED=false and lower-cases the admin email', () => {
    const config = loadConfig({ THROTTLE_ENABLED: 'false', ADMIN_EMAIL: 'Root@Example.com', ADMIN_PASSWORD: 'long-enough' });
    expect(config.throttleEnabled).toBe(false);
    expect(config.adminEmail).toBe('root@example.com');
  });

  it('reads the webhook retry schedule as a list of delays', () => {
    expect(loadConfig({}).webhookRetryDelaysMs).toEqual([5_000, 30_000, 120_000, 600_000, 3_600_000, 14_400_000, 43_200_000]);
    expect(loadConfig({ WEBHOOK_RETRY_DELAYS_MS: '100, 200,400' }).webhookRetryDelaysMs).toEqual([100, 200, 400]);
  });
});
