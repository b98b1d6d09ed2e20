/* Integer arithmetic edge cases: add/sub/mul/div in 32 and 64 bits, high multiplies, division
   by zero and INT64_MIN / -1 (through inline asm: undefined behaviour in C), overflow checks,
   variable shifts with every amount, extensions, multiply-add forms, min/max/abs. */
#include "common.h"

static u64 udiv64(u64 a, u64 b) { u64 r; __asm__ volatile("udiv %0, %1, %2" : "=r"(r) : "r"(a), "r"(b)); return r; }
static i64 sdiv64(i64 a, i64 b) { i64 r; __asm__ volatile("sdiv %0, %1, %2" : "=r"(r) : "r"(a), "r"(b)); return r; }
static u32 udiv32(u32 a, u32 b) { u32 r; __asm__ volatile("udiv %w0, %w1, %w2" : "=r"(r) : "r"(a), "r"(b)); return r; }
static i32 sdiv32(i32 a, i32 b) { i32 r; __asm__ volatile("sdiv %w0, %w1, %w2" : "=r"(r) : "r"(a), "r"(b)); return r; }
static u64 umulh(u64 a, u64 b) { u64 r; __asm__ volatile("umulh %0, %1, %2" : "=r"(r) : "r"(a), "r"(b)); return r; }
static i64 smulh(i64 a, i64 b) { i64 r; __asm__ volatile("smulh %0, %1, %2" : "=r"(r) : "r"(a), "r"(b)); return r; }
static u64 lslv(u64 a, u64 s) { u64 r; __asm__ volatile("lsl %0, %1, %2" : "=r"(r) : "r"(a), "r"(s)); return r; }
static u64 lsrv(u64 a, u64 s) { u64 r; __asm__ volatile("lsr %0, %1, %2" : "=r"(r) : "r"(a), "r"(s)); return r; }
static u64 asrv(u64 a, u64 s) { u64 r; __asm__ volatile("asr %0, %1, %2" : "=r"(r) : "r"(a), "r"(s)); return r; }
static u64 rorv(u64 a, u64 s) { u64 r; __asm__ volatile("ror %0, %1, %2" : "=r"(r) : "r"(a), "r"(s)); return r; }
static u32 lslv32(u32 a, u64 s) { u32 r; __asm__ volatile("lsl %w0, %w1, %w2" : "=r"(r) : "r"(a), "r"(s)); return r; }
static u32 asrv32(u32 a, u64 s) { u32 r; __asm__ volatile("asr %w0, %w1, %w2" : "=r"(r) : "r"(a), "r"(s)); return r; }
static u32 rorv32(u32 a, u64 s) { u32 r; __asm__ volatile("ror %w0, %w1, %w2" : "=r"(r) : "r"(a), "r"(s)); return r; }

static void add_sub(void)
{
    section("add/sub 64 and 32, with overflow");
    for (unsigned i = 0; i < N_EDGE64; i++) {
        for (unsigned j = 0; j < N_EDGE64; j += 3) {
            u64 a = OPAQUE(EDGE64[i]), b = OPAQUE(EDGE64[j]);
            i64 so, sd;
            u64 uo;
            int ov_add = __builtin_add_overflow((i64)a, (i64)b, &so);
            int ov_sub = __builtin_sub_overflow((i64)a, (i64)b, &sd);
            int c_add = __builtin_add_overflow(a, b, &uo);
            u32 a32 = (u32)a, b32 = (u32)b;
            i32 s32;
            int ov32 = __builtin_add_overflow((i32)a32, (i32)b32, &s32);
            printf("%016llx %016llx add %016llx sub %016llx v%d%d c%d | %08x %08x v%d %08x\n",
                   a, b, a + b, a - b, ov_add, ov_sub, c_add, a32 + b32, a32 - b32, ov32, (u32)-a32);
            mix(a + b);
            mix(a - b);
        }
    }
}

static void multiply(void)
{
    section("mul, umulh, smulh, widening and multiply-add");
    for (unsigned i = 0; i < N_EDGE64; i++) {
        for (unsigned j = 0; j < N_EDGE64; j += 2) {
            u64 a = OPAQUE(EDGE64[i]), b = OPAQUE(EDGE64[j]), c = OPAQUE(EDGE64[(i + j) % N_EDGE64]);
            u64 mul = a * b, mh = umulh(a, b);
            i64 sh = smulh((i64)a, (i64)b);
            u64 madd = a * b + c, msub = c - a * b;
            i64 smull = (i64)(i32)a * (i64)(i32)b;
            u64 umull = (u64)(u32)a * (u64)(u32)b;
            i64 smaddl = (i64)(i32)a * (i64)(i32)b + (i64)c;
            u64 umsubl = c - (u64)(u32)a * (u64)(u32)b;
            u32 mul32 = (u32)a * (u32)b;
            i64 mo;
            int ov = __builtin_mul_overflow((i64)a, (i64)b, &mo);
            printf("%016llx*%016llx = %016llx hi %016llx shi %016llx madd %016llx msub %016llx\n"
                   "   smull %016llx umull %016llx smaddl %016llx umsubl %016llx mul32 %08x ov %d\n",
                   a, b, mul, mh, (u64)sh, madd, msub, (u64)smull, umull, (u64)smaddl, umsubl, mul32, ov);
            mix(mul ^ mh ^ (u64)sh ^ madd ^ msub ^ (u64)smull ^ umull);
        }
    }
}

static void divide(void)
{
    section("udiv, sdiv (incl. /0 and INT_MIN/-1), remainders");
    for (unsigned i = 0; i < N_EDGE64; i++) {
        for (unsigned j = 0; j < N_EDGE64; j++) {
            u64 a = OPAQUE(EDGE64[i]), b = OPAQUE(EDGE64[j]);
            u64 uq = udiv64(a, b);
            i64 sq = sdiv64((i64)a, (i64)b);
            u64 ur = a - uq * b;                    /* msub, as a compiler would for % */
            u64 sr = (u64)((i64)a - sq * (i64)b);
            u32 uq32 = udiv32((u32)a, (u32)b);
            i32 sq32 = sdiv32((i32)a, (i32)b);
            printf("%016llx/%016llx u %016llx r %016llx s %016llx r %016llx | %08x %08x\n",
                   a, b, uq, ur, (u64)sq, sr, uq32, (u32)sq32);
            mix(uq ^ ur ^ (u64)sq ^ sr ^ uq32 ^ (u64)sq32);
        }
    }
    /* C division (the compiler's own sequences, including constant divisors). */
    for (unsigned i = 0; i < N_EDGE64; i++) {
        u64 a = OPAQUE(EDGE64[i]);
        i64 s = (i64)a;
        if (s == (i64)0x8000000000000000ULL) s = 0x7fffffffffffffffLL;
        printf("%016llx /3 %016llx /7 %016llx /10 %016llx %%10 %llu s/3 %lld s/-5 %lld s%%7 %lld s/16 %lld\n",
               a, a / 3, a / 7, a / 10, a % 10, s / 3, s / -5, s % 7, s / 16);
        mix(a / 3 + a / 10 + (u64)(s / 3));
    }
}

static void shifts(void)
{
    section("variable shifts, every amount (amount taken modulo the width)");
    static const u64 vals[] = { 0x8000000000000001ULL, 0xdeadbeefcafebabeULL, 0x0123456789abcdefULL, 1 };
    for (unsigned v = 0; v < 4; v++) {
        for (u64 s = 0; s < 80; s++) {
            u64 a = OPAQUE(vals[v]), sh = OPAQUE(s);
            printf("%2llu lsl %016llx lsr %016llx asr %016llx ror %016llx | %08x %08x %08x\n", s,
                   lslv(a, sh), lsrv(a, sh), asrv(a, sh), rorv(a, sh),
                   lslv32((u32)a, sh), asrv32((u32)(a >> 32), sh), rorv32((u32)a, sh));
            mix(lslv(a, sh) ^ lsrv(a, sh) ^ asrv(a, sh) ^ rorv(a, sh));
        }
    }
    /* Shifts by constants (UBFM/SBFM/EXTR aliases). */
    for (unsigned i = 0; i < N_EDGE64; i++) {
        u64 a = OPAQUE(EDGE64[i]);
        i64 s = (i64)a;
        u32 w = (u32)a;
        printf("%016llx <<13 %016llx >>7 %016llx s>>41 %016llx w<<3 %08x w>>29 %08x ws>>31 %08x rot17 %016llx\n",
               a, a << 13, a >> 7, (u64)(s >> 41), w << 3, w >> 29, (u32)((i32)w >> 31), (a >> 17) | (a << 47));
        mix(a << 13 ^ a >> 7);
    }
}

static void extend(void)
{
    section("sign/zero extension and extended-register arithmetic");
    for (unsigned i = 0; i < N_EDGE64; i++) {
        u64 a = OPAQUE(EDGE64[i]), b = OPAQUE(EDGE64[(i * 7 + 3) % N_EDGE64]);
        printf("%016llx sxtb %016llx sxth %016llx sxtw %016llx uxtb %016llx uxth %016llx uxtw %016llx\n",
               a, (u64)(i64)(int8_t)a, (u64)(i64)(int16_t)a, (u64)(i64)(i32)a,
               (u64)(uint8_t)a, (u64)(uint16_t)a, (u64)(u32)a);
        printf("   +sxtw %016llx +uxtw<<2 %016llx -sxth %016llx +uxtb<<1 %016llx\n",
               b + (u64)(i64)(i32)a, b + ((u64)(u32)a << 2), b - (u64)(i64)(int16_t)a, b + ((u64)(uint8_t)a << 1));
        mix((u64)(i64)(int8_t)a + (u64)(i64)(int16_t)a + (u64)(i64)(i32)a);
    }
}

static void minmax(void)
{
    section("min/max/abs/sign/compare");
    for (unsigned i = 0; i < N_EDGE64; i++) {
        for (unsigned j = 0; j < N_EDGE64; j += 5) {
            i64 a = (i64)OPAQUE(EDGE64[i]), b = (i64)OPAQUE(EDGE64[j]);
            u64 ua = (u64)a, ub = (u64)b;
            i64 smin = a < b ? a : b, smax = a > b ? a : b;
            u64 umin = ua < ub ? ua : ub, umax = ua > ub ? ua : ub;
            i64 abs = a < 0 ? -(u64)a : (u64)a;
            int sign = (a > 0) - (a < 0);
            int cmp = (a < b) * 1 + (a <= b) * 2 + (ua < ub) * 4 + (ua <= ub) * 8 + (a == b) * 16 + ((i32)a < (i32)b) * 32;
            printf("%016llx %016llx smin %016llx smax %016llx umin %016llx umax %016llx abs %016llx sg %d cmp %02x\n",
                   ua, ub, (u64)smin, (u64)smax, umin, umax, (u64)abs, sign, cmp);
            mix((u64)smin ^ (u64)smax ^ umin ^ umax ^ cmp);
        }
    }
}

static void random_mix(void)
{
    section("random expression mix");
    rnd_seed(12345);
    u64 acc = 0;
    for (int i = 0; i < 4000; i++) {
        u64 a = rnd(), b = rnd();
        unsigned op = (unsigned)(a >> 60);
        u64 r;
        switch (op) {
        case 0: r = a + b; break;
        case 1: r = a - (b >> 3); break;
        case 2: r = a * b; break;
        case 3: r = udiv64(a, b >> (a & 63)); break;
        case 4: r = (u64)sdiv64((i64)a, (i64)(b >> 40) - 8000000); break;
        case 5: r = a ^ (b << (a & 31)); break;
        case 6: r = a & ~b; break;
        case 7: r = a | (b >> 17); break;
        case 8: r = umulh(a, b); break;
        case 9: r = (u64)smulh((i64)a, (i64)b); break;
        case 10: r = (u32)a * (u64)(u32)b; break;
        case 11: r = (u64)((i64)a >> (b & 63)); break;
        case 12: r = ~(a ^ b); break;
        case 13: r = (a > b) ? a - b : b - a; break;
        case 14: r = (u64)(i32)(a + b); break;
        default: r = (a << 7) + (a >> 9) + b; break;
        }
        acc = acc * 31 + r;
        mix(r);
        if (i % 50 == 0)
            printf("%4d op%2u %016llx %016llx -> %016llx acc %016llx\n", i, op, a, b, r, acc);
    }
}

int main(void)
{
    add_sub();
    multiply();
    divide();
    shifts();
    extend();
    minmax();
    random_mix();
    finish("arith");
    return 0;
}
