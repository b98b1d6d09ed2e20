/* String formatting through the runtime's printf/snprintf: every conversion, flag, width,
   precision and length modifier, plus a decimal/hex round trip (the division and remainder
   paths of number formatting for every magnitude). */
#include "common.h"

static u64 parse_u64(const char *s, unsigned base)
{
    u64 v = 0;
    for (; *s; s++) {
        unsigned d = *s <= '9' ? (unsigned)(*s - '0') : (unsigned)((*s | 32) - 'a' + 10);
        v = v * base + d;
    }
    return v;
}

int main(void)
{
    section("conversions");
    static const i64 vals[] = { 0, 1, -1, 42, -42, 127, -128, 255, 32767, -32768, 65535, 2147483647, -2147483647 - 1,
                                4294967295LL, 9223372036854775807LL, -9223372036854775807LL - 1, 1234567890123LL };
    for (unsigned i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
        i64 v = OPAQUE(vals[i]);
        printf("[%d] [%u] [%x] [%X] [%o] [%ld] [%lu] [%lx] [%lld] [%llu] [%llo]\n",
               (int)v, (unsigned)v, (unsigned)v, (unsigned)v, (unsigned)v, (long)v, (unsigned long)v, (unsigned long)v, v, (u64)v, (u64)v);
        printf("  [%hd] [%hu] [%hx] [%hhd] [%hhu] [%hhx] [%zu] [%td] [%jd]\n",
               (short)v, (unsigned short)v, (unsigned short)v, (signed char)v, (unsigned char)v, (unsigned char)v,
               (size_t)v, (ptrdiff_t)v, (long)v);
        printf("  [%12d] [%-12d] [%012d] [%+d] [% d] [%+012lld] [%.5d] [%8.3d] [%-8.3d|] [%#x] [%#o] [%#X]\n",
               (int)v, (int)v, (int)v, (int)v, (int)v, v, (int)v, (int)v, (int)v, (unsigned)v, (unsigned)v, (unsigned)v);
        mix((u64)v);
    }
    section("strings, chars, pointers, star widths");
    const char *strs[] = { "", "a", "hello", "hvlab bare-metal", 0 };
    for (int i = 0; i < 5; i++)
        printf("[%s] [%10s] [%-10s] [%.3s] [%*s] [%-*.*s]\n", strs[i], strs[i], strs[i], strs[i], 7, strs[i], 9, 2, strs[i]);
    for (int c = 32; c < 127; c += 5) printf("[%c][%3c][%-3c]", c, c, c);
    puts("");
    printf("[%p] [%p] [%20p] [%-20p|] [%%] [%5%]\n", (void *)0x40200000UL, (void *)0, (void *)0xffff000012345678UL, (void *)main);

    section("snprintf truncation");
    char buf[16];
    for (int n = 0; n <= 16; n += 3) {
        memset(buf, '#', sizeof(buf));
        int r = snprintf(buf, (size_t)n, "%s-%d-%x", "truncate", 12345, 0xabcdu);
        buf[15] = 0;
        printf("size %2d -> %2d [%s]\n", n, r, n ? buf : "(untouched)");
    }

    section("decimal and hex round trips");
    rnd_seed(4242);
    unsigned bad = 0;
    for (int i = 0; i < 3000; i++) {
        u64 v = rnd() >> (rnd() % 64);
        char d[32], x[32], o[32];
        snprintf(d, sizeof(d), "%llu", v);
        snprintf(x, sizeof(x), "%llx", v);
        snprintf(o, sizeof(o), "%llo", v);
        if (parse_u64(d, 10) != v || parse_u64(x, 16) != v || parse_u64(o, 8) != v) bad++;
        mix(v);
        if (i % 100 == 0) printf("%20s %16s %22s\n", d, x, o);
    }
    printf("round-trip failures: %u\n", bad);
    finish("format");
    return 0;
}
