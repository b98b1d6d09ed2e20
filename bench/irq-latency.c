/* `npm run bench`: virtual interrupt latency, seen from a guest. It arms the EL1 virtual timer
   N times, 20 us ahead, sleeps in WFI, and in the timer's interrupt handler reads CNTVCT_EL0:
   latency = CNTVCT at the handler - CNTV_CVAL (ticks of 16 ns at 62.5 MHz). On the bare board
   that is the GIC and the exception entry (instructions); as a domain it adds the hypervisor's
   path: the trapped WFI blocks the vCPU, the hypervisor's wake-up timer fires at the deadline,
   the vtimer interrupt goes into a list register with the HW bit, the vCPU is switched in —
   each step charged by the cost model (emulator/hypervisor/cost-model.ts). Built with the
   example guests' runtime (examples/guests/runtime), so the same image runs on both. */
#include "guest.h"

#define ROUNDS 1000
#define AHEAD_US 20

static volatile uint64_t deadline, latency;
static volatile int fired;

static void on_expiry(void)
{
    latency = vtimer_now() - deadline;
    fired = 1;
}

int main(void)
{
    exceptions_init();
    gic_init();
    vtimer_init(on_expiry);
    __asm__ volatile("msr daifclr, #2" ::: "memory");
    uint64_t sum = 0, min = ~0ULL, max = 0;
    for (unsigned i = 0; i < ROUNDS; i++) {
        fired = 0;
        deadline = vtimer_now() + vtimer_us_to_ticks(AHEAD_US);
        vtimer_arm_at(deadline);
        while (!fired)
            __asm__ volatile("wfi" ::: "memory");
        sum += latency;
        if (latency < min)
            min = latency;
        if (latency > max)
            max = latency;
    }
    printf("irq latency bench: %u interrupts, min %llu avg %llu.%02llu max %llu ticks\n", ROUNDS,
           (unsigned long long)min, (unsigned long long)(sum / ROUNDS),
           (unsigned long long)(sum % ROUNDS * 100 / ROUNDS), (unsigned long long)max);
    return 0;
}
