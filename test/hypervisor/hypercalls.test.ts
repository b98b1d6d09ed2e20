// Xen hypercalls that take no guest pointer (a GuestMemory with no CPU: touching it would throw).
import { strict as assert } from 'node:assert';
import { GuestMemory } from '../../emulator/hypervisor/guest-memory';
import { hypercall, HYPERCALL, XEN_VERSION } from '../../emulator/hypervisor/hypercalls';

const noMemory = new GuestMemory(null as never, []);
const svc = { consoleWrite: (): void => { throw new Error('no write expected'); }, consoleRead: (): Uint8Array => new Uint8Array(0), notify: (p: number): number => (p === 3 ? 0 : -22) };
const call = (nr: number, ...a: bigint[]): ReturnType<typeof hypercall> => hypercall(BigInt(nr), [...a, 0n, 0n, 0n, 0n, 0n].slice(0, 5), noMemory, svc);
const neg = (e: number): bigint => BigInt.asUintN(64, BigInt(-e));

describe('hypervisor: hypercalls (no guest pointers)', () => {
  it('-ENOSYS for unknown calls and unknown sub-commands', () => {
    assert.equal(call(99).x0, neg(38));
    assert.equal(call(HYPERCALL.xen_version, 7n).x0, neg(38));
    assert.equal(call(HYPERCALL.sched_op, 9n).x0, neg(38));
    assert.equal(call(HYPERCALL.console_io, 5n).x0, neg(38));
  });
  it('xen_version, sched_op yield/block, console_io size cap, evtchn notify', () => {
    assert.equal(call(HYPERCALL.xen_version, 0n).x0, BigInt(XEN_VERSION));
    assert.deepEqual(call(HYPERCALL.sched_op, 0n), { x0: 0n, effect: { kind: 'yield' } });
    assert.deepEqual(call(HYPERCALL.sched_op, 1n), { x0: 0n, effect: { kind: 'block' } });
    assert.equal(call(HYPERCALL.console_io, 0n, 16n * 1024n + 1n, 0x1000n).x0, neg(22));
    assert.equal(call(HYPERCALL.hvlab_evtchn_notify, 3n).x0, 0n);
    assert.equal(call(HYPERCALL.hvlab_evtchn_notify, 4n).x0, neg(22));
    assert.equal(call(HYPERCALL.hvlab_evtchn_notify, 0x10000n).x0, neg(22));
  });
});
