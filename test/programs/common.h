/* Shared helpers for hvlab's bare-metal test programs (see test/diff/programs.test.ts).
   Everything here is deterministic: the same output on QEMU and on hvlab, byte for byte. */
#ifndef HVLAB_TEST_COMMON_H
#define HVLAB_TEST_COMMON_H

#include "bare.h"

typedef unsigned long long u64;
typedef long long i64;
typedef unsigned int u32;
typedef int i32;

/* Values that exercise carries, signs and the 32/64-bit boundary. */
static const u64 EDGE64[] = {
    0, 1, 2, 3, 7, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff,
    0x7fffffffULL, 0x80000000ULL, 0xffffffffULL, 0x100000000ULL, 0x100000001ULL,
    0x7fffffffffffffffULL, 0x8000000000000000ULL, 0x8000000000000001ULL,
    0xfffffffffffffffeULL, 0xffffffffffffffffULL, 0xfffffffffffffff9ULL,
    0xdeadbeefcafebabeULL, 0x123456789abcdef0ULL, 0x00000000fffffffeULL, 0xffffffff00000000ULL,
};
#define N_EDGE64 (sizeof(EDGE64) / sizeof(EDGE64[0]))

/* xorshift64*: a deterministic pseudo-random stream. */
static u64 rng_state = 0x9e3779b97f4a7c15ULL;
static inline u64 rnd(void)
{
    u64 x = rng_state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    rng_state = x;
    return x * 0x2545f4914f6cdd1dULL;
}
static inline void rnd_seed(u64 s) { rng_state = s ? s : 1; }

/* A running checksum of everything a program computed (printed at the end). */
static u64 checksum = 0xcbf29ce484222325ULL;
static inline void mix(u64 v)
{
    for (int i = 0; i < 8; i++) {
        checksum ^= (v >> (i * 8)) & 0xff;
        checksum *= 0x100000001b3ULL;
    }
}

/* Hides a value from the optimiser, so operations on it happen at run time. */
#define OPAQUE(x) ({ __auto_type _v = (x); __asm__ volatile("" : "+r"(_v)); _v; })

static inline void section(const char *name) { printf("== %s\n", name); }
static inline void finish(const char *name) { printf("%s: checksum %016llx\n", name, checksum); }

#endif
