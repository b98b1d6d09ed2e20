// Obtains Debian's arm64 binaries the tests run against, into .test-cache/debian/ (which git
// ignores; the .deb files are unpacked in a temporary directory and never land in the tree):
//   .test-cache/debian/busybox   busybox-static:arm64's bin/busybox (static AArch64 ELF)
//   .test-cache/debian/Image     with --kernel: the newest linux-image-*-arm64 kernel, as a raw
//                                arm64 Image (Debian ships vmlinuz gzip-compressed; we unpack it)
// Idempotent: a file that already exists is left alone and nothing is asked of apt.
// Needs root (dpkg --add-architecture, apt-get update) the first time, and Debian's archive.
//
//   node scripts/fetch-debian.mjs            busybox only
//   node scripts/fetch-debian.mjs --kernel   busybox and the kernel Image
//
// Also importable: `import { fetchBusybox, fetchKernel } from './fetch-debian.mjs'`.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DEBIAN_CACHE = join(ROOT, '.test-cache', 'debian');
export const BUSYBOX_PATH = join(DEBIAN_CACHE, 'busybox');
export const KERNEL_PATH = join(DEBIAN_CACHE, 'Image');

class FetchError extends Error {}

function log(msg) { process.stderr.write(`fetch-debian: ${msg}\n`); }

/** Runs a command, returning stdout; on failure throws a FetchError quoting its stderr. */
function run(cmd, args, opts = {}) {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 28, ...opts });
  } catch (e) {
    if (e.code === 'ENOENT') throw new FetchError(`'${cmd}' is not installed (this script needs a Debian system with dpkg and apt)`);
    const err = String(e.stderr ?? '').trim() || String(e.stdout ?? '').trim() || e.message;
    const hint = /Could not resolve|Temporary failure|Failed to fetch|Unable to connect|Connection (refused|timed out)|Network is unreachable/i.test(err)
      ? '\n  (no network access to Debian\'s archive? this step needs it once; afterwards the cached file is used)' : '';
    throw new FetchError(`${cmd} ${args.join(' ')} failed:\n  ${err.split('\n').slice(-6).join('\n  ')}${hint}`);
  }
}

function isRoot() { return typeof process.getuid === 'function' && process.getuid() === 0; }

function requireRoot(what) {
  if (!isRoot()) {
    throw new FetchError(`${what} needs root (dpkg --add-architecture arm64 / apt-get update). ` +
      'Run `sudo node scripts/fetch-debian.mjs` once, or place the file there by hand.');
  }
}

/** Makes apt able to see arm64 packages: adds the architecture, updates the lists if needed. */
function ensureArm64Apt(probePackage) {
  const foreign = run('dpkg', ['--print-foreign-architectures']).split('\n').map((s) => s.trim());
  if (!foreign.includes('arm64')) {
    requireRoot('Adding the arm64 architecture');
    log('dpkg --add-architecture arm64');
    run('dpkg', ['--add-architecture', 'arm64']);
  }
  if (!hasCandidate(probePackage)) {
    requireRoot('Updating the apt lists');
    log('apt-get update (once, for the arm64 package lists)');
    run('apt-get', ['update'], { timeout: 600_000 });
    if (!hasCandidate(probePackage)) {
      throw new FetchError(`apt has no candidate for ${probePackage} even after apt-get update ` +
        '(is Debian\'s archive reachable, and does /etc/apt/sources.list(.d) list a suite that has it?)');
    }
  }
}

function hasCandidate(pkg) {
  let out;
  try { out = run('apt-cache', ['policy', pkg]); } catch { return false; }
  const m = /Candidate:\s*(\S+)/.exec(out);
  return !!m && m[1] !== '(none)';
}

/** `apt-get download` one package into a fresh temporary directory, unpacks it, and calls `use`. */
function withUnpackedDeb(pkg, use) {
  const dir = mkdtempSync(join(tmpdir(), 'hvlab-deb-'));
  try {
    log(`apt-get download ${pkg}`);
    // apt-get download runs its fetch as the _apt user, which must be able to write the directory.
    try { run('chmod', ['0777', dir]); } catch { /* best effort */ }
    run('apt-get', ['download', pkg], { cwd: dir, timeout: 600_000 });
    const deb = readdirSync(dir).find((f) => f.endsWith('.deb'));
    if (!deb) throw new FetchError(`apt-get download ${pkg} produced no .deb`);
    const root = join(dir, 'root');
    mkdirSync(root);
    run('dpkg-deb', ['-x', join(dir, deb), root]);
    return use(root, deb);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Writes `dest` atomically (temp file + rename), so an interrupted run leaves no half file. */
function installFile(dest, data) {
  mkdirSync(dirname(dest), { recursive: true });
  const tmp = `${dest}.part-${process.pid}`;
  if (typeof data === 'string') copyFileSync(data, tmp); else writeFileSync(tmp, data);
  renameSync(tmp, dest);
}

/** Debian's static busybox for arm64 at .test-cache/debian/busybox. Returns its path. */
export function fetchBusybox({ force = false } = {}) {
  if (existsSync(BUSYBOX_PATH) && !force) return BUSYBOX_PATH;
  const pkg = 'busybox-static:arm64';
  ensureArm64Apt(pkg);
  withUnpackedDeb(pkg, (root, deb) => {
    const bin = join(root, 'bin', 'busybox');
    if (!existsSync(bin)) throw new FetchError(`${deb} has no bin/busybox`);
    const head = readFileSync(bin).subarray(0, 20);
    if (head.readUInt32BE(0) !== 0x7f454c46 || head.readUInt16LE(18) !== 183) {
      throw new FetchError(`${deb}: bin/busybox is not an AArch64 ELF`);
    }
    installFile(BUSYBOX_PATH, bin);
    log(`${deb} -> ${BUSYBOX_PATH}`);
  });
  return BUSYBOX_PATH;
}

/**
 * The newest `linux-image-<ver>-arm64` kernel package name apt knows, preferring the
 * `-unsigned` build (the signed one carries the same kernel, plus an Authenticode signature).
 */
function newestKernelPackage() {
  const names = run('apt-cache', ['search', '--names-only', '^linux-image-[0-9].*-arm64(-unsigned)?$'])
    .split('\n').map((l) => l.split(' ')[0]).filter(Boolean);
  const found = new Map(); // version string -> { signed?, unsigned? }
  for (const n of names) {
    const m = /^linux-image-(\d+\.\d+\.\d+-\d+)-arm64(-unsigned)?$/.exec(n);
    if (!m) continue;
    const e = found.get(m[1]) ?? {};
    if (m[2]) e.unsigned = n; else e.signed = n;
    found.set(m[1], e);
  }
  const cmp = (a, b) => {
    const pa = a.split(/[.-]/).map(Number), pb = b.split(/[.-]/).map(Number);
    for (let i = 0; i < Math.max(pa.length, pb.length); i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
    return 0;
  };
  const versions = [...found.keys()].sort(cmp);
  for (let i = versions.length - 1; i >= 0; i--) {
    const e = found.get(versions[i]);
    for (const n of [e.unsigned, e.signed]) if (n && hasCandidate(`${n}:arm64`)) return { pkg: `${n}:arm64`, version: versions[i] };
  }
  throw new FetchError('apt knows no linux-image-<version>-arm64 package (apt-cache search linux-image arm64 found none with a candidate)');
}

/**
 * Turns Debian's /boot/vmlinuz into a raw arm64 Image: vmlinuz is gzip-compressed Image on
 * bookworm; an uncompressed Image (signed packages) or an EFI zboot image (`zimg`, gzip payload,
 * newer kernels) are handled too. The result is checked for the arm64 Image magic.
 */
export function vmlinuzToImage(buf) {
  const isImage = (b) => b.length > 0x40 && b.readUInt32LE(0x38) === 0x644d5241; // "ARM\x64"
  let img;
  if (buf[0] === 0x1f && buf[1] === 0x8b) img = gunzipSync(buf);
  else if (buf.length > 0x40 && buf.toString('latin1', 0, 2) === 'MZ' && buf.toString('latin1', 4, 8) === 'zimg') {
    const off = buf.readUInt32LE(8), size = buf.readUInt32LE(12);
    const comp = buf.toString('latin1', 0x18, 0x20).replace(/\0.*$/, '');
    if (comp !== 'gzip') throw new FetchError(`vmlinuz is an EFI zboot image compressed with '${comp}'; only gzip is supported`);
    img = gunzipSync(buf.subarray(off, off + size));
  } else img = buf;
  if (!isImage(img)) throw new FetchError('vmlinuz did not unpack to an arm64 Image (no "ARM\\x64" magic at 0x38)');
  return img;
}

/** The newest Debian arm64 kernel, as a raw Image at .test-cache/debian/Image. Returns its path. */
export function fetchKernel({ force = false } = {}) {
  if (existsSync(KERNEL_PATH) && !force) return KERNEL_PATH;
  ensureArm64Apt('busybox-static:arm64');
  const { pkg, version } = newestKernelPackage();
  withUnpackedDeb(pkg, (root, deb) => {
    const bootDir = join(root, 'boot');
    const vmlinuz = existsSync(bootDir) ? readdirSync(bootDir).find((f) => f.startsWith('vmlinuz-')) : undefined;
    if (!vmlinuz) throw new FetchError(`${deb} has no /boot/vmlinuz-*`);
    const img = vmlinuzToImage(readFileSync(join(bootDir, vmlinuz)));
    installFile(KERNEL_PATH, img);
    writeFileSync(join(DEBIAN_CACHE, 'Image.version'), `${pkg} ${version}\n`);
    log(`${deb} (${vmlinuz}) -> ${KERNEL_PATH} (${img.length} bytes)`);
  });
  return KERNEL_PATH;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => a !== '--kernel' && a !== '--force');
  if (unknown.length) {
    process.stderr.write(`usage: node scripts/fetch-debian.mjs [--kernel] [--force]\n`);
    process.exit(2);
  }
  const force = args.includes('--force');
  try {
    console.log(fetchBusybox({ force }));
    if (args.includes('--kernel')) console.log(fetchKernel({ force }));
  } catch (e) {
    if (e instanceof FetchError) {
      process.stderr.write(`fetch-debian: ${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
}
