// The virt board's interrupt machinery against QEMU (`-M virt,gic-version=3`): bare-metal programs
// in test/system-programs that take generic-timer PPIs, a software-pended SPI, and SGIs between
// two CPUs started with PSCI CPU_ON print what they see; both emulators must print the same.
import { strict as assert } from 'node:assert';
import { buildAsm } from '../tools/harness/toolchain';
import { firstDifference, systemProgram } from '../tools/harness/output-diff';
import { runHvlab, runQemu } from '../tools/harness/runners';

describe('virt board interrupts vs QEMU', function () {
  this.timeout(60_000);
  const programs: { name: string; smp: number }[] = [
    { name: 'timer-access.S', smp: 1 },
    { name: 'gic-timer.S', smp: 1 },
    { name: 'gic-sgi-smp.S', smp: 2 },
    { name: 'smp-lock.S', smp: 2 },
  ];
  for (const { name, smp } of programs) {
    it(`${name} (-smp ${smp}): same output as QEMU`, () => {
      const elf = buildAsm(systemProgram(name), name.replace(/\.S$/, ''));
      const q = runQemu(elf, { extraArgs: ['-smp', String(smp)] });
      assert.equal(q.error, undefined);
      assert.match(q.output, /done\n$/, `QEMU did not finish: ${q.output}`);
      const h = runHvlab(elf, { stopOnUndefined: false, smp, maxInsns: 50_000_000 });
      assert.equal(h.error, undefined, `${h.error}\n${h.output}`);
      assert.equal(h.output, q.output, firstDifference(q.output, h.output));
    });
  }
});
