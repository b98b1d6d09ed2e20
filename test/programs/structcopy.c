// hvlab-build: structcopy
// hvlab-build: structcopy-simd -mno-strict-align -DALIGN16   (16-byte aligned structs: GCC copies them with LDP/STP Q)
/* Struct copies, assignment, memcpy/memmove/memset of many sizes and alignments. GCC copies
   medium structs with LDP/STP of Q registers (SIMD loads and stores) when it may (the
   structcopy-simd variant: aligned structs, no -mstrict-align), small ones with X/W registers. */
#include "common.h"

#ifdef ALIGN16
#define AL __attribute__((aligned(16)))
#else
#define AL
#endif
struct AL s3 { uint8_t b[3]; };
struct AL s12 { u32 a, b, c; };
struct AL s24 { u64 a; u32 b; uint16_t c; uint8_t d[10]; };
struct AL s48 { u64 q[6]; };
struct AL s100 { uint8_t b[100]; };
struct AL s256 { u64 q[32]; };

static struct s3 g3[4];
static struct s12 g12[4];
static struct s24 g24[4];
static struct s48 g48[4];
static struct s100 g100[4];
static struct s256 g256[4];

static u64 hash_bytes(const void *p, size_t n)
{
    const uint8_t *b = p;
    u64 h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++) { h ^= b[i]; h *= 0x100000001b3ULL; }
    return h;
}

static void fill(void *p, size_t n, u64 seed)
{
    uint8_t *b = p;
    rnd_seed(seed);
    for (size_t i = 0; i < n; i++) b[i] = (uint8_t)(rnd() >> 56);
}

__attribute__((noinline)) static struct s48 make48(u64 x)
{
    struct s48 s;
    for (int i = 0; i < 6; i++) s.q[i] = x * (u64)(i + 1);
    return s;
}

__attribute__((noinline)) static u64 take100(struct s100 s)    /* passed by reference to a copy */
{
    s.b[0] ^= 0xff;
    return hash_bytes(&s, sizeof(s));
}

#define COPY_TEST(T, arr, seed) do { \
        fill(&arr[0], sizeof(arr[0]), seed); \
        arr[1] = arr[0]; \
        arr[2] = OPAQUE(&arr[1])[0]; \
        T tmp = arr[2]; \
        arr[3] = tmp; \
        printf("%-11s size %3zu hash %016llx equal %d\n", #T, sizeof(T), hash_bytes(&arr[3], sizeof(T)), \
               memcmp(&arr[0], &arr[3], sizeof(T)) == 0); \
        mix(hash_bytes(&arr[3], sizeof(T))); \
    } while (0)

static uint8_t src[600], dst[600];

int main(void)
{
    section("struct assignment");
    COPY_TEST(struct s3, g3, 1);
    COPY_TEST(struct s12, g12, 2);
    COPY_TEST(struct s24, g24, 3);
    COPY_TEST(struct s48, g48, 4);
    COPY_TEST(struct s100, g100, 5);
    COPY_TEST(struct s256, g256, 6);
    g48[0] = make48(0x1234567890abcdefULL);
    printf("returned struct %016llx %016llx\n", g48[0].q[0], g48[0].q[5]);
    printf("by-value arg hash %016llx, original unchanged %d\n", take100(g100[0]), memcmp(&g100[0], &g100[1], 100) == 0);

    section("memcpy/memmove/memset: sizes x alignments");
    fill(src, sizeof(src), 7);
    for (size_t n = 0; n <= 70; n += (n < 20 ? 1 : 7)) {
        u64 line = 0;
        for (size_t sa = 0; sa < 8; sa += 3)
            for (size_t da = 0; da < 8; da += 2) {
                memset(dst, 0xaa, sizeof(dst));
                memcpy(dst + da, src + sa, n);
                line = line * 31 + hash_bytes(dst, 100);
            }
        memmove(dst + 5, dst + 3, n);
        line ^= hash_bytes(dst, 100);
        memmove(dst + 1, dst + 9, n);
        line ^= hash_bytes(dst, 100) << 1;
        memset(dst + (n & 7), (int)n, n);
        line ^= hash_bytes(dst, 100) << 2;
        printf("n=%2zu %016llx\n", n, line);
        mix(line);
    }

    section("SIMD register moves through memory");
    u64 v[8];
    fill(v, sizeof(v), 99);
    __asm__ volatile(
        "ldp q0, q1, [%0]\n\t"
        "ldr q2, [%0, #32]\n\t"
        "ldr d3, [%0, #48]\n\t"
        "ldr s4, [%0, #56]\n\t"
        "str q0, [%0, #32]\n\t"
        "stp q2, q1, [%0]\n\t"
        "str d4, [%0, #48]\n\t"
        "str s3, [%0, #60]\n\t"
        : : "r"(v) : "v0", "v1", "v2", "v3", "v4", "memory");
    for (int i = 0; i < 8; i++) printf(" %016llx", v[i]);
    puts("");
    mix(hash_bytes(v, sizeof(v)));
    finish("structcopy");
    return 0;
}
