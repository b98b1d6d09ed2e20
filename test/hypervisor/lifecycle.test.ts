// Domain lifecycle end to end: on_poweroff / on_reboot / on_crash with destroy, restart and
// preserve, and that a hung or faulting domain never stops the others.
import { strict as assert } from 'node:assert';
import { launchSystem } from '../../emulator/hypervisor/launch';
import { consoleOf, runInProcess, writeSystem } from './systems';

describe('hypervisor: domain lifecycle', function () {
  this.timeout(60_000);

  it('a domain that powers off is destroyed, and the last one powers the board off (exit 0)', () => {
    const r = runInProcess(writeSystem([{ name: 'a', kernel: 'poweroff' }]));
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(consoleOf(r.out, 'a'), ['line one', 'line two', 'last line']);
    assert.match(r.out, /domain a: powered off \(destroy\)/);
    assert.match(r.out, /no domain left running: powering off/);
  });

  it('on_reboot = "restart": SYSTEM_RESET rebuilds the domain; it boots 3 times, then powers off', () => {
    const file = writeSystem([
      { name: 'rb', kernel: 'reboot', extra: ['on_reboot = "restart"'] },
      { name: 'b', kernel: 'poweroff' },
    ], { extra: ['shmem = [ "id=count, size=4K, owner=rb, borrower=b, gpa=0x80000000" ]'] });
    const r = runInProcess(file);
    assert.equal(r.code, 0, r.err + r.out);
    assert.deepEqual(consoleOf(r.out, 'rb'), ['boot 0000000000000001', 'boot 0000000000000002', 'boot 0000000000000003']);
    assert.equal(r.out.match(/domain rb: rebooted \(restart\)/g)?.length, 2);
    assert.match(r.out, /domain rb: powered off \(destroy\)/);
  });

  it('a restarted domain\'s virtual counter starts again at its boot (CNTVOFF_EL2 = the count at the restart)', () => {
    const file = writeSystem([{ name: 'rb', kernel: 'reboot', extra: ['on_reboot = "restart"'] }, { name: 'b', kernel: 'poweroff' }],
      { extra: ['shmem = [ "id=count, size=4K, owner=rb, borrower=b, gpa=0x80000000" ]'] });
    const sys = launchSystem(file, { uartOut: () => undefined });
    const boots: bigint[] = [];
    const d = sys.hypervisor.domains[0];
    sys.hypervisor.trapObservers.push(() => { if (boots[boots.length - 1] !== d.bootCount) boots.push(d.bootCount); return undefined; });
    assert.equal(sys.board.run(2e7)?.kind, 'poweroff');
    assert.equal(boots.length, 3, `three lives: ${boots}`);
    assert.equal(boots[0], 0n, 'the first boot is at the board\'s start');
    assert.ok(boots[1] > 0n && boots[2] > boots[1], `later boots are later: ${boots}`);
    for (const v of d.vcpus) assert.equal(v.ctx.cntvoff, boots[2]);
  });

  it('on_reboot = "destroy": the first SYSTEM_RESET ends the domain', () => {
    const file = writeSystem([
      { name: 'rb', kernel: 'reboot', extra: ['on_reboot = "destroy"'] },
      { name: 'b', kernel: 'poweroff' },
    ], { extra: ['shmem = [ "id=count, size=4K, owner=rb, borrower=b, gpa=0x80000000" ]'] });
    const r = runInProcess(file);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(consoleOf(r.out, 'rb'), ['boot 0000000000000001']);
    assert.match(r.out, /domain rb: rebooted \(destroy\)/);
  });

  it('on_crash = "preserve": SCHEDOP_shutdown(crash) stops the domain, keeps it, and the other goes on', () => {
    const file = writeSystem([
      { name: 'c', kernel: 'crash', extra: ['on_crash = "preserve"'] },
      { name: 'b', kernel: 'poweroff' },
    ]);
    const r = runInProcess(file, ['--max-insns', '2000000', '--stats']);
    // A preserved domain is not running: once b is gone nothing runs, so the board powers off.
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(consoleOf(r.out, 'c'), ['crashing']);
    assert.match(r.out, /domain c: crashed \(preserve\)/);
    assert.deepEqual(consoleOf(r.out, 'b'), ['line one', 'line two', 'last line']);
    assert.match(r.err, /domain c \(shutdown\)/);
  });

  it('on_crash = "restart": a crash reboots the domain', () => {
    const file = writeSystem([{ name: 'c', kernel: 'crash', extra: ['on_crash = "restart"'] }]);
    const r = runInProcess(file, ['--max-insns', '1000']);
    assert.equal(r.code, 0);
    assert.match(r.err, /instruction limit reached/);
    assert.ok(consoleOf(r.out, 'c').filter((l) => l === 'crashing').length >= 2, r.out);
    assert.ok(!r.out.includes('still running after SCHEDOP_shutdown'));
  });

  it('on_crash = "destroy" (default)', () => {
    const r = runInProcess(writeSystem([{ name: 'c', kernel: 'crash' }]));
    assert.equal(r.code, 0);
    assert.match(r.out, /domain c: crashed \(destroy\)/);
  });

  it('a spinning domain never stops another: the run ends only by --max-insns, the other output complete', () => {
    const file = writeSystem([{ name: 's', kernel: 'spin' }, { name: 'b', kernel: 'poweroff' }]);
    const r = runInProcess(file, ['--max-insns', '1000000', '--stats']);
    assert.equal(r.code, 0);
    assert.match(r.err, /instruction limit reached/);
    assert.deepEqual(consoleOf(r.out, 's'), ['spinning']);
    assert.deepEqual(consoleOf(r.out, 'b'), ['line one', 'line two', 'last line']);
    assert.match(r.err, /domain s \(running\)/);
    assert.match(r.err, /domain b \(destroyed\)/);
  });

  it('a faulting domain gets the abort at its vector and never stops another', () => {
    const file = writeSystem([{ name: 'f', kernel: 'fault' }, { name: 'b', kernel: 'poweroff' }]);
    const r = runInProcess(file, ['--max-insns', '1000000']);
    assert.equal(r.code, 0);
    // ESR_EL1: EC 0x25 (Data Abort, same EL), IL, DFSC 0x10 (synchronous external abort);
    // FAR_EL1 the address read; ELR_EL1 the faulting LDR itself.
    assert.deepEqual(consoleOf(r.out, 'f'), ['abort ESR=0000000096000010 FAR=0000000020000010 ELR-bad=0000000000000000']);
    assert.match(r.out, /f\.vcpu0: read from IPA 0x20000010 .*nothing there, abort injected/);
    assert.deepEqual(consoleOf(r.out, 'b'), ['line one', 'line two', 'last line']);
  });
});
