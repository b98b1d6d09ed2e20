// The `virt` board. Issue 2 scope: RAM, PL011 UART0, PSCI firmware, one core, ELF kernels.
// Issue 3 grows it (GICv3, timers, SMP, DTB, Image loader) behind the same interface.
import { readFileSync } from 'node:fs';
import { Cpu, type CpuEnvironment, type StopReason } from '../cpu/cpu';
import { PhysicalMemory } from '../cpu/physical-memory';
import { Pl011 } from '../devices/pl011';
import { psciCall } from '../devices/psci';
import { parseElf } from './loaders/elf';
import { VIRT } from './memory-map';

export type CpuModel = 'cortex-a53' | 'cortex-a57' | 'max';

export interface BoardOptions {
  cpu: CpuModel;
  smp: number;
  /** RAM size in bytes. */
  memory: number;
  kernel?: string;
  initrd?: string;
  append?: string;
  /** `-M virt,virtualization=on`: EL2 exists and the CPUs start there; PSCI then uses SMC. */
  virtualization?: boolean;
  /** Bytes the guest writes to UART0. */
  uartOut: (byte: number) => void;
}

export class VirtBoard implements CpuEnvironment {
  readonly mem: PhysicalMemory;
  readonly cpus: Cpu[] = [];
  readonly uart0: Pl011;

  constructor(readonly opts: BoardOptions) {
    if (opts.smp !== 1) throw new Error(`-smp ${opts.smp}: this build runs one CPU; SMP arrives with the system issue`);
    this.mem = new PhysicalMemory(VIRT.RAM, opts.memory);
    this.uart0 = new Pl011('pl011@9000000', opts.uartOut);
    this.mem.map(VIRT.UART0, this.uart0);
    const virt = opts.virtualization === true;
    this.conduit = virt ? 'smc' : 'hvc';
    this.cpus.push(new Cpu(this.mem, this, 0, { hasEl2: virt, hasEl3: false, startEl: virt ? 2 : 1 }));
  }

  /** How guests reach the board's PSCI firmware (QEMU virt: HVC, or SMC when EL2 is emulated). */
  readonly conduit: 'hvc' | 'smc';

  /** Loads an ELF kernel as QEMU's -kernel does for a non-Linux ELF: segments at p_paddr, PC = e_entry. */
  loadKernelFile(path: string): void {
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(path);
    } catch (e) {
      throw new Error(`-kernel ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
    }
    this.loadElf(bytes, path);
  }

  loadElf(bytes: Uint8Array, name: string): void {
    const img = parseElf(bytes, name);
    for (const s of img.segments) {
      const end = s.paddr + s.memsz;
      if (s.paddr < VIRT.RAM || end > VIRT.RAM + this.opts.memory) {
        throw new Error(`${name}: segment at 0x${s.paddr.toString(16)}-0x${end.toString(16)} is outside RAM (0x${VIRT.RAM.toString(16)}, ${this.opts.memory >> 20} MiB)`);
      }
      this.mem.load(s.paddr, s.data);
      this.mem.load(s.paddr + s.data.length, new Uint8Array(s.memsz - s.data.length));
    }
    this.cpus[0].pc = img.entry;
  }

  hypervisorCall(cpu: Cpu, kind: 'hvc' | 'smc', _imm16: number): boolean {
    // Every call on the board's conduit reaches its firmware (as QEMU); the other one is architectural.
    return kind === this.conduit ? psciCall(cpu) : false;
  }

  /** Runs until a stop or until `maxInstructions` retire; returns the stop (undefined = budget spent). */
  run(maxInstructions = Infinity): StopReason | undefined {
    const cpu = this.cpus[0];
    const quantum = 1 << 20;
    let left = maxInstructions;
    while (left > 0 && cpu.stopReason === undefined) {
      left -= cpu.run(Math.min(quantum, left));
    }
    return cpu.stopReason;
  }
}
