/* PSCI (Arm DEN 0022) over the SMC Calling Convention's HVC conduit, and Xen's hypercalls
   (xen/include/public/arch-arm.h: HVC #0xEA1, number in x16, arguments x0..x4, result x0).
   SMCCC v1.0 lets the callee change x0..x17; Xen may change the argument registers and x16
   (debug builds poison them), so each wrapper tells the compiler exactly that. */
#include "guest.h"

int64_t psci_call(uint32_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
    register uint64_t x0 __asm__("x0") = fn;
    register uint64_t x1 __asm__("x1") = a1;
    register uint64_t x2 __asm__("x2") = a2;
    register uint64_t x3 __asm__("x3") = a3;
    __asm__ volatile("hvc #0"
                     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
                     :
                     : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15",
                       "x16", "x17", "memory");
    return (int64_t)x0;
}

void psci_system_off(void)
{
    psci_call(PSCI_SYSTEM_OFF, 0, 0, 0);
    /* SYSTEM_OFF does not return; if it ever does, stay here. */
    for (;;)
        wfi();
}

int64_t xen_hypercall(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
    register uint64_t x0 __asm__("x0") = a0;
    register uint64_t x1 __asm__("x1") = a1;
    register uint64_t x2 __asm__("x2") = a2;
    register uint64_t x3 __asm__("x3") = a3;
    register uint64_t x4 __asm__("x4") = a4;
    register uint64_t x16 __asm__("x16") = nr;
    __asm__ volatile("hvc #0xea1"
                     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x16)
                     :
                     : "memory");
    return (int64_t)x0;
}

int64_t xen_console_write(const char *buf, size_t n)
{
    return xen_hypercall(HYPERVISOR_console_io, CONSOLEIO_write, n, (uintptr_t)buf, 0, 0);
}

int64_t xen_version(void)
{
    return xen_hypercall(HYPERVISOR_xen_version, XENVER_version, 0, 0, 0, 0);
}

int64_t xen_sched_yield(void)
{
    return xen_hypercall(HYPERVISOR_sched_op, SCHEDOP_yield, 0, 0, 0, 0);
}

int64_t xen_shutdown(uint32_t reason)
{
    /* struct sched_shutdown { unsigned int reason; } (xen/include/public/sched.h) */
    static volatile uint32_t arg;
    arg = reason;
    return xen_hypercall(HYPERVISOR_sched_op, SCHEDOP_shutdown, (uintptr_t)&arg, 0, 0, 0);
}

int64_t hvlab_evtchn_notify(unsigned port)
{
    return xen_hypercall(HVLAB_evtchn_notify, port, 0, 0, 0, 0);
}
