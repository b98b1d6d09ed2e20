/* The victim domain of test/hypervisor/isolation.test.ts: fills a 64 KiB pattern in its RAM,
   prints its checksum, and re-checks it in passes while the adversary domain runs beside it on
   another CPU; then prints the checksum again and how many words ever differed. The test also
   reads the pattern from host RAM at the victim's ramPa. */
#include "bare.h"

#define PATTERN_IPA 0x40800000u
#define PATTERN_WORDS (64u * 1024u / 4u)
#define PASSES 8

static inline uint32_t pattern(uint32_t i) { return (i * 0x9e3779b1u) ^ 0xa5a5a5a5u; }

static uint32_t checksum(volatile const uint32_t *p)
{
    uint32_t c = 0;
    for (uint32_t i = 0; i < PATTERN_WORDS; i++)
        c = (c << 5 | c >> 27) ^ p[i];
    return c;
}

int main(void)
{
    volatile uint32_t *p = (volatile uint32_t *)(uintptr_t)PATTERN_IPA;
    for (uint32_t i = 0; i < PATTERN_WORDS; i++)
        p[i] = pattern(i);
    uint32_t before = checksum(p);
    printf("victim: pattern at %p, checksum %08x\n", (void *)p, before);
    unsigned bad = 0;
    for (int pass = 0; pass < PASSES; pass++)
        for (uint32_t i = 0; i < PATTERN_WORDS; i++)
            if (p[i] != pattern(i))
                bad++;
    printf("victim: after %d passes checksum %08x, %u words differed\n", PASSES, checksum(p), bad);
    return 0;
}
