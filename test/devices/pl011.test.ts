// PL011 receive side (PL011 TRM DDI 0183: UARTDR, UARTFR, UARTIFLS, UARTIMSC, UARTRIS, UARTMIS,
// UARTICR): the 32-entry FIFO and character mode, the flags, the trigger-level and timeout
// interrupts and the combined interrupt line, and the receiver enables.
import { strict as assert } from 'node:assert';
import { Pl011, RX_FIFO_DEPTH, TIMEOUT_NS } from '../../emulator/devices/pl011';

const DR = 0x000, RSR = 0x004, FR = 0x018, LCR_H = 0x02c, CR = 0x030, IFLS = 0x034, IMSC = 0x038, RIS = 0x03c, MIS = 0x040, ICR = 0x044;
const RXFE = 1 << 4, RXFF = 1 << 6, RX = 1 << 4, RT = 1 << 6, OE = 1 << 10;

function uart(fifo = true): { u: Pl011; line: () => boolean; setNow: (t: number) => void } {
  let level = false, now = 0;
  const u = new Pl011('uart', () => undefined, (l) => { level = l; }, () => now);
  u.write(CR, 4, 0x301); // UARTEN | TXE | RXE
  if (fifo) u.write(LCR_H, 4, 0x70); // 8 bits, FEN
  return { u, line: () => level, setNow: (t) => { now = t; } };
}

describe('PL011 receive', () => {
  it('FIFO of 32: RXFE while empty, RXFF when full, DR reads in order', () => {
    const { u } = uart();
    assert.equal(u.read(FR, 4) & (RXFE | RXFF), RXFE);
    for (let i = 0; i < RX_FIFO_DEPTH; i++) { assert.ok(u.canReceive()); u.receiveByte(0x40 + i); }
    assert.ok(!u.canReceive(), 'full: the board holds further bytes back');
    assert.equal(u.read(FR, 4) & (RXFE | RXFF), RXFF);
    for (let i = 0; i < RX_FIFO_DEPTH; i++) assert.equal(u.read(DR, 4), 0x40 + i);
    assert.equal(u.read(FR, 4) & (RXFE | RXFF), RXFE);
  });

  it('character mode (FEN = 0) holds one character; an extra one is an overrun (RSR.OE, OERIS)', () => {
    const { u } = uart(false);
    u.receive(Uint8Array.of(1, 2));
    assert.equal(u.read(FR, 4) & RXFF, RXFF);
    assert.equal(u.read(RSR, 4) & 8, 8);
    assert.equal(u.read(RIS, 4) & OE, OE);
    assert.equal(u.read(DR, 4), 1);
    u.write(RSR, 4, 0);
    assert.equal(u.read(RSR, 4), 0);
  });

  it('receives only with UARTEN and RXE set', () => {
    const { u } = uart();
    u.write(CR, 4, 0x300);
    assert.ok(!u.canReceive(), 'UARTEN clear');
    u.write(CR, 4, 0x101);
    assert.ok(!u.canReceive(), 'RXE clear');
    u.write(CR, 4, 0x301);
    assert.ok(u.canReceive());
  });

  it('RXRIS at the IFLS trigger level (1/8 = 4 entries), cleared when reads take the level below it', () => {
    const { u, line } = uart();
    u.write(IFLS, 4, 0 << 3);
    u.write(IMSC, 4, RX);
    u.receive(Uint8Array.of(1, 2, 3));
    assert.equal(u.read(RIS, 4) & RX, 0, '3 < 4');
    assert.ok(!line());
    u.receiveByte(4);
    assert.equal(u.read(RIS, 4) & RX, RX);
    assert.equal(u.read(MIS, 4), RX);
    assert.ok(line(), 'the combined interrupt follows MIS');
    u.read(DR, 4);
    assert.equal(u.read(RIS, 4) & RX, 0, 'below the trigger again');
    assert.ok(!line());
    u.write(IFLS, 4, 2 << 3); // 1/2 = 16
    for (let i = 0; i < 12; i++) u.receiveByte(i);
    assert.equal(u.read(RIS, 4) & RX, 0, '15 < 16');
    u.receiveByte(0);
    assert.equal(u.read(RIS, 4) & RX, RX);
    u.write(ICR, 4, RX);
    assert.equal(u.read(RIS, 4) & RX, 0, 'ICR clears it');
  });

  it('character mode: RXRIS on each character', () => {
    const { u } = uart(false);
    u.receiveByte(7);
    assert.equal(u.read(RIS, 4) & RX, RX);
    u.read(DR, 4);
    assert.equal(u.read(RIS, 4) & RX, 0);
  });

  it('RTRIS after 32 bit periods without new data while the FIFO holds some; cleared when it empties or by ICR', () => {
    const { u, line, setNow } = uart();
    u.write(IMSC, 4, RT);
    setNow(1000);
    u.receive(Uint8Array.of(0x61, 0x62));
    assert.equal(u.nextEventNs(1000), 1000 + TIMEOUT_NS);
    u.update(1000 + TIMEOUT_NS - 1);
    assert.equal(u.read(RIS, 4) & RT, 0);
    u.update(1000 + TIMEOUT_NS);
    assert.equal(u.read(RIS, 4) & RT, RT);
    assert.ok(line());
    assert.equal(u.nextEventNs(1000 + TIMEOUT_NS), undefined, 'fired: nothing more to schedule');
    u.read(DR, 4);
    assert.equal(u.read(RIS, 4) & RT, RT, 'one character left');
    u.read(DR, 4);
    assert.equal(u.read(RIS, 4) & RT, 0, 'empty FIFO clears it');
    assert.ok(!line());
    setNow(5_000_000);
    u.receiveByte(0x63);
    u.update(5_000_000 + TIMEOUT_NS);
    assert.equal(u.read(RIS, 4) & RT, RT);
    setNow(6_000_000);
    u.write(ICR, 4, RT);
    assert.equal(u.read(RIS, 4) & RT, 0);
    assert.equal(u.nextEventNs(6_000_000), 6_000_000 + TIMEOUT_NS, 'the timeout restarts after ICR');
  });
});
