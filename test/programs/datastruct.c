/* Pointer-chasing data structures: a singly linked list (insert sorted, reverse, delete), a
   doubly linked list used as an LRU, a chained hash table and an open-addressing one keyed by
   strings, a binary search tree, and string hash functions (FNV-1a, djb2, Murmur-style mixing). */
#include "common.h"

/* ---- a bump allocator over a static arena ---- */
static unsigned char arena[1 << 20];
static size_t arena_used;
static void *alloc(size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if (arena_used + n > sizeof(arena)) { puts("arena exhausted"); _exit(1); }
    void *p = arena + arena_used;
    arena_used += n;
    return p;
}

/* ---- strings ---- */
static u32 fnv1a(const char *s) { u32 h = 2166136261u; while (*s) { h ^= (uint8_t)*s++; h *= 16777619u; } return h; }
static u64 fnv1a64(const char *s) { u64 h = 0xcbf29ce484222325ULL; while (*s) { h ^= (uint8_t)*s++; h *= 0x100000001b3ULL; } return h; }
static u32 djb2(const char *s) { u32 h = 5381; while (*s) h = h * 33 + (uint8_t)*s++; return h; }
static u64 murmur_mix(u64 k) { k ^= k >> 33; k *= 0xff51afd7ed558ccdULL; k ^= k >> 33; k *= 0xc4ceb9fe1a85ec53ULL; k ^= k >> 33; return k; }

static void make_word(char *buf, u64 r)
{
    static const char *syl[] = { "ka", "lo", "mi", "nu", "pe", "ra", "si", "to", "vu", "xe", "yo", "ze", "qua", "th", "ng", "a" };
    int n = 1 + (int)(r % 4);
    buf[0] = 0;
    char *p = buf;
    for (int i = 0; i < n; i++) {
        const char *s = syl[(r >> (4 + 4 * i)) & 15];
        while (*s) *p++ = *s++;
    }
    *p = 0;
}

/* ---- singly linked list ---- */
struct node { struct node *next; i64 value; };

static struct node *insert_sorted(struct node *head, i64 v)
{
    struct node *n = alloc(sizeof(*n));
    n->value = v;
    struct node **pp = &head;
    while (*pp && (*pp)->value < v) pp = &(*pp)->next;
    n->next = *pp;
    *pp = n;
    return head;
}

static struct node *reverse(struct node *h)
{
    struct node *prev = 0;
    while (h) { struct node *n = h->next; h->next = prev; prev = h; h = n; }
    return prev;
}

static struct node *remove_if_multiple(struct node *h, i64 m, int *removed)
{
    struct node **pp = &h;
    while (*pp) {
        if ((*pp)->value % m == 0) { *pp = (*pp)->next; (*removed)++; }
        else pp = &(*pp)->next;
    }
    return h;
}

static void lists(void)
{
    section("singly linked list");
    struct node *h = 0;
    rnd_seed(31);
    for (int i = 0; i < 600; i++) h = insert_sorted(h, (i64)(rnd() % 100000) - 50000);
    int count = 0;
    i64 sum = 0, prev = -1000000;
    int ordered = 1;
    for (struct node *n = h; n; n = n->next) { count++; sum += n->value; if (n->value < prev) ordered = 0; prev = n->value; }
    printf("count %d sum %lld ordered %d first %lld\n", count, sum, ordered, h->value);
    h = reverse(h);
    printf("reversed first %lld second %lld\n", h->value, h->next->value);
    int removed = 0;
    h = remove_if_multiple(h, 3, &removed);
    u64 hh = 0;
    count = 0;
    for (struct node *n = h; n; n = n->next) { hh = hh * 131 + (u64)n->value; count++; }
    printf("removed %d left %d hash %016llx\n", removed, count, hh);
    mix(hh);
}

/* ---- doubly linked LRU cache of 64 entries ---- */
struct lru { struct lru *prev, *next; u32 key; u32 hits; };
static struct lru lru_nodes[64], lru_head;

static void lru_unlink(struct lru *e) { e->prev->next = e->next; e->next->prev = e->prev; }
static void lru_push_front(struct lru *e) { e->next = lru_head.next; e->prev = &lru_head; lru_head.next->prev = e; lru_head.next = e; }

static void lru(void)
{
    section("doubly linked LRU");
    lru_head.next = lru_head.prev = &lru_head;
    for (int i = 0; i < 64; i++) { lru_nodes[i].key = 0xffffffff; lru_nodes[i].hits = 0; lru_push_front(&lru_nodes[i]); }
    rnd_seed(5);
    unsigned hits = 0, misses = 0;
    for (int i = 0; i < 20000; i++) {
        u64 r = rnd();
        u32 key = (u32)(r % ((r >> 60) < 12 ? 80 : 1000));
        struct lru *e = lru_head.next;
        while (e != &lru_head && e->key != key) e = e->next;
        if (e != &lru_head) { hits++; e->hits++; lru_unlink(e); lru_push_front(e); }
        else { misses++; e = lru_head.prev; lru_unlink(e); e->key = key; e->hits = 0; lru_push_front(e); }
    }
    printf("hits %u misses %u\n", hits, misses);
    int k = 0;
    for (struct lru *e = lru_head.next; e != &lru_head && k < 10; e = e->next, k++) printf(" %u:%u", e->key, e->hits);
    puts("");
    mix(hits * 1000003ULL + misses);
}

/* ---- chained hash table of strings ---- */
struct entry { struct entry *next; u32 hash; u32 count; char key[24]; };
#define BUCKETS 257
static struct entry *buckets[BUCKETS];

static struct entry *lookup(const char *key, int create)
{
    u32 h = fnv1a(key);
    struct entry **pp = &buckets[h % BUCKETS];
    for (; *pp; pp = &(*pp)->next)
        if ((*pp)->hash == h && strcmp((*pp)->key, key) == 0) return *pp;
    if (!create) return 0;
    struct entry *e = alloc(sizeof(*e));
    e->next = 0;
    e->hash = h;
    e->count = 0;
    strcpy(e->key, key);
    *pp = e;
    return e;
}

/* ---- open addressing (linear probing) u64 -> u64 ---- */
#define OA_SIZE 4096
static u64 oa_keys[OA_SIZE], oa_vals[OA_SIZE];
static unsigned char oa_used[OA_SIZE];
static unsigned oa_probes;
static void oa_put(u64 k, u64 v)
{
    unsigned i = (unsigned)murmur_mix(k) & (OA_SIZE - 1);
    while (oa_used[i] && oa_keys[i] != k) { i = (i + 1) & (OA_SIZE - 1); oa_probes++; }
    oa_used[i] = 1; oa_keys[i] = k; oa_vals[i] += v;
}
static u64 oa_get(u64 k)
{
    unsigned i = (unsigned)murmur_mix(k) & (OA_SIZE - 1);
    while (oa_used[i]) { if (oa_keys[i] == k) return oa_vals[i]; i = (i + 1) & (OA_SIZE - 1); }
    return ~0ULL;
}

static void hashing(void)
{
    section("string hashes");
    char w[64];
    rnd_seed(8);
    for (int i = 0; i < 40; i++) {
        make_word(w, rnd());
        printf("%-12s fnv %08x fnv64 %016llx djb2 %08x mm %016llx\n", w, fnv1a(w), fnv1a64(w), djb2(w), murmur_mix(fnv1a64(w)));
        mix(fnv1a64(w));
    }
    section("chained hash table");
    rnd_seed(9);
    for (int i = 0; i < 5000; i++) { make_word(w, rnd() & 0xfffff); lookup(w, 1)->count++; }
    unsigned used = 0, longest = 0, total = 0;
    for (int b = 0; b < BUCKETS; b++) {
        unsigned len = 0;
        for (struct entry *e = buckets[b]; e; e = e->next) len++;
        used += len > 0; total += len; if (len > longest) longest = len;
    }
    printf("distinct %u buckets used %u longest chain %u\n", total, used, longest);
    const char *probe[] = { "ka", "kalo", "zeze", "quaqua", "thngath", "a", "missing" };
    for (int i = 0; i < 7; i++) { struct entry *e = lookup(probe[i], 0); printf("  %s: %u\n", probe[i], e ? e->count : 0); mix(e ? e->count : 99); }
    section("open addressing table");
    rnd_seed(10);
    for (int i = 0; i < 3000; i++) { u64 r = rnd(); oa_put(r % 2500, r >> 48); }
    u64 s = 0;
    for (u64 k = 0; k < 2600; k += 1) { u64 v = oa_get(k); s = s * 3 + v; }
    printf("probes %u sum %016llx get(7) %llu get(2599) %llx\n", oa_probes, s, oa_get(7), oa_get(2599));
    mix(s);
}

/* ---- binary search tree with in-order walk ---- */
struct tnode { struct tnode *l, *r; i32 key; u32 depth; };
static struct tnode *bst_insert(struct tnode *t, i32 key, u32 depth, u32 *maxd)
{
    if (!t) { t = alloc(sizeof(*t)); t->l = t->r = 0; t->key = key; t->depth = depth; if (depth > *maxd) *maxd = depth; return t; }
    if (key < t->key) t->l = bst_insert(t->l, key, depth + 1, maxd);
    else if (key > t->key) t->r = bst_insert(t->r, key, depth + 1, maxd);
    return t;
}
static void walk(struct tnode *t, u64 *h, unsigned *n) { if (!t) return; walk(t->l, h, n); *h = *h * 7 + (u32)t->key + t->depth; (*n)++; walk(t->r, h, n); }

static void tree(void)
{
    section("binary search tree");
    struct tnode *root = 0;
    u32 maxd = 0;
    rnd_seed(11);
    for (int i = 0; i < 3000; i++) root = bst_insert(root, (i32)(rnd() >> 40) - (1 << 23), 0, &maxd);
    u64 h = 0;
    unsigned n = 0;
    walk(root, &h, &n);
    printf("nodes %u max depth %u walk hash %016llx root %d\n", n, maxd, h, root->key);
    mix(h);
}

int main(void)
{
    lists();
    lru();
    hashing();
    tree();
    printf("arena used %zu\n", arena_used);
    finish("datastruct");
    return 0;
}
