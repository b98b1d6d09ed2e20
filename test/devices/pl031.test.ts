import { strict as assert } from 'node:assert';
import { Pl031 } from '../../emulator/devices/pl031';

const S = 1_000_000_000;

function rig(epochSeconds = 1_700_000_000): { rtc: Pl031; irq: boolean[]; set: (ns: number) => void } {
  let now = 0;
  const irq: boolean[] = [];
  const rtc = new Pl031('pl031@9010000', { epochSeconds, now: () => now, onIrq: (l) => irq.push(l) });
  return { rtc, irq, set: (ns) => { now = ns; } };
}

describe('PL031 RTC', () => {
  it('DR counts whole seconds of virtual time from the epoch given', () => {
    const { rtc, set } = rig();
    assert.equal(rtc.read(0x00, 4), 1_700_000_000);
    set(S - 1);
    assert.equal(rtc.read(0x00, 4), 1_700_000_000);
    set(5 * S);
    assert.equal(rtc.read(0x00, 4), 1_700_000_005);
  });

  it('is deterministic: the same epoch and time read the same', () => {
    const a = rig(42), b = rig(42);
    a.set(3.5 * S); b.set(3.5 * S);
    assert.equal(a.rtc.read(0, 4), b.rtc.read(0, 4));
    assert.equal(a.rtc.read(0, 4), 45);
  });

  it('LR loads the counter (and reads back); CR reads 1 and ignores writes; DR is read-only', () => {
    const { rtc, set } = rig();
    set(2.5 * S);
    rtc.write(0x08, 4, 1000);
    assert.equal(rtc.read(0x00, 4), 1000);
    assert.equal(rtc.read(0x08, 4), 1000);
    set(3 * S);
    assert.equal(rtc.read(0x00, 4), 1001);
    rtc.write(0x0c, 4, 0);
    assert.equal(rtc.read(0x0c, 4), 1);
    rtc.write(0x00, 4, 5);
    assert.equal(rtc.read(0x00, 4), 1001);
  });

  it('the counter wraps at 2^32', () => {
    const { rtc, set } = rig(0xffffffff);
    assert.equal(rtc.read(0x00, 4), 0xffffffff);
    set(S);
    assert.equal(rtc.read(0x00, 4), 0);
  });

  it('match: RIS set when DR reaches MR; the line is RIS & IMSC; ICR clears', () => {
    const { rtc, irq, set } = rig(100);
    rtc.write(0x04, 4, 103);
    assert.equal(rtc.read(0x04, 4), 103);
    rtc.write(0x10, 4, 0xff);
    assert.equal(rtc.read(0x10, 4), 1, 'IMSC keeps bit 0');
    assert.equal(rtc.nextEventNs(0), 3 * S);
    assert.equal(rtc.nextEventNs(1.2 * S), 3 * S);
    set(3 * S - 1); rtc.update(3 * S - 1);
    assert.equal(rtc.read(0x14, 4), 0);
    set(3 * S); rtc.update(3 * S);
    assert.equal(rtc.read(0x14, 4), 1);
    assert.equal(rtc.read(0x18, 4), 1);
    assert.deepEqual(irq, [true]);
    assert.equal(rtc.nextEventNs(3 * S), undefined, 'already pending');
    rtc.write(0x1c, 4, 1);
    assert.equal(rtc.read(0x14, 4), 0);
    assert.deepEqual(irq, [true, false]);
    set(10 * S);
    assert.equal(rtc.read(0x14, 4), 0, 'no second match until the counter comes round again');
  });

  it('a masked match still sets RIS (seen on the next access); unmasking raises the line', () => {
    const { rtc, irq, set } = rig(0);
    rtc.write(0x04, 4, 2);
    assert.equal(rtc.nextEventNs(0), undefined, 'masked: no event to schedule');
    set(7 * S);
    assert.equal(rtc.read(0x14, 4), 1, 'passed 2 between accesses');
    assert.equal(rtc.read(0x18, 4), 0);
    assert.deepEqual(irq, []);
    rtc.write(0x10, 4, 1);
    assert.deepEqual(irq, [true]);
  });

  it('writing MR (or LR) equal to the current count matches at once, as QEMU', () => {
    const { rtc, set } = rig(50);
    set(1.5 * S);
    rtc.write(0x04, 4, 51);
    assert.equal(rtc.read(0x14, 4), 1);
    rtc.write(0x1c, 4, 1);
    rtc.write(0x08, 4, 51);
    assert.equal(rtc.read(0x14, 4), 1);
  });

  it('ICR reads 0; reserved offsets read 0; the PrimeCell IDs match QEMU', () => {
    const { rtc } = rig();
    assert.equal(rtc.read(0x1c, 4), 0);
    assert.equal(rtc.read(0x20, 4), 0);
    const ids = [0xfe0, 0xfe4, 0xfe8, 0xfec, 0xff0, 0xff4, 0xff8, 0xffc].map((o) => rtc.read(o, 4));
    assert.deepEqual(ids, [0x31, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1]);
    assert.equal(rtc.read(0x00, 1), 1_700_000_000 & 0xff);
  });
});
