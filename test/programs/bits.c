// hvlab-build: bits -mgeneral-regs-only   (no FP/SIMD at all: GCC turns the popcount idioms into the SIMD CNT instruction)
/* Bit manipulation: CLZ/CLS, RBIT, REV/REV16/REV32, count-trailing-zeros, popcount in software
   (GCC's __builtin_popcount would use the SIMD CNT instruction), bit-field extract/insert
   (UBFX/SBFX/BFI/BFXIL through C bit-fields and masks), logical immediates, EXTR. */
#include <arm_acle.h>
#include "common.h"

static unsigned popcount_sw(u64 x)
{
    x = x - ((x >> 1) & 0x5555555555555555ULL);
    x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
    x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
    return (unsigned)((x * 0x0101010101010101ULL) >> 56);
}

static unsigned popcount_loop(u64 x)
{
    unsigned n = 0;
    while (x) {
        x &= x - 1;
        n++;
    }
    return n;
}

static u64 rbit_sw(u64 x)
{
    u64 r = 0;
    for (int i = 0; i < 64; i++)
        r |= ((x >> i) & 1) << (63 - i);
    return r;
}

struct fields {
    u64 a : 3;
    u64 b : 13;
    i64 c : 7;
    u64 d : 1;
    i64 e : 20;
    u64 f : 20;
};

static u64 extr(u64 hi, u64 lo, int n)
{
    return n ? (lo >> n) | (hi << (64 - n)) : lo;
}

static void basic(void)
{
    section("clz cls ctz rbit rev popcount (64 and 32 bit)");
    for (unsigned i = 0; i < N_EDGE64; i++) {
        u64 x = OPAQUE(EDGE64[i]);
        u32 w = (u32)x;
        unsigned clz = x ? (unsigned)__builtin_clzll(x) : 64;
        unsigned ctz = x ? (unsigned)__builtin_ctzll(x) : 64;
        unsigned cls = (unsigned)__builtin_clrsbll((i64)x);
        unsigned clz32 = __clz(w), cls32 = (unsigned)__builtin_clrsb((i32)w);
        u64 rb = __rbitll(x);
        printf("%016llx clz %2u cls %2u ctz %2u pop %2u/%2u rbit %016llx%s rev %016llx rev16 %016llx\n",
               x, clz, cls, ctz, popcount_sw(x), popcount_loop(x), rb, rb == rbit_sw(x) ? "" : "!",
               (u64)__revll(x), ((x >> 8) & 0x00ff00ff00ff00ffULL) | ((x & 0x00ff00ff00ff00ffULL) << 8));
        printf("   w %08x clz %2u cls %2u rbit %08x rev %08x rev16 %08x revsh %04x rev32 %016llx\n",
               w, clz32, cls32, __rbit(w), __rev(w), __rev16(w), (uint16_t)__revsh((int16_t)w),
               ((u64)__rev((u32)x) | ((u64)__rev((u32)(x >> 32)) << 32)));
        mix(clz + cls * 64 + ctz * 4096 + rb + __revll(x));
    }
    rnd_seed(99);
    for (int i = 0; i < 300; i++) {
        u64 x = rnd() >> (rnd() & 63);
        unsigned clz = x ? (unsigned)__builtin_clzll(x) : 64;
        printf("%016llx %2u %2u %016llx %016llx\n", x, clz, popcount_sw(x), (u64)__rbitll(x), (u64)__revll(x));
        mix(x ^ clz ^ __rbitll(x));
    }
}

static void bitfields(void)
{
    section("bit-field insert/extract");
    static struct fields f[8];
    rnd_seed(7);
    for (int i = 0; i < 200; i++) {
        u64 r = rnd();
        struct fields *p = &f[i & 7];
        p->a = r;
        p->b = r >> 5;
        p->c = (i64)(r >> 20);
        p->d = r >> 63;
        p->e = (i64)r >> 33;
        p->f += r >> 44;
        u64 raw;
        memcpy(&raw, p, 8);
        printf("%3d a %llu b %5llu c %4lld d %llu e %8lld f %7llu raw %016llx\n", i,
               (u64)p->a, (u64)p->b, (i64)p->c, (u64)p->d, (i64)p->e, (u64)p->f, raw);
        mix(raw);
    }
    /* Explicit field operations with masks and shifts (UBFX/SBFX/UBFIZ/SBFIZ/BFI/BFXIL). */
    for (unsigned i = 0; i < N_EDGE64; i++) {
        u64 x = OPAQUE(EDGE64[i]), y = OPAQUE(EDGE64[(i + 5) % N_EDGE64]);
        u64 ubfx = (x >> 13) & 0x7ff;
        i64 sbfx = ((i64)(x << 20)) >> 50;
        u64 ubfiz = (x & 0x3fff) << 9;
        i64 sbfiz = (i64)(int16_t)x << 7;
        u64 bfi = (y & ~(0xffULL << 24)) | ((x & 0xff) << 24);
        u64 bfxil = (y & ~0xfffULL) | ((x >> 40) & 0xfff);
        u32 w = (u32)x;
        u32 wbfi = ((u32)y & ~0x7c0u) | ((w & 0x1f) << 6);
        printf("%016llx ubfx %03llx sbfx %016llx ubfiz %016llx sbfiz %016llx bfi %016llx bfxil %016llx wbfi %08x\n",
               x, ubfx, (u64)sbfx, ubfiz, (u64)sbfiz, bfi, bfxil, wbfi);
        mix(ubfx ^ (u64)sbfx ^ ubfiz ^ (u64)sbfiz ^ bfi ^ bfxil ^ wbfi);
    }
}

static void logical(void)
{
    section("logical ops: immediates, shifted registers, bic/orn/eon, extr");
    for (unsigned i = 0; i < N_EDGE64; i++) {
        u64 x = OPAQUE(EDGE64[i]), y = OPAQUE(EDGE64[(i * 3 + 1) % N_EDGE64]);
        printf("%016llx and %016llx orr %016llx eor %016llx tst %d bic %016llx orn %016llx eon %016llx\n",
               x, x & 0x00ff00ff00ff00ffULL, x | 0x5555555555555555ULL, x ^ 0xfffffffffffff000ULL,
               (x & 0x8000000000000001ULL) != 0, y & ~(x << 3), y | ~(x >> 9), y ^ ~((i64)x >> 15));
        printf("   w: and %08x orr %08x eor %08x ror-and %016llx extr %016llx %016llx %016llx\n",
               (u32)x & 0x3c3c3c3cu, (u32)x | 0x80000001u, (u32)x ^ 0x0000ffffu,
               x & ((y >> 27) | (y << 37)), extr(x, y, 1), extr(x, y, 37), extr(y, x, 63));
        mix(x & 0x00ff00ff00ff00ffULL);
        mix(extr(x, y, 37));
    }
}

int main(void)
{
    basic();
    bitfields();
    logical();
    finish("bits");
    return 0;
}
