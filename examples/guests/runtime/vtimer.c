/* The EL1 virtual timer of the generic timer (Arm ARM D11 "The Generic Timer"): CNTVCT_EL0 counts
   at CNTFRQ_EL0; with CNTV_CTL_EL0.ENABLE = 1 and IMASK = 0 the timer asserts PPI 27 (level)
   while CNTVCT >= CNTV_CVAL_EL0. The interrupt handler disables the timer before the end of
   interrupt, so the level is gone when the GIC is told the interrupt is over; the callback may
   arm it again. The virtual timer is the one a hypervisor gives its guests (their CNTVCT runs
   from the domain's start; the physical timer is the hypervisor's). */
#include "guest.h"

#define CNTV_CTL_ENABLE 1u

static void (*expiry)(void);

uint64_t vtimer_freq(void)
{
    return read_sysreg(cntfrq_el0);
}

uint64_t vtimer_now(void)
{
    /* Without the ISB the counter may be read ahead of earlier instructions (Arm ARM D11.2.2). */
    isb();
    return read_sysreg(cntvct_el0);
}

uint64_t vtimer_us_to_ticks(uint64_t us)
{
    return us * vtimer_freq() / 1000000;
}

uint64_t vtimer_ticks_to_us(uint64_t ticks)
{
    return ticks * 1000000 / vtimer_freq();
}

void vtimer_arm_at(uint64_t cval)
{
    write_sysreg(cntv_cval_el0, cval);
    write_sysreg(cntv_ctl_el0, CNTV_CTL_ENABLE);
    isb();
}

void vtimer_stop(void)
{
    write_sysreg(cntv_ctl_el0, 0);
    isb();
}

static void vtimer_irq(unsigned intid)
{
    vtimer_stop();
    if (expiry)
        expiry();
}

void vtimer_init(void (*on_expiry)(void))
{
    expiry = on_expiry;
    vtimer_stop();
    irq_register(VTIMER_INTID, vtimer_irq);
    gic_enable_irq(VTIMER_INTID, 0xa0);
}

void vtimer_sleep_until(uint64_t until)
{
    /* WFI with IRQs masked, then unmask to take the interrupt: a pending interrupt wakes WFI
       whether or not PSTATE.I masks it (Arm ARM D1.16.2), so an expiry between the check and the
       WFI cannot be missed (with IRQs unmasked it would be taken there, and the WFI would sleep
       with no timer armed). */
    irq_disable();
    while (vtimer_now() < until) {
        vtimer_arm_at(until);
        wfi();
        irq_enable();
        isb();
        irq_disable();
    }
    vtimer_stop();
    irq_enable();
}
