// Debian's arm64 Linux kernel (fetched by scripts/setup.mjs, never committed) boots on hvlab's bare
// `virt` board to its userspace: the initramfs holds /init (test/linux/init.S, our own static
// program, no FP/SIMD), which prints a marker line and powers off. QEMU runs the same boot as the
// reference; both times are printed. Configurations: 1 and 2 CPUs entered at EL1, and 1 CPU
// entered at EL2 (virtualization=on), where the kernel brings up KVM's hyp mode.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { initramfs, KERNEL, MARKER, ROOT } from './initramfs';

function boot(cmd: string, args: string[]): { output: string; status: number | null; seconds: number; stderr: string } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'latin1', timeout: 300_000, maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'pipe'] });
  return { output: r.stdout ?? '', stderr: r.stderr ?? '', status: r.status, seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
}

describe('Debian Linux boots to its userspace', function () {
  this.timeout(400_000);
  let cpio = '';
  before(() => {
    assert.ok(existsSync(KERNEL), `${KERNEL} is missing: run \`node scripts/setup.mjs\` (it fetches linux-image arm64 from Debian)`);
    cpio = initramfs();
  });

  const configs: { smp: number; machine: string }[] = [
    { smp: 1, machine: 'virt,gic-version=3' },
    { smp: 2, machine: 'virt,gic-version=3' },
    { smp: 1, machine: 'virt,gic-version=3,virtualization=on' }, // entered at EL2: KVM initialises hyp mode
  ];
  for (const { smp, machine } of configs) {
    it(`-M ${machine} -smp ${smp}: /init prints its marker and powers off, as on QEMU`, () => {
      const common = ['-M', machine, '-cpu', 'cortex-a53', '-smp', String(smp), '-m', '512M', '-nographic',
        '-kernel', KERNEL, '-initrd', cpio, '-append', 'console=ttyAMA0 rdinit=/init'];
      const q = boot('qemu-system-aarch64', [...common, '-no-reboot', '-monitor', 'none', '-serial', 'stdio']);
      assert.ok(q.output.includes(MARKER), `QEMU did not reach userspace:\n${q.output.slice(-2000)}`);
      const h = boot(process.execPath, [join(ROOT, 'dist/cli.js'), 'run', ...common, '--stats']);
      assert.ok(h.output.includes(MARKER), `hvlab did not reach userspace (exit ${h.status}):\n${h.stderr}\n${h.output.slice(-3000)}`);
      assert.equal(h.status, 0, 'PSCI SYSTEM_OFF ends the run cleanly');
      if (smp === 2) assert.match(h.output, /SMP: Total of 2 processors activated/);
      if (machine.includes('virtualization=on')) assert.match(h.output, /kvm \[1\]: Hyp mode initialized successfully/);
      console.log(`      boot to the marker, ${machine} -smp ${smp}: hvlab ${h.seconds.toFixed(1)} s, QEMU ${q.seconds.toFixed(1)} s (${/hvlab: .*MIPS/.exec(h.stderr)?.[0] ?? ''})`);
    });
  }
});
