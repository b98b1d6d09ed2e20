#!/usr/bin/env node
// Makes sure the tools the tests and the benchmark need are present, then builds the guests.
// Idempotent and quiet: it prints one line to stderr per thing it actually does.
//   1. cross toolchain, QEMU (system + user) and dtc: installed with apt-get when missing
//      (as root: one `apt-get update`, one `apt-get install`; otherwise: says what to run)
//   2. scripts/fetch-debian.mjs --kernel (Debian's busybox-static:arm64 and linux-image arm64)
//   3. scripts/build-guests.mjs (test programs, benchmark workload, demo guest)
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Tool -> the Debian package that provides it. */
const TOOLS = {
  'aarch64-linux-gnu-gcc': 'gcc-aarch64-linux-gnu',
  'aarch64-linux-gnu-as': 'binutils-aarch64-linux-gnu',
  'aarch64-linux-gnu-ld': 'binutils-aarch64-linux-gnu',
  'aarch64-linux-gnu-objdump': 'binutils-aarch64-linux-gnu',
  'qemu-system-aarch64': 'qemu-system-arm',
  'qemu-aarch64': 'qemu-user',
  'dtc': 'device-tree-compiler',
};
// ipxe-qemu: QEMU's virt board loads efi-virtio.rom for its default NIC, and --no-install-recommends
// leaves the package out; without it every qemu-system-aarch64 run fails at start.
const PACKAGES = ['gcc-aarch64-linux-gnu', 'binutils-aarch64-linux-gnu', 'qemu-system-arm', 'qemu-user', 'device-tree-compiler', 'ipxe-qemu'];
/** Files (not tools) the packages must provide. */
const FILES = { '/usr/lib/ipxe/qemu/efi-virtio.rom': 'ipxe-qemu' };

const say = (msg) => process.stderr.write(`setup: ${msg}\n`);

function onPath(cmd) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, cmd))) return true;
  }
  return false;
}

function run(cmd, args, env) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, ...env }, cwd: ROOT });
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`\`${[cmd, ...args].join(' ')}\` failed (exit status ${r.status ?? r.signal})`);
}

function ensureTools() {
  const missing = [...Object.keys(TOOLS).filter((t) => !onPath(t)), ...Object.keys(FILES).filter((f) => !existsSync(f))];
  if (!missing.length) return;
  const command = `apt-get update && apt-get install -y --no-install-recommends ${PACKAGES.join(' ')}`;
  if (process.getuid?.() !== 0) {
    throw new Error(`missing ${missing.join(', ')}. Install them with:\n  sudo sh -c 'DEBIAN_FRONTEND=noninteractive ${command}'`);
  }
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  say(`missing ${missing.join(', ')}: apt-get update`);
  run('apt-get', ['update'], env);
  say(`apt-get install ${PACKAGES.join(' ')}`);
  run('apt-get', ['install', '-y', '--no-install-recommends', ...PACKAGES], env);
  const still = [...Object.keys(TOOLS).filter((t) => !onPath(t)), ...Object.keys(FILES).filter((f) => !existsSync(f))];
  if (still.length) throw new Error(`still missing after apt-get install: ${still.join(', ')}`);
}

/** Runs a sibling script; its stdout is an answer for other callers (a path), not for us. */
function runScript(rel, args = []) {
  const r = spawnSync(process.execPath, [join(ROOT, rel), ...args], { stdio: ['ignore', 'ignore', 'inherit'], cwd: ROOT });
  if (r.error) throw new Error(`${rel}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${rel} failed (exit status ${r.status ?? r.signal})`);
}

try {
  ensureTools();
  // busybox (disassembler test) and the Debian arm64 kernel Image (Linux boot test)
  if (existsSync(join(ROOT, 'scripts/fetch-debian.mjs'))) runScript('scripts/fetch-debian.mjs', ['--kernel']);
  runScript('scripts/build-guests.mjs');
} catch (e) {
  say(e instanceof Error ? e.message : String(e));
  process.exitCode = 1;
}
