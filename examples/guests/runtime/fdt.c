/* A small flattened-device-tree reader (Devicetree Specification v0.4, chapter 5 "Flattened
   Devicetree (DTB) Format"): enough to find a property by node path, for /chosen/bootargs.
   All header and token fields are big-endian 32-bit words; the structure block is a sequence
   of FDT_BEGIN_NODE (name), FDT_PROP (len, nameoff, value), FDT_END_NODE, FDT_NOP, FDT_END.
   Words are read one aligned 32-bit load at a time: with the MMU off, RAM is Device memory for
   data accesses and an unaligned access would fault. */
#include "guest.h"

#define FDT_MAGIC 0xd00dfeedu
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE 2
#define FDT_PROP 3
#define FDT_NOP 4
#define FDT_END 9
/* Where QEMU's ELF boot puts the DTB: the start of RAM. */
#define RAM_BASE 0x40000000UL

static uint32_t be32(const void *p)
{
    uint32_t v = *(const volatile uint32_t *)p;
    return __builtin_bswap32(v);
}

static int is_fdt(const void *p)
{
    return p && be32(p) == FDT_MAGIC;
}

const void *fdt_locate(void)
{
    const void *x0 = (const void *)(uintptr_t)__boot_x0;
    if (((uintptr_t)x0 & 7) == 0 && (uintptr_t)x0 >= RAM_BASE && is_fdt(x0))
        return x0;
    if (is_fdt((const void *)RAM_BASE))
        return (const void *)RAM_BASE;
    return NULL;
}

static size_t align4(size_t n)
{
    return (n + 3) & ~(size_t)3;
}

/* Does node name `name` match path component `comp` (length n)? "cpus" matches "cpus", and a
   component without a unit address matches any unit: "pl011" matches "pl011@9000000". */
static int name_matches(const char *name, const char *comp, size_t n)
{
    int comp_has_unit = 0;
    for (size_t i = 0; i < n; i++) {
        if (name[i] != comp[i])
            return 0;
        if (comp[i] == '@')
            comp_has_unit = 1;
    }
    return name[n] == 0 || (name[n] == '@' && !comp_has_unit);
}

const void *fdt_getprop(const void *fdt, const char *path, const char *name, uint32_t *len)
{
    if (!is_fdt(fdt) || path[0] != '/')
        return NULL;
    const char *base = fdt;
    const char *p = base + be32(base + 0x08);              /* off_dt_struct */
    const char *strings = base + be32(base + 0x0c);        /* off_dt_strings */
    const char *end = p + be32(base + 0x24);               /* size_dt_struct */

    /* Split the path into components (pointers into `path`). */
    const char *comp[8];
    size_t comp_len[8];
    unsigned ncomp = 0;
    for (const char *c = path + 1; *c;) {
        const char *e = c;
        while (*e && *e != '/')
            e++;
        if (e > c) {
            if (ncomp == 8)
                return NULL;
            comp[ncomp] = c;
            comp_len[ncomp++] = (size_t)(e - c);
        }
        c = *e ? e + 1 : e;
    }

    /* depth: nodes entered and not left (1 inside the root); matched: how many path
       components the nodes currently entered match (0: the root itself). */
    unsigned depth = 0, matched = 0;
    while (p + 4 <= end) {
        uint32_t tok = be32(p);
        p += 4;
        switch (tok) {
        case FDT_BEGIN_NODE: {
            const char *nm = p;
            p += align4(strlen(nm) + 1);
            if (depth >= 1 && matched == depth - 1 && depth - 1 < ncomp && name_matches(nm, comp[depth - 1], comp_len[depth - 1]))
                matched = depth;
            depth++;
            break;
        }
        case FDT_END_NODE:
            if (depth == 0)
                return NULL;
            depth--;
            if (depth >= 1 && matched == depth)
                matched = depth - 1;
            break;
        case FDT_PROP: {
            uint32_t plen = be32(p), nameoff = be32(p + 4);
            const char *value = p + 8;
            p = value + align4(plen);
            if (matched == ncomp && depth == ncomp + 1 && strcmp(strings + nameoff, name) == 0) {
                if (len)
                    *len = plen;
                return value;
            }
            break;
        }
        case FDT_NOP:
            break;
        default:    /* FDT_END, or not a token: the tree is over (or corrupt) */
            return NULL;
        }
    }
    return NULL;
}

const char *bootargs(void)
{
    uint32_t len;
    const char *v = fdt_getprop(fdt_locate(), "/chosen", "bootargs", &len);
    /* The value is a NUL-terminated string; an empty or unterminated one counts as none. */
    if (!v || len == 0 || v[len - 1] != 0)
        return "";
    return v;
}

/* The value of `key` in `args`: its start, and its length in *n; NULL if absent. A bare `key`
   (no '=') has an empty value. */
static const char *arg_find(const char *args, const char *key, size_t *n)
{
    size_t klen = strlen(key);
    const char *p = args;
    while (*p) {
        while (*p == ' ')
            p++;
        const char *w = p;
        while (*p && *p != ' ')
            p++;
        size_t wlen = (size_t)(p - w);
        if (wlen >= klen && memcmp(w, key, klen) == 0 && (wlen == klen || w[klen] == '=')) {
            const char *v = wlen == klen ? w + klen : w + klen + 1;
            *n = (size_t)(p - v);
            return v;
        }
    }
    return NULL;
}

int arg_str(const char *args, const char *key, char *buf, size_t n)
{
    size_t len;
    const char *v = arg_find(args, key, &len);
    if (!v)
        return 0;
    if (n) {
        size_t k = len < n - 1 ? len : n - 1;
        memcpy(buf, v, k);
        buf[k] = 0;
    }
    return 1;
}

uint64_t arg_u64(const char *args, const char *key, uint64_t dflt)
{
    size_t len;
    const char *v = arg_find(args, key, &len);
    if (!v)
        return dflt;
    unsigned base = 10;
    size_t i = 0;
    if (len > 2 && v[0] == '0' && (v[1] == 'x' || v[1] == 'X')) {
        base = 16;
        i = 2;
    }
    uint64_t x = 0;
    if (i == len)
        panic("bootargs: %s= needs a number\n", key);
    for (; i < len; i++) {
        char c = v[i];
        unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0')
                   : base == 16 && c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                   : base == 16 && c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10) : 99;
        if (d >= base)
            panic("bootargs: %s=%.*s is not a number\n", key, (int)len, v);
        x = x * base + d;
    }
    return x;
}
