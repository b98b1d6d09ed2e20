/* hvlab's ARINC 653 example guest (examples/systems/arinc653): it spins reading the virtual
   counter, and whenever two readings are further apart than `gap_us` it was descheduled in
   between — a new time window has begun — and it prints "<name>: window <k> starts at <t> us"
   (t: the virtual counter, µs). The first window is the one it starts in. After `windows`
   windows it powers off (PSCI SYSTEM_OFF ends the domain). If no window change comes within
   `timeout_ms` of running, the CPU is not being time-partitioned (a bare board, say): it says
   so and powers off.

   bootargs: name=NAME (default "window"), windows=M (default 4), gap_us=G (default 500),
   timeout_ms=T (default 100). The times depend on the schedule, so this output is compared
   only under the hypervisor. */
#include "guest.h"

int main(void)
{
    const char *args = bootargs();
    char name[32];
    if (!arg_str(args, "name", name, sizeof name))
        strcpy(name, "window");
    unsigned windows = (unsigned)arg_u64(args, "windows", 4);
    uint64_t gap = vtimer_us_to_ticks(arg_u64(args, "gap_us", 500));
    uint64_t timeout = vtimer_us_to_ticks(arg_u64(args, "timeout_ms", 100) * 1000);

    uint64_t start = vtimer_now(), prev = start;
    unsigned k = 1;
    printf("%s: window %u starts at %llu us\n", name, k, (unsigned long long)vtimer_ticks_to_us(start));
    while (k < windows) {
        uint64_t t = vtimer_now();
        if (t - prev > gap) {
            k++;
            start = t;
            printf("%s: window %u starts at %llu us\n", name, k, (unsigned long long)vtimer_ticks_to_us(t));
        } else if (t - start > timeout) {
            printf("%s: no window change in %llu ms: not time-partitioned\n", name,
                   (unsigned long long)vtimer_ticks_to_us(timeout) / 1000);
            break;
        }
        prev = t;
    }
    printf("%s: done\n", name);
    psci_system_off();
}
