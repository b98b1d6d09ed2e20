// The domain's virtual UART at IPA 0x09000000 (INTID 33), where a guest built for QEMU virt looks
// for its PL011. It is the board's PL011 model itself (emulator/devices/pl011.ts, one
// implementation of the registers), instantiated per domain: transmit goes to the domain's
// console stream, its interrupt output drives the domain's virtual SPI 33 through the vGIC, and
// receive is fed from the hypervisor's console input (`--console NAME`). Linux's sbsa-uart
// driver uses the DR/FR/IMSC/RIS/MIS/ICR subset; bare-board drivers may also program the PL011
// baud and control registers, which are kept and have no effect, as on the real part.
import { Pl011 } from '../devices/pl011';
import type { MmioHandler, Vcpu } from './domain';

export const VUART_BASE = 0x09000000;
export const VUART_INTID = 33;

export class VirtualUart implements MmioHandler {
  readonly name = 'vuart (PL011/SBSA)';
  readonly base = VUART_BASE;
  readonly size = 0x1000;
  readonly uart: Pl011;
  /**
   * Console input not yet in the receive FIFO. Bytes enter the FIFO as it has room (one at a time
   * with the FIFO off, as the bare board feeds stdin): a guest polling FR/DR, or draining on its
   * RX interrupt, sees every byte in order, none lost to an overrun.
   */
  private readonly pending: number[] = [];

  constructor(output: (byte: number) => void, irq: (level: boolean) => void) {
    this.uart = new Pl011('vuart', output, irq);
  }

  read(_vcpu: Vcpu, offset: number, size: number): bigint {
    this.pump();
    const value = this.uart.read(offset, size) >>> 0;
    this.pump();
    return BigInt(value);
  }

  write(_vcpu: Vcpu, offset: number, size: number, value: bigint): void {
    this.uart.write(offset, size, Number(value & 0xffffffffn));
    this.pump();
  }

  receive(bytes: Uint8Array): void {
    for (const b of bytes) this.pending.push(b);
    this.pump();
  }

  private pump(): void {
    let n = 0;
    while (n < this.pending.length && this.uart.canReceive()) this.uart.receiveByte(this.pending[n++]);
    if (n) this.pending.splice(0, n);
  }
}
