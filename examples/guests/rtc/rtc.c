/* hvlab's RTC example guest: reads the PL031 real-time clock (ARM DDI 0224, PrimeCell RTC) at
   0x09010000 — passed through to this domain by the system file (iomem ["9010,1"], irqs [34]) —
   and prints the date and time (UTC) three times: at start, after sleeping one second on the
   virtual timer, and after waiting for the RTC's own match interrupt (RTCMR = now + 1 s,
   RTCIMSC, SPI 2 = INTID 34). Then it powers off.

   The PL031 counts seconds since 1970 (RTCDR). QEMU's reads the host clock, hvlab's starts at a
   fixed epoch and follows virtual time, so the dates are comparable only on hvlab, where the run
   is deterministic. */
#include "guest.h"

#define RTC_BASE 0x09010000UL
#define RTCDR 0x00
#define RTCMR 0x04
#define RTCIMSC 0x10
#define RTCRIS 0x14
#define RTCICR 0x1c
#define RTC_PERIPHID0 0xfe0
#define RTC_INTID 34

static volatile int alarm_fired;

static void rtc_irq(unsigned intid)
{
    /* Clear the match interrupt (RTCICR) so the level drops before the end of interrupt. */
    mmio_write32(RTC_BASE + RTCICR, 1);
    alarm_fired = 1;
}

/* Days since 1970-01-01 to a civil date (proleptic Gregorian), after Howard Hinnant's
   days_from_civil inverse. */
static void civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)(yoe + era * 400) + (*m <= 2);
}

static uint32_t print_time(const char *when)
{
    uint32_t t = mmio_read32(RTC_BASE + RTCDR);
    int y;
    unsigned mo, d;
    civil_from_days(t / 86400, &y, &mo, &d);
    unsigned s = t % 86400;
    printf("rtc: %04d-%02u-%02u %02u:%02u:%02u UTC (%s)\n", y, mo, d, s / 3600, s / 60 % 60, s % 60, when);
    return t;
}

int main(void)
{
    exceptions_init();
    gic_init();
    vtimer_init(NULL);

    uint32_t id = 0;
    for (unsigned i = 0; i < 4; i++)
        id |= (mmio_read32(RTC_BASE + RTC_PERIPHID0 + 4 * i) & 0xff) << (8 * i);
    printf("rtc: PL031 at 0x%08lx, peripheral id 0x%08x\n", RTC_BASE, id);

    print_time("start");
    vtimer_sleep_until(vtimer_now() + vtimer_freq());
    print_time("after 1 s on the virtual timer");

    /* The match interrupt: RTCMR = the next second, unmask it (RTCIMSC), wait for INTID 34. */
    irq_register(RTC_INTID, rtc_irq);
    gic_enable_irq(RTC_INTID, 0xa0);
    uint32_t now = mmio_read32(RTC_BASE + RTCDR);
    mmio_write32(RTC_BASE + RTCICR, 1);
    mmio_write32(RTC_BASE + RTCMR, now + 1);
    mmio_write32(RTC_BASE + RTCIMSC, 1);
    irq_disable();
    while (!alarm_fired) {
        wfi();
        irq_enable();
        isb();
        irq_disable();
    }
    irq_enable();
    mmio_write32(RTC_BASE + RTCIMSC, 0);
    print_time("after the RTC match interrupt");
    puts("rtc: done");
    psci_system_off();
}
