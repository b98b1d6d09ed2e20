/* hvlab's "task VM" example guest, for systems where several small VMs time-share a CPU
   (examples/systems/seven-vms): it takes its identity and amount of work from bootargs,
   does `steps` rounds of CPU-bound work and prints one line per round, then powers off
   (PSCI SYSTEM_OFF: under the hypervisor this ends only this domain).

   bootargs: id=N (default 0), steps=K (default 4), work=I (iterations per step, default
   200000: about a million instructions), and `times` to add the virtual counter's time (µs
   since the domain started) to each line. Without `times` the output depends on nothing but
   bootargs, so it is the same on QEMU and hvlab. */
#include "guest.h"

/* xorshift64* over `iterations` steps: cheap, deterministic work with a checkable result. */
static uint64_t work(uint64_t seed, uint64_t iterations)
{
    uint64_t x = seed | 1;
    for (uint64_t i = 0; i < iterations; i++) {
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
    }
    return x * 0x2545f4914f6cdd1dULL;
}

int main(void)
{
    const char *args = bootargs();
    unsigned id = (unsigned)arg_u64(args, "id", 0);
    unsigned steps = (unsigned)arg_u64(args, "steps", 4);
    uint64_t iterations = arg_u64(args, "work", 200000);
    int times = arg_str(args, "times", NULL, 0);

    printf("vm%u: start, %u steps of %llu iterations\n", id, steps, (unsigned long long)iterations);
    uint64_t v = 0x9e3779b97f4a7c15ULL * (id + 1);
    for (unsigned k = 1; k <= steps; k++) {
        v = work(v, iterations);
        if (times)
            printf("vm%u: step %u: 0x%016llx at %llu us\n", id, k, (unsigned long long)v,
                   (unsigned long long)vtimer_ticks_to_us(vtimer_now()));
        else
            printf("vm%u: step %u: 0x%016llx\n", id, k, (unsigned long long)v);
    }
    printf("vm%u: done\n", id);
    psci_system_off();
}
