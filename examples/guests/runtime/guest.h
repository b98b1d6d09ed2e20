/* The runtime of hvlab's example guests (examples/guests): the bare-metal runtime
   (examples/bare/runtime: crt0, PL011 console, printf, string) plus what a guest of the
   hypervisor needs — EL1 exception vectors with IRQ dispatch, a GICv3 driver, the virtual
   timer, a device-tree reader for /chosen/bootargs, and PSCI / Xen hypercall wrappers.

   The same images run on the bare `virt` board (QEMU or `hvlab run -M virt`) and as domains of
   hvlab's hypervisor, which shows a guest QEMU virt's memory map: RAM at 0x40000000, GICv3 at
   0x08000000 / 0x080A0000, UART at 0x09000000, PSCI on HVC. */
#ifndef HVLAB_GUEST_H
#define HVLAB_GUEST_H

#include "bare.h"
#include "mmio.h"
#include "sysreg.h"

#define NORETURN __attribute__((noreturn))

/* ---- exceptions (exceptions.c, vectors.S) ---- */

/* The context an exception saved (layout fixed by vectors.S). */
struct frame {
    uint64_t x[31];
    uint64_t elr;
    uint64_t spsr;
    uint64_t pad;
};

/* Installs the vector table (VBAR_EL1). IRQs stay masked until the caller unmasks them. */
void exceptions_init(void);

typedef void (*irq_handler_t)(unsigned intid);
#define IRQ_MAX 96
/* Calls `h` for `intid` (acknowledged through ICC_IAR1_EL1 before, ended with ICC_EOIR1_EL1 after). */
void irq_register(unsigned intid, irq_handler_t h);

/* Hooks for an OS, called in exception context with IRQs masked; each returns the frame to
   resume (the one it was given, or another task's). svc_hook gets the SVC's immediate. */
extern struct frame *(*exc_svc_hook)(struct frame *f, unsigned imm);
extern struct frame *(*exc_irq_exit_hook)(struct frame *f);

/* Prints the message and powers off (PSCI SYSTEM_OFF). */
void panic(const char *fmt, ...) NORETURN __attribute__((format(printf, 1, 2)));

/* ---- GICv3 (gicv3.c): distributor 0x08000000, redistributors from 0x080A0000 ---- */

#define GICD_BASE 0x08000000UL
#define GICR_BASE 0x080A0000UL
#define GICR_STRIDE 0x20000UL
#define GICR_SGI_OFFSET 0x10000UL

/* Enables the distributor (Group 1, affinity routing), wakes this CPU's redistributor and turns
   on the CPU interface (ICC_SRE_EL1.SRE, PMR = 0xff, ICC_IGRPEN1_EL1). */
void gic_init(void);
/* Group 1, `priority`, enabled; an SPI is level-triggered and routed to this CPU. */
void gic_enable_irq(unsigned intid, unsigned priority);
void gic_disable_irq(unsigned intid);
/* MPIDR_EL1's affinity fields packed as GICR_TYPER[63:32] holds them (Aff3.Aff2.Aff1.Aff0). */
uint32_t cpu_affinity(void);

/* ---- virtual timer (vtimer.c): CNTV_*, PPI INTID 27 ---- */

#define VTIMER_INTID 27

uint64_t vtimer_freq(void);             /* CNTFRQ_EL0, ticks per second */
uint64_t vtimer_now(void);              /* CNTVCT_EL0 (after an ISB, so it is not read early) */
/* Enables the timer interrupt in the GIC; `on_expiry` (may be NULL) runs in IRQ context each time
   the timer fires, after the timer has been disabled: it may re-arm it with vtimer_arm_at. */
void vtimer_init(void (*on_expiry)(void));
void vtimer_arm_at(uint64_t cval);      /* CNTV_CVAL_EL0 = cval, CNTV_CTL_EL0.ENABLE = 1 */
void vtimer_stop(void);
/* Sleeps (WFI, IRQs unmasked) until CNTVCT >= `until`; needs vtimer_init(NULL) first. */
void vtimer_sleep_until(uint64_t until);
uint64_t vtimer_us_to_ticks(uint64_t us);
uint64_t vtimer_ticks_to_us(uint64_t ticks);

/* ---- device tree and boot arguments (fdt.c) ---- */

/* The DTB: at x0 if the loader passed one (a hypervisor does), else at the RAM base where QEMU's
   ELF boot puts it; NULL if neither holds an FDT header. */
const void *fdt_locate(void);
/* Property `name` of the node at `path` ("/chosen"; a component without '@' also matches a node
   "name@unit"); NULL if absent. `len` (may be NULL) gets its length. */
const void *fdt_getprop(const void *fdt, const char *path, const char *name, uint32_t *len);
/* /chosen/bootargs, or "" if there is none. */
const char *bootargs(void);
/* In a command line of space-separated `key=value` or `key` words: copies the value of `key`
   into buf (NUL-terminated, truncated to n - 1) and returns 1, or returns 0 if `key` is absent. */
int arg_str(const char *args, const char *key, char *buf, size_t n);
/* The value of `key` as an unsigned number (decimal, or hex with 0x); `dflt` if absent. A value
   that is not a number is reported with panic(). */
uint64_t arg_u64(const char *args, const char *key, uint64_t dflt);

/* ---- PSCI (Arm DEN 0022) and Xen hypercalls (hypercall.c) ---- */

#define PSCI_VERSION 0x84000000u
#define PSCI_CPU_ON 0xC4000003u
#define PSCI_SYSTEM_OFF 0x84000008u
#define PSCI_NOT_SUPPORTED (-1)

int64_t psci_call(uint32_t fn, uint64_t a1, uint64_t a2, uint64_t a3);
void psci_system_off(void) NORETURN;

/* Xen's ABI on Arm: HVC #0xEA1, number in x16, arguments x0..x4, result in x0 (negative errno). */
#define XEN_HVC_IMM 0xEA1
#define HYPERVISOR_xen_version 17
#define HYPERVISOR_console_io 18
#define HYPERVISOR_sched_op 29
#define HVLAB_evtchn_notify 0x48560001u
#define CONSOLEIO_write 0
#define SCHEDOP_yield 0
#define SCHEDOP_block 1
#define SCHEDOP_shutdown 2
#define SHUTDOWN_poweroff 0
#define SHUTDOWN_reboot 1
#define SHUTDOWN_crash 3
#define XENVER_version 0

int64_t xen_hypercall(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4);
int64_t xen_console_write(const char *buf, size_t n);
int64_t xen_version(void);               /* major << 16 | minor */
int64_t xen_sched_yield(void);
int64_t xen_shutdown(uint32_t reason);   /* returns only on failure */
/* Raises the interrupt the system file configured in the peer of local event-channel `port`. */
int64_t hvlab_evtchn_notify(unsigned port);

#endif
