// The virtual GIC and virtual timer end to end: guests of our own that take interrupts run on the
// bare board (where QEMU is the reference) and as domains, and print the same bytes; a domain gets
// interrupts only through list registers and ICC_IAR1_EL1 (ICV), the vtimer with the HW bit.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { buildGuest, CLI, domainOutput, writeSystem } from './systems';

function run(args: string[], input?: string): { out: string; err: string; status: number | null } {
  const r = spawnSync(process.execPath, [CLI, 'run', ...args], { encoding: 'latin1', input, timeout: 120_000 });
  return { out: r.stdout, err: r.stderr, status: r.status };
}

describe('virtual GICv3 and virtual timer (hypervisor)', function () {
  this.timeout(240_000);

  for (const guest of ['vtick', 'spis']) {
    it(`${guest}: the same output on QEMU, on the bare board and as two domains`, () => {
      const elf = buildGuest(guest);
      const q = spawnSync('qemu-system-aarch64', ['-M', 'virt,gic-version=3', '-cpu', 'cortex-a53', '-nographic', '-monitor', 'none',
        '-serial', 'stdio', '-no-reboot', '-kernel', elf], { encoding: 'latin1', timeout: 60_000 });
      const bare = run(['-M', 'virt,gic-version=3', '-kernel', elf]);
      assert.equal(bare.status, 0, bare.err);
      assert.equal(bare.out, q.stdout, 'hvlab bare board vs QEMU');
      const sys = writeSystem([{ name: 'a', kernel: elf }, { name: 'b', kernel: elf }]);
      const hv = run([sys, '--stats']);
      assert.equal(hv.status, 0, hv.err + hv.out);
      assert.equal(domainOutput(hv.out, 'a'), bare.out, 'domain a vs bare board');
      assert.equal(domainOutput(hv.out, 'b'), bare.out, 'domain b vs bare board');
      assert.match(hv.out, /\(hvlab\) no domain left running: powering off/);
    });
  }

  it('vtimer interrupts are injected (counters), and SGIs trap as sysreg accesses', () => {
    const sys = writeSystem([{ name: 'a', kernel: buildGuest('vtick') }]);
    const r = run([sys, '--stats']);
    assert.equal(r.status, 0, r.err);
    // With HCR_EL2.TWI each WFI blocks the vCPU: its five timer interrupts are made pending by the
    // hypervisor's wake-up timer, each injected once.
    assert.match(r.err, /domain a \(destroyed\): traps \d+ \[wfi\/wfe 5, hvc 1, dabt \d+\], irqs \d+, injected 5,/);
    const s = run([writeSystem([{ name: 'a', kernel: buildGuest('spis') }]), '--stats']);
    assert.match(s.err, /domain a \(destroyed\): traps \d+ \[hvc 1, sysreg 1, dabt \d+\]/);
  });
});
