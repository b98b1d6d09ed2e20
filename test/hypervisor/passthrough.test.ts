// Passthrough end to end: the board's second PL011 (0x09040000, INTID 40) given to a domain with
// iomem = [ "9040,1" ] and irqs = [ 40 ]: its writes reach the device through stage 2 (Device,
// no trap), its interrupt arrives through the vGIC with the HW bit, twice (the guest's EOI
// deactivated the physical SPI, or it could not fire again).
import { strict as assert } from 'node:assert';
import { consoleOf, runInProcess, writeSystem } from './systems';
import { validateFile, diskFileAccess, hasErrors } from '../../emulator/config';

describe('hypervisor: device passthrough', function () {
  this.timeout(60_000);
  const file = (): string => writeSystem([{ name: 'u', kernel: 'uart1', extra: ['iomem = [ "9040,1" ]', 'irqs = [ 40 ]'] }]);

  it('the config validator accepts iomem "9040,1" and irqs [ 40 ]', () => {
    const r = validateFile(file(), diskFileAccess);
    assert.ok(!hasErrors(r.diagnostics), JSON.stringify(r.diagnostics));
  });

  it('the guest writes UART1 directly and takes its interrupt (HW bit) twice', () => {
    const r = runInProcess(file(), ['--stats']);
    assert.equal(r.code, 0, r.err + r.out);
    assert.deepEqual(r.out.split('\n').filter((l) => l.startsWith('uart1| ')), ['uart1| hello on uart1']);
    assert.deepEqual(consoleOf(r.out, 'u'), ['irq 0000000000000028', 'irq 0000000000000028', 'uart1 guest done']);
    // No stage-2 abort for UART1: the domain's only MMIO traps are its vGIC distributor writes.
    assert.doesNotMatch(r.out, /IPA 0x9040/);
  });

  it('without iomem the same guest faults on UART1 (nothing mapped there)', () => {
    const r = runInProcess(writeSystem([{ name: 'u', kernel: 'uart1' }]), ['--max-insns', '200000']);
    assert.match(r.out, /u\.vcpu0: write to IPA 0x9040000 .*nothing there, abort injected/);
  });
});
