'use strict';
/**
 * Summarises V8 .cpuprofile files (from `npm run bench -- --profile`, i.e. `node --cpu-prof`;
 * one per process, so several with WEB_CONCURRENCY > 1): self time grouped by layer of the
 * request path (HTTP adapter, guards, validation, logging, metrics, the engine, pg, …), by
 * package, and the top functions, so "where does a request's CPU go" has a short answer.
 *
 *   node bench/profile-summary.js [--window transfers-spread] [--top 25] [--json] <file.cpuprofile>...
 *
 * `--window <scenario>` keeps only the samples taken while that scenario was measured (the
 * bench writes profile-windows.json next to the profiles, on the profiles' own clock) and
 * divides by its successful requests: milliseconds of the service's main thread per request.
 */
const fs = require('node:fs');
const path = require('node:path');
const { parseArgs } = require('node:util');

/**
 * Package (or our own top folder) → layer. Anything not listed is "other packages".
 * class-transformer counts as validation: the ValidationPipe's plainToInstance is where it
 * runs on these routes (responses are plain objects, no ClassSerializerInterceptor).
 */
const LAYERS = {
  'HTTP adapter (Express 5 or Fastify, Node http)': [
    'fastify', '@nestjs/platform-fastify', 'find-my-way', 'avvio', 'fastq', 'light-my-request', 'fast-json-stringify',
    'secure-json-parse', '@fastify/middie', '@fastify/error', '@fastify/ajv-compiler', '@fastify/fast-json-stringify-compiler',
    '@fastify/proxy-addr', '@fastify/forwarded', '@fastify/formbody', 'fast-querystring', 'toad-cache', 'abstract-logging', 'rfdc',
    'ret', 'safe-regex2', 'reusify',
    'express', 'router', 'body-parser', 'raw-body', 'iconv-lite', 'finalhandler', 'on-finished', 'content-type', 'type-is', 'qs',
    '@nestjs/platform-express', 'path-to-regexp', 'parseurl', 'encodeurl', 'escape-html', 'send', 'serve-static', 'statuses',
    'depd', 'http-errors', 'mime-types', 'mime-db', 'media-typer', 'accepts', 'negotiator', 'fresh', 'range-parser', 'proxy-addr',
    'forwarded', 'etag', 'ee-first', 'destroy', 'unpipe', 'vary', 'cors', 'content-disposition', 'cookie', 'safe-buffer',
    'setprototypeof', 'merge-descriptors', 'utils-merge', 'node: http/net/streams',
  ],
  'Nest pipeline (core, rxjs)': ['@nestjs/core', '@nestjs/common', 'rxjs', 'reflect-metadata', 'tslib', 'iterare', 'dist/src/server'],
  'guards: JWT/passport, roles, throttler': [
    'passport', 'passport-jwt', 'passport-strategy', 'jsonwebtoken', 'jws', 'jwa', 'buffer-equal-constant-time',
    'ecdsa-sig-formatter', 'semver', 'ms', 'lodash.includes', 'lodash.isboolean', 'lodash.isinteger', 'lodash.isnumber',
    'lodash.isplainobject', 'lodash.isstring', 'lodash.once', '@nestjs/passport', '@nestjs/jwt', '@nestjs/throttler',
    'dist/src/auth', 'dist/src/throttling', 'node: crypto',
  ],
  'validation (class-validator, class-transformer)': ['class-validator', 'class-transformer', 'validator', 'libphonenumber-js'],
  'serialisation (JSON.parse/stringify)': ['(JSON)'],
  'logging (pino, pino-http)': [
    'pino', 'pino-http', 'nestjs-pino', 'pino-std-serializers', 'sonic-boom', 'fast-redact', '@pinojs/redact', 'thread-stream',
    'on-exit-leak-free', 'atomic-sleep', 'quick-format-unescaped', 'safe-stable-stringify', 'fast-safe-stringify', 'real-require',
    'process-warning', 'dist/src/logging', 'node: async_hooks',
  ],
  'metrics (prom-client)': ['prom-client', 'tdigest', 'bintrees', 'dist/src/metrics'],
  'compression': ['compression', 'compressible', 'on-headers', 'bytes', 'node: zlib', '@fastify/compress', '@fastify/accept-negotiator', 'minipass', 'peek-stream', 'pumpify', 'duplexify'],
  'helmet': ['helmet', '@fastify/helmet', 'fastify-plugin'],
  'posting engine (libs/ledger)': ['dist/libs/ledger'],
  'TypeORM': ['typeorm', 'app-root-path', 'dayjs', 'sha.js', 'uuid', '@sqltools/formatter', 'debug', 'dotenv'],
  'pg driver': [
    'pg', 'pg-protocol', 'pg-pool', 'pg-types', 'pg-connection-string', 'postgres-array', 'postgres-bytea', 'postgres-date',
    'postgres-interval', 'pgpass', 'split2', 'pg-int8', 'pg-cloudflare',
  ],
  'socket writes to PostgreSQL (syscall)': ['(socket writes: pg)'],
  'socket writes to HTTP clients (syscall)': ['(socket writes: HTTP)'],
  'garbage collector': ['(garbage collector)'],
  '(program): V8/Node outside JS': ['(program)'],
};
/**
 * The write(2)/writev(2) calls themselves. On a busy two-core machine the write that wakes a
 * PostgreSQL backend or the load generator often loses the core right there, and V8's
 * sampler charges the wait to the call: they get lines of their own rather than inflating
 * the layer that made them.
 */
const SOCKET_WRITES = new Set(['writev', 'writeBuffer', 'writeUtf8String', 'writeLatin1String', 'writeAsciiString']);
const LAYER_OF = new Map(Object.entries(LAYERS).flatMap(([layer, packages]) => packages.map((p) => [p, layer])));

/** Node's own modules by what they do for a request. */
function nodeCoreOf(url) {
  if (/^node:(_http|http|net|stream|internal\/(stream|streams|http|net|dns))/.test(url)) return 'node: http/net/streams';
  if (/^node:(crypto|internal\/crypto)/.test(url)) return 'node: crypto';
  if (/^node:(zlib|internal\/zlib)/.test(url)) return 'node: zlib';
  if (/^node:(async_hooks|internal\/async_hooks|internal\/async_local_storage)/.test(url)) return 'node: async_hooks';
  return 'node: other';
}

/** "node_modules/@nestjs/core/…" → "@nestjs/core"; our own code by top folder; Node by kind; null for native frames. */
function packageOf(url, functionName) {
  if (!url) {
    if (functionName.startsWith('(')) return functionName;
    return functionName === 'stringify' || functionName === 'parse' ? '(JSON)' : null;
  }
  if (url.startsWith('node:')) return nodeCoreOf(url);
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (match) return match[1];
  const own = /\/(dist\/(?:src|libs)\/[^/]+)/.exec(url);
  return own ? own[1] : path.basename(url);
}

const layerOf = (pkg) => LAYER_OF.get(pkg) ?? (pkg.startsWith('dist/src/') ? `app code (${pkg.slice(9)})` : pkg === 'node: other' ? 'Node core (other)' : 'other packages');

/**
 * Self time in µs per profile node, summed over several profiles, only for samples inside
 * [fromUs, toUs] when a window is given. Native frames (a socket write, an HMAC) count for
 * the package of the nearest JavaScript caller, so they land in the layer that asked for them.
 */
function collect(files, window) {
  const byFunction = new Map();
  const byPackage = new Map();
  let totalUs = 0;
  for (const file of files) {
    const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    const parent = new Map();
    for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
    const packageCache = new Map();
    const ancestors = function* (id) {
      for (let at = parent.get(id); at !== undefined; at = parent.get(at)) yield nodes.get(at).callFrame;
    };
    // Native frames count for their JavaScript caller. Node's socket and stream code counts as
    // the pg driver's when pg is below it on the stack, else as the HTTP server's (compression
    // and on-headers wrap res.end, so "nearest package" would blame them for every response).
    // Node's other modules count for the nearest package that called them.
    const resolvedPackage = (id) => {
      if (packageCache.has(id)) return packageCache.get(id);
      const { url, functionName } = nodes.get(id).callFrame;
      let pkg = packageOf(url, functionName);
      if (!url && SOCKET_WRITES.has(functionName)) {
        const forPg = [...ancestors(id)].some((frame) => /node_modules\/pg(-protocol|-pool)?\//.test(frame.url));
        pkg = forPg ? '(socket writes: pg)' : '(socket writes: HTTP)';
      } else if (pkg === null) pkg = parent.has(id) ? resolvedPackage(parent.get(id)) : '(native/V8)';
      else if (pkg === 'node: http/net/streams') {
        for (const frame of ancestors(id)) if (/node_modules\/pg(-protocol|-pool)?\//.test(frame.url)) pkg = 'pg';
      } else if (pkg === 'node: other') {
        for (const frame of ancestors(id)) {
          const above = packageOf(frame.url, frame.functionName);
          if (above !== null && !above.startsWith('node: ') && !above.startsWith('(')) {
            pkg = above;
            break;
          }
        }
      }
      packageCache.set(id, pkg);
      return pkg;
    };
    let at = profile.startTime;
    const from = window?.fromUs ?? -Infinity;
    const to = window?.toUs ?? Infinity;
    totalUs += Math.max(0, Math.min(to, profile.endTime) - Math.max(from, profile.startTime));
    for (let i = 0; i < profile.samples.length; i++) {
      const delta = Math.max(0, profile.timeDeltas[i] ?? 0);
      at += delta;
      if (at < from || at > to) continue;
      const node = nodes.get(profile.samples[i]);
      const { functionName, url, lineNumber } = node.callFrame;
      const name = `${functionName || '(anonymous)'} ${url ? `${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/dist\//, 'dist/')}:${lineNumber + 1}` : ''}`.trim();
      byFunction.set(name, (byFunction.get(name) ?? 0) + delta);
      const pkg = resolvedPackage(node.id);
      byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + delta);
    }
  }
  return { byFunction, byPackage, totalUs };
}

function windowOf(files, name) {
  const file = path.join(path.dirname(files[0]), 'profile-windows.json');
  if (!fs.existsSync(file)) throw new Error(`--window: ${file} is missing (the bench writes it after a --profile run)`);
  const found = JSON.parse(fs.readFileSync(file, 'utf8')).find((w) => w.name === name);
  if (!found) throw new Error(`--window: no window "${name}" in ${file}`);
  return found;
}

function summarise(files, { top, windowName, json }) {
  const window = windowName ? windowOf(files, windowName) : null;
  const { byFunction, byPackage, totalUs } = collect(files, window);
  const idle = byPackage.get('(idle)') ?? 0;
  const busy = [...byPackage.values()].reduce((s, us) => s + us, 0) - idle;
  const byLayer = new Map();
  for (const [pkg, us] of byPackage) if (pkg !== '(idle)') byLayer.set(layerOf(pkg), (byLayer.get(layerOf(pkg)) ?? 0) + us);
  if (json) {
    const shares = (map) => Object.fromEntries([...map].filter(([k]) => k !== '(idle)').sort((a, b) => b[1] - a[1]).map(([k, us]) => [k, us / busy]));
    process.stdout.write(`${JSON.stringify({ window, busyUs: busy, totalUs, layers: shares(byLayer), packages: shares(byPackage) }, null, 2)}\n`);
    return;
  }
  const pct = (us) => `${((us / busy) * 100).toFixed(1)}%`.padStart(6);
  const perRequest = window && window.requests > 0 ? (us) => `${(us / 1000 / window.requests).toFixed(3)} ms`.padStart(9) : () => '';
  const out = (line) => process.stdout.write(`${line}\n`);
  const names = files.map((f) => path.basename(f)).join(', ');
  out(`${names}: ${(totalUs / 1e6).toFixed(1)} s profiled, ${(busy / 1e6).toFixed(1)} s busy (${((busy / totalUs) * 100).toFixed(0)}% of one core${files.length > 1 ? ', summed over processes' : ''}); shares are of busy time`);
  if (window) out(`window "${window.name}": ${window.requests} successful requests; main-thread busy time per request ${(busy / 1000 / window.requests).toFixed(3)} ms`);
  const table = (title, map, limit) => {
    out('');
    out(title);
    for (const [key, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, limit)) out(`  ${pct(us)} ${perRequest(us)}  ${key}`);
  };
  table('self time by layer (native calls count for the layer that made them):', byLayer, Infinity);
  table('self time by package:', new Map([...byPackage].filter(([p]) => p !== '(idle)')), top);
  table(`top ${top} functions by self time:`, new Map([...byFunction].filter(([n]) => !n.startsWith('(idle)'))), top);
}

function main() {
  process.stdout.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(0); // `| head`
    throw error;
  });
  const { values, positionals } = parseArgs({
    options: { window: { type: 'string' }, top: { type: 'string', default: '25' }, json: { type: 'boolean', default: false } },
    allowPositionals: true,
  });
  if (positionals.length === 0) {
    process.stderr.write('usage: node bench/profile-summary.js [--window <scenario>] [--top 25] [--json] <file.cpuprofile>...\n');
    process.exit(2);
  }
  summarise(positionals, { top: Number(values.top), windowName: values.window, json: values.json });
}

main();
