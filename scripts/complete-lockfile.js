// Run after `npm install` changes package-lock.json on a machine whose npm registry mirror
// lacks other platforms' prebuilt binaries (swc, unrs-resolver): npm then leaves those optional
// packages out of the lock and `npm ci` refuses it. This adds their entries (name, version,
// os/cpu/libc); npm skips them on other platforms and fetches them by name where they fit.
// Usage: node scripts/complete-lockfile.js package-lock.json
const fs = require('fs');
const [lockPath] = process.argv.slice(2);
const lock = JSON.parse(fs.readFileSync(lockPath, 'utf8'));
const pkgs = lock.packages;
const OS = ['darwin', 'win32', 'linux', 'android', 'freebsd', 'openharmony', 'wasm32'];
const CPU = ['arm64', 'x64', 'arm', 'ia32', 'ppc64', 's390x', 'riscv64', 'loong64'];
let added = 0;
for (const [path, meta] of Object.entries(pkgs)) {
  for (const [name, version] of Object.entries(meta.optionalDependencies ?? {})) {
    const base = path === '' ? '' : `${path}/`;
    const candidates = [`${base}node_modules/${name}`, `node_modules/${name}`];
    if (candidates.some((c) => pkgs[c])) continue;
    const parts = name.split('/').pop().split('-');
    const os = parts.find((p) => OS.includes(p));
    const cpu = parts.find((p) => CPU.includes(p));
    if (!os || !cpu) { console.error('cannot classify', name); continue; }
    const entry = { version, cpu: [cpu], os: [os], optional: true };
    if (meta.dev) entry.dev = true;
    if (parts.includes('gnu') || parts.some((p) => p.startsWith('gnueabi'))) entry.libc = ['glibc'];
    if (parts.includes('musl') || parts.some((p) => p.startsWith('musleabi'))) entry.libc = ['musl'];
    pkgs[`node_modules/${name}`] = entry;
    added++;
  }
}
const sorted = Object.fromEntries(Object.entries(pkgs).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : 1)));
lock.packages = sorted;
fs.writeFileSync(lockPath, JSON.stringify(lock, null, 2) + '\n');
console.log('added', added);
