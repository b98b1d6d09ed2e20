/* hvlab's demo guest: a bare-metal program for the `virt` board (runs the same on
   `qemu-system-aarch64 -M virt -cpu max -nographic -kernel hello.elf` and on
   `hvlab run -M virt -nographic -kernel hello.elf`). It greets, computes a few things, prints
   them, and powers the board off. Built by scripts/build-guests.mjs; hello.elf is committed. */
#include <arm_acle.h>
#include "runtime/bare.h"

static uint32_t crc32_bytes(const char *s)
{
    uint32_t crc = 0xffffffffu;
    for (; *s; s++)
        crc = __crc32b(crc, (uint8_t)*s);    /* the CRC32B instruction (Armv8 CRC extension) */
    return ~crc;
}

static uint64_t fib(unsigned n)
{
    uint64_t a = 0, b = 1;
    while (n--) {
        uint64_t t = a + b;
        a = b;
        b = t;
    }
    return a;
}

static unsigned primes_below(unsigned n)
{
    static unsigned char composite[1000];
    unsigned count = 0;
    for (unsigned i = 2; i < n; i++) {
        if (composite[i])
            continue;
        count++;
        for (unsigned j = i * i; j < n; j += i)
            composite[j] = 1;
    }
    return count;
}

static unsigned current_el(void)
{
    uint64_t el;
    __asm__ volatile("mrs %0, CurrentEL" : "=r"(el));
    return (unsigned)(el >> 2) & 3;
}

int main(void)
{
    static const char msg[] = "Hello from a bare-metal AArch64 guest!";

    puts("");
    puts("   _             _         _");
    puts("  | |__  __   __| |  __ _ | |__");
    puts("  | '_ \\ \\ \\ / /| | / _` || '_ \\");
    puts("  | | | | \\ V / | || (_| || |_) |");
    puts("  |_| |_|  \\_/  |_| \\__,_||_.__/");
    puts("");
    puts(msg);
    printf("  running at EL%u on the virt board, loaded at %p\n", current_el(), (void *)main);
    printf("  crc32(\"%s\") = 0x%08x\n", msg, crc32_bytes(msg));
    printf("  fib(90) = %llu (0x%llx)\n", (unsigned long long)fib(90), (unsigned long long)fib(90));
    printf("  primes below 1000: %u\n", primes_below(1000));
    printf("  formats: [%5d] [%-5d] [%05d] [%x] [%#x] [%lx] [%c%c] [%s]\n",
           42, 42, -42, 0xbeefu, 255u, 0xfeedfacecafebeefUL, 'o', 'k', "done");
    puts("Powering off through PSCI SYSTEM_OFF. Bye!");
    return 0;
}
