/* AT S1E1R/W and S1E0R/W over hand-built translation tables, printing PAR_EL1: run on QEMU
   (-M virt -cpu cortex-a53) to record the reference values in at-walk.expected.txt, which
   test/mmu/qemu-crosscheck.test.ts replays through hvlab's walker with identical tables.
   Rebuild/re-record: see the header of qemu-crosscheck.test.ts. */
#include "bare.h"

typedef unsigned long long u64;

static u64 id_l1[512] __attribute__((aligned(4096)));          /* TTBR0: identity map */
static u64 t4[4][512] __attribute__((aligned(4096)));          /* TTBR1, 4 KiB granule */
static u64 t64[2][8192] __attribute__((aligned(65536)));       /* TTBR1, 64 KiB granule */

#define AF (1ULL << 10)
#define ATTR(i) ((u64)(i) << 2)
#define SH(s) ((u64)(s) << 8)
#define AP(a) ((u64)(a) << 6)
#define NG (1ULL << 11)
#define CONTIG (1ULL << 52)
#define UXN (1ULL << 54)
#define PXN (1ULL << 53)
#define BLOCK 1ULL
#define PAGE 3ULL
#define TABLE 3ULL

static u64 at(u64 va, int op)
{
    u64 par;
    switch (op) {
    case 0: __asm__ volatile("at s1e1r, %0" :: "r"(va)); break;
    case 1: __asm__ volatile("at s1e1w, %0" :: "r"(va)); break;
    case 2: __asm__ volatile("at s1e0r, %0" :: "r"(va)); break;
    default: __asm__ volatile("at s1e0w, %0" :: "r"(va)); break;
    }
    __asm__ volatile("isb; mrs %0, par_el1" : "=r"(par));
    return par;
}

static void set_ttbr1(u64 tcr, void *root)
{
    __asm__ volatile("msr tcr_el1, %0; msr ttbr1_el1, %1; isb; tlbi vmalle1; dsb sy; isb" :: "r"(tcr), "r"((u64)root) : "memory");
}

static void probe(const char *tree, u64 va)
{
    printf("%s %016llx", tree, va);
    for (int op = 0; op < 4; op++) printf(" %016llx", at(va, op));
    printf("\n");
}

int main(void)
{
    /* Identity: 0-1 GiB Device (UART), 1-2 GiB RAM Normal WB. */
    id_l1[0] = 0x00000000ULL | BLOCK | ATTR(0) | AF | UXN | PXN;
    id_l1[1] = 0x40000000ULL | BLOCK | ATTR(1) | SH(3) | AF;

    /* 4 KiB tree, T1SZ=25: level 1 start. VA base 0xffffff8000000000. */
    t4[0][1] = (u64)t4[1] | TABLE;                       /* L1[1] -> L2 */
    t4[1][0] = (u64)t4[2] | TABLE;                       /* L2[0] -> L3 */
    t4[2][0] = 0x40100000ULL | PAGE | ATTR(1) | SH(3) | AF | AP(0);
    t4[2][1] = 0x40101000ULL | PAGE | ATTR(4) | SH(2) | AF | AP(3) | NG;
    t4[2][2] = 0x40102000ULL | PAGE | ATTR(1) | SH(3) | AP(1);           /* AF = 0 */
    t4[2][3] = 0x10000000000ULL | PAGE | ATTR(1) | AF;                   /* beyond 40-bit IPS */
    t4[2][4] = 0x40104000ULL | PAGE | ATTR(1) | SH(3) | AF | AP(1) | UXN;
    t4[2][5] = 0x40105000ULL | PAGE | ATTR(1) | SH(1) | AF | CONTIG;
    t4[2][6] = 0x40106000ULL | 1ULL | AF;                                /* reserved at level 3 */
    t4[1][1] = 0x40200000ULL | BLOCK | ATTR(0) | SH(0) | AF;             /* 2 MiB Device */
    t4[0][2] = 0x80000000ULL | BLOCK | ATTR(2) | SH(3) | AF | AP(1);     /* 1 GiB NC */
    t4[0][3] = (u64)t4[3] | TABLE | (1ULL << 61);                        /* APTable = 01 */
    t4[3][0] = 0x40000000ULL | BLOCK | ATTR(3) | SH(3) | AF | AP(1);
    t4[3][1] = 0x40200000ULL | BLOCK | ATTR(1) | SH(3) | AF | AP(2);

    /* 64 KiB tree, T1SZ=22: level 2 start (13 index bits). VA base 0xfffffc0000000000. */
    t64[0][0] = (u64)t64[1] | TABLE;
    t64[1][0] = 0x41000000ULL | PAGE | ATTR(1) | SH(3) | AF;
    t64[1][1] = 0x41010000ULL | PAGE | ATTR(1) | SH(3) | AF | AP(2);
    t64[1][2] = 0x41020000ULL | PAGE | ATTR(1) | SH(3) | AF | AP(1) | NG;
    t64[0][1] = 0x60000000ULL | BLOCK | ATTR(3) | SH(3) | AF | AP(3);    /* 512 MiB */
    t64[0][8191] = 0x40000000ULL | BLOCK | ATTR(1) | SH(2) | AF;

    u64 mair = 0x00ULL | (0xffULL << 8) | (0x44ULL << 16) | (0x04ULL << 24) | (0xbbULL << 32);
    u64 tcr0 = 25 | (1 << 8) | (1 << 10) | (3 << 12) | (0ULL << 14) | (2ULL << 32);  /* T0SZ 25, 4K, IPS 40 */
    u64 tcr4 = tcr0 | (25ULL << 16) | (2ULL << 30) | (1ULL << 24) | (1ULL << 26) | (3ULL << 28);
    u64 tcr64 = tcr0 | (22ULL << 16) | (3ULL << 30) | (1ULL << 24) | (1ULL << 26) | (3ULL << 28);
    __asm__ volatile("msr mair_el1, %0; msr tcr_el1, %1; msr ttbr0_el1, %2; msr ttbr1_el1, %3; isb"
                     :: "r"(mair), "r"(tcr4), "r"((u64)id_l1), "r"((u64)t4[0]) : "memory");
    u64 sctlr;
    __asm__ volatile("mrs %0, sctlr_el1" : "=r"(sctlr));
    sctlr |= 1 | (1 << 2) | (1 << 12);
    __asm__ volatile("tlbi vmalle1; dsb sy; msr sctlr_el1, %0; isb" :: "r"(sctlr) : "memory");

    const u64 b4 = 0xffffff8000000000ULL;
    for (int i = 0; i < 8; i++) probe("4k", b4 + (1ULL << 30) + i * 0x1000ULL + 0x10 * i);
    probe("4k", b4 + (1ULL << 30) + (1ULL << 21) + 0x12345);
    probe("4k", b4 + (1ULL << 30) + (2ULL << 21));
    probe("4k", b4 + (2ULL << 30) + 0x3456789);
    probe("4k", b4 + (3ULL << 30) + 0x1000);
    probe("4k", b4 + (3ULL << 30) + (1ULL << 21) + 0x1000);
    probe("4k", b4 + (4ULL << 30));
    probe("4k", 0xffffff0000000000ULL);

    set_ttbr1(tcr64, t64[0]);
    const u64 b64 = 0xfffffc0000000000ULL;
    for (int i = 0; i < 4; i++) probe("64k", b64 + i * 0x10000ULL + 0x88);
    probe("64k", b64 + (1ULL << 29) + 0x1234567);
    probe("64k", b64 + (2ULL << 29));
    probe("64k", b64 + (8191ULL << 29) + 0xabcde);
    printf("done\n");
    return 0;
}
