'use strict';
/**
 * Summarises a V8 .cpuprofile (from `npm run bench -- --profile`, i.e. `node --cpu-prof`):
 * the top functions by self time, and self time grouped by package, so "where does the
 * time go" has a short answer. Usage: node bench/profile-summary.js <file.cpuprofile> [top=25]
 */
const fs = require('node:fs');
const path = require('node:path');

function load(file) {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
  const selfUs = new Map();
  // Each sample is attributed to the node on top of the stack; timeDeltas[i] is the time before sample i.
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    selfUs.set(id, (selfUs.get(id) ?? 0) + Math.max(0, profile.timeDeltas[i] ?? 0));
  }
  return { nodes: profile.nodes, selfUs, totalUs: profile.endTime - profile.startTime };
}

/** "node_modules/@nestjs/core/…" → "@nestjs/core"; our own code by top folder; V8/Node internals by kind. */
function packageOf(url, functionName) {
  if (!url) return functionName.startsWith('(') ? functionName : '(native/V8)';
  if (url.startsWith('node:')) return 'node: core';
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (match) return match[1];
  const own = /\/(dist\/(?:src|libs)\/[^/]+)/.exec(url);
  return own ? own[1] : path.basename(url);
}

function summarise(file, top) {
  const { nodes, selfUs, totalUs } = load(file);
  const byFunction = new Map();
  const byPackage = new Map();
  for (const node of nodes) {
    const us = selfUs.get(node.id) ?? 0;
    if (us === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const name = `${functionName || '(anonymous)'} ${url ? `${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/dist\//, 'dist/')}:${lineNumber + 1}` : ''}`.trim();
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
    const pkg = packageOf(url, functionName);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
  }
  const idle = byPackage.get('(idle)') ?? 0;
  const busy = totalUs - idle;
  const pct = (us, of) => `${((us / of) * 100).toFixed(1)}%`.padStart(6);
  const out = (line) => process.stdout.write(`${line}\n`);
  out(`${path.basename(file)}: ${(totalUs / 1e6).toFixed(1)} s profiled, ${(busy / 1e6).toFixed(1)} s busy (${pct(busy, totalUs).trim()} of one core); shares below are of busy time`);
  out('');
  out('self time by package:');
  for (const [pkg, us] of [...byPackage].filter(([p]) => p !== '(idle)').sort((a, b) => b[1] - a[1]).slice(0, top)) out(`  ${pct(us, busy)}  ${pkg}`);
  out('');
  out(`top ${top} functions by self time:`);
  for (const [name, us] of [...byFunction].filter(([n]) => !n.startsWith('(idle)')).sort((a, b) => b[1] - a[1]).slice(0, top)) out(`  ${pct(us, busy)}  ${name}`);
}

const [file, top = '25'] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: node bench/profile-summary.js <file.cpuprofile> [top]\n');
  process.exit(2);
}
summarise(file, Number(top));
