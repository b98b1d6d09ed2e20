#!/usr/bin/env node
// Builds hvlab's bare-metal guests with the cross compiler (gcc-aarch64-linux-gnu):
//   examples/bare/hello.elf               the demo guest (committed, so `npm run demo` needs no compiler)
//   examples/guests/<name>/<name>.elf     the hypervisor's example guests (committed likewise), each
//                                         from its directory's sources + examples/guests/runtime
//   .test-cache/programs/<name>.elf       every test program in test/programs/ (C or assembly)
//   .test-cache/bench/workload.elf        the benchmark workload (bench/workload.c)
//   .test-cache/linux/initramfs.cpio      /init (test/linux/init.S) for the Linux tests and example
//   .test-cache/hypervisor/<name>.elf     the hypervisor test guests (test/hypervisor/guests/*.S,
//                                         assembly with no runtime, linked at guest RAM 0x40000000)
// Each links with the runtime in examples/bare/runtime (crt0, PL011 console, printf, string).
//
// Outputs are rebuilt only when their inputs change (a SHA-256 over flags and source contents).
// For hello.elf that hash is committed next to it (examples/bare/hello.inputs.sha256): the
// committed image is current when its inputs are, so a checkout does not rewrite it. The test
// test/diff/prebuilt.test.ts rebuilds it into a temporary file and checks the bytes match; the
// example guests likewise (examples/guests/<name>/<name>.inputs.sha256, test/diff/guests-prebuilt.test.ts).
//
// A test program may ask for variants with extra flags in its first lines:
//   // hvlab-build: atomics-lse -march=armv8.1-a+crc
//   // hvlab-build: atomics-llsc
// (name, then flags, then an optional comment; without such a line the program is built once
// under its base name.)
//
// usage: node scripts/build-guests.mjs [--force] [--hello-out FILE] [--guest-out NAME FILE] [--list]
//   --hello-out FILE  build only the demo guest, into FILE (nothing else is touched)
//   --guest-out NAME FILE  build only the example guest NAME, into FILE
//   --list            print the programs and their ELF paths as JSON, build nothing
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { newcArchive } from './cpio.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CC = 'aarch64-linux-gnu-gcc';
const RUNTIME_DIR = 'examples/bare/runtime';
const RUNTIME = [`${RUNTIME_DIR}/crt0.S`, `${RUNTIME_DIR}/uart.c`, `${RUNTIME_DIR}/string.c`];
const LINK_SCRIPT = `${RUNTIME_DIR}/link.ld`;
const CACHE = join(ROOT, '.test-cache');

// Paths are passed relative to ROOT (gcc runs with cwd = ROOT) and the debug info's compilation
// directory is mapped to ".", so the ELF does not depend on where the checkout lives.
export const BASE_FLAGS = [
  '-O2', '-g', '-ffreestanding', '-nostdlib', '-nostartfiles', '-static', '-fno-pie', '-no-pie',
  '-mstrict-align', '-fno-tree-vectorize', '-march=armv8-a+crc',
  // Atomics inline (LDXR/STXR, or LSE with -march=armv8.1-a), not libgcc's outline helpers whose
  // LSE switch needs getauxval; no stack protector (no TLS canary); no .comment with the GCC version;
  // memcpy/memset loops must stay loops (string.c).
  '-mno-outline-atomics', '-fno-stack-protector', '-fno-ident', '-fno-tree-loop-distribute-patterns',
  '-Wall', '-Wextra', '-Wno-unused-parameter',
  `-fdebug-prefix-map=${ROOT}=.`,
  `-I${RUNTIME_DIR}`, '-T', LINK_SCRIPT, '-Wl,--build-id=none', '-Wl,-z,norelro', '-Wl,-z,noexecstack',
];

function sha256(...parts) {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex');
}

function inputsHash(target) {
  const standalone = target.asmOnly || target.link;
  const files = [...(standalone ? [] : [...RUNTIME, `${RUNTIME_DIR}/bare.h`, LINK_SCRIPT]), ...target.sources, ...(target.headers ?? [])];
  return sha256(JSON.stringify(target.link ?? (target.asmOnly ? HV_GUEST_LINK : target.flags)), ...files.flatMap((f) => [f, readFileSync(join(ROOT, f))]));
}

/** The flags at the start of a directive's text (words beginning with '-'); the rest is comment. */
function leadingFlags(text) {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const n = words.findIndex((w) => !w.startsWith('-'));
  return n < 0 ? words : words.slice(0, n);
}

/** Every test program variant in test/programs/. */
function programTargets() {
  const dir = join(ROOT, 'test/programs');
  if (!existsSync(dir)) return [];
  const out = [];
  const headers = readdirSync(dir).filter((f) => f.endsWith('.h')).sort().map((f) => `test/programs/${f}`);
  for (const f of readdirSync(dir).sort()) {
    if (!/\.(c|S)$/.test(f)) continue;
    const src = `test/programs/${f}`;
    const head = readFileSync(join(ROOT, src), 'utf8').split('\n').slice(0, 30);
    const variants = head.map((l) => /hvlab-build:\s*(\S+)(.*)$/.exec(l)).filter(Boolean)
      .map((m) => ({ name: m[1], flags: leadingFlags(m[2]) }));
    if (!variants.length) variants.push({ name: f.replace(/\.(c|S)$/, ''), flags: [] });
    for (const v of variants) {
      out.push({ name: v.name, sources: [src], headers, flags: v.flags, elf: join(CACHE, 'programs', `${v.name}.elf`), hashFile: join(CACHE, 'programs', `${v.name}.inputs`) });
    }
  }
  return out;
}

// The example guests: every directory of examples/guests except the shared runtime, which
// extends the bare runtime with exception vectors, GICv3, virtual timer, FDT and hypercalls.
// -mgeneral-regs-only: no FP/SIMD registers anywhere, so an exception frame (and the RTOS's
// context switch) need save only the general registers.
const GUESTS_DIR = 'examples/guests';
const GUEST_RUNTIME_DIR = `${GUESTS_DIR}/runtime`;
const GUEST_RUNTIME = ['vectors.S', 'exceptions.c', 'gicv3.c', 'vtimer.c', 'fdt.c', 'hypercall.c'].map((f) => `${GUEST_RUNTIME_DIR}/${f}`);
const GUEST_HEADERS = ['guest.h', 'mmio.h', 'sysreg.h'].map((f) => `${GUEST_RUNTIME_DIR}/${f}`);
const GUEST_FLAGS = [`-I${GUEST_RUNTIME_DIR}`, '-mgeneral-regs-only'];

function guestTargets() {
  const dir = join(ROOT, GUESTS_DIR);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name !== 'runtime')
    .map((e) => e.name).sort()
    .flatMap((name) => {
      const own = readdirSync(join(dir, name)).sort().map((f) => `${GUESTS_DIR}/${name}/${f}`);
      if (!own.some((f) => /\.(c|S)$/.test(f))) return []; // a directory being started
      return [{
        name, flags: GUEST_FLAGS,
        sources: [...GUEST_RUNTIME, ...own.filter((f) => /\.(c|S)$/.test(f))],
        headers: [...GUEST_HEADERS, ...own.filter((f) => f.endsWith('.h'))],
        elf: join(ROOT, GUESTS_DIR, name, `${name}.elf`), hashFile: join(ROOT, GUESTS_DIR, name, `${name}.inputs.sha256`),
      }];
    });
}

const HV_GUEST_DIR = 'test/hypervisor/guests';

/** The hypervisor's test guests: one assembly file each, sharing the headers beside them. */
function hvGuestTargets() {
  const dir = join(ROOT, HV_GUEST_DIR);
  if (!existsSync(dir)) return [];
  const headers = readdirSync(dir).filter((f) => f.endsWith('.inc')).sort().map((f) => `${HV_GUEST_DIR}/${f}`);
  // adversary.S links with the bare runtime (ISOLATION_GUESTS below); the others stand alone.
  return readdirSync(dir).filter((f) => f.endsWith('.S') && f !== 'adversary.S').sort().map((f) => {
    const name = f.replace(/\.S$/, '');
    return { name, asmOnly: true, sources: [`${HV_GUEST_DIR}/${f}`], headers, flags: [], elf: join(CACHE, 'hypervisor', `${name}.elf`), hashFile: join(CACHE, 'hypervisor', `${name}.inputs`) };
  });
}

/** Guest RAM's IPA (GUEST_RAM_BASE): a domain's ELF is loaded at its link addresses. */
const HV_GUEST_LINK = ['-nostdlib', '-nostartfiles', '-static', '-fno-pie', '-no-pie', '-march=armv8-a', `-I${HV_GUEST_DIR}`, '-Itest/system-programs',
  '-Wl,-N', '-Wl,-Ttext=0x40000000', '-Wl,-e,_start', '-Wl,--build-id=none', '-Wl,-z,noexecstack'];

const HELLO = {
  name: 'hello', sources: ['examples/bare/hello.c'], flags: [],
  elf: join(ROOT, 'examples/bare/hello.elf'), hashFile: join(ROOT, 'examples/bare/hello.inputs.sha256'),
};
const WORKLOAD = {
  name: 'workload', sources: ['bench/workload.c'], flags: [],
  elf: join(CACHE, 'bench/workload.elf'), hashFile: join(CACHE, 'bench/workload.inputs'),
};
/** The same workload with stage 1 translation on (bench/mmu-on.S), for MIPS with the MMU on. */
const WORKLOAD_MMU = {
  name: 'workload-mmu', sources: ['bench/workload.c', 'bench/mmu-on.S'], flags: ['-DHVLAB_MMU'],
  elf: join(CACHE, 'bench/workload-mmu.elf'), hashFile: join(CACHE, 'bench/workload-mmu.inputs'),
};

/** The hypercall round-trip guest of `npm run bench` (N xen_version calls timed with CNTVCT). */
const HYPERCALL_BENCH = {
  name: 'hypercall', sources: ['bench/hypercall.S'], flags: [],
  elf: join(CACHE, 'bench/hypercall.elf'), hashFile: join(CACHE, 'bench/hypercall.inputs'),
};

/** The virtual interrupt latency guest of `npm run bench` (vtimer deadline to its handler, in ticks). */
const IRQ_LATENCY_BENCH = {
  name: 'irq-latency', sources: [...GUEST_RUNTIME, 'bench/irq-latency.c'], headers: GUEST_HEADERS, flags: GUEST_FLAGS,
  elf: join(CACHE, 'bench/irq-latency.elf'), hashFile: join(CACHE, 'bench/irq-latency.inputs'),
};

/** Guests of the hypervisor's isolation tests (test/hypervisor/guests/, assembly or C). */
const ISOLATION_GUESTS = ['adversary.S', 'victim.c'].map((f) => {
  const name = f.replace(/\.(c|S)$/, '');
  return { name, sources: [`test/hypervisor/guests/${f}`], flags: [], elf: join(CACHE, 'guests', `${name}.elf`), hashFile: join(CACHE, 'guests', `${name}.inputs`) };
});

/**
 * The Linux tests' and example's /init (test/linux/init.S: a static program of our own that prints
 * a marker and powers off), packed into .test-cache/linux/initramfs.cpio.
 */
const LINUX_INIT = {
  name: 'linux-init', sources: ['test/linux/init.S'], flags: [], link: ['-nostdlib', '-static', '-Wl,--build-id=none'],
  elf: join(CACHE, 'linux/init'), hashFile: join(CACHE, 'linux/init.inputs'),
};
const INITRAMFS = join(CACHE, 'linux/initramfs.cpio');

/** Compiles and links one target into `outFile`; throws with the compiler's message on failure. */
function compile(target, outFile) {
  mkdirSync(dirname(outFile), { recursive: true });
  const tmp = `${outFile}.tmp-${process.pid}`;
  const args = target.link ? [...target.link, ...target.sources, '-o', tmp]
    : target.asmOnly ? [...HV_GUEST_LINK, ...target.sources, '-o', tmp]
    : [...BASE_FLAGS, ...target.flags, ...RUNTIME, ...target.sources, '-o', tmp, '-lgcc'];
  try {
    execFileSync(CC, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    rmSync(tmp, { force: true });
    const msg = e.stderr?.toString() || e.message;
    throw new Error(`build-guests: ${target.name}: ${CC} failed:\n${msg}`);
  }
  return tmp;
}

function build(target, force) {
  const hash = inputsHash(target);
  const current = existsSync(target.elf) && existsSync(target.hashFile) && readFileSync(target.hashFile, 'utf8').trim() === hash;
  if (current && !force) return false;
  const tmp = compile(target, target.elf);
  // Replace only when the bytes differ, so an unchanged committed image is not touched.
  if (existsSync(target.elf) && readFileSync(tmp).equals(readFileSync(target.elf))) rmSync(tmp);
  else renameSync(tmp, target.elf);
  writeFileSync(target.hashFile, hash + '\n');
  process.stderr.write(`build-guests: built ${relative(ROOT, target.elf)}\n`);
  return true;
}

function main(argv) {
  const force = argv.includes('--force');
  const helloOut = argv.indexOf('--hello-out');
  if (helloOut >= 0) {
    const out = resolve(argv[helloOut + 1] ?? '');
    if (!argv[helloOut + 1]) throw new Error('build-guests: --hello-out needs a file name');
    renameSync(compile(HELLO, out), out);
    return;
  }
  const guests = guestTargets();
  const guestOut = argv.indexOf('--guest-out');
  if (guestOut >= 0) {
    const [name, file] = [argv[guestOut + 1], argv[guestOut + 2]];
    if (!name || !file) throw new Error('build-guests: --guest-out needs a guest name and a file name');
    const target = guests.find((t) => t.name === name);
    if (!target) throw new Error(`build-guests: no example guest '${name}' (guests: ${guests.map((t) => t.name).join(', ')})`);
    const out = resolve(file);
    renameSync(compile(target, out), out);
    return;
  }
  const programs = programTargets();
  const all = [HELLO, ...guests, WORKLOAD, WORKLOAD_MMU, HYPERCALL_BENCH, IRQ_LATENCY_BENCH, LINUX_INIT, ...ISOLATION_GUESTS, ...programs, ...hvGuestTargets()];
  if (argv.includes('--list')) {
    process.stdout.write(JSON.stringify(all.map((t) => ({ name: t.name, elf: t.elf, sources: t.sources, flags: t.flags })), null, 1) + '\n');
    return;
  }
  const failures = [];
  for (const t of all) {
    if (!t.sources.every((s) => existsSync(join(ROOT, s)))) continue;
    try {
      build(t, force);
    } catch (e) {
      failures.push(e instanceof Error ? e.message : String(e));
    }
  }
  if (failures.length) throw new Error(failures.join('\n'));
  if (existsSync(LINUX_INIT.elf)) {
    const cpio = newcArchive([{ name: 'init', data: readFileSync(LINUX_INIT.elf), mode: 0o100755 }]);
    if (!existsSync(INITRAMFS) || !readFileSync(INITRAMFS).equals(cpio)) writeFileSync(INITRAMFS, cpio);
  }
  // The list of programs for test/diff/programs.test.ts.
  mkdirSync(join(CACHE, 'programs'), { recursive: true });
  const manifest = JSON.stringify(programs.map((t) => ({ name: t.name, elf: t.elf, sources: t.sources, flags: t.flags })), null, 1) + '\n';
  const mf = join(CACHE, 'programs/manifest.json');
  if (!existsSync(mf) || readFileSync(mf, 'utf8') !== manifest) writeFileSync(mf, manifest);
}

try {
  main(process.argv.slice(2));
} catch (e) {
  process.stderr.write(`${e instanceof Error ? e.message : e}\n`);
  process.exitCode = 1;
}
