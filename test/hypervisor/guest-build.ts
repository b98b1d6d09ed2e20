// Builds the hypervisor test guests (test/hypervisor/guests/*.S, which include the system test
// programs' print.inc) with the cross toolchain into .test-cache, and writes small system files
// around them. Shared by the hypervisor suites.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { cachePath } from '../tools/harness/toolchain';

export const ROOT = resolve(__dirname, '../../..');
export const CLI = join(ROOT, 'dist/cli.js');

export function buildGuest(name: string): string {
  // Linked at 0x40200000 like the bare-board programs (QEMU then has room for its DTB below).
  const elf = cachePath('hypervisor-bare', `${name}.elf`);
  execFileSync('aarch64-linux-gnu-gcc', ['-nostdlib', '-static', `-I${join(ROOT, 'test/system-programs')}`, '-Wl,-Ttext=0x40200000',
    '-Wl,--build-id=none', '-o', elf, join(ROOT, 'test/hypervisor/guests', `${name}.S`)]);
  return elf;
}

export interface DomainSpec { name: string; kernel: string; memory?: number; extra?: string }

/** Writes a system file (+ one domain file per domain) into a fresh temporary directory. */
export function writeSystem(sys: { cpus: number; memory?: number; scheduler: string; extra?: string }, domains: DomainSpec[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'hvlab-sys-'));
  for (const d of domains) {
    writeFileSync(join(dir, `${d.name}.cfg`), `name = "${d.name}"\nmemory = ${d.memory ?? 64}\nkernel = "${d.kernel}"\n${d.extra ?? ''}\n`);
  }
  const file = join(dir, 'system.hvsys');
  writeFileSync(file, `platform = "virt"\ncpus = ${sys.cpus}\nmemory = ${sys.memory ?? 512}\nscheduler = "${sys.scheduler}"\n` +
    `domains = [ ${domains.map((d) => `"${d.name}.cfg"`).join(', ')} ]\n${sys.extra ?? ''}\n`);
  return file;
}

/** The lines a domain printed, from `hvlab run SYSTEM` output ("name| line"). */
export function domainOutput(out: string, name: string): string {
  return out.split('\n').filter((l) => l.startsWith(`${name}| `)).map((l) => l.slice(name.length + 2) + '\n').join('');
}
