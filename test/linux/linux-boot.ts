// The Linux tests' kernel and initramfs, both made by `node scripts/setup.mjs`: Debian's arm64
// kernel (scripts/fetch-debian.mjs, never committed) and an initramfs whose /init is
// test/linux/init.S (our own static program, no FP/SIMD), which prints MARKER and powers off
// (scripts/build-guests.mjs packs it). examples/systems/linux-rtos uses the same two files, and
// `npm run bench` times the same boot as test/linux/boot.test.ts.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../../..');
export const KERNEL = join(ROOT, '.test-cache/debian/Image');
export const INITRAMFS = join(ROOT, '.test-cache/linux/initramfs.cpio');
export const MARKER = 'HVLAB-INIT: hello from userspace';

export function initramfs(): string {
  if (!existsSync(INITRAMFS)) throw new Error(`${INITRAMFS} is missing: run \`node scripts/setup.mjs\` (scripts/build-guests.mjs builds it)`);
  return INITRAMFS;
}

/** QEMU's and hvlab's common arguments for booting the kernel to /init on the bare board. */
export function bootArgs(smp: number, machine: string): string[] {
  return ['-M', machine, '-cpu', 'cortex-a53', '-smp', String(smp), '-m', '512M', '-nographic',
    '-kernel', KERNEL, '-initrd', initramfs(), '-append', 'console=ttyAMA0 rdinit=/init'];
}

export interface BootRun { output: string; status: number | null; seconds: number; stderr: string }

function timed(cmd: string, args: string[]): BootRun {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'latin1', timeout: 300_000, maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'pipe'] });
  return { output: r.stdout ?? '', stderr: r.stderr ?? '', status: r.status, seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
}

/** The boot on QEMU (the reference) and on hvlab (dist/cli.js, with --stats), each timed. */
export function bootBoth(smp: number, machine: string): { qemu: BootRun; hvlab: BootRun } {
  const common = bootArgs(smp, machine);
  const qemu = timed('qemu-system-aarch64', [...common, '-no-reboot', '-monitor', 'none', '-serial', 'stdio']);
  const hvlab = timed(process.execPath, [join(ROOT, 'dist/cli.js'), 'run', ...common, '--stats']);
  return { qemu, hvlab };
}
