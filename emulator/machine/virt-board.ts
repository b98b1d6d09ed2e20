// The `virt` board, laid out like QEMU 7.2's `-M virt,gic-version=3` (hw/arm/virt.c): RAM at
// 0x40000000, GICv3 distributor 0x08000000 + one redistributor per CPU from 0x080A0000, PL011
// UART0 0x09000000 (SPI 1 = INTID 33), PL031 RTC 0x09010000 (SPI 2 = INTID 34), a generic timer
// per CPU (PPIs: INTID 30 EL1 physical, 27 virtual, 26 EL2 physical; the GIC drives the
// maintenance interrupt 25 itself), PSCI firmware on the HVC conduit (SMC with
// virtualization=on, where the CPUs start at EL2), and a generated device tree.
//
// secure=on (QEMU 7.2, no -bios: hw/arm/virt.c machvirt_init, hw/arm/boot.c arm_load_kernel and
// do_cpu_reset): the CPUs have EL3. A bare ELF starts at EL3 in Secure state, at its entry, with
// SCR_EL3 at its reset value (RES1 bits 5:4) and every CPU running (QEMU disables its PSCI when it
// boots code at the EL the conduit targets, and then powers no CPU off); no /psci in the DTB. A
// Linux kernel (Image/raw) starts in Non-secure EL2 (virtualization=on) or EL1 with SCR_EL3 =
// RW | NS (| HCE), and PSCI answers on the usual conduit. The Secure-only PL061 GPIO at 0x090b0000
// powers the board off (line 0) or resets it (line 1). Secure RAM (0x0e000000), Secure flash
// (0x0), the Secure UART (0x09040000) and the GIC's two Security states are not emulated; the
// board lists them in `warnings` (the CLI prints them on stderr).
//
// SCHEDULING AND TIME (deterministic: the same inputs give the same run, instruction for
// instruction; nothing here looks at the host clock):
//   - All CPUs run in this one thread, in rounds. In a round every CPU that is powered on and not
//     waiting for an interrupt runs, in index order, for up to `len` instructions, where
//     len = min(quantum, time to the next device event, budget left). quantum defaults to 10,000
//     instructions: short enough that an SGI or a lock release between CPUs is seen within ~10 µs
//     of virtual time, long enough that the per-round device bookkeeping costs ~1%.
//   - Virtual time is one global clock in nanoseconds: 1 instruction = 1 ns. A round starts at
//     global time T and ends at T + len for every CPU, whether it ran all of len, stopped early in
//     WFI, or was off. While CPU i runs, its clock (what CNTPCT and the RTC read, what timer writes
//     use) is T + the instructions it has executed in this turn, so each CPU's time is monotonic
//     and the CPUs never drift more than one round apart. CNTFRQ = 62.5 MHz: 16 ns per tick.
//   - At the end of a round the timers and the RTC are updated to T + len; a level they raise goes
//     through the GIC to the CPUs' interrupt lines, which also wakes a CPU out of WFI.
//   - A CPU sleeps in WFI (until an interrupt line rises) or WFE (until SEV from any CPU, a clear
//     of its global exclusive monitor, an interrupt it would take, or its timer event stream).
//   - When every powered-on CPU sleeps, time skips to the earliest device event (min of the
//     timers' and the RTC's nextEventNs, the UART's receive timeout and next input byte, and the
//     event streams of CPUs in WFE); with none coming the run stops with a fault "all CPUs wait
//     for interrupts (WFI) or events (WFE) with no timer armed" (or, with a terminal as input,
//     run() returns with waitingForHost set).
//   - UART0 input (options.serialIn) is delivered at the end of a round: one byte per character
//     time at 115200 baud while the receiver can take it (see feedUart).
//   - A timer armed during a round fires at the end of that round at the latest (≤ quantum late);
//     one armed before a round bounds the round, so it fires on time to the instruction.
import { readFileSync } from 'node:fs';
import { Cpu, type CpuEnvironment, type StopReason } from '../cpu/cpu';
import { PhysicalMemory } from '../cpu/physical-memory';
import { Pl011 } from '../devices/pl011';
import { Pl031 } from '../devices/pl031';
import { Pl061 } from '../devices/pl061';
import { isElf } from './loaders/elf';
import { GenericTimer, QEMU_VIRT_CNTFRQ } from '../devices/generic-timer';
import { GicV3 } from '../devices/gic/gicv3';
import { PsciFirmware, type PsciPlatform } from '../devices/psci-firmware';
import { planElfBoot, planKernelBoot, type LoadPlan } from './loaders/image';
import { buildVirtDtb, patchUserDtb } from './virt-dtb';
import type { SerialSource } from './serial-input';
import { BYTE_NS } from '../devices/pl011';
import { readDtb, writeDtb } from './fdt';
import { VIRT, VIRT_MAX_CPUS } from './memory-map';
import { SCR, SYS } from '../cpu/system-state';
import '../arch/a64/system/sysreg-devices';

export type CpuModel = 'cortex-a53' | 'cortex-a57' | 'max';

export interface BoardOptions {
  cpu: CpuModel;
  /** Number of CPUs, 1..8. CPU 0 starts at the kernel entry; the others wait for PSCI CPU_ON. */
  smp: number;
  /** RAM size in bytes. */
  memory: number;
  kernel?: string;
  initrd?: string;
  append?: string;
  /** `-dtb FILE`: use this device tree (patched as QEMU does) instead of the generated one. */
  dtb?: string;
  /** `-M virt,virtualization=on`: EL2 exists and the CPUs start there; PSCI then uses SMC. */
  virtualization?: boolean;
  /** `-M virt,secure=on`: EL3 exists; see the header for where each kind of kernel starts. */
  secure?: boolean;
  /** Bytes the guest writes to UART0. */
  uartOut: (byte: number) => void;
  /**
   * Bytes written to a second PL011 at 0x09040000 (SPI 8 = INTID 40); the UART exists only when
   * this is given. Hypervisor systems have it, as a device to pass through to a guest; a bare
   * `-M virt` run has none, as QEMU 7.2 (so its runs stay byte-identical to QEMU's).
   */
  uart1Out?: (byte: number) => void;
  /** Instructions per CPU per round (see the header); default 10,000. */
  quantum?: number;
  /** What the RTC reads at virtual time 0 (seconds since 1970); default 2023-11-14 22:13:20 UTC. */
  rtcEpochSeconds?: number;
  /** Characters for UART0's receiver (`-serial stdio`); see feedUart for when they arrive. */
  serialIn?: SerialSource;
}

export const DEFAULT_QUANTUM = 10_000;
const DEFAULT_RTC_EPOCH = 1_700_000_000;
/** The device-tree compatible QEMU writes for each CPU model (QEMU 7.2's `max` starts from the A57). */
const CPU_COMPATIBLE: Record<CpuModel, string> = { 'cortex-a53': 'arm,cortex-a53', 'cortex-a57': 'arm,cortex-a57', max: 'arm,cortex-a57' };
/** SCTLR_ELx reset value (as in Cpu's constructor): RES1 bits, MMU and caches off. */
const SCTLR_RESET = 0x00c50838;

/** startRound's answer when only a live input source can wake the sleeping CPUs (run() returns, waitingForHost). */
const HOST_WAIT: StopReason = { kind: 'fault', pc: 0n, message: 'waiting for host input' };

/** The stop a CPU_OFF uses to leave its CPU's run() at once; the board clears it (not a system stop). */
const CPU_OFF_STOP: StopReason = { kind: 'poweroff' };

export class VirtBoard implements CpuEnvironment, PsciPlatform {
  readonly mem: PhysicalMemory;
  readonly cpus: Cpu[] = [];
  readonly uart0: Pl011;
  readonly rtc: Pl031;
  /** The second PL011 (BoardOptions.uart1Out), or undefined. */
  readonly uart1: Pl011 | undefined;
  readonly gic: GicV3;
  readonly timers: GenericTimer[] = [];
  readonly psci: PsciFirmware;
  /**
   * How guests reach the board's PSCI firmware (QEMU virt: HVC, or SMC when EL2 is emulated);
   * 'none' with secure=on for a bare ELF (it runs at EL3, where QEMU answers no PSCI call).
   */
  conduit: 'hvc' | 'smc' | 'none';
  /** The Secure-only GPIO of secure=on, or undefined. */
  readonly secureGpio: Pl061 | undefined;
  readonly quantum: number;
  /** Things the loaders tolerated that the user may want to know (the CLI prints them). */
  readonly warnings: string[] = [];
  /** Where the DTB went (undefined: none loaded), and the last boot plan. */
  dtbAddress: number | undefined;
  bootPlan: LoadPlan | undefined;

  /** Global virtual time at the start of the current round, in ns (= instructions). */
  private roundStartNs = 0;
  /** Length of the round in progress (0: none; the next run step starts one). */
  private roundLen = 0;
  /** The CPU whose turn it is in the round in progress, and what it has executed of its turn. */
  private turnCpu = 0;
  private turnUsed = 0;
  /** The CPU inside cpu.run() now (its clock is roundStartNs + turnUsed + its progress), or -1. */
  private running = -1;
  private readonly on: boolean[];
  /**
   * Virtual time each CPU owes the next rounds: EL2 software (the hypervisor) may charge more
   * time in a turn than the round had left; the excess starts the CPU's next turn, so its clock
   * stays monotonic and the CPUs stay within a round of each other.
   */
  private readonly debtNs: number[];
  /** Where PSCI CPU_ON starts a CPU (the Non-secure EL a Linux kernel runs at). */
  private readonly startEl: 1 | 2;

  constructor(readonly opts: BoardOptions) {
    if (!Number.isInteger(opts.smp) || opts.smp < 1 || opts.smp > VIRT_MAX_CPUS) throw new Error(`-smp ${opts.smp}: the virt board takes 1 to ${VIRT_MAX_CPUS} CPUs`);
    const virt = opts.virtualization === true, secure = opts.secure === true;
    this.conduit = secure ? 'none' : virt ? 'smc' : 'hvc';
    this.startEl = virt ? 2 : 1;
    this.quantum = opts.quantum ?? DEFAULT_QUANTUM;
    if (!(Number.isInteger(this.quantum) && this.quantum >= 1)) throw new Error(`board quantum ${this.quantum}: expected a positive integer`);
    this.mem = new PhysicalMemory(VIRT.RAM, opts.memory);
    const n = opts.smp;
    for (let i = 0; i < n; i++) this.cpus.push(new Cpu(this.mem, this, i, { hasEl2: virt, hasEl3: secure, startEl: secure ? 3 : this.startEl, tgran16: opts.cpu === 'max' }));
    this.on = this.cpus.map((_, i) => i === 0 || secure);
    this.debtNs = this.cpus.map(() => 0);

    this.gic = new GicV3({ cpus: n, onLines: (c) => this.linesChanged(c) });
    this.mem.map(VIRT.GIC_DIST, this.gic.distributor);
    this.mem.map(VIRT.GIC_REDIST, this.gic.redistributors);

    this.uart0 = new Pl011('pl011@9000000', opts.uartOut, (level) => this.gic.setSpiLevel(32 + VIRT.UART0_SPI, level), () => this.nowNs());
    this.mem.map(VIRT.UART0, this.uart0);
    if (opts.uart1Out) {
      this.uart1 = new Pl011('pl011@9040000', opts.uart1Out, (level) => this.gic.setSpiLevel(32 + VIRT.UART1_SPI, level));
      this.mem.map(VIRT.UART1, this.uart1);
    }
    this.rtc = new Pl031('pl031@9010000', {
      epochSeconds: opts.rtcEpochSeconds ?? DEFAULT_RTC_EPOCH, now: () => this.nowNs(), onIrq: (level) => this.gic.setSpiLevel(32 + 2, level),
    });
    this.mem.map(VIRT.RTC, this.rtc);
    if (secure) {
      this.secureGpio = new Pl061('pl061@90b0000', {
        onOutputRise: (line) => { if (line === SECURE_GPIO_POWEROFF) this.systemOff(); else if (line === SECURE_GPIO_RESET) this.systemReset(); },
        onIrq: (level) => this.gic.setSpiLevel(32 + VIRT.SECURE_GPIO_SPI, level),
      });
      this.mem.map(VIRT.SECURE_GPIO, this.secureGpio, true);
      this.warnings.push('-M virt,secure=on: not emulated: Secure RAM (secram@e000000), Secure flash (secflash@0), the Secure UART (pl011@9040000), '
        + 'and the GIC Security Extensions (one Security state: GICD_CTLR.DS reads 1); Secure accesses there find nothing');
    }

    for (let i = 0; i < n; i++) {
      const timer = new GenericTimer({ onIrq: (intid, level) => this.gic.setPpiLevel(i, intid, level), frequencyHz: QEMU_VIRT_CNTFRQ });
      this.timers.push(timer);
      const cpu = this.cpus[i];
      cpu.devices.gic = this.gic.cpus[i];
      cpu.devices.timer = timer;
      cpu.devices.clock = () => this.cpuTimeNs(i);
      cpu.eventStream = { now: () => this.cpuTimeNs(i), fired: (a, b) => timer.eventStreamFired(a, b) };
    }
    this.psci = new PsciFirmware(this, { cpuOnEl: this.startEl });
  }

  // ------------------------------------------------------------------ time

  /** The virtual time now (ns): the running CPU's clock during its turn, else the round's start. */
  nowNs(): number {
    return this.running >= 0 ? this.cpuTimeNs(this.running) : this.roundStartNs;
  }

  /**
   * The virtual time the run has reached, to the instruction (nowNs() between runs is the start
   * of the current round): the stopped turn's progress, or the round's end once a CPU finished
   * its turn in it. For measurements (bench), not for devices.
   */
  elapsedNs(): number {
    // EL2 time charged beyond a turn is owed to the CPU's next turns (debtNs), and a stopped turn
    // keeps its charge on the CPU (run()): both have passed for it.
    const debt = Math.max(0, ...this.debtNs.map((d, i) => d + (i === this.running ? 0 : this.cpus[i].chargedNs)));
    if (this.running >= 0) return this.cpuTimeNs(this.running) + debt;
    if (this.roundLen === 0) return this.roundStartNs + debt;
    return this.roundStartNs + (this.turnCpu > 0 ? this.roundLen : this.turnUsed) + debt;
  }

  private cpuTimeNs(i: number): number {
    const cpu = this.cpus[i];
    return i === this.running ? this.roundStartNs + this.turnUsed + progressOf(cpu) + cpu.chargedNs : this.roundStartNs;
  }

  /**
   * Earliest virtual time after `now` at which a timer or the RTC raises an interrupt, or the
   * timer event stream of a CPU sleeping in WFE wakes it.
   */
  nextEventNs(now: number): number | undefined {
    let best = this.rtc.nextEventNs(now);
    const u = this.uart0.nextEventNs(now);
    if (u !== undefined && (best === undefined || u < best)) best = u;
    const rx = this.nextRxNs(now);
    if (rx !== undefined && (best === undefined || rx < best)) best = rx;
    for (let i = 0; i < this.timers.length; i++) {
      const t = this.timers[i];
      let e = t.nextEventNs(now);
      if (e !== undefined && (best === undefined || e < best)) best = e;
      if (this.cpus[i].waitingForEvent) {
        e = t.nextEventStreamNs(now);
        if (e !== undefined && (best === undefined || e < best)) best = e;
      }
    }
    return best;
  }

  // ---- UART0 input. Timing rule (deterministic for a blocking source): at the end of each round
  // (and at each skip of idle time), if the receiver can take a character and at least BYTE_NS
  // (one character time at 115200 baud) has passed since the last one was delivered, the next input
  // byte is delivered. Bytes wait on the host side while the FIFO is full or the UART disabled (no
  // overrun: like flow control), and the host is read only then, so a guest that never enables
  // its receiver never makes the run wait for input.
  private rxNotBeforeNs = 0;
  private rxEnded = false;
  /** Set when run() returned because every CPU sleeps and only a live input source can wake them. */
  waitingForHost = false;

  /** When the next input byte would be delivered, if one is (or may be) coming and the receiver can take it. */
  private nextRxNs(now: number): number | undefined {
    const src = this.opts.serialIn;
    if (!src || this.rxEnded || !this.uart0.canReceive() || !src.pending()) return undefined;
    return Math.max(now + 1, this.rxNotBeforeNs);
  }

  private feedUart(now: number): void {
    const src = this.opts.serialIn;
    if (!src || this.rxEnded || now < this.rxNotBeforeNs || !this.uart0.canReceive()) return;
    const b = src.next();
    if (b === null) { this.rxEnded = true; return; }
    if (b === undefined) return;
    this.uart0.receiveByte(b);
    this.rxNotBeforeNs = now + BYTE_NS;
  }

  private updateDevices(now: number): void {
    for (const t of this.timers) t.update(now);
    this.rtc.update(now);
    this.feedUart(now);
    this.uart0.update(now);
    for (let i = 0; i < this.cpus.length; i++) {
      const cpu = this.cpus[i];
      if (cpu.waitingForEvent && this.timers[i].eventStreamFired(cpu.eventStreamSeenNs, now)) cpu.eventStreamWake(now);
    }
  }

  /** SEV: every PE's Event Register is set; those sleeping in WFE wake (Arm ARM D1.16.1). */
  sendEvent(_from: Cpu): void {
    for (const c of this.cpus) c.sendEvent();
  }

  private linesChanged(c: number): void {
    const g = this.gic.cpus[c], cpu = this.cpus[c];
    if (cpu) cpu.setInterruptLines(g.irq, g.fiq, g.virq, g.vfiq);
  }

  // ------------------------------------------------------------------ loading

  /**
   * Loads `-kernel` as QEMU does: an ELF at its physical addresses (PC = e_entry, x0 = 0, the DTB at
   * the RAM base when there is room); anything else as a Linux arm64 Image / gzipped Image / raw
   * kernel with QEMU's boot stub, `-initrd` and `-append`, x0 = DTB.
   */
  loadKernelFile(path: string): void {
    const read = (p: string, opt: string): Uint8Array => {
      try {
        return new Uint8Array(readFileSync(p));
      } catch (e) {
        throw new Error(`${opt} ${p}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
      }
    };
    const kernel = read(path, '-kernel');
    const initrd = this.opts.initrd !== undefined ? read(this.opts.initrd, '-initrd') : undefined;
    const userDtb = this.opts.dtb !== undefined ? read(this.opts.dtb, '-dtb') : undefined;
    this.loadKernel(kernel, path, { initrd, initrdName: this.opts.initrd, dtb: userDtb, dtbName: this.opts.dtb });
  }

  /** loadKernelFile's work on bytes already read (tests, tools). */
  loadKernel(kernel: Uint8Array, name: string, o: { initrd?: Uint8Array; initrdName?: string; dtb?: Uint8Array; dtbName?: string } = {}): LoadPlan {
    if (this.opts.secure && !isElf(kernel)) this.bootNonSecure();
    const plan = planKernelBoot({
      kernel, kernelName: name, initrd: o.initrd, initrdName: o.initrdName, ramBase: VIRT.RAM, ramSize: this.opts.memory,
      dtb: (i) => this.deviceTree(i.initrdStart !== undefined ? { start: i.initrdStart, end: i.initrdEnd! } : undefined, o.dtb, o.dtbName),
    });
    this.apply(plan);
    return plan;
  }

  /** Loads an ELF as QEMU's -kernel does for a non-Linux ELF: segments at p_paddr, PC = e_entry, DTB at the RAM base. */
  loadElf(bytes: Uint8Array, name: string): void {
    this.apply(planElfBoot({ elf: bytes, name, ramBase: VIRT.RAM, ramSize: this.opts.memory, dtb: () => this.deviceTree(undefined) }));
  }

  /** The DTB the guest gets: generated like QEMU's, or the user's `-dtb` patched as arm_load_dtb does. */
  deviceTree(initrd: { start: number; end: number } | undefined, user?: Uint8Array, userName = 'DTB'): Uint8Array {
    const bootargs = this.opts.append;
    if (user) {
      const tree = readDtb(user, userName);
      patchUserDtb(tree, { ramBase: VIRT.RAM, ramSize: this.opts.memory, bootargs, initrd });
      return writeDtb(tree);
    }
    return writeDtb(buildVirtDtb({
      cpus: this.cpus.length, cpuCompatible: CPU_COMPATIBLE[this.opts.cpu], ramBase: VIRT.RAM, ramSize: this.opts.memory,
      psciConduit: this.conduit, hasVirtualization: this.opts.virtualization === true, bootargs, initrd,
    }));
  }

  /**
   * secure=on with a Linux kernel: QEMU's do_cpu_reset enters it in Non-secure EL2 (EL1 without
   * virtualization) with SCR_EL3.RW, NS (and HCE with EL2) set, PSCI on the usual conduit, and the
   * secondary CPUs off until CPU_ON.
   */
  private bootNonSecure(): void {
    const virt = this.opts.virtualization === true;
    this.conduit = virt ? 'smc' : 'hvc';
    this.cpus.forEach((cpu, i) => {
      cpu.sysLo[SYS.SCR_EL3] |= SCR.RW | SCR.NS | (virt ? SCR.HCE : 0);
      cpu.setPstate(this.startEl, 1);
      cpu.syncContext();
      cpu.translationChanged();
      this.on[i] = i === 0;
    });
  }

  private apply(plan: LoadPlan): void {
    for (const s of plan.segments) this.mem.load(s.pa, s.bytes);
    // Without PSCI (secure=on, a bare ELF) every CPU runs from the entry, as QEMU starts them all.
    if (this.conduit === 'none') for (const c of this.cpus.slice(1)) c.pc = BigInt(plan.entry);
    const cpu = this.cpus[0];
    cpu.pc = BigInt(plan.entry);
    cpu.setX(0, BigInt(plan.x0));
    // QEMU's boot stub leaves x1..x3 = 0 and x4 = the entry (Linux boot protocol).
    if (plan.x4 !== undefined) { for (let r = 1; r <= 3; r++) cpu.setX(r, 0n); cpu.setX(4, BigInt(plan.x4)); }
    this.dtbAddress = plan.dtbAddress;
    this.bootPlan = plan;
    this.warnings.push(...plan.warnings);
  }

  // ------------------------------------------------------------------ firmware (PSCI)

  hypervisorCall(cpu: Cpu, kind: 'hvc' | 'smc', _imm16: number): boolean {
    // As QEMU 7.2 (arm_is_psci_call): every call on the board's conduit reaches the firmware,
    // whatever its immediate; the other instruction is architectural.
    if (kind !== this.conduit) return false; // never true for 'none'
    const r = this.psci.call({ fn: cpu.xlo[0] >>> 0, x1: cpu.getX(1), x2: cpu.getX(2), x3: cpu.getX(3), caller: cpu.index });
    if (r.kind === 'return') cpu.setX(0, r.x0);
    return true;
  }

  get cpuCount(): number { return this.cpus.length; }
  isOn(i: number): boolean { return this.on[i]; }

  /** PSCI CPU_ON: the target starts (at its next turn) at `entry` in `el`h, MMU off, DAIF masked, x0 = contextId. */
  powerOn(i: number, entry: bigint, contextId: bigint, el: 1 | 2): void {
    const cpu = this.cpus[i];
    cpu.pan = 0;
    cpu.setPstate(el, 1);
    cpu.syncContext();
    cpu.daif = 0x3c0;
    cpu.il = 0; cpu.ss = 0;
    for (let e = 1; e <= 3; e++) cpu.sysLo[sysSctlr(e)] = SCTLR_RESET;
    cpu.translationChanged(); // MMU and alignment checking off: no TLB entry or cached SCTLR.A survives
    cpu.pc = entry;
    cpu.setX(0, contextId);
    cpu.waitingForInterrupt = false;
    cpu.waitingForEvent = false;
    cpu.eventRegister = 0;
    cpu.stopReason = undefined;
    this.on[i] = true;
  }

  /** PSCI CPU_OFF on the calling CPU: it leaves its turn at once and is not scheduled again. */
  powerOff(i: number): void {
    this.on[i] = false;
    this.cpus[i].stop(CPU_OFF_STOP);
  }

  /** PSCI CPU_SUSPEND (standby, as QEMU treats every power state): sleep as WFI does, then return SUCCESS. */
  standby(i: number): void {
    const cpu = this.cpus[i];
    if (cpu.interruptPending()) return;
    cpu.waitingForInterrupt = true;
    cpu.endBlockAfterThis();
  }

  systemOff(): void { this.callerStop({ kind: 'poweroff' }); }
  systemReset(): void { this.callerStop({ kind: 'reset' }); }

  private callerStop(reason: StopReason): void {
    const cpu = this.cpus[this.running >= 0 ? this.running : 0];
    cpu.stop(reason);
  }

  // ------------------------------------------------------------------ run loop

  /** Instructions executed by all CPUs together. */
  get retired(): number {
    let n = 0;
    for (const c of this.cpus) n += c.retired;
    return n;
  }

  /**
   * Runs until a stop or until `maxInstructions` (over all CPUs together) have been executed;
   * returns the stop (undefined = budget spent). Calling it again continues exactly where it left
   * off (mid-round included), so run(a) + run(b) is the same run as run(a + b). A CPU's stop is
   * not latched by the board: a tool that clears `cpu.stopReason` (stepping over a trap) resumes.
   */
  run(maxInstructions = Infinity): StopReason | undefined {
    let left = maxInstructions;
    const n = this.cpus.length;
    this.waitingForHost = false;
    for (const c of this.cpus) if (c.stopReason !== undefined && c.stopReason !== CPU_OFF_STOP) return c.stopReason;
    let stop: StopReason | undefined;
    while (stop === undefined && left > 0) {
      if (this.roundLen === 0) {
        stop = this.startRound();
        if (stop === HOST_WAIT) { this.waitingForHost = true; return undefined; }
        if (stop) break;
      }
      if (this.turnCpu >= n) {
        // Round over: everyone's clock is at its end; devices catch up and may raise interrupts.
        this.roundStartNs += this.roundLen;
        this.roundLen = 0;
        this.updateDevices(this.roundStartNs);
        continue;
      }
      const i = this.turnCpu, cpu = this.cpus[i];
      if (!this.on[i] || cpu.waitingForInterrupt) { this.nextTurn(); continue; }
      if (this.turnUsed === 0 && this.debtNs[i] > 0) {
        const d = Math.min(this.debtNs[i], this.roundLen);
        this.turnUsed = d;
        this.debtNs[i] -= d;
        if (this.turnUsed >= this.roundLen) { this.nextTurn(); continue; }
      }
      this.running = i;
      let done: number;
      try {
        done = cpu.run(Math.min(this.roundLen - this.turnUsed, left));
      } finally {
        this.running = -1;
      }
      // A debugger stop leaves the time EL2 software charged in this turn on the CPU: the turn
      // resumes with the budget it had, so a stopped-and-resumed run interleaves the CPUs exactly
      // as one without the stop (the charge is taken at the end of the resumed run).
      const held = cpu.stopReason !== undefined && cpu.stopReason !== CPU_OFF_STOP;
      this.turnUsed += done + (held ? 0 : cpu.takeChargedNs());
      if (this.turnUsed > this.roundLen) {
        this.debtNs[i] += this.turnUsed - this.roundLen;
        this.turnUsed = this.roundLen;
      }
      left -= done;
      const s = cpu.stopReason;
      if (s === CPU_OFF_STOP) cpu.stopReason = undefined;
      else if (s !== undefined) { stop = s; break; }
      // The turn ends when its instructions are spent, the CPU sleeps or turned itself off; a run
      // that returned early for any other reason (and made no progress) also yields.
      if (this.turnUsed >= this.roundLen || cpu.waitingForInterrupt || !this.on[i] || (done === 0 && left > 0)) this.nextTurn();
    }
    return stop;
  }

  private nextTurn(): void {
    this.turnCpu++;
    this.turnUsed = 0;
  }

  /** Starts a round (see the header); returns a stop when nothing can ever run again. */
  private startRound(): StopReason | undefined {
    for (;;) {
      const now = this.roundStartNs;
      const next = this.nextEventNs(now);
      let anyRunnable = false, anyOn = false;
      for (let i = 0; i < this.cpus.length; i++) {
        if (!this.on[i]) continue;
        anyOn = true;
        if (!this.cpus[i].waitingForInterrupt) anyRunnable = true;
      }
      if (anyRunnable) {
        this.roundLen = next === undefined ? this.quantum : Math.max(1, Math.min(this.quantum, next - now));
        this.turnCpu = 0;
        this.turnUsed = 0;
        return undefined;
      }
      if (anyOn && next === undefined && this.opts.serialIn?.live && !this.rxEnded) return HOST_WAIT;
      if (!anyOn || next === undefined) {
        return { kind: 'fault', pc: this.cpus[0].pc, message: anyOn ? 'all CPUs wait for interrupts (WFI) or events (WFE) with no timer armed' : 'all CPUs are powered off (PSCI CPU_OFF)' };
      }
      // Everyone sleeps: skip virtual time to the event; its interrupt wakes someone (or not, if
      // the GIC does not forward it, and then the next event is looked for).
      this.roundStartNs = next;
      this.updateDevices(next);
    }
  }
}

/** The Secure GPIO's output lines QEMU 7.2 wires to its power controls (virt.c SECURE_GPIO_*). */
const SECURE_GPIO_POWEROFF = 0, SECURE_GPIO_RESET = 1;

/** SCTLR_EL1/2/3 storage keys (op0=3, op1=0/4/6, CRn=1, CRm=0, op2=0). */
function sysSctlr(el: number): number {
  return (3 << 14) | ([0, 0, 4, 6][el] << 11) | (1 << 7);
}

/**
 * Instructions the CPU has executed so far in its current run() call: the run loop records it
 * before each instruction (`progress`) so a system-register handler can read the CPU's clock.
 * Read through a cast because Cpu keeps it private; it is a plain number field.
 */
function progressOf(cpu: Cpu): number {
  return (cpu as unknown as { progress: number }).progress;
}
