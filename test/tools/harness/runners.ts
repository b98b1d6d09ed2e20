// Run one bare-metal ELF on the reference (qemu-system-aarch64 -M virt) and on hvlab, capturing
// what each writes to UART0.
import { stopOnUndefined } from '../../../emulator/debug/trap-hooks';
import { spawnSync } from 'node:child_process';
import { VirtBoard, type CpuModel } from '../../../emulator/machine/virt-board';
import type { StopReason } from '../../../emulator/cpu/cpu';
import { readElf } from './toolchain';

export interface RunResult { output: string; stop?: StopReason; error?: string }

/**
 * QEMU's `max` CPU has every extension hvlab may use (LSE, CRC32). The guest ends with PSCI
 * SYSTEM_OFF through HVC, which makes QEMU exit; a timeout means the guest hung.
 */
export function runQemu(elf: string, opts: { cpu?: string; timeoutMs?: number; extraArgs?: string[]; secure?: boolean; virtualization?: boolean } = {}): RunResult {
  // gic-version=3: hvlab's only GIC (QEMU's virt defaults to GICv2).
  const machine = ['virt', 'gic-version=3', ...(opts.secure ? ['secure=on'] : []), ...(opts.virtualization ? ['virtualization=on'] : [])].join(',');
  const r = spawnSync('qemu-system-aarch64', ['-M', machine, '-cpu', opts.cpu ?? 'max', '-nographic', '-no-reboot', '-m', '128M',
    '-monitor', 'none', '-serial', 'stdio', '-kernel', elf, ...(opts.extraArgs ?? [])],
  { encoding: 'latin1', timeout: opts.timeoutMs ?? 20000, stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.error) return { output: r.stdout ?? '', error: `qemu: ${r.error.message}` };
  if (r.status !== 0) return { output: r.stdout, error: `qemu exited with ${r.status}: ${r.stderr}` };
  return { output: r.stdout };
}

/** `secure`: -M virt,secure=on (EL3; a bare ELF starts there, and powers off through the Secure GPIO). */
export function runHvlab(elf: string, opts: { cpu?: CpuModel; maxInsns?: number; stopOnUndefined?: boolean; virtualization?: boolean; secure?: boolean; smp?: number } = {}): RunResult {
  const bytes: number[] = [];
  const board = new VirtBoard({ cpu: opts.cpu ?? 'max', smp: opts.smp ?? 1, memory: 128 * 2 ** 20, uartOut: (b) => bytes.push(b), virtualization: opts.virtualization, secure: opts.secure });
  board.loadElf(readElf(elf), elf);
  // The snippets install no vectors: report UNDEFINED at the instruction rather than at vector 0x200.
  if (opts.stopOnUndefined ?? true) for (const cpu of board.cpus) cpu.trapHook = stopOnUndefined;
  const stop = board.run(opts.maxInsns ?? 500_000_000);
  const output = Buffer.from(bytes).toString('latin1');
  if (!stop) return { output, error: 'hvlab: instruction limit reached (guest hung?)' };
  if (stop.kind !== 'poweroff') return { output, stop, error: `hvlab stopped: ${JSON.stringify(stop, (_k, v) => typeof v === 'bigint' ? '0x' + v.toString(16) : v)}` };
  return { output, stop };
}
