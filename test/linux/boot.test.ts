// Debian's arm64 Linux kernel (fetched by scripts/setup.mjs, never committed) boots on hvlab's bare
// `virt` board to its userspace: the initramfs holds /init (test/linux/init.S, our own static
// program, no FP/SIMD), which prints a marker line and powers off. QEMU runs the same boot as the
// reference; both times are printed. Configurations: 1 and 2 CPUs entered at EL1, and 1 CPU
// entered at EL2 (virtualization=on), where the kernel brings up KVM's hyp mode, and 2 CPUs with
// EL3 (secure=on), the kernel in Non-secure EL2.
import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { bootBoth, initramfs, KERNEL, MARKER } from './linux-boot';

describe('Debian Linux boots to its userspace', function () {
  this.timeout(400_000);
  before(() => {
    assert.ok(existsSync(KERNEL), `${KERNEL} is missing: run \`node scripts/setup.mjs\` (it fetches linux-image arm64 from Debian)`);
    initramfs();
  });

  const configs: { smp: number; machine: string }[] = [
    { smp: 1, machine: 'virt,gic-version=3' },
    { smp: 2, machine: 'virt,gic-version=3' },
    { smp: 1, machine: 'virt,gic-version=3,virtualization=on' }, // entered at EL2: KVM initialises hyp mode
    // secure=on: the CPUs have EL3; the kernel is entered in Non-secure EL2 and brings CPU 1 up
    // with PSCI over SMC, as QEMU does it.
    { smp: 2, machine: 'virt,gic-version=3,secure=on,virtualization=on' },
  ];
  for (const { smp, machine } of configs) {
    it(`-M ${machine} -smp ${smp}: /init prints its marker and powers off, as on QEMU`, () => {
      const { qemu: q, hvlab: h } = bootBoth(smp, machine);
      assert.ok(q.output.includes(MARKER), `QEMU did not reach userspace:\n${q.output.slice(-2000)}`);
      assert.ok(h.output.includes(MARKER), `hvlab did not reach userspace (exit ${h.status}):\n${h.stderr}\n${h.output.slice(-3000)}`);
      assert.equal(h.status, 0, 'PSCI SYSTEM_OFF ends the run cleanly');
      if (smp === 2) assert.match(h.output, /SMP: Total of 2 processors activated/);
      if (machine.includes('virtualization=on')) assert.match(h.output, /kvm \[1\]: Hyp mode initialized successfully/);
      console.log(`      boot to the marker, ${machine} -smp ${smp}: hvlab ${h.seconds.toFixed(1)} s, QEMU ${q.seconds.toFixed(1)} s (${/hvlab: .*MIPS/.exec(h.stderr)?.[0] ?? ''})`);
    });
  }
});
