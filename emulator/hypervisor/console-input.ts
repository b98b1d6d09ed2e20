// Console input, as Xen takes it: the hypervisor owns the board's UART0 and, for the domain named
// by `--console NAME`, turns on the UART's receiver and its interrupt (SPI 1 = INTID 33, level,
// routed to CPU 0). Each receive interrupt at EL2 drains the FIFO through UARTFR/UARTDR and hands
// the bytes to that domain: its vUART's receiver and its CONSOLEIO_read queue. The board feeds
// UART0 from stdin at the line's pace (machine/serial-input.ts), so piped input gives the same run
// every time, and a terminal's keys arrive while the system runs.
import type { Cpu } from '../cpu/cpu';
import { VIRT } from '../machine/memory-map';
import type { Hypervisor } from './hypervisor';

const UART_DR = 0x000, UART_FR = 0x018, UART_CR = 0x030, UART_IMSC = 0x038;
const FR_RXFE = 1 << 4;
const CR_UARTEN = 1 << 0, CR_TXE = 1 << 8, CR_RXE = 1 << 9;
/** UARTIMSC: RXIM (receive) and RTIM (receive timeout). */
const IMSC_RX = (1 << 4) | (1 << 6);
export const UART0_INTID = 32 + VIRT.UART0_SPI;

export function attachConsoleInput(hv: Hypervisor, domain: string): void {
  if (!hv.domains.some((d) => d.name === domain)) throw new Error(`console input: no domain named ${domain}`);
  const mem = hv.board.mem;
  hv.cpuStartHooks.push((cpu: Cpu) => {
    if (cpu.index !== 0) return;
    mem.write32(VIRT.UART0 + UART_CR, CR_UARTEN | CR_TXE | CR_RXE);
    mem.write32(VIRT.UART0 + UART_IMSC, IMSC_RX);
    hv.gic.enableSpi(UART0_INTID, 0, false);
  });
  hv.irqHandlers.set(UART0_INTID, (cpu: Cpu) => {
    const bytes: number[] = [];
    while ((mem.read32(VIRT.UART0 + UART_FR) & FR_RXFE) === 0) bytes.push(mem.read32(VIRT.UART0 + UART_DR) & 0xff);
    if (bytes.length) hv.consoleInputFor(domain, Uint8Array.from(bytes));
    // Drained: the level interrupt's line is down, so deactivating it ends it.
    hv.gic.deactivate(cpu, UART0_INTID);
    return true;
  });
}
