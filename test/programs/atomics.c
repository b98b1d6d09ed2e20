// hvlab-build: atomics-llsc   (load/store exclusive loops: LDXR/STXR, LDAXR/STLXR, LDXP/STXP)
// hvlab-build: atomics-lse -march=armv8.1-a+crc   (LSE: LDADD, LDCLR, LDEOR, LDSET, SWP, CAS, CASP, LDSMAX...)
/* GCC's __atomic builtins on 8/16/32/64/128-bit objects: fetch-and-op, op-and-fetch, exchange,
   compare-exchange (success and failure), acquire/release loads and stores, fences. Built twice:
   once for Armv8.0 (exclusive-monitor loops, inline thanks to -mno-outline-atomics) and once for
   Armv8.1 (the LSE instructions). Both must print the same. */
#include "common.h"

#define TEST_OPS(T, name, v0, operands)                                                         \
    do {                                                                                        \
        static volatile T obj;                                                                  \
        static const u64 ops[] = operands;                                                      \
        __atomic_store_n(&obj, (T)(v0), __ATOMIC_RELEASE);                                      \
        u64 h = 0;                                                                              \
        for (unsigned i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {                          \
            T x = (T)OPAQUE(ops[i]), r[8];                                                      \
            r[0] = __atomic_fetch_add(&obj, x, __ATOMIC_SEQ_CST);                               \
            r[1] = __atomic_fetch_sub(&obj, x >> 1, __ATOMIC_ACQUIRE);                          \
            r[2] = __atomic_fetch_and(&obj, ~(x << 3), __ATOMIC_RELEASE);                       \
            r[3] = __atomic_fetch_or(&obj, x & 0x1111, __ATOMIC_RELAXED);                       \
            r[4] = __atomic_fetch_xor(&obj, x, __ATOMIC_ACQ_REL);                               \
            r[5] = __atomic_add_fetch(&obj, 3, __ATOMIC_SEQ_CST);                               \
            r[6] = __atomic_exchange_n(&obj, (T)(r[5] * 5 + x), __ATOMIC_SEQ_CST);              \
            r[7] = __atomic_load_n(&obj, __ATOMIC_ACQUIRE);                                     \
            printf("%-4s %2u", name, i);                                                       \
            for (int k = 0; k < 8; k++) { printf(" %llx", (u64)r[k]); h = h * 31 + (u64)r[k]; } \
            puts("");                                                                           \
        }                                                                                       \
        printf("%s final %llx hash %016llx\n", name, (u64)obj, h);                              \
        mix(h);                                                                                 \
    } while (0)

#define OPERANDS { 0, 1, 0xff, 0x80, 0x7fff, 0x8001, 0xffffffff, 0x80000000, 0x123456789abcdef0ULL, \
                   0xffffffffffffffffULL, 0x8000000000000000ULL, 0x5a5a5a5a5a5a5a5aULL, 17, 0xfedcba9876543210ULL }

#define TEST_CAS(T, name)                                                                       \
    do {                                                                                        \
        static volatile T obj;                                                                  \
        obj = (T)0x1122334455667788ULL;                                                          \
        T expected = (T)0x1122334455667788ULL;                                                  \
        int ok1 = __atomic_compare_exchange_n(&obj, &expected, (T)0xa5a5a5a5a5a5a5a5ULL, 0,     \
                                              __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);              \
        T e2 = (T)0x1122334455667788ULL;                                                        \
        int ok2 = __atomic_compare_exchange_n(&obj, &e2, (T)1, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED); \
        T e3 = obj;                                                                             \
        int ok3 = __atomic_compare_exchange_n(&obj, &e3, (T)(e3 + 1), 1, __ATOMIC_RELEASE, __ATOMIC_RELAXED); \
        T old = __sync_val_compare_and_swap(&obj, (T)(e3 + 1), (T)7);                          \
        int ok4 = __sync_bool_compare_and_swap(&obj, (T)8, (T)9);                               \
        printf("%-4s cas %d %d(%llx) %d %llx %d final %llx\n", name, ok1, ok2, (u64)e2, ok3,   \
               (u64)old, ok4, (u64)obj);                                                        \
        mix((u64)obj + (u64)e2 + ok1 + ok2 * 2 + ok3 * 4 + ok4 * 8);                            \
    } while (0)

static void counters(void)
{
    section("counter loops");
    static volatile u64 c64;
    static volatile u32 c32;
    static volatile uint16_t c16;
    static volatile uint8_t c8;
    for (int i = 0; i < 5000; i++) {
        __atomic_fetch_add(&c64, (u64)i * 0x100000001ULL, __ATOMIC_RELAXED);
        __atomic_fetch_add(&c32, (u32)i, __ATOMIC_RELAXED);
        __atomic_fetch_sub(&c16, 3, __ATOMIC_RELAXED);
        __atomic_fetch_xor(&c8, (uint8_t)i, __ATOMIC_RELAXED);
        if ((i & 1023) == 0) __atomic_thread_fence(__ATOMIC_SEQ_CST);
    }
    printf("c64 %llx c32 %x c16 %x c8 %x\n", c64, c32, c16, c8);
    mix(c64 + c32 + c16 + c8);

    /* A spinlock-protected update (test-and-set and release store). */
    static volatile int lock;
    static u64 shared;
    for (int i = 0; i < 1000; i++) {
        while (__atomic_test_and_set(&lock, __ATOMIC_ACQUIRE)) {}
        shared = shared * 3 + (u64)i;
        __atomic_clear(&lock, __ATOMIC_RELEASE);
    }
    printf("spinlock result %016llx lock %d\n", shared, lock);
    mix(shared);
}

static void wide(void)
{
    section("128-bit compare-and-swap");
    static volatile unsigned __int128 q;
    q = ((unsigned __int128)0x0123456789abcdefULL << 64) | 0xfedcba9876543210ULL;
    for (int i = 0; i < 6; i++) {
        unsigned __int128 exp = q;
        if (i & 1) exp ^= 1;    /* odd rounds fail */
        unsigned __int128 want = (exp << 1) | (exp >> 127);
        unsigned __int128 old = __sync_val_compare_and_swap(&q, exp, want);
        unsigned __int128 now = q;
        printf("round %d: old %016llx%016llx now %016llx%016llx %s\n", i, (u64)(old >> 64), (u64)old,
               (u64)(now >> 64), (u64)now, old == exp ? "swapped" : "kept");
        mix((u64)now ^ (u64)(now >> 64));
    }
}

#if defined(__ARM_FEATURE_ATOMICS)
/* LSE-only operations GCC does not generate from C: signed/unsigned min and max. */
#define LDOP(op, sz, reg) ({ u64 _o; __asm__ volatile(op sz " %" reg "2, %" reg "0, [%1]" : "=&r"(_o) : "r"(p), "r"(v) : "memory"); _o; })
static void minmax_ops(u64 *p, u64 v, u64 out[4])
{
    out[0] = LDOP("ldsmax", "", "x");
    out[1] = LDOP("ldsmin", "al", "x");
    out[2] = LDOP("ldumax", "a", "x");
    out[3] = LDOP("ldumin", "l", "x");
}
#else
static void minmax_ops(u64 *p, u64 v, u64 out[4])
{
    /* The same operations as compare-exchange loops. */
    u64 o = __atomic_load_n(p, __ATOMIC_RELAXED);
    while (!__atomic_compare_exchange_n(p, &o, (i64)o > (i64)v ? o : v, 1, __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {}
    out[0] = o;
    o = __atomic_load_n(p, __ATOMIC_RELAXED);
    while (!__atomic_compare_exchange_n(p, &o, (i64)o < (i64)v ? o : v, 1, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {}
    out[1] = o;
    o = __atomic_load_n(p, __ATOMIC_RELAXED);
    while (!__atomic_compare_exchange_n(p, &o, o > v ? o : v, 1, __ATOMIC_ACQUIRE, __ATOMIC_ACQUIRE)) {}
    out[2] = o;
    o = __atomic_load_n(p, __ATOMIC_RELAXED);
    while (!__atomic_compare_exchange_n(p, &o, o < v ? o : v, 1, __ATOMIC_RELEASE, __ATOMIC_RELAXED)) {}
    out[3] = o;
}
#endif

static void minmax(void)
{
    section("atomic min/max");
    static u64 cell = 0x4000000000000000ULL;
    for (unsigned i = 0; i < N_EDGE64; i++) {
        u64 out[4];
        minmax_ops(&cell, OPAQUE(EDGE64[i]), out);
        printf("%016llx: %016llx %016llx %016llx %016llx -> %016llx\n", EDGE64[i], out[0], out[1], out[2], out[3], cell);
        mix(cell ^ out[0] ^ out[2]);
        cell ^= EDGE64[(i + 3) % N_EDGE64];
    }
}

int main(void)
{
    section("fetch-and-op by width");
    TEST_OPS(uint8_t, "u8", 0x5a, OPERANDS);
    TEST_OPS(uint16_t, "u16", 0x1234, OPERANDS);
    TEST_OPS(u32, "u32", 0x89abcdef, OPERANDS);
    TEST_OPS(u64, "u64", 0x0123456789abcdefULL, OPERANDS);
    section("compare-exchange by width");
    TEST_CAS(uint8_t, "u8");
    TEST_CAS(uint16_t, "u16");
    TEST_CAS(u32, "u32");
    TEST_CAS(u64, "u64");
    counters();
    wide();
    minmax();
    finish("atomics");
    return 0;
}
