/* hvlab's inter-domain ping-pong example guest (needs the hypervisor: examples/systems/pingpong).
   Two domains share a memory region and an event channel. `ping` writes a sequence number
   into the shared page and notifies its peer (HVLAB_evtchn_notify on its local port), which
   raises the configured interrupt in `pong`; pong copies the number into the echo field and
   notifies back; ping waits (WFI) for that interrupt and the echo. After `rounds` round trips
   ping prints the count and the average round-trip latency in CNTVCT ticks, sets `stop` in the
   shared page and notifies a last time; both then power off — ping through PSCI SYSTEM_OFF,
   pong through Xen's SCHEDOP_shutdown(poweroff), so both ways out are exercised.

   bootargs: role=ping|pong, shm=ADDRESS (the region's guest address, from the system file's
   shmem gpa), port=N (this domain's event-channel port), irq=INTID (the interrupt the peer's
   notify raises here; default 31, Xen's event-channel PPI), rounds=N (ping; default 100). */
#include "guest.h"

struct shared {
    volatile uint32_t pong_ready;   /* pong: its interrupt is enabled (READY_MAGIC) */
    volatile uint32_t seq;          /* ping -> pong */
    volatile uint32_t echo;         /* pong -> ping */
    volatile uint32_t stop;         /* ping -> pong: no more messages */
};

#define READY_MAGIC 0x504f4e47u     /* "PONG" */

static volatile unsigned notifications;

static void on_event(unsigned intid)
{
    notifications++;
}

static inline void dsb(void)
{
    /* Our shared-page stores are complete before the peer is told to look (the notify is an HVC
       the hypervisor acts on at once). */
    __asm__ volatile("dsb ish" : : : "memory");
}

/* Sleeps until `*p != old` (IRQs masked around the WFI, see vtimer_sleep_until). */
static void wait_change(volatile uint32_t *p, uint32_t old, volatile uint32_t *or_flag)
{
    irq_disable();
    while (*p == old && !(or_flag && *or_flag)) {
        wfi();
        irq_enable();
        isb();
        irq_disable();
    }
    irq_enable();
}

static void notify(unsigned port, const char *who)
{
    dsb();
    int64_t r = hvlab_evtchn_notify(port);
    if (r != 0)
        panic("%s: HVLAB_evtchn_notify(port %u) failed: %lld (not under hvlab's hypervisor, or the port is not bound)\n",
              who, port, (long long)r);
}

static void ping(struct shared *sh, unsigned port, unsigned rounds)
{
    while (sh->pong_ready != READY_MAGIC)
        xen_sched_yield();
    uint64_t total = 0, worst = 0;
    for (unsigned i = 1; i <= rounds; i++) {
        uint64_t t0 = vtimer_now();
        sh->seq = i;
        notify(port, "ping");
        wait_change(&sh->echo, i - 1, NULL);
        uint64_t dt = vtimer_now() - t0;
        if (sh->echo != i)
            panic("ping: round %u: echo %u\n", i, sh->echo);
        total += dt;
        if (dt > worst)
            worst = dt;
    }
    printf("ping: %u round trips, average %llu CNTVCT ticks (%llu ns at %llu Hz), worst %llu\n", rounds,
           (unsigned long long)(total / rounds), (unsigned long long)(total * 1000000000ULL / vtimer_freq() / rounds),
           (unsigned long long)vtimer_freq(), (unsigned long long)worst);
    sh->stop = 1;
    notify(port, "ping");
    printf("ping: %u notifications received, done\n", notifications);
    psci_system_off();
}

static void pong(struct shared *sh, unsigned port)
{
    sh->pong_ready = READY_MAGIC;
    dsb();
    unsigned echoed = 0;
    uint32_t last = 0;
    for (;;) {
        wait_change(&sh->seq, last, &sh->stop);
        if (sh->stop)
            break;
        last = sh->seq;
        sh->echo = last;
        echoed++;
        notify(port, "pong");
    }
    printf("pong: echoed %u messages, %u notifications received, stopping\n", echoed, notifications);
    int64_t r = xen_shutdown(SHUTDOWN_poweroff);
    panic("pong: SCHEDOP_shutdown returned %lld\n", (long long)r);
}

int main(void)
{
    const char *args = bootargs();
    char role[8];
    if (!arg_str(args, "role", role, sizeof role) || (strcmp(role, "ping") && strcmp(role, "pong")))
        panic("pingpong: bootargs need role=ping or role=pong (got \"%s\")\n", args);
    uint64_t shm = arg_u64(args, "shm", 0);
    if (!shm || (shm & 0xfff))
        panic("%s: bootargs need shm=ADDRESS of the shared page (got \"%s\")\n", role, args);
    unsigned port = (unsigned)arg_u64(args, "port", 0);
    unsigned irq = (unsigned)arg_u64(args, "irq", 31);
    unsigned rounds = (unsigned)arg_u64(args, "rounds", 100);

    /* On the bare board HVC #0xEA1 reaches the PSCI firmware, which answers NOT_SUPPORTED. */
    int64_t v = xen_version();
    if (v < 0)
        panic("%s: xen_version failed (%lld): this guest needs hvlab's hypervisor\n", role, (long long)v);
    printf("%s: Xen interface %lld.%lld, shared page at 0x%llx, port %u, interrupt %u\n", role,
           (long long)(v >> 16), (long long)(v & 0xffff), (unsigned long long)shm, port, irq);

    exceptions_init();
    gic_init();
    irq_register(irq, on_event);
    gic_enable_irq(irq, 0xa0);
    irq_enable();

    struct shared *sh = (struct shared *)(uintptr_t)shm;
    if (role[1] == 'i')
        ping(sh, port, rounds ? rounds : 1);
    else
        pong(sh, port);
}
