/* Sorting: quicksort (generic, qsort-like with a comparator and byte swaps), heapsort, merge
   sort, shell sort, insertion sort and radix sort over arrays of several element types (signed
   and unsigned loads of every width), checked against each other. */
#include "common.h"

#define N 1500

typedef int (*cmp_fn)(const void *, const void *);

static void swap_bytes(unsigned char *a, unsigned char *b, size_t size)
{
    while (size--) {
        unsigned char t = *a;
        *a++ = *b;
        *b++ = t;
    }
}

/* qsort-like: median of three, insertion sort for small ranges, recursion on the smaller side. */
static void quicksort(void *base, size_t n, size_t size, cmp_fn cmp)
{
    unsigned char *b = base;
    while (n > 8) {
        unsigned char *lo = b, *mid = b + (n / 2) * size, *hi = b + (n - 1) * size;
        if (cmp(mid, lo) < 0) swap_bytes(mid, lo, size);
        if (cmp(hi, mid) < 0) {
            swap_bytes(hi, mid, size);
            if (cmp(mid, lo) < 0) swap_bytes(mid, lo, size);
        }
        swap_bytes(mid, b + (n - 2) * size, size);      /* pivot to n-2 */
        unsigned char *pivot = b + (n - 2) * size;
        size_t i = 0, j = n - 2;
        for (;;) {
            while (cmp(b + (++i) * size, pivot) < 0) {}
            while (j > 0 && cmp(pivot, b + (--j) * size) < 0) {}
            if (i >= j) break;
            swap_bytes(b + i * size, b + j * size, size);
        }
        swap_bytes(b + i * size, pivot, size);
        size_t left = i, right = n - i - 1;
        if (left < right) {
            quicksort(b, left, size, cmp);
            b += (i + 1) * size;
            n = right;
        } else {
            quicksort(b + (i + 1) * size, right, size, cmp);
            n = left;
        }
    }
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && cmp(b + (j - 1) * size, b + j * size) > 0; j--)
            swap_bytes(b + (j - 1) * size, b + j * size, size);
}

static int cmp_i8(const void *a, const void *b) { return *(const int8_t *)a - *(const int8_t *)b; }
static int cmp_u16(const void *a, const void *b) { return *(const uint16_t *)a - *(const uint16_t *)b; }
static int cmp_i32(const void *a, const void *b) { i32 x = *(const i32 *)a, y = *(const i32 *)b; return (x > y) - (x < y); }
static int cmp_u64(const void *a, const void *b) { u64 x = *(const u64 *)a, y = *(const u64 *)b; return (x > y) - (x < y); }
static int cmp_i64(const void *a, const void *b) { i64 x = *(const i64 *)a, y = *(const i64 *)b; return (x > y) - (x < y); }

struct rec { u32 key; uint16_t tag; uint8_t pad; int8_t s; u64 payload; };
static int cmp_rec(const void *a, const void *b)
{
    const struct rec *x = a, *y = b;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    return x->tag - y->tag;
}

static void heapsort_i64(i64 *a, size_t n)
{
    for (size_t start = n / 2; start-- > 0;) {
        size_t r = start;
        while (2 * r + 1 < n) {
            size_t c = 2 * r + 1;
            if (c + 1 < n && a[c] < a[c + 1]) c++;
            if (a[r] >= a[c]) break;
            i64 t = a[r]; a[r] = a[c]; a[c] = t;
            r = c;
        }
    }
    for (size_t end = n; end-- > 1;) {
        i64 t = a[0]; a[0] = a[end]; a[end] = t;
        size_t r = 0;
        while (2 * r + 1 < end) {
            size_t c = 2 * r + 1;
            if (c + 1 < end && a[c] < a[c + 1]) c++;
            if (a[r] >= a[c]) break;
            t = a[r]; a[r] = a[c]; a[c] = t;
            r = c;
        }
    }
}

static i64 tmp64[N];
static void mergesort_i64(i64 *a, size_t n)
{
    for (size_t width = 1; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n, hi = lo + 2 * width < n ? lo + 2 * width : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi) tmp64[k++] = a[i] <= a[j] ? a[i++] : a[j++];
            while (i < mid) tmp64[k++] = a[i++];
            while (j < hi) tmp64[k++] = a[j++];
        }
        memcpy(a, tmp64, n * sizeof(i64));
    }
}

static void shellsort_i32(i32 *a, size_t n)
{
    static const size_t gaps[] = { 701, 301, 132, 57, 23, 10, 4, 1 };
    for (unsigned g = 0; g < 8; g++) {
        size_t gap = gaps[g];
        for (size_t i = gap; i < n; i++) {
            i32 t = a[i];
            size_t j = i;
            for (; j >= gap && a[j - gap] > t; j -= gap) a[j] = a[j - gap];
            a[j] = t;
        }
    }
}

static void insertion_u16(uint16_t *a, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        uint16_t t = a[i];
        size_t j = i;
        for (; j > 0 && a[j - 1] > t; j--) a[j] = a[j - 1];
        a[j] = t;
    }
}

static u64 radix_tmp[N];
static void radixsort_u64(u64 *a, size_t n)
{
    for (int shift = 0; shift < 64; shift += 8) {
        size_t count[257] = { 0 };
        for (size_t i = 0; i < n; i++) count[((a[i] >> shift) & 0xff) + 1]++;
        for (int i = 0; i < 256; i++) count[i + 1] += count[i];
        for (size_t i = 0; i < n; i++) radix_tmp[count[(a[i] >> shift) & 0xff]++] = a[i];
        memcpy(a, radix_tmp, n * sizeof(u64));
    }
}

static i64 a64[N], b64[N], c64[N];
static u64 u64a[N], u64b[N];
static i32 a32[N], b32[N];
static uint16_t a16[N], b16[N];
static int8_t a8[N];
static struct rec recs[N];

static void dump_i64(const char *what, const i64 *a, size_t n)
{
    u64 h = 0;
    for (size_t i = 0; i < n; i++) h = h * 1000003 + (u64)a[i];
    printf("%-10s first %lld %lld %lld last %lld hash %016llx\n", what, a[0], a[1], a[2], a[n - 1], h);
    mix(h);
}

static int sorted_i64(const i64 *a, size_t n) { for (size_t i = 1; i < n; i++) if (a[i - 1] > a[i]) return 0; return 1; }

int main(void)
{
    for (int round = 0; round < 3; round++) {
        printf("== round %d\n", round);
        rnd_seed(1000 + round);
        for (size_t i = 0; i < N; i++) {
            u64 r = rnd();
            if (round == 1) r &= 0xff00000000000fffULL;     /* many duplicates */
            a64[i] = b64[i] = c64[i] = (i64)r;
            u64a[i] = u64b[i] = r;
            a32[i] = b32[i] = (i32)(r >> 17);
            a16[i] = b16[i] = (uint16_t)(r >> 40);
            a8[i] = (int8_t)(r >> 3);
            recs[i].key = (u32)(r >> 54);
            recs[i].tag = (uint16_t)i;
            recs[i].pad = (uint8_t)r;
            recs[i].s = (int8_t)(r >> 9);
            recs[i].payload = r * 3;
        }
        if (round == 2) {   /* already sorted, then reversed */
            heapsort_i64(a64, N);
            for (size_t i = 0; i < N; i++) b64[i] = c64[i] = a64[N - 1 - i];
            memcpy(a64, b64, sizeof(a64));
        }
        quicksort(a64, N, sizeof(i64), cmp_i64);
        heapsort_i64(b64, N);
        mergesort_i64(c64, N);
        dump_i64("quick", a64, N);
        dump_i64("heap", b64, N);
        dump_i64("merge", c64, N);
        printf("sorted %d %d %d equal %d %d\n", sorted_i64(a64, N), sorted_i64(b64, N), sorted_i64(c64, N),
               memcmp(a64, b64, sizeof(a64)) == 0, memcmp(a64, c64, sizeof(a64)) == 0);

        quicksort(u64a, N, sizeof(u64), cmp_u64);
        radixsort_u64(u64b, N);
        printf("u64 quick/radix equal %d first %016llx last %016llx median %016llx\n",
               memcmp(u64a, u64b, sizeof(u64a)) == 0, u64a[0], u64a[N - 1], u64a[N / 2]);
        mix(u64a[N / 2]);

        quicksort(a32, N, sizeof(i32), cmp_i32);
        shellsort_i32(b32, N);
        printf("i32 quick/shell equal %d: %d %d %d .. %d %d\n", memcmp(a32, b32, sizeof(a32)) == 0,
               a32[0], a32[1], a32[2], a32[N - 2], a32[N - 1]);
        mix((u64)a32[N / 3]);

        quicksort(a16, N, sizeof(uint16_t), cmp_u16);
        insertion_u16(b16, N);
        printf("u16 quick/insertion equal %d: %u %u .. %u\n", memcmp(a16, b16, sizeof(a16)) == 0, a16[0], a16[1], a16[N - 1]);

        quicksort(a8, N, 1, cmp_i8);
        int hist[5] = { 0 };
        for (size_t i = 0; i < N; i++) hist[(a8[i] + 128) / 52]++;
        printf("i8: %d %d .. %d hist %d %d %d %d %d\n", a8[0], a8[1], a8[N - 1], hist[0], hist[1], hist[2], hist[3], hist[4]);

        quicksort(recs, N, sizeof(struct rec), cmp_rec);
        u64 h = 0;
        for (size_t i = 0; i < N; i++) h = h * 31 + recs[i].key * 65536 + recs[i].tag + (u64)(i64)recs[i].s + recs[i].payload;
        printf("records: %u/%u %u/%u .. %u/%u hash %016llx\n", recs[0].key, recs[0].tag, recs[1].key, recs[1].tag,
               recs[N - 1].key, recs[N - 1].tag, h);
        for (size_t i = 0; i < N; i += 97)
            printf("  rec[%4zu] key %4u tag %4u pad %3u s %4d payload %016llx\n", i, recs[i].key, recs[i].tag,
                   recs[i].pad, recs[i].s, recs[i].payload);
        mix(h);
    }
    finish("sort");
    return 0;
}
