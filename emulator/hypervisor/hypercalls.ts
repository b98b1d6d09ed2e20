// Xen's hypercall ABI on Arm (xen/include/public/arch-arm.h: "HVC #0xEA1", hypercall number in
// x16, arguments in x0..x4, result in x0), for the calls hvlab implements: console_io,
// xen_version and sched_op, plus hvlab's own inter-domain calls in a range Xen does not use.
// Anything else returns -ENOSYS, as Xen does. Pointers are guest virtual addresses, translated
// and checked by GuestMemory: a bad one gives -EFAULT and touches nothing.
import { GuestMemory, GuestMemoryError } from './guest-memory';

export const XEN_HVC_IMM = 0xea1;

export const HYPERCALL = {
  xen_version: 17,
  console_io: 18,
  sched_op: 29,
  /** hvlab: signal the peer of an event channel (x0 = local port). */
  hvlab_evtchn_notify: 0x48560001,
} as const;

export const CONSOLEIO = { write: 0, read: 1 } as const;
export const SCHEDOP = { yield: 0, block: 1, shutdown: 2 } as const;
/** struct sched_shutdown.reason (xen/include/public/sched.h). */
export const SHUTDOWN_REASON = { poweroff: 0, reboot: 1, suspend: 2, crash: 3, watchdog: 4 } as const;
export const XENVER = { version: 0, extraversion: 1 } as const;

/** Xen's errno values (xen/include/public/errno.h). */
export const XEN_ERRNO = { EFAULT: 14, EINVAL: 22, ENOSYS: 38 } as const;

/** Reported by XENVER_version: Xen 4.17's interface, which the ABI above follows. */
export const XEN_VERSION = (4 << 16) | 17;
export const XEN_EXTRAVERSION = '-hvlab';

/** Largest console_io write accepted in one call (Xen caps a guest's writes the same way). */
export const CONSOLE_IO_MAX = 16 * 1024;

/** What a hypercall asks of the hypervisor besides its result. */
export type HypercallEffect =
  | { kind: 'none' }
  | { kind: 'yield' }
  | { kind: 'block' }
  | { kind: 'shutdown'; reason: 'poweroff' | 'reboot' | 'crash' };

export interface HypercallResult { x0: bigint; effect: HypercallEffect }

export interface HypercallServices {
  consoleWrite(bytes: Uint8Array): void;
  /** Takes up to `max` bytes of pending console input. */
  consoleRead(max: number): Uint8Array;
  /** hvlab_evtchn_notify: returns 0, or a negative Xen errno. */
  notify(port: number): number;
}

const neg = (e: number): bigint => BigInt.asUintN(64, BigInt(-e));
const ok = (v: number | bigint): HypercallResult => ({ x0: BigInt.asUintN(64, BigInt(v)), effect: { kind: 'none' } });
const err = (e: number): HypercallResult => ({ x0: neg(e), effect: { kind: 'none' } });

export function hypercall(nr: bigint, args: readonly bigint[], mem: GuestMemory, svc: HypercallServices): HypercallResult {
  try {
    switch (nr) {
      case BigInt(HYPERCALL.console_io): {
        const cmd = Number(args[0] & 0xffffffffn), count = args[1], buf = args[2];
        if (count > BigInt(CONSOLE_IO_MAX)) return err(XEN_ERRNO.EINVAL);
        if (cmd === CONSOLEIO.write) {
          svc.consoleWrite(mem.read(buf, Number(count)));
          return ok(0);
        }
        if (cmd === CONSOLEIO.read) {
          const bytes = svc.consoleRead(Number(count));
          mem.write(buf, bytes);
          return ok(bytes.length);
        }
        return err(XEN_ERRNO.ENOSYS);
      }
      case BigInt(HYPERCALL.xen_version): {
        const cmd = Number(args[0] & 0xffffffffn);
        if (cmd === XENVER.version) return ok(XEN_VERSION);
        if (cmd === XENVER.extraversion) {
          const s = new Uint8Array(16); // xen_extraversion_t is char[16]
          s.set(Buffer.from(XEN_EXTRAVERSION, 'ascii'));
          mem.write(args[1], s);
          return ok(0);
        }
        return err(XEN_ERRNO.ENOSYS);
      }
      case BigInt(HYPERCALL.sched_op): {
        const cmd = Number(args[0] & 0xffffffffn);
        if (cmd === SCHEDOP.yield) return { x0: 0n, effect: { kind: 'yield' } };
        if (cmd === SCHEDOP.block) return { x0: 0n, effect: { kind: 'block' } };
        if (cmd === SCHEDOP.shutdown) {
          const reason = mem.readU32(args[1]);
          const r = reason === SHUTDOWN_REASON.poweroff ? 'poweroff' : reason === SHUTDOWN_REASON.reboot ? 'reboot'
            : reason === SHUTDOWN_REASON.crash || reason === SHUTDOWN_REASON.watchdog ? 'crash' : undefined;
          if (!r) return err(XEN_ERRNO.EINVAL);
          return { x0: 0n, effect: { kind: 'shutdown', reason: r } };
        }
        return err(XEN_ERRNO.ENOSYS);
      }
      case BigInt(HYPERCALL.hvlab_evtchn_notify): {
        if (args[0] > 0xffffn) return err(XEN_ERRNO.EINVAL);
        const r = svc.notify(Number(args[0]));
        return r < 0 ? err(-r) : ok(r);
      }
      default:
        return err(XEN_ERRNO.ENOSYS);
    }
  } catch (e) {
    if (e instanceof GuestMemoryError) return err(XEN_ERRNO.EFAULT);
    throw e;
  }
}
