// hvlab's Xen-like Type-1 hypervisor. It is TypeScript installed as the EL2 exception handler of
// every physical CPU (Cpu.el2Software): each time the architecture takes an exception to EL2 —
// a guest's HVC or trapped SMC, a stage-2 Data Abort on an emulated device, a trapped WFI or
// system register, a physical interrupt — `entered` runs with ESR_EL2, FAR_EL2, HPFAR_EL2,
// ELR_EL2 and SPSR_EL2 exactly as hardware wrote them, does the hypervisor's work through
// architectural state only (MRS/MSR at EL2, the GIC's MMIO frames, RAM), and leaves with an
// exception return (ERET) into a guest or into its idle loop. Its stage-2 tables live in RAM it
// reserves and are walked by the emulated MMU; guests get interrupts through the list registers.
//
// Structure (after Xen's xen/arch/arm and Bao's src/core):
//   domain-builder.ts  RAM, stage 2, kernel + DTB loading     stage2.ts     table writer
//   vcpu-context.ts    what a vCPU switch saves and restores  traps.ts      syndrome dispatch
//   hypercalls.ts      Xen ABI (HVC #0xEA1)                   psci (here)   PSCI for guests, on
//   scheduler.ts + sched/  credit, null, arinc653, rtds                     the board's PSCI code
//   vgic-interface.ts  the virtual GIC + virtual timer        console.ts    domain consoles
//
// Physical CPU life: the board starts CPU 0 at EL2 at the hypervisor's entry stub (an HVC to
// itself, which lands here); the hypervisor initialises that CPU, builds nothing more (domains
// are built before the run), starts the other CPUs with PSCI CPU_ON through the board's firmware
// (an SMC), and schedules. A CPU with nothing to run returns to its idle loop (WFI at EL2 with
// interrupts unmasked) and comes back here on its next physical interrupt: the scheduler tick
// (EL2 physical timer, INTID 26), a wake-up SGI from another CPU, or a device interrupt.
import type { Cpu, El2Software, StopReason } from '../cpu/cpu';
import { EC, exceptionReturn, type ExceptionEvent } from '../cpu/exceptions';
import type { VirtBoard } from '../machine/virt-board';
import type { DomainDescription, SystemDescription } from '../config/types';
import { PsciFirmware, type PsciPlatform } from '../devices/psci-firmware';
import { mrs, msr } from './arch-state';
import { MemoryLayout } from './memory-layout';
import { VTCR_VALUE } from './stage2';
import { Domain, Vcpu, type ShutdownReason } from './domain';
import { createDomain, loadDomain } from './domain-builder';
import type { DomainDtbExtras } from './domain-dtb';
import { ConsoleMux } from './console';
import { VirtualUart } from './vuart';
import { allowedCpus, type Scheduler } from './scheduler';
import { XEN_ON_ARM_COSTS, type CostModel } from './cost-model';
import { PhysicalGic, SPURIOUS } from './phys-gic';
import type { VirtualGic } from './vgic-interface';
import { handleGuestTrap, type TrapContext } from './traps';
import { describeTrap, type HypervisorTrapEvent } from './trap-event';
import { Ipc } from './ipc';

/** The immediate of the HVC in the per-CPU entry stub ("HV"). */
export const HV_ENTRY_IMM = 0x4856;
/** SGI the hypervisor sends a physical CPU to make it schedule again. */
export const SGI_RESCHEDULE = 0;
/** PPIs the hypervisor takes (Arm BSA / QEMU virt): EL2 physical timer, GIC maintenance, EL1 virtual timer. */
export const PPI_HYP_TIMER = 26, PPI_MAINTENANCE = 25, PPI_VTIMER = 27;

const A64 = {
  hvcEntry: 0xd4000002 | (HV_ENTRY_IMM << 5),
  branchSelf: 0x14000000,
  wfi: 0xd503207f,
  branchBack1: 0x17ffffff,
};
const STUB_IDLE = 0x10;
/** SPSR_EL2 for the idle loop: EL2h, interrupts unmasked (D, A, I, F = 0). */
const SPSR_EL2H = 0x9n;

/**
 * HCR_EL2 while a guest runs (Arm ARM D13.2 HCR_EL2): VM (stage 2), SWIO, PTW, FMO/IMO/AMO
 * (physical interrupts to EL2, virtual ones to the guest, ICC_* -> ICV_*), TWI/TWE (WFI blocks
 * the vCPU, WFE yields), TID3 (ID registers sanitised), TSC (SMC traps, for PSCI over SMC), TSW
 * (set/way cache maintenance), RW (EL1 is AArch64) — the set Xen uses (HCR_GUEST_FLAGS).
 */
const HCR_GUEST_BASE = (1 << 0) | (1 << 1) | (1 << 2) | (1 << 3) | (1 << 4) | (1 << 5) | (1 << 13) | (1 << 14) | (1 << 18) | (1 << 19) | (1 << 22) | (1 << 31);
/** HCR_EL2 while the CPU is idle at EL2: interrupts still routed to EL2, no stage 2. */
const HCR_IDLE = (1 << 3) | (1 << 4) | (1 << 5) | (1 << 31);
/** CNTHCTL_EL2: EL1PCTEN (EL1/EL0 read the physical counter); EL1PCEN = 0 (the EL1 physical timer traps). */
const CNTHCTL_VALUE = 1;

/** Counter ticks to ns and back (CNTFRQ 62.5 MHz: 16 ns per tick, as the board). */
const NS_PER_TICK = 16;

export interface HypervisorOptions {
  costs?: Partial<CostModel>;
  /** Print domain consoles on UART0 with a "name| " prefix (default true). */
  prefixConsoles?: boolean;
  /** HCR_EL2 trap bits to add for guests (those the CPU model implements). */
  extraHcr?: number;
}

/** Per physical CPU. */
interface Pcpu {
  started: boolean;
  current: Vcpu | undefined;
  /** Scheduler's next decision time (ns), or undefined. */
  sliceEnd: number | undefined;
  /** A blocked vCPU whose system registers this CPU still holds (lazy switch to idle). */
  parked: Vcpu | undefined;
}

export class Hypervisor implements El2Software {
  readonly layout: MemoryLayout;
  readonly domains: Domain[] = [];
  readonly consoles: ConsoleMux;
  readonly costs: CostModel;
  readonly gic: PhysicalGic;
  vgic: VirtualGic | undefined;
  scheduler!: Scheduler;
  /** Observers of every trap, before the hypervisor handles it (the debugger's trap breakpoints). */
  readonly trapObservers: ((ev: HypervisorTrapEvent) => StopReason | undefined)[] = [];
  /** Messages of the hypervisor (also printed on UART0 as "(hvlab) ..."). */
  readonly log: string[] = [];
  readonly vuarts = new Map<Domain, VirtualUart>();
  private readonly pcpus: Pcpu[];
  private readonly psciByDomain = new Map<Domain, PsciFirmware>();
  /** A trap the debugger stopped on, per CPU: let the same one through once on resume. */
  private readonly resumeTrap: (ExceptionEvent | undefined)[];
  private readonly hcrGuest: number;
  /** Virtual time spent in the hypervisor (ns), all CPUs. */
  hypervisorNs = 0;
  /** Called with each domain just after it is built or rebuilt (vGIC attach, IPC, passthrough). */
  readonly domainHooks: ((d: Domain) => void)[] = [];
  /** Extra inputs of each domain's device tree, filled by domain hooks (RTC passthrough, shared memory). */
  readonly dtbExtras = new Map<string, DomainDtbExtras>();
  private nextId = 1;
  readonly ipc: Ipc;
  /** Console input waiting for each domain's CONSOLEIO_read (the vUART gets the same bytes). */
  private readonly consoleQueue = new Map<Domain, number[]>();

  constructor(readonly board: VirtBoard, readonly system: SystemDescription, opts: HypervisorOptions = {}) {
    if (board.cpus.length !== system.cpus) throw new Error(`hypervisor: the board has ${board.cpus.length} CPUs, the system file says ${system.cpus}`);
    if (!board.cpus[0].config.hasEl2) throw new Error('hypervisor: the board has no EL2 (virtualization=on is needed)');
    this.costs = { ...XEN_ON_ARM_COSTS, ...opts.costs };
    this.layout = new MemoryLayout(board.mem.ramBase, board.mem.ramSize);
    this.consoles = new ConsoleMux((b) => board.mem.write32(0x09000000, b), opts.prefixConsoles ?? true);
    this.gic = new PhysicalGic(board.mem);
    this.pcpus = board.cpus.map(() => ({ started: false, current: undefined, sliceEnd: undefined, parked: undefined }));
    this.resumeTrap = board.cpus.map(() => undefined);
    this.hcrGuest = HCR_GUEST_BASE | (opts.extraHcr ?? 0);
    this.ipc = new Ipc(system.sharedMemory, system.eventChannels, board.mem, this.layout);
    this.writeStubs();
    for (const cpu of board.cpus) {
      cpu.el2Software = this;
      cpu.pc = BigInt(this.layout.stubAddress);
    }
  }

  /** Creates every domain of the system file; call once the scheduler (and vGIC) are set. */
  buildDomains(): void {
    for (const desc of this.system.domains) this.buildDomain(desc);
  }

  private buildDomain(desc: DomainDescription): Domain {
    const id = this.nextId++;
    const d = createDomain(this.board.mem, this.layout, id, desc, id);
    this.domains.push(d);
    this.ipc.mapInto(d);
    const extras = this.dtbExtras.get(d.name) ?? { rtc: false, sharedMemory: [] };
    extras.sharedMemory = this.ipc.regionsOf(d.name).map((r) => ({ id: r.desc.id, ipa: r.ipa, size: r.desc.sizeBytes }));
    this.dtbExtras.set(d.name, extras);
    for (const v of d.vcpus) {
      v.ctx.vttbr = d.stage2.vttbr(d.vmid);
      v.ctx.vmpidr = v.mpidr;
      v.ctx.hcr = BigInt(this.hcrGuest);
      this.scheduler.add(v);
    }
    const vuart = new VirtualUart((b) => this.consoles.write(d.name, Uint8Array.of(b)), (level) => this.vgic?.setLevel(d, 33, level));
    this.vuarts.set(d, vuart);
    // Every domain gets the UART a QEMU virt guest expects (vuart = "sbsa_uart" names the same).
    d.addMmio(vuart);
    this.psciByDomain.set(d, new PsciFirmware(this.psciPlatform(d), { cpuOnEl: 1 }));
    this.vgic?.attach(d);
    for (const h of this.domainHooks) h(d);
    this.boot(d);
    return d;
  }

  /** Loads the kernel and makes vCPU 0 runnable (first boot and restarts). */
  private boot(d: Domain): void {
    const plan = loadDomain(this.board.mem, d, this.dtbExtras.get(d.name) ?? { rtc: false, sharedMemory: [] });
    for (const w of plan.warnings) this.say(`${d.name}: ${w}`);
    // The domain's virtual counter starts at its boot (Xen sets CNTVOFF_EL2 to the physical count
    // at domain creation): a restarted domain sees CNTVCT from 0 again, not the board's uptime.
    const cpu = this.runningCpu();
    const bootCount = cpu ? mrs(cpu, 'CNTPCT_EL0') : 0n;
    d.bootCount = bootCount;
    for (const v of d.vcpus) {
      v.ctx.vttbr = d.stage2.vttbr(d.vmid);
      v.ctx.vmpidr = v.mpidr;
      v.ctx.hcr = BigInt(this.hcrGuest);
      v.ctx.cntvoff = bootCount;
      // Whatever a CPU still holds of the previous life is not this context's.
      v.ctx.loadedOn = undefined;
    }
    d.state = 'running';
    // A vCPU still current on a CPU (the one that asked for the reboot) must get its new context
    // loaded, and the old one on the CPU must not be saved over it: see schedule().
    for (const v of d.vcpus) this.freshContext.add(v);
    this.wake(d.vcpus[0]);
  }

  /** vCPUs whose saved context was reset (domain restart) and is newer than what a CPU holds. */
  private readonly freshContext = new Set<Vcpu>();

  /** Host RAM a domain may name in hypercalls besides its own: its shared regions. */
  sharedRamOf(d: Domain): { pa: number; size: number }[] {
    return this.ipc.regionsOf(d.name).map((r) => ({ pa: r.pa, size: r.desc.sizeBytes }));
  }

  /** Bytes typed for a domain (`--console NAME`): into its vUART and its CONSOLEIO_read queue. */
  consoleInputFor(name: string, bytes: Uint8Array): void {
    const d = this.domains.find((x) => x.name === name);
    if (!d) throw new Error(`hypervisor: no domain named ${name}`);
    this.vuarts.get(d)?.receive(bytes);
    const q = this.consoleQueue.get(d) ?? [];
    q.push(...bytes);
    this.consoleQueue.set(d, q);
  }

  consoleInput(d: Domain, max: number): Uint8Array {
    const q = this.consoleQueue.get(d) ?? [];
    return Uint8Array.from(q.splice(0, max));
  }

  /** hvlab_evtchn_notify from `v` on its `port`: raises the peer end's interrupt. */
  notify(v: Vcpu, port: number): number {
    const end = this.ipc.peerOf(v.domain.name, port);
    if (!end) return -22;
    const peer = this.domains.find((x) => x.name === end.domain);
    if (!peer || peer.state !== 'running') return -22;
    if (!this.vgic) return -38;
    const target = this.vgic.raise(peer.vcpus[0], end.intid);
    if (target) this.wake(target);
    return 0;
  }

  say(message: string): void {
    this.log.push(message);
    this.consoles.log(message);
  }

  // ------------------------------------------------------------------ code in the reserve

  private writeStubs(): void {
    const mem = this.board.mem;
    const w = (pa: number, v: number): void => mem.write32(pa, v | 0);
    const stub = this.layout.stubAddress;
    w(stub, A64.hvcEntry);
    w(stub + 4, A64.branchSelf);
    w(stub + STUB_IDLE, A64.wfi);
    w(stub + STUB_IDLE + 4, A64.branchBack1);
    // The vector table: the TypeScript handler runs at each entry, so these words never execute;
    // they branch to themselves so that even a broken path cannot run on into other memory.
    for (let off = 0; off < 0x800; off += 0x80) w(this.layout.vectorsAddress + off, A64.branchSelf);
  }

  // ------------------------------------------------------------------ time

  /** The board's virtual time as this CPU sees it (CNTPCT_EL0, in ns). */
  nowNs(cpu: Cpu): number {
    return Number(mrs(cpu, 'CNTPCT_EL0')) * NS_PER_TICK;
  }

  private charge(cpu: Cpu, ns: number, d?: Domain): void {
    cpu.chargeNs(ns);
    this.hypervisorNs += ns;
    if (d) d.counters.hypervisorNs += ns;
  }

  /** Programs this CPU's EL2 physical timer for the next scheduling decision (or stops it). */
  private armTimer(cpu: Cpu): void {
    const p = this.pcpus[cpu.index];
    let at = p.sliceEnd;
    const wake = this.nextWakeup(cpu.index);
    if (wake !== undefined && (at === undefined || wake < at)) at = wake;
    if (at === undefined) {
      msr(cpu, 'CNTHP_CTL_EL2', 0);
      return;
    }
    msr(cpu, 'CNTHP_CVAL_EL2', BigInt(Math.ceil(at / NS_PER_TICK)));
    msr(cpu, 'CNTHP_CTL_EL2', 1);
  }

  /**
   * Earliest virtual-timer deadline of a blocked vCPU that this CPU is responsible for waking
   * (the CPU of its affinity with the lowest index, or CPU 0): a descheduled vCPU whose timer
   * fires is woken by a hypervisor timer.
   */
  private nextWakeup(pcpu: number): number | undefined {
    let best: number | undefined;
    for (const d of this.domains) {
      if (d.state !== 'running') continue;
      for (const v of d.vcpus) {
        if (v.state !== 'blocked' || this.wakerCpu(v) !== pcpu) continue;
        const t = this.timerDeadline(v);
        if (t !== undefined && (best === undefined || t < best)) best = t;
      }
    }
    return best;
  }

  private wakerCpu(v: Vcpu): number {
    const a = v.affinity.filter((c) => c < this.pcpus.length);
    return a.length ? Math.min(...a) : 0;
  }

  /** When a saved EL1 virtual timer of `v` fires (ns), if it is enabled and unmasked. */
  timerDeadline(v: Vcpu): number | undefined {
    const ctl = v.ctx.timer.get('CNTV_CTL_EL0') ?? 0n;
    if ((ctl & 3n) !== 1n) return undefined;
    const cval = v.ctx.timer.get('CNTV_CVAL_EL0') ?? 0n;
    const phys = cval + v.ctx.cntvoff;
    if (phys >= 1n << 53n) return undefined;
    return Number(phys) * NS_PER_TICK;
  }

  // ------------------------------------------------------------------ entry from the CPU

  entered(cpu: Cpu, ev: ExceptionEvent): void {
    this.handling = cpu;
    const p = this.pcpus[cpu.index];
    const ec = (ev.esr >>> 26) & 0x3f;
    if (ev.fromEl === 2) {
      if (ev.kind === 'sync' && ec === EC.HVC64 && (ev.esr & 0xffff) === HV_ENTRY_IMM && !p.started) return this.startCpu(cpu);
      if (ev.kind === 'irq' && p.current === undefined) {
        this.physicalInterrupts(cpu, undefined);
        return this.schedule(cpu);
      }
      cpu.stop({ kind: 'fault', pc: ev.pc, message: `hypervisor: unexpected ${ev.kind} exception at EL2 (ESR 0x${ev.esr.toString(16)})` });
    }
    const v = p.current;
    if (!v) cpu.stop({ kind: 'fault', pc: ev.pc, message: `hypervisor: exception from EL${ev.fromEl} on CPU ${cpu.index} with no vCPU running` });
    this.vgic?.sync(cpu, v);
    const trap = describeTrap(cpu, ev, v);
    if (this.trapObservers.length) {
      const held = this.resumeTrap[cpu.index];
      // An interrupt taken before the held trap's instruction re-executes keeps it held.
      this.resumeTrap[cpu.index] = held && held.kind === 'sync' && ev.kind !== 'sync' ? held : undefined;
      if (!held || held.kind !== ev.kind || held.esr !== ev.esr || held.pc !== ev.pc) {
        for (const o of this.trapObservers) {
          const stop = o(trap);
          if (stop) {
            // Stopped before the hypervisor handles it: undo the whole exception entry — PSTATE
            // from SPSR_EL2 and the PC of the instruction the exception belongs to (for HVC the
            // HVC itself, not ELR_EL2 after it) — so that the run resumes by re-executing (or
            // re-taking) it at the guest's EL, and let that same trap through once then.
            this.resumeTrap[cpu.index] = ev;
            msr(cpu, 'ELR_EL2', ev.pc);
            this.handling = undefined;
            exceptionReturn(cpu);
            cpu.stop(stop);
          }
        }
      }
    }
    const d = v.domain;
    if (ev.kind === 'irq') {
      d.counters.irqs++;
      this.physicalInterrupts(cpu, v);
      this.charge(cpu, this.costs.irqNs, d);
      return this.resume(cpu);
    }
    if (ev.kind !== 'sync') {
      this.say(`${d.name}: ${ev.kind} exception from the guest at PC 0x${ev.pc.toString(16)}: domain crashed`);
      this.shutdown(cpu, d, 'crash');
      return this.schedule(cpu);
    }
    d.counters.trap(ec);
    const ctx: TrapContext = { hv: this, cpu, vcpu: v, ev, ec };
    const outcome = handleGuestTrap(ctx);
    this.charge(cpu, outcome.costNs, d);
    switch (outcome.next) {
      case 'resume': return this.resume(cpu);
      case 'yield': {
        this.scheduler.yield(v, this.nowNs(cpu));
        return this.schedule(cpu);
      }
      case 'block': {
        if (this.vgic?.hasPending(v)) return this.resume(cpu);
        v.state = 'blocked';
        this.scheduler.block(v, this.nowNs(cpu));
        return this.schedule(cpu);
      }
      case 'schedule': return this.schedule(cpu);
    }
  }

  /** Takes and handles every pending physical interrupt on this CPU. */
  private physicalInterrupts(cpu: Cpu, v: Vcpu | undefined): void {
    for (;;) {
      const intid = this.gic.acknowledge(cpu);
      if (intid === SPURIOUS) return;
      this.gic.endOfInterrupt(cpu, intid);
      switch (intid) {
        case PPI_HYP_TIMER:
          // The tick: stop the timer; schedule() decides and re-arms it.
          msr(cpu, 'CNTHP_CTL_EL2', 0);
          this.gic.deactivate(cpu, intid);
          this.wakeExpired(this.nowNs(cpu));
          // An expired slice stays expired so that resume() asks the scheduler; otherwise the
          // tick was a wake-up timer of a blocked vCPU and the current slice's timer is re-armed.
          if (!this.sliceExpired(cpu)) this.armTimer(cpu);
          break;
        case SGI_RESCHEDULE:
          this.gic.deactivate(cpu, intid);
          // Another CPU kicked this one (a vCPU woke for it): choose again, even mid-slice.
          this.pcpus[cpu.index].sliceEnd = 0;
          break;
        case PPI_MAINTENANCE:
          this.gic.deactivate(cpu, intid);
          if (v) this.vgic?.maintenance(cpu, v);
          break;
        default:
          if (!this.irqHandlers.get(intid)?.(cpu, v, intid)) {
            this.gic.deactivate(cpu, intid);
            this.say(`unexpected physical interrupt ${intid} on CPU ${cpu.index}`);
          }
      }
    }
  }

  /**
   * Handlers of physical interrupts other than the hypervisor's own (vtimer, passthrough SPIs,
   * the console's UART). Each returns true when it took care of deactivation.
   */
  readonly irqHandlers = new Map<number, (cpu: Cpu, v: Vcpu | undefined, intid: number) => boolean>();

  private sliceExpired(cpu: Cpu): boolean {
    const s = this.pcpus[cpu.index].sliceEnd;
    return s !== undefined && this.nowNs(cpu) >= s;
  }

  /** Wakes blocked vCPUs whose virtual timer has fired (their timer interrupt is made pending). */
  private wakeExpired(now: number): void {
    for (const d of this.domains) {
      if (d.state !== 'running') continue;
      for (const v of d.vcpus) {
        if (v.state !== 'blocked') continue;
        const t = this.timerDeadline(v);
        if (t !== undefined && t <= now) {
          // HW-mapped as when taken while the vCPU runs: switch-in makes the physical PPI active,
          // so restoring the timer does not signal it a second time.
          this.vgic?.vtimerFired(v);
          this.wake(v);
        }
      }
    }
  }

  // ------------------------------------------------------------------ vCPU state changes

  /** Makes a blocked or offline vCPU runnable and has its CPU choose again. */
  wake(v: Vcpu): void {
    // Running elsewhere: that CPU must trap so that the new interrupt reaches its list registers.
    if (v.state === 'running') { if (v.pcpu !== this.handling?.index) this.kick(v.pcpu); return; }
    if (v.state === 'runnable') return;
    if (v.domain.state !== 'running') return;
    v.state = 'runnable';
    const now = this.runningCpu() ? this.nowNs(this.runningCpu()!) : 0;
    const target = this.scheduler.wake(v, now);
    if (target !== undefined) this.kick(target);
  }

  /** Asks physical CPU `target` to schedule again: an SGI, or a note to self. */
  kick(target: number): void {
    const me = this.runningCpu();
    if (!this.pcpus[target]?.started) return; // it schedules when it starts
    if (me && me.index === target) { this.pcpus[target].sliceEnd = 0; return; }
    if (me) this.gic.sendSgi(me, target, SGI_RESCHEDULE);
  }

  /** The CPU whose exception is being handled now. */
  runningCpu(): Cpu | undefined { return this.handling; }
  private handling: Cpu | undefined;

  /** Domain shutdown (PSCI SYSTEM_OFF/RESET, SCHEDOP_shutdown, a crash): on_poweroff/on_reboot/on_crash. */
  shutdown(cpu: Cpu, d: Domain, reason: ShutdownReason): void {
    if (d.state !== 'running') return;
    const action = reason === 'poweroff' ? d.desc.onPoweroff : reason === 'reboot' ? d.desc.onReboot : d.desc.onCrash;
    d.shutdownReason = reason;
    this.say(`domain ${d.name}: ${reason === 'poweroff' ? 'powered off' : reason === 'reboot' ? 'rebooted' : 'crashed'} (${action})`);
    const now = this.nowNs(cpu);
    for (const v of d.vcpus) {
      if (v.state === 'running') {
        v.runNs += now - v.lastIn;
        v.lastIn = now;
        // Running on another CPU: it must leave the guest now (it finds the vCPU offline).
        if (v.pcpu >= 0 && v.pcpu !== cpu.index) this.kick(v.pcpu);
      }
      v.state = 'offline';
      this.scheduler.block(v, now);
    }
    d.state = action === 'preserve' ? 'shutdown' : 'destroyed';
    if (action === 'restart') {
      d.generation++;
      this.vgic?.detach(d);
      this.vgic?.attach(d);
      this.boot(d);
      return;
    }
    if (this.domains.every((x) => x.state !== 'running')) {
      this.consoles.flush();
      this.say('no domain left running: powering off');
      this.firmwareCall(cpu, 0x84000008n); // PSCI SYSTEM_OFF to the board's firmware
    }
  }

  /** An SMC from EL2 to the board's PSCI firmware (x0 = function, x1..x3). */
  private firmwareCall(cpu: Cpu, fn: bigint, x1 = 0n, x2 = 0n, x3 = 0n): bigint {
    cpu.setX(0, fn); cpu.setX(1, x1); cpu.setX(2, x2); cpu.setX(3, x3);
    if (!cpu.env.hypervisorCall(cpu, 'smc', 0)) throw new Error('hypervisor: the board has no PSCI firmware on SMC');
    return cpu.getX(0);
  }

  // ------------------------------------------------------------------ CPU start, scheduling

  private startCpu(cpu: Cpu): void {
    this.handling = cpu;
    const p = this.pcpus[cpu.index];
    p.started = true;
    msr(cpu, 'VBAR_EL2', this.layout.vectorsAddress);
    msr(cpu, 'VTCR_EL2', VTCR_VALUE);
    msr(cpu, 'CNTHCTL_EL2', CNTHCTL_VALUE);
    msr(cpu, 'HCR_EL2', HCR_IDLE);
    if (cpu.index === 0) this.gic.initDistributor();
    this.gic.initCpu(cpu);
    for (const ppi of [SGI_RESCHEDULE, PPI_MAINTENANCE, PPI_HYP_TIMER, PPI_VTIMER]) this.gic.enablePrivate(cpu.index, ppi);
    for (const h of this.cpuStartHooks) h(cpu);
    if (cpu.index === 0) {
      this.say(`hypervisor up: ${this.pcpus.length} CPU(s), ${this.domains.length} domain(s), scheduler ${this.scheduler.name}`);
      for (let i = 1; i < this.pcpus.length; i++) {
        const r = this.firmwareCall(cpu, 0xc4000003n, BigInt(((i >> 4) << 8) | (i & 15)), BigInt(this.layout.stubAddress), 0n);
        if (r !== 0n) this.say(`CPU ${i} did not start (PSCI CPU_ON returned ${BigInt.asIntN(64, r)})`);
      }
    }
    this.schedule(cpu);
  }

  /** Per-CPU initialisation steps of other modules (passthrough routing, console input). */
  readonly cpuStartHooks: ((cpu: Cpu) => void)[] = [];

  /** Returns to the vCPU that trapped, unless its slice is over or it can no longer run. */
  private resume(cpu: Cpu): void {
    const p = this.pcpus[cpu.index];
    const v = p.current;
    if (!v || v.state !== 'running' || p.sliceEnd !== undefined && this.nowNs(cpu) >= p.sliceEnd) return this.schedule(cpu);
    this.enterGuest(cpu, v);
  }

  /** Asks the scheduler what runs on this CPU now, switches to it, and leaves EL2. */
  schedule(cpu: Cpu): void {
    this.handling = cpu;
    const p = this.pcpus[cpu.index];
    const now = this.nowNs(cpu);
    const cur = p.current;
    if (cur) {
      cur.runNs += now - cur.lastIn;
      cur.lastIn = now;
      if (cur.state === 'running') cur.state = 'runnable';
    }
    const dec = this.scheduler.pick(cpu.index, now, cur && cur.state === 'runnable' ? cur : undefined);
    const next = dec.vcpu;
    if (next !== cur || cur !== undefined && this.freshContext.has(cur)) {
      if (cur) this.switchOut(cpu, cur, next === undefined);
      if (next) this.switchIn(cpu, next, now);
      this.charge(cpu, this.costs.switchNs, next?.domain);
    }
    p.sliceEnd = dec.untilNs;
    this.armTimer(cpu);
    for (const c of dec.kick ?? []) if (c !== cpu.index) this.kick(c);
    if (next) {
      next.state = 'running';
      return this.enterGuest(cpu, next);
    }
    // Idle: EL2 with interrupts unmasked, in the WFI loop. The last guest's HCR_EL2 already routes
    // physical interrupts to EL2 (IMO/FMO/AMO), and its stage-2 and trap bits do not apply at
    // EL2, so it stays: rewriting it would change HCR_EL2.VM and flush the TLB on every idle.
    if ((Number(mrs(cpu, 'HCR_EL2') & 0xffffffffn) & HCR_IDLE) !== HCR_IDLE) msr(cpu, 'HCR_EL2', HCR_IDLE);
    msr(cpu, 'ELR_EL2', this.layout.stubAddress + STUB_IDLE);
    msr(cpu, 'SPSR_EL2', SPSR_EL2H);
    this.handling = undefined;
    exceptionReturn(cpu);
  }

  private switchOut(cpu: Cpu, v: Vcpu, idle: boolean): void {
    const p = this.pcpus[cpu.index];
    // A reset context (restart) replaces what the CPU holds of the vCPU's previous life.
    if (!this.freshContext.has(v)) {
      // Lazy switch to idle (Xen's context_switch to the idle vCPU): a blocked vCPU that can run
      // nowhere else leaves its EL1 system registers, HCR/VTTBR and GIC interface on this CPU;
      // if it is the next to run here, they need no restore. Registers, PC and timers are saved
      // (the timer deadline is what wakes it). Anything else coming here saves the rest first.
      if (idle && v.state === 'blocked' && allowedCpus(v, this.pcpus.length).length === 1) {
        v.ctx.saveRunning(cpu);
        v.ctx.loadedOn = cpu.index;
        p.parked = v;
      } else {
        v.ctx.save(cpu);
      }
    }
    this.vgicSwitch?.out(cpu, v);
    // The guest's timers must not fire for whoever runs next.
    msr(cpu, 'CNTV_CTL_EL0', 0);
    msr(cpu, 'CNTP_CTL_EL0', 0);
    v.pcpu = -1;
    p.current = undefined;
  }

  private switchIn(cpu: Cpu, v: Vcpu, now: number): void {
    const p = this.pcpus[cpu.index];
    const parked = p.parked;
    p.parked = undefined;
    const warm = parked === v && v.ctx.loadedOn === cpu.index && !this.freshContext.has(v);
    // Another vCPU's state still on this CPU: complete its save before this one overwrites it.
    if (parked && !warm && parked.ctx.loadedOn === cpu.index && !this.freshContext.has(parked)) parked.ctx.saveLoaded(cpu);
    // The vtimer's physical active state first, so that restoring its CTL cannot signal it again.
    this.vgicSwitch?.in(cpu, v);
    if (warm) v.ctx.restoreRunning(cpu);
    else v.ctx.restore(cpu);
    // From here the CPU holds this life's context: the next switch-out saves it.
    this.freshContext.delete(v);
    v.pcpu = cpu.index;
    v.switches++;
    v.lastIn = now;
    p.current = v;
  }

  /** Hooks around a vCPU switch for state kept outside VcpuContext (the vtimer's HW mapping). */
  vgicSwitch: { out(cpu: Cpu, v: Vcpu): void; in(cpu: Cpu, v: Vcpu): void } | undefined;

  private enterGuest(cpu: Cpu, v: Vcpu): void {
    this.vgic?.flush(cpu, v);
    this.handling = undefined;
    exceptionReturn(cpu);
  }

  /** The vCPU running on a physical CPU now, if any. */
  currentOn(pcpu: number): Vcpu | undefined { return this.pcpus[pcpu]?.current; }

  psciFor(d: Domain): PsciFirmware { return this.psciByDomain.get(d)!; }

  /** PSCI for a domain: the board's PSCI implementation over the domain's vCPUs. */
  private psciPlatform(d: Domain): PsciPlatform {
    return {
      get cpuCount() { return d.vcpus.length; },
      isOn: (i) => d.vcpus[i].state !== 'offline',
      mpidr: (i) => d.vcpus[i].mpidr & 0xff00ffffffn,
      isValidEntry: (pa) => pa >= 0x40000000n && pa < 0x40000000n + BigInt(d.ramSize),
      powerOn: (i, entry, contextId) => {
        const c = d.vcpus[i].ctx;
        c.reset();
        c.pc = entry;
        c.x[0] = contextId;
        this.wake(d.vcpus[i]);
      },
      powerOff: (i) => {
        const v = d.vcpus[i];
        v.state = 'offline';
        const cpu = this.runningCpu();
        this.scheduler.block(v, cpu ? this.nowNs(cpu) : 0);
      },
      systemOff: () => this.shutdown(this.runningCpu()!, d, 'poweroff'),
      systemReset: () => this.shutdown(this.runningCpu()!, d, 'reboot'),
      standby: (i) => {
        const v = d.vcpus[i];
        if (this.vgic?.hasPending(v)) return;
        v.state = 'blocked';
        this.scheduler.block(v, this.runningCpu() ? this.nowNs(this.runningCpu()!) : 0);
      },
    };
  }
}
