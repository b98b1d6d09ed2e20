// Debian's arm64 Linux kernel as a domain of hvlab's hypervisor: its GICv3 driver (against the
// vGIC's distributor/redistributor emulation and the list registers), the architected timer (the
// virtual timer, forwarded with the HW bit) and the sbsa-uart console (the vUART) must all work
// for it to reach /init, which prints the marker and powers the domain off; the hypervisor then
// powers the board off. Beside it runs a small guest of our own on the other CPU.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { initramfs, KERNEL, MARKER, ROOT } from './initramfs';
import { buildGuest, domainOutput, writeSystem } from '../hypervisor/guest-build';

describe('Debian Linux as a domain of the hypervisor', function () {
  this.timeout(600_000);
  it('boots to /init beside another domain, with its console on the vUART', () => {
    assert.ok(existsSync(KERNEL), `${KERNEL} is missing: run \`node scripts/setup.mjs\``);
    const cpio = initramfs();
    const sys = writeSystem({ cpus: 2, memory: 512, scheduler: 'null' }, [
      { name: 'linux', kernel: KERNEL, memory: 256, extra: `ramdisk = "${cpio}"\ncmdline = "console=ttyAMA0 rdinit=/init"\ncpus = "0"` },
      { name: 'tick', kernel: buildGuest('vtick'), extra: 'cpus = "1"' },
    ]);
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [join(ROOT, 'dist/cli.js'), 'run', sys, '--stats'], { encoding: 'latin1', timeout: 580_000, maxBuffer: 64 << 20 });
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const linux = domainOutput(r.stdout, 'linux');
    assert.ok(linux.includes(MARKER), `Linux did not reach /init (exit ${r.status}):\n${r.stderr}\n${r.stdout.slice(-3000)}`);
    assert.match(linux, /GICv3: \d+ SPIs implemented/);
    assert.match(linux, /arch_timer: cp15 timer\(s\) running at 62\.50MHz \(virt\)/);
    assert.match(linux, /ttyAMA0 at MMIO 0x9000000 .* is a SBSA/);
    assert.match(domainOutput(r.stdout, 'tick'), /vtick done/);
    assert.equal(r.status, 0, 'every domain powered off, then the board');
    console.log(`      Linux domain to the marker: ${seconds.toFixed(1)} s (${/hvlab: .*MIPS/.exec(r.stderr)?.[0] ?? ''})`);
  });
});
