/* CRC32 and CRC32C: a table-driven software implementation against the CRC32B/H/W/X and
   CRC32CB/H/W/X instructions (arm_acle.h), over messages of every length and alignment. */
#include <arm_acle.h>
#include "common.h"

static u32 table_crc[256], table_crcc[256];

static void make_table(u32 *t, u32 poly)
{
    for (u32 i = 0; i < 256; i++) {
        u32 c = i;
        for (int k = 0; k < 8; k++)
            c = (c & 1) ? (c >> 1) ^ poly : c >> 1;
        t[i] = c;
    }
}

static u32 crc_sw(const u32 *t, u32 crc, const uint8_t *p, size_t n)
{
    while (n--)
        crc = t[(crc ^ *p++) & 0xff] ^ (crc >> 8);
    return crc;
}

/* The hardware CRC in the widest steps alignment allows. */
static u32 crc_hw(u32 crc, const uint8_t *p, size_t n, int castagnoli)
{
    while (n && ((uintptr_t)p & 7)) {
        crc = castagnoli ? __crc32cb(crc, *p) : __crc32b(crc, *p);
        p++;
        n--;
    }
    for (; n >= 8; n -= 8, p += 8) {
        u64 v = *(const u64 *)p;
        crc = castagnoli ? __crc32cd(crc, v) : __crc32d(crc, v);
    }
    if (n >= 4) {
        u32 v = *(const u32 *)p;
        crc = castagnoli ? __crc32cw(crc, v) : __crc32w(crc, v);
        p += 4;
        n -= 4;
    }
    if (n >= 2) {
        uint16_t v = *(const uint16_t *)p;
        crc = castagnoli ? __crc32ch(crc, v) : __crc32h(crc, v);
        p += 2;
        n -= 2;
    }
    if (n)
        crc = castagnoli ? __crc32cb(crc, *p) : __crc32b(crc, *p);
    return crc;
}

static uint8_t buf[4096 + 16];

int main(void)
{
    make_table(table_crc, 0xedb88320u);
    make_table(table_crcc, 0x82f63b78u);
    section("tables");
    for (int i = 0; i < 256; i += 8)
        printf("%08x %08x %08x %08x | %08x %08x %08x %08x\n", table_crc[i], table_crc[i + 1], table_crc[i + 2],
               table_crc[i + 3], table_crcc[i], table_crcc[i + 1], table_crcc[i + 2], table_crcc[i + 3]);

    section("known answers");
    const char *msgs[] = { "", "a", "abc", "123456789", "The quick brown fox jumps over the lazy dog", "hvlab" };
    for (unsigned i = 0; i < sizeof(msgs) / sizeof(msgs[0]); i++) {
        const uint8_t *m = (const uint8_t *)msgs[i];
        size_t n = strlen(msgs[i]);
        u32 s = ~crc_sw(table_crc, ~0u, m, n), h = ~crc_hw(~0u, m, n, 0);
        u32 sc = ~crc_sw(table_crcc, ~0u, m, n), hc = ~crc_hw(~0u, m, n, 1);
        printf("\"%s\": crc32 %08x %08x crc32c %08x %08x %s\n", msgs[i], s, h, sc, hc, s == h && sc == hc ? "ok" : "MISMATCH");
        mix(s);
        mix(sc);
    }

    section("single instructions on edge values");
    for (unsigned i = 0; i < N_EDGE64; i++) {
        u64 v = OPAQUE(EDGE64[i]);
        u32 acc = (u32)OPAQUE(EDGE64[(i + 11) % N_EDGE64]);
        printf("%08x %016llx b %08x h %08x w %08x x %08x cb %08x ch %08x cw %08x cx %08x\n", acc, v,
               __crc32b(acc, (uint8_t)v), __crc32h(acc, (uint16_t)v), __crc32w(acc, (u32)v), __crc32d(acc, v),
               __crc32cb(acc, (uint8_t)v), __crc32ch(acc, (uint16_t)v), __crc32cw(acc, (u32)v), __crc32cd(acc, v));
        mix(__crc32d(acc, v) ^ __crc32cd(acc, v));
    }

    section("every length and alignment");
    rnd_seed(2024);
    for (size_t i = 0; i < sizeof(buf); i++)
        buf[i] = (uint8_t)(rnd() >> 56);
    unsigned bad = 0;
    for (size_t off = 0; off < 8; off++) {
        u32 line = 0;
        for (size_t n = 0; n < 300; n++) {
            u32 s = crc_sw(table_crc, ~0u, buf + off, n), h = crc_hw(~0u, buf + off, n, 0);
            u32 sc = crc_sw(table_crcc, ~0u, buf + off, n), hc = crc_hw(~0u, buf + off, n, 1);
            bad += (s != h) + (sc != hc);
            line = line * 33 + s + hc;
            mix(s ^ hc);
        }
        printf("offset %zu: combined %08x\n", off, line);
    }
    for (size_t n = 512; n <= 4096; n *= 2) {
        u32 s = ~crc_sw(table_crc, ~0u, buf + 3, n), h = ~crc_hw(~0u, buf + 3, n, 0);
        u32 sc = ~crc_sw(table_crcc, ~0u, buf + 5, n), hc = ~crc_hw(~0u, buf + 5, n, 1);
        printf("%4zu bytes: crc32 %08x/%08x crc32c %08x/%08x\n", n, s, h, sc, hc);
        bad += (s != h) + (sc != hc);
        mix(s ^ sc);
    }
    printf("software/hardware mismatches: %u\n", bad);
    finish("crc");
    return 0;
}
