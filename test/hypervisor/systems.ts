// Test systems for the hypervisor: a system file and its domain files written into a temporary
// directory (kernels are the test guests of test/hypervisor/guests, built by
// scripts/build-guests.mjs into .test-cache/hypervisor), run in-process through `hvlab run`'s own
// code (runSystem) or as the CLI with stdin.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runSystem } from '../../emulator/system-cli';
import { cachePath } from '../tools/harness/toolchain';

export const ROOT = resolve(__dirname, '../../..');

export const CLI = join(ROOT, 'dist/cli.js');

/**
 * A test guest built for the bare board too: linked at 0x40200000 like the bare-board programs
 * (QEMU then has room for its DTB below), so the same ELF runs on QEMU, hvlab's board and as a domain.
 */
export function buildGuest(name: string): string {
  const elf = cachePath('hypervisor-bare', `${name}.elf`);
  execFileSync('aarch64-linux-gnu-gcc', ['-nostdlib', '-static', `-I${join(ROOT, 'test/system-programs')}`, '-Wl,-Ttext=0x40200000',
    '-Wl,--build-id=none', '-o', elf, join(ROOT, 'test/hypervisor/guests', `${name}.S`)]);
  return elf;
}

/** A guest of .test-cache/hypervisor by name, or a path to an ELF. */
export function guest(name: string): string {
  if (name.includes('/')) return name;
  const p = join(ROOT, '.test-cache/hypervisor', `${name}.elf`);
  if (!existsSync(p)) throw new Error(`${p} is missing: run node scripts/build-guests.mjs`);
  return p;
}

export interface DomainSpec { name: string; kernel: string; cpus?: string; extra?: string[] }

/** Writes the system (system-file lines besides `domains`) and returns the .hvsys path. */
export function writeSystem(domains: DomainSpec[], opts: { cpus?: number; scheduler?: string; extra?: string[] } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'hvlab-hv-'));
  domains.forEach((d, i) => {
    // The null scheduler (the one every branch has): each domain owns physical CPU i.
    d.cpus ??= String(i);
    writeFileSync(join(dir, `${d.name}.cfg`), [
      `name = "${d.name}"`, 'memory = 128', `kernel = "${guest(d.kernel)}"`,
      ...(d.cpus !== undefined ? [`cpus = "${d.cpus}"`] : []), ...(d.extra ?? []),
    ].join('\n') + '\n');
  });
  const file = join(dir, 'system.hvsys');
  writeFileSync(file, [
    'platform = "virt"', `cpus = ${opts.cpus ?? domains.length}`, 'memory = 512', `scheduler = "${opts.scheduler ?? 'null'}"`,
    `domains = [ ${domains.map((d) => `"${d.name}.cfg"`).join(', ')} ]`, ...(opts.extra ?? []),
  ].join('\n') + '\n');
  return file;
}

export interface RunOutput { code: number; out: string; err: string }

/** Runs in-process; a run given no --max-insns is capped (a test must end even if a guest hangs). */
export function runInProcess(file: string, args: string[] = []): RunOutput {
  let out = '', err = '';
  if (!args.includes('--max-insns')) args = [...args, '--max-insns', '20000000'];
  const code = runSystem([file, ...args], (b) => { out += b.toString('utf8'); }, (s) => { err += s; });
  if (typeof code !== 'number') throw new Error('runInProcess: an interactive run (stdin is a terminal) cannot run in-process');
  return { code, out, err };
}

/** `node dist/cli.js run FILE ARGS` with `input` on stdin (needs `node scripts/build.mjs`). */
export function runCli(file: string, args: string[], input: string): RunOutput {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run node scripts/build.mjs`);
  const r = spawnSync(process.execPath, [CLI, 'run', file, ...args], { input, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

/** The lines of one domain's console in the prefixed stdout stream, unprefixed. */
export function consoleOf(out: string, name: string): string[] {
  return out.split('\n').filter((l) => l.startsWith(`${name}| `)).map((l) => l.slice(name.length + 2));
}

/** The same, as one string of lines each ending in a newline (what the guest printed). */
export function domainOutput(out: string, name: string): string {
  return consoleOf(out, name).map((l) => l + '\n').join('');
}
