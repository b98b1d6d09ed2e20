/* hvlab's CPU benchmark workload (bench/run.ts runs it on hvlab and on QEMU): a bare-metal,
   CPU-bound mix of the things guests spend time on: table-driven CRC32, sorting, integer matrix
   multiply, linked-list traversal and string hashing. It prints one checksum per phase and a
   total; both emulators must print the same. Sized so that QEMU (TCG) takes about 1-2 s. */
#include "bare.h"

typedef unsigned long long u64;
typedef unsigned int u32;

#ifndef SCALE
#define SCALE 60
#endif

static u64 rng = 0x9e3779b97f4a7c15ULL;
static inline u64 rnd(void)
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return rng * 0x2545f4914f6cdd1dULL;
}

/* ---- CRC32, byte at a time from a table ---- */
static u32 crc_table[256];
static unsigned char data[64 * 1024];

static u64 phase_crc(void)
{
    for (u32 i = 0; i < 256; i++) {
        u32 c = i;
        for (int k = 0; k < 8; k++) c = (c & 1) ? (c >> 1) ^ 0xedb88320u : c >> 1;
        crc_table[i] = c;
    }
    for (size_t i = 0; i < sizeof(data); i++) data[i] = (unsigned char)(rnd() >> 56);
    u32 crc = 0;
    for (int round = 0; round < 4 * SCALE; round++) {
        u32 c = ~crc;
        for (size_t i = 0; i < sizeof(data); i++) c = crc_table[(c ^ data[i]) & 0xff] ^ (c >> 8);
        crc = ~c;
        data[round & 1023] ^= (unsigned char)crc;
    }
    return crc;
}

/* ---- sorting: quicksort + heap sort on 32-bit keys ---- */
#define NSORT 20000
static int keys[NSORT], keys2[NSORT];

static void quicksort(int *a, long lo, long hi)
{
    while (lo < hi) {
        int p = a[lo + (hi - lo) / 2];
        long i = lo, j = hi;
        while (i <= j) {
            while (a[i] < p) i++;
            while (a[j] > p) j--;
            if (i <= j) { int t = a[i]; a[i] = a[j]; a[j] = t; i++; j--; }
        }
        if (j - lo < hi - i) { quicksort(a, lo, j); lo = i; }
        else { quicksort(a, i, hi); hi = j; }
    }
}

static void heapsort(int *a, long n)
{
    for (long s = n / 2 - 1; s >= -0; s--) {
        for (long r = s; 2 * r + 1 < n;) {
            long c = 2 * r + 1;
            if (c + 1 < n && a[c] < a[c + 1]) c++;
            if (a[r] >= a[c]) break;
            int t = a[r]; a[r] = a[c]; a[c] = t;
            r = c;
        }
        if (s == 0) break;
    }
    for (long e = n - 1; e > 0; e--) {
        int t = a[0]; a[0] = a[e]; a[e] = t;
        for (long r = 0; 2 * r + 1 < e;) {
            long c = 2 * r + 1;
            if (c + 1 < e && a[c] < a[c + 1]) c++;
            if (a[r] >= a[c]) break;
            t = a[r]; a[r] = a[c]; a[c] = t;
            r = c;
        }
    }
}

static u64 phase_sort(void)
{
    u64 h = 0;
    for (int round = 0; round < SCALE; round++) {
        for (int i = 0; i < NSORT; i++) keys[i] = keys2[i] = (int)(rnd() >> 33) - (1 << 30);
        quicksort(keys, 0, NSORT - 1);
        heapsort(keys2, NSORT);
        for (int i = 0; i < NSORT; i += 7) h = h * 31 + (u32)keys[i] + (keys[i] != keys2[i]);
    }
    return h;
}

/* ---- integer matrix multiply ---- */
#define MN 64
static int ma[MN][MN], mb[MN][MN], mc[MN][MN];

static u64 phase_matrix(void)
{
    for (int i = 0; i < MN; i++)
        for (int j = 0; j < MN; j++) { ma[i][j] = (int)(rnd() % 2001) - 1000; mb[i][j] = (int)(rnd() % 2001) - 1000; }
    u64 h = 0;
    for (int round = 0; round < SCALE; round++) {
        for (int i = 0; i < MN; i++)
            for (int j = 0; j < MN; j++) {
                int s = 0;
                for (int k = 0; k < MN; k++) s += ma[i][k] * mb[k][j];
                mc[i][j] = s;
            }
        for (int i = 0; i < MN; i++) { h = h * 1000003 + (u32)mc[i][(i * 7 + round) % MN]; ma[i][round % MN] = mc[i][i] % 1000; }
    }
    return h;
}

/* ---- linked-list traversal over a shuffled ring ---- */
#define NNODES 16384
struct node { struct node *next; u64 value; u32 weight; };
static struct node nodes[NNODES];
static u32 perm[NNODES];

static u64 phase_list(void)
{
    for (u32 i = 0; i < NNODES; i++) perm[i] = i;
    for (u32 i = NNODES - 1; i > 0; i--) { u32 j = (u32)(rnd() % (i + 1)); u32 t = perm[i]; perm[i] = perm[j]; perm[j] = t; }
    for (u32 i = 0; i < NNODES; i++) {
        struct node *n = &nodes[perm[i]];
        n->next = &nodes[perm[(i + 1) % NNODES]];
        n->value = rnd();
        n->weight = (u32)(rnd() & 0xff);
    }
    u64 h = 0;
    struct node *p = &nodes[0];
    for (long step = 0; step < 40000L * SCALE; step++) {
        h += p->value ^ (h >> 7);
        if (p->weight & 1) p->value += h;
        p = p->next;
    }
    return h;
}

/* ---- string hashing ---- */
static char words[4096][16];

static u64 phase_strings(void)
{
    static const char alphabet[] = "etaoinshrdlucmfwypvbgkqjxz";
    for (int i = 0; i < 4096; i++) {
        int len = 3 + (int)(rnd() % 12);
        for (int k = 0; k < len; k++) words[i][k] = alphabet[rnd() % 26];
        words[i][len] = 0;
    }
    u64 total = 0;
    for (int round = 0; round < 6 * SCALE; round++) {
        for (int i = 0; i < 4096; i++) {
            const char *s = words[i];
            u32 fnv = 2166136261u, djb = 5381;
            for (; *s; s++) { fnv = (fnv ^ (unsigned char)*s) * 16777619u; djb = djb * 33 + (unsigned char)*s; }
            total = total * 0x100000001b3ULL + fnv + ((u64)djb << 32);
        }
        words[round % 4096][0] ^= 1;
    }
    return total;
}

#ifdef HVLAB_MMU
void enable_mmu(void); /* bench/mmu-on.S */
#endif

int main(void)
{
#ifdef HVLAB_MMU
    enable_mmu();
#endif
    u64 c = phase_crc(), s = phase_sort(), m = phase_matrix(), l = phase_list(), h = phase_strings();
    printf("crc %016llx sort %016llx matrix %016llx list %016llx strings %016llx\n", c, s, m, l, h);
    printf("checksum %016llx\n", c ^ (s * 3) ^ (m * 5) ^ (l * 7) ^ (h * 11));
    return 0;
}
