// Example 6 (examples/systems/linux-rtos): Debian's arm64 Linux kernel as a domain of hvlab's
// hypervisor beside the RTOS example guest. Its GICv3 driver (against the vGIC's distributor/
// redistributor emulation and the list registers), the architected timer (the virtual timer,
// forwarded with the HW bit) and the sbsa-uart console (the vUART) must all work for it to reach
// /init, which prints the marker and powers the domain off; the RTOS on the other CPU must print
// what it prints on the bare board; then the hypervisor powers the board off.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { initramfs, KERNEL, MARKER, ROOT } from './linux-boot';
import { domainOutput } from '../hypervisor/systems';

const CLI = join(ROOT, 'dist/cli.js');

function hvlab(args: string[]): { out: string; err: string; status: number | null; seconds: number } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [CLI, 'run', ...args], { encoding: 'latin1', timeout: 580_000, maxBuffer: 64 << 20 });
  return { out: r.stdout, err: r.stderr, status: r.status, seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
}

describe('Debian Linux as a domain of the hypervisor (examples/systems/linux-rtos)', function () {
  this.timeout(600_000);
  it('boots to /init beside the RTOS, with its console on the vUART', () => {
    assert.ok(existsSync(KERNEL), `${KERNEL} is missing: run \`node scripts/setup.mjs\``);
    initramfs();
    const r = hvlab([join(ROOT, 'examples/systems/linux-rtos/system.hvsys'), '--stats']);
    const linux = domainOutput(r.out, 'linux');
    assert.ok(linux.includes(MARKER), `Linux did not reach /init (exit ${r.status}):\n${r.err}\n${r.out.slice(-3000)}`);
    assert.match(linux, /GICv3: \d+ SPIs implemented/);
    assert.match(linux, /arch_timer: cp15 timer\(s\) running at 62\.50MHz \(virt\)/);
    assert.match(linux, /ttyAMA0 at MMIO 0x9000000 .* is a SBSA/);
    const bare = hvlab(['-M', 'virt,gic-version=3', '-cpu', 'cortex-a53', '-m', '128M', '-nographic', '-append', 'name=rtos',
      '-kernel', join(ROOT, 'examples/guests/rtos/rtos.elf')]);
    assert.equal(bare.status, 0, bare.err);
    assert.equal(domainOutput(r.out, 'rtos'), bare.out, 'the RTOS prints what it prints on the bare board');
    assert.equal(r.status, 0, 'every domain powered off, then the board');
    console.log(`      Linux domain to the marker: ${r.seconds.toFixed(1)} s (${/hvlab: .*MIPS/.exec(r.err)?.[0] ?? ''})`);
  });
});
