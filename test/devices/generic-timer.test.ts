import { strict as assert } from 'node:assert';
import {
  GenericTimer, QEMU_VIRT_CNTFRQ, TIMER_INTID, cntfrqAccess, counterAccess, secureTimerAccess, timerAccess,
  virtualOffsetApplies, vheRedirect, type TimerAccessContext,
} from '../../emulator/devices/generic-timer';

function make(hasVhe = false): { t: GenericTimer; events: [number, boolean][] } {
  const events: [number, boolean][] = [];
  const t = new GenericTimer({ onIrq: (i, l) => events.push([i, l]), hasVhe });
  return { t, events };
}

describe('generic timer: counter', () => {
  it('runs at QEMU virt 62.5 MHz: one tick per 16 ns, CNTFRQ reads the frequency', () => {
    const { t } = make();
    assert.equal(QEMU_VIRT_CNTFRQ, 62_500_000);
    assert.equal(t.read('CNTFRQ_EL0', 0), 62_500_000n);
    assert.equal(t.read('CNTPCT_EL0', 0), 0n);
    assert.equal(t.read('CNTPCT_EL0', 15), 0n);
    assert.equal(t.read('CNTPCT_EL0', 16), 1n);
    assert.equal(t.read('CNTPCT_EL0', 1e9), 62_500_000n);
    assert.equal(t.read('CNTPCT_EL0', 2 ** 52), BigInt(2 ** 52 / 16));
  });

  it('CNTVCT = CNTPCT - CNTVOFF_EL2 (mod 2^64), unless the offset does not apply', () => {
    const { t } = make();
    t.write('CNTVOFF_EL2', 100n, 0);
    assert.equal(t.read('CNTVCT_EL0', 1600 * 16), 1500n);
    assert.equal(t.read('CNTVCT_EL0', 16 * 50), (1n << 64n) - 50n, 'wraps below zero');
    assert.equal(t.read('CNTVCT_EL0', 1600 * 16, { virtualOffset: false }), 1600n);
  });

  it('other frequencies round the counter down and timeOfCount up', () => {
    const t = new GenericTimer({ onIrq: () => undefined, frequencyHz: 24_000_000 });
    assert.equal(t.counter(1000), 24n);
    assert.equal(t.counter(1041), 24n);
    assert.equal(t.timeOfCount(25n), 1042);
    assert.equal(t.counter(1042), 25n);
    assert.throws(() => new GenericTimer({ onIrq: () => undefined, frequencyHz: 0 }), /bad frequency/);
  });

  it('CNTFRQ_EL0 is a plain record: writing it does not change the count rate', () => {
    const { t } = make();
    t.write('CNTFRQ_EL0', 0x1_0000_0001n, 0);
    assert.equal(t.read('CNTFRQ_EL0', 0), 1n);
    assert.equal(t.read('CNTPCT_EL0', 160), 10n);
    assert.throws(() => t.write('CNTPCT_EL0', 0n, 0), /read-only/);
  });
});

describe('generic timer: timers', () => {
  const timers = [
    ['CNTP', '_EL0', TIMER_INTID.phys, 30],
    ['CNTV', '_EL0', TIMER_INTID.virt, 27],
    ['CNTHP', '_EL2', TIMER_INTID.hyp, 26],
    ['CNTHV', '_EL2', TIMER_INTID.hypvirt, 28],
    ['CNTPS', '_EL1', TIMER_INTID.secphys, 29],
  ] as const;
  for (const [p, s, intid, expect] of timers) {
    it(`${p}: fires at CVAL, ISTATUS/IMASK/ENABLE semantics, INTID ${expect}`, () => {
      assert.equal(intid, expect);
      const { t, events } = make(true);
      const ctl = `${p}_CTL${s}` as const, cval = `${p}_CVAL${s}` as const;
      t.write(cval as never, 100n, 0);
      assert.equal(t.read(ctl as never, 0), 0n);
      t.write(ctl as never, 1n, 0); // ENABLE
      assert.equal(t.read(ctl as never, 99 * 16), 1n, 'not yet: ISTATUS 0');
      assert.equal(t.nextEventNs(0), 1600);
      t.update(99 * 16);
      assert.deepEqual(events, []);
      t.update(100 * 16);
      assert.deepEqual(events, [[expect, true]]);
      assert.equal(t.read(ctl as never, 1600), 5n, 'ENABLE | ISTATUS');
      assert.equal(t.nextEventNs(1600), undefined, 'already firing: no future edge');
      t.write(ctl as never, 3n, 1600); // IMASK
      assert.deepEqual(events, [[expect, true], [expect, false]]);
      assert.equal(t.read(ctl as never, 1600), 7n, 'ISTATUS still set while masked');
      t.write(ctl as never, 0n, 1600);
      assert.equal(t.read(ctl as never, 1600), 0n, 'disabled: ISTATUS reads 0 (as QEMU)');
      t.write(ctl as never, 1n | 4n, 1600);
      assert.deepEqual(events.at(-1), [expect, true], 'ISTATUS is read-only; ENABLE again fires');
      t.write(cval as never, 1000n, 1600);
      assert.deepEqual(events.at(-1), [expect, false], 'moving CVAL into the future drops the level');
    });
  }

  it('TVAL reads the signed 32-bit difference (zero-extended) and writes CVAL = count + SignExtend(TVAL)', () => {
    const { t } = make();
    const now = 1000 * 16;
    t.write('CNTP_TVAL_EL0', 50n, now);
    assert.equal(t.read('CNTP_CVAL_EL0', now), 1050n);
    assert.equal(t.read('CNTP_TVAL_EL0', now), 50n);
    assert.equal(t.read('CNTP_TVAL_EL0', 1060 * 16), 0xfffffff6n, '-10 as 32 bits');
    t.write('CNTP_TVAL_EL0', 0xffffff9cn, now); // -100
    assert.equal(t.read('CNTP_CVAL_EL0', now), 900n);
    t.write('CNTP_TVAL_EL0', 0x1234_0000_0005n, now); // upper bits ignored
    assert.equal(t.read('CNTP_CVAL_EL0', now), 1005n);
  });

  it('the virtual timer compares against CNTVCT (CNTVOFF applies); TVAL too', () => {
    const { t, events } = make();
    const at = (count: number): number => count * 16;
    t.write('CNTVOFF_EL2', 1000n, at(1200));
    t.write('CNTV_CVAL_EL0', 500n, at(1200));
    t.write('CNTV_CTL_EL0', 1n, at(1200));
    assert.deepEqual(events, [], 'virtual count 200 < 500');
    assert.equal(t.nextEventNs(at(1200)), at(1500), 'physical count 1500 = virtual 500');
    t.update(at(1499));
    assert.deepEqual(events, []);
    t.update(at(1500));
    assert.deepEqual(events, [[27, true]]);
    t.write('CNTV_TVAL_EL0', 10n, at(1500));
    assert.equal(t.read('CNTV_CVAL_EL0', 0), 510n, 'TVAL is relative to the virtual count');
    assert.deepEqual(events.at(-1), [27, false]);
    t.write('CNTVOFF_EL2', 0n, at(1500));
    assert.deepEqual(events.at(-1), [27, true], 'lowering CNTVOFF moves the virtual count past CVAL');
  });

  it('the comparison is unsigned: a virtual count "below zero" is huge and meets any CVAL', () => {
    const { t, events } = make();
    t.write('CNTVOFF_EL2', 1000n, 0);
    t.write('CNTV_CVAL_EL0', 500n, 0);
    t.write('CNTV_CTL_EL0', 1n, 0);
    assert.deepEqual(events, [[27, true]]);
    assert.equal(t.read('CNTV_CTL_EL0', 0), 5n);
  });

  it('the EL2 virtual timer does not use CNTVOFF_EL2 and needs VHE', () => {
    const { t } = make(true);
    t.write('CNTVOFF_EL2', 1000n, 0);
    t.write('CNTHV_CVAL_EL2', 100n, 0);
    t.write('CNTHV_CTL_EL2', 1n, 0);
    assert.equal(t.nextEventNs(0), 1600);
    assert.throws(() => make(false).t.read('CNTHV_CTL_EL2', 0), /needs FEAT_VHE/);
  });

  it('nextEventNs: earliest of the enabled unmasked timers; masked and disabled ones do not count', () => {
    const { t } = make();
    assert.equal(t.nextEventNs(0), undefined);
    t.write('CNTP_CVAL_EL0', 300n, 0); t.write('CNTP_CTL_EL0', 1n, 0);
    t.write('CNTV_CVAL_EL0', 200n, 0); t.write('CNTV_CTL_EL0', 3n, 0); // masked
    t.write('CNTHP_CVAL_EL2', 250n, 0); t.write('CNTHP_CTL_EL2', 0n, 0); // disabled
    assert.equal(t.nextEventNs(0), 300 * 16);
    t.write('CNTHP_CTL_EL2', 1n, 0);
    assert.equal(t.nextEventNs(0), 250 * 16);
    assert.equal(t.nextEventNs(250 * 16 - 1), 250 * 16);
    t.write('CNTP_CVAL_EL0', (1n << 64n) - 1n, 0);
    t.write('CNTHP_CTL_EL2', 0n, 0);
    assert.equal(t.nextEventNs(0), undefined, 'CVAL beyond any reachable virtual time');
  });

  it('CNTKCTL_EL1 and CNTHCTL_EL2 keep only their defined bits; reset clears and lowers outputs', () => {
    const { t, events } = make();
    t.write('CNTKCTL_EL1', 0xffffn, 0);
    assert.equal(t.read('CNTKCTL_EL1', 0), 0x3ffn);
    t.write('CNTHCTL_EL2', 0xffffn, 0);
    assert.equal(t.read('CNTHCTL_EL2', 0), 0xffn);
    const v = make(true).t;
    v.write('CNTHCTL_EL2', 0xffffn, 0);
    assert.equal(v.read('CNTHCTL_EL2', 0), 0xfffn);
    t.write('CNTP_CTL_EL0', 1n, 0);
    assert.deepEqual(events, [[30, true]], 'CVAL 0 <= count 0: fires at once');
    t.reset();
    assert.deepEqual(events, [[30, true], [30, false]]);
    assert.equal(t.read('CNTKCTL_EL1', 0), 0n);
    assert.throws(() => t.read('CNTX_CTL_EL0' as never, 0), /no register/);
    assert.throws(() => t.read('CNTP_CTL_EL2' as never, 0), /no register/);
  });
});

describe('generic timer: access control', () => {
  const ctx = (o: Partial<TimerAccessContext>): TimerAccessContext =>
    ({ el: 0, el2Enabled: false, e2h: false, tge: false, cntkctl: 0n, cnthctl: 0n, ...o });

  it('EL0 counters need CNTKCTL_EL1.EL0PCTEN / EL0VCTEN, else trap to EL1 (EL2 with TGE)', () => {
    assert.equal(counterAccess('phys', ctx({})), 'trap-el1');
    assert.equal(counterAccess('phys', ctx({ cntkctl: 1n })), 'ok');
    assert.equal(counterAccess('virt', ctx({ cntkctl: 1n })), 'trap-el1');
    assert.equal(counterAccess('virt', ctx({ cntkctl: 2n })), 'ok');
    assert.equal(counterAccess('virt', ctx({ el2Enabled: true, tge: true })), 'trap-el2');
    assert.equal(counterAccess('phys', ctx({ el: 1 })), 'ok');
  });

  it('CNTHCTL_EL2.EL1PCTEN traps EL0/EL1 physical counter reads (bit 0, bit 10 with E2H)', () => {
    assert.equal(counterAccess('phys', ctx({ el: 1, el2Enabled: true })), 'trap-el2');
    assert.equal(counterAccess('phys', ctx({ el: 1, el2Enabled: true, cnthctl: 1n })), 'ok');
    assert.equal(counterAccess('phys', ctx({ el: 1, el2Enabled: true, e2h: true, cnthctl: 1n })), 'trap-el2');
    assert.equal(counterAccess('phys', ctx({ el: 1, el2Enabled: true, e2h: true, cnthctl: 1n << 10n })), 'ok');
    assert.equal(counterAccess('phys', ctx({ el: 0, el2Enabled: true, cntkctl: 1n })), 'trap-el2');
    assert.equal(counterAccess('phys', ctx({ el: 0, el2Enabled: true, cntkctl: 1n, cnthctl: 1n })), 'ok');
    assert.equal(counterAccess('virt', ctx({ el: 1, el2Enabled: true })), 'ok', 'virtual counter: no EL2 control without ECV');
    assert.equal(counterAccess('phys', ctx({ el: 2, el2Enabled: true })), 'ok');
  });

  it('E2H=TGE=1 (VHE host EL0): CNTHCTL_EL2.EL0* bits decide, CNTKCTL_EL1 does not', () => {
    const h = { el: 0 as const, el2Enabled: true, e2h: true, tge: true };
    assert.equal(counterAccess('phys', ctx({ ...h, cntkctl: 3n })), 'trap-el2');
    assert.equal(counterAccess('phys', ctx({ ...h, cnthctl: 1n })), 'ok');
    assert.equal(counterAccess('virt', ctx({ ...h, cnthctl: 2n })), 'ok');
    assert.equal(timerAccess('phys', ctx({ ...h, cnthctl: 1n << 9n })), 'ok');
    assert.equal(timerAccess('virt', ctx({ ...h, cnthctl: 1n << 9n })), 'trap-el2');
    assert.equal(timerAccess('virt', ctx({ ...h, cnthctl: 1n << 8n })), 'ok');
  });

  it('EL0 timers need EL0PTEN (bit 9) / EL0VTEN (bit 8); EL1PCEN traps EL0/EL1 physical timer access', () => {
    assert.equal(timerAccess('phys', ctx({ cntkctl: 1n << 8n })), 'trap-el1');
    assert.equal(timerAccess('phys', ctx({ cntkctl: 1n << 9n })), 'ok');
    assert.equal(timerAccess('virt', ctx({ cntkctl: 1n << 8n })), 'ok');
    assert.equal(timerAccess('phys', ctx({ el: 1, el2Enabled: true, cnthctl: 1n })), 'trap-el2', 'bit 0 is the counter, not the timer');
    assert.equal(timerAccess('phys', ctx({ el: 1, el2Enabled: true, cnthctl: 2n })), 'ok');
    assert.equal(timerAccess('phys', ctx({ el: 1, el2Enabled: true, e2h: true, cnthctl: 2n })), 'trap-el2');
    assert.equal(timerAccess('phys', ctx({ el: 1, el2Enabled: true, e2h: true, cnthctl: 1n << 11n })), 'ok');
    assert.equal(timerAccess('phys', ctx({ el: 0, el2Enabled: true, cntkctl: 1n << 9n })), 'trap-el2');
    assert.equal(timerAccess('virt', ctx({ el: 1, el2Enabled: true })), 'ok');
    assert.equal(timerAccess('phys', ctx({ el: 1 })), 'ok', 'no EL2: no EL2 traps');
  });

  it('CNTFRQ_EL0: EL0 reads need either EL0 counter enable; writes only at the highest EL', () => {
    assert.equal(cntfrqAccess(ctx({}), false, 3), 'trap-el1');
    assert.equal(cntfrqAccess(ctx({ cntkctl: 2n }), false, 3), 'ok');
    assert.equal(cntfrqAccess(ctx({ el: 0, el2Enabled: true, e2h: true, tge: true, cntkctl: 3n }), false, 3), 'trap-el2');
    assert.equal(cntfrqAccess(ctx({ el: 1 }), false, 3), 'ok');
    assert.equal(cntfrqAccess(ctx({ el: 1 }), true, 3), 'undefined');
    assert.equal(cntfrqAccess(ctx({ el: 2 }), true, 2), 'ok');
  });

  it('CNTPS_*: EL3, or Secure EL1 with SCR_EL3.ST', () => {
    assert.equal(secureTimerAccess(ctx({ el: 3 })), 'ok');
    assert.equal(secureTimerAccess(ctx({ el: 1 })), 'undefined');
    assert.equal(secureTimerAccess(ctx({ el: 1, secure: true })), 'trap-el3');
    assert.equal(secureTimerAccess(ctx({ el: 1, secure: true, scrSt: true })), 'ok');
    assert.equal(secureTimerAccess(ctx({ el: 2 })), 'undefined');
  });

  it('virtualOffsetApplies and vheRedirect', () => {
    assert.equal(virtualOffsetApplies({ el: 1, el2Enabled: true, e2h: false, tge: false }), true);
    assert.equal(virtualOffsetApplies({ el: 2, el2Enabled: true, e2h: true, tge: false }), false);
    assert.equal(virtualOffsetApplies({ el: 2, el2Enabled: true, e2h: false, tge: false }), true);
    assert.equal(virtualOffsetApplies({ el: 0, el2Enabled: true, e2h: true, tge: true }), false);
    assert.equal(virtualOffsetApplies({ el: 1, el2Enabled: false, e2h: false, tge: false, el2Implemented: false }), false);
    assert.equal(vheRedirect('CNTP_CTL_EL0', { el: 2, e2h: true, tge: false }), 'CNTHP_CTL_EL2');
    assert.equal(vheRedirect('CNTV_TVAL_EL0', { el: 0, e2h: true, tge: true }), 'CNTHV_TVAL_EL2');
    assert.equal(vheRedirect('CNTV_TVAL_EL0', { el: 1, e2h: true, tge: true }), 'CNTV_TVAL_EL0');
    assert.equal(vheRedirect('CNTP_CVAL_EL02', { el: 2, e2h: true, tge: true }), 'CNTP_CVAL_EL0');
    assert.equal(vheRedirect('CNTKCTL_EL1', { el: 2, e2h: true, tge: true }), 'CNTKCTL_EL1');
  });
});
