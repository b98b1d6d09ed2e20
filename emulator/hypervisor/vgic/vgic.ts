// The virtual GICv3 (after Xen's xen/arch/arm/vgic-v3.c + gic-v3-lr.c and KVM's vgic): each
// domain's distributor/redistributor state (mmio.ts) and, per vCPU, the list registers of the
// GIC virtual CPU interface, ICH_LR<n>_EL2 — the only way a virtual interrupt reaches a guest: the
// guest takes it as a virtual IRQ and acknowledges it with ICC_IAR1_EL1, which the CPU's ICV_*
// logic answers from the LRs.
//
// List registers. Before a vCPU runs (flush) the hypervisor writes the LRs from the interrupt
// state: every active interrupt of the vCPU first (its EOI must find it), then the pending,
// enabled ones by priority. When more are pending than there are LRs (ICH_VTR_EL2.ListRegs + 1 =
// 4), the rest wait and ICH_HCR_EL2.UIE is set, so the maintenance interrupt (INTID 25) fires when
// the guest has drained the LRs (at most one valid entry) and the next flush refills them. After
// any exit from the guest (sync) the LR states are read back: pending consumed by an acknowledge,
// active cleared by the guest's EOI/deactivation. An edge's pending state belongs to the LR while
// it is there; a level interrupt stays pending while its line is high, so a device that drops its
// line (always through a trapped MMIO write, after which a flush runs) is seen at once.
//
// Physical interrupts behind virtual ones (HW = 1, pINTID): the guest's deactivation deactivates
// the physical interrupt (IHI 0069 "Interrupt deactivation"). The EL1 virtual timer uses this as
// KVM does: its PPI 27 is taken at EL2 (HCR_EL2.IMO), only priority-dropped, and injected with
// HW = 1 into the running vCPU; it cannot fire again until the guest has handled it. When that
// vCPU is switched out with the interrupt still in flight, the physical active state is cleared
// and set again when it comes back.
import type { Cpu } from '../../cpu/cpu';
import { NUM_LRS } from '../../devices/gic/constants';
import { mrs, msr } from '../arch-state';
import type { Domain, Vcpu } from '../domain';
import type { Hypervisor } from '../hypervisor';
import type { VirtualGic, VirtualInterruptView } from '../vgic-interface';
import type { VirqState } from './irq-state';
import { VgicDistributorMmio, VgicDomainState, VgicRedistributorMmio, type VgicMmioHost } from './mmio';

/** ICH_HCR_EL2.En (bit 0) and UIE (bit 1). */
const ICH_HCR_EN = 1n, ICH_HCR_UIE = 2n;
const LR_NAMES = Array.from({ length: NUM_LRS }, (_, n) => `ICH_LR${n}_EL2`);
export const VTIMER_INTID = 27;

/** What each vCPU's LRs held at the last flush. */
interface LrShadow { lrs: (VirqState | undefined)[] }

export class VirtualGicV3 implements VirtualGic {
  private readonly states = new Map<Domain, VgicDomainState>();
  private readonly shadows = new Map<Vcpu, LrShadow>();

  constructor(private readonly hv: Hypervisor) {
    hv.irqHandlers.set(VTIMER_INTID, (cpu, v) => this.timerInterrupt(cpu, v));
    hv.vgicSwitch = { out: (cpu, v) => this.switchOut(cpu, v), in: (cpu, v) => this.switchIn(cpu, v) };
  }

  state(d: Domain): VgicDomainState {
    const s = this.states.get(d);
    if (!s) throw new Error(`vgic: domain ${d.name} has no vGIC`);
    return s;
  }

  interruptsOf(d: Domain): VirtualInterruptView[] {
    const st = this.states.get(d);
    if (!st) return [];
    const view = (s: VirqState, vcpu: number): VirtualInterruptView => ({
      intid: s.intid, vcpu, enabled: s.enabled, pending: s.pending, active: s.active,
      priority: s.priority, group: s.group, edge: s.edge, hwIntid: s.hwIntid,
    });
    const touched = (s: VirqState): boolean => s.enabled || s.pending || s.active || s.priority !== 0;
    return [
      ...st.privates.flatMap((bank, k) => bank.filter(touched).map((s) => view(s, k))),
      ...st.spis.filter(touched).map((s) => view(s, st.spiTarget(s).id)),
    ];
  }

  attach(d: Domain): void {
    const st = new VgicDomainState(d);
    this.states.set(d, st);
    const host: VgicMmioHost = {
      changed: (v) => this.changed(d, v),
      log: (m) => this.hv.say(m),
    };
    // A rebuilt domain (on_reboot = restart) gets fresh frames over the same addresses.
    for (const name of ['vgic distributor', 'vgic redistributors']) {
      const i = d.mmio.findIndex((m) => m.name === name);
      if (i >= 0) d.mmio.splice(i, 1);
    }
    d.addMmio(new VgicDistributorMmio(st, host));
    d.addMmio(new VgicRedistributorMmio(st, host));
    for (const v of d.vcpus) this.shadows.set(v, { lrs: new Array<VirqState | undefined>(NUM_LRS).fill(undefined) });
  }

  detach(d: Domain): void {
    this.states.delete(d);
    for (const v of d.vcpus) this.shadows.delete(v);
  }

  /** The guest changed distributor state: a vCPU may now have something to take (or to wake for). */
  private changed(d: Domain, v: Vcpu | undefined): void {
    const st = this.states.get(d);
    if (!st) return;
    for (const t of v ? [v] : d.vcpus) if (t.state === 'blocked' && this.hasPending(t)) this.hv.wake(t);
  }

  private bankOf(v: Vcpu, intid: number): VirqState | undefined {
    return this.states.get(v.domain)?.irq(v.id, intid);
  }

  raise(v: Vcpu, intid: number, opts: { hwIntid?: number; sourceVcpu?: number } = {}): Vcpu | undefined {
    const st = this.states.get(v.domain);
    const s = st?.irq(v.id, intid);
    if (!st || !s) return undefined;
    s.pendingLatch = true;
    if (opts.hwIntid !== undefined) s.hwIntid = opts.hwIntid;
    if (opts.sourceVcpu !== undefined) s.source = opts.sourceVcpu;
    const target = intid < 32 ? v : st.spiTarget(s);
    target.domain.counters.injected++;
    return target;
  }

  setLevel(d: Domain, intid: number, level: boolean, vcpu?: Vcpu): Vcpu | undefined {
    const st = this.states.get(d);
    if (!st) return undefined;
    const owner = vcpu ?? d.vcpus[0];
    const s = st.irq(owner.id, intid);
    if (!s || s.line === level) return undefined;
    s.line = level;
    if (level) d.counters.injected++;
    const target = intid < 32 ? owner : st.spiTarget(s);
    if (level) this.hv.wake(target);
    return target;
  }

  /** Every interrupt of `v`'s that is in flight: its SGIs/PPIs and the SPIs routed to it. */
  private inFlightOf(v: Vcpu): VirqState[] {
    const st = this.states.get(v.domain);
    if (!st) return [];
    const out: VirqState[] = [];
    const groupOn = (s: VirqState): boolean => (st.ctlr & (s.group ? 2 : 1)) !== 0;
    for (const s of st.privates[v.id]) if (s.active || (s.deliverable && groupOn(s))) out.push(s);
    for (const s of st.spis) if ((s.active || (s.deliverable && groupOn(s))) && st.spiTarget(s) === v) out.push(s);
    return out;
  }

  hasPending(v: Vcpu): boolean {
    return this.inFlightOf(v).some((s) => s.deliverable);
  }

  flush(cpu: Cpu, v: Vcpu): void {
    const sh = this.shadows.get(v);
    if (!sh) return;
    const list = this.inFlightOf(v).sort((a, b) =>
      Number(b.active) - Number(a.active) || a.priority - b.priority || a.intid - b.intid);
    for (let i = 0; i < NUM_LRS; i++) {
      const s = list[i];
      sh.lrs[i] = s;
      if (!s) { msr(cpu, LR_NAMES[i], 0n); continue; }
      const pending = s.deliverable;
      // The LR now holds the pending state of an edge (and of a level's latch).
      if (pending) s.pendingLatch = false;
      const state = BigInt((s.active ? 2 : 0) | (pending ? 1 : 0));
      let lr = (state << 62n) | (BigInt(s.group) << 60n) | (BigInt(s.priority) << 48n) | BigInt(s.intid);
      if (s.hwIntid >= 0) lr |= (1n << 61n) | (BigInt(s.hwIntid & 0x1fff) << 32n);
      msr(cpu, LR_NAMES[i], lr);
    }
    msr(cpu, 'ICH_HCR_EL2', ICH_HCR_EN | (list.length > NUM_LRS ? ICH_HCR_UIE : 0n));
  }

  sync(cpu: Cpu, v: Vcpu): void {
    const sh = this.shadows.get(v);
    if (!sh) return;
    for (let i = 0; i < NUM_LRS; i++) {
      const s = sh.lrs[i];
      if (!s) continue;
      const state = Number(mrs(cpu, LR_NAMES[i]) >> 62n);
      s.active = (state & 2) !== 0;
      if (state & 1) s.pendingLatch = true; // not yet acknowledged: back to the distributor
      if (state === 0) s.hwIntid = -1;      // deactivated (and its physical interrupt with it)
      sh.lrs[i] = undefined;
    }
  }

  /** The LRs ran low (ICH_HCR_EL2.UIE): sync has already read them back; the flush on the way out refills them. */
  maintenance(): void { /* nothing beyond sync + flush */ }

  /**
   * A trapped ICC_SGI1R_EL1 write (IHI 0069 ICC_SGI1R_EL1): INTID 27:24, IRM 40 (all but self),
   * Aff3 55:48, RS 47:44, Aff2 39:32, Aff1 23:16, TargetList 15:0. vCPU k is Aff1 = k / 16, Aff0 =
   * k % 16. Targets that are not vCPUs of this domain do not exist for it and are ignored.
   */
  sgi(v: Vcpu, value: bigint): Vcpu[] {
    const intid = Number((value >> 24n) & 15n);
    const irm = ((value >> 40n) & 1n) === 1n;
    const aff1 = Number((value >> 16n) & 0xffn), aff2 = Number((value >> 32n) & 0xffn), aff3 = Number((value >> 48n) & 0xffn);
    const rs = Number((value >> 44n) & 15n), list = Number(value & 0xffffn);
    const targets: Vcpu[] = [];
    for (const t of v.domain.vcpus) {
      if (irm ? t === v : !(aff3 === 0 && aff2 === 0 && aff1 === t.id >> 4 && rs * 16 <= (t.id & 15) && ((list >> ((t.id & 15) - rs * 16)) & 1) === 1)) continue;
      if (t.state === 'offline') continue;
      this.raise(t, intid, { sourceVcpu: v.id });
      targets.push(t);
    }
    return targets;
  }

  // ------------------------------------------------------------------ virtual timer

  vtimerFired(v: Vcpu): Vcpu | undefined {
    return this.raise(v, VTIMER_INTID, { hwIntid: VTIMER_INTID });
  }

  private timerInterrupt(cpu: Cpu, v: Vcpu | undefined): boolean {
    if (!v) {
      // No guest on this CPU (its timer was stopped at switch-out): nothing to forward.
      this.hv.gic.deactivate(cpu, VTIMER_INTID);
      return true;
    }
    this.vtimerFired(v);
    return true; // stays active until the guest deactivates it through the HW list register
  }

  private switchOut(cpu: Cpu, _v: Vcpu): void {
    if (this.hv.gic.privateActive(cpu.index, VTIMER_INTID)) this.hv.gic.setPrivateActive(cpu.index, VTIMER_INTID, false);
  }

  private switchIn(cpu: Cpu, v: Vcpu): void {
    const s = this.bankOf(v, VTIMER_INTID);
    if (s && s.hwIntid === VTIMER_INTID && (s.active || s.pending)) this.hv.gic.setPrivateActive(cpu.index, VTIMER_INTID, true);
  }
}
