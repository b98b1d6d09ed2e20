/* Control flow: deep recursion (Ackermann, mutual recursion), function pointers and indirect
   calls (BLR), switch jump tables (ADR + LDRB/LDRH + BR), computed goto, tail calls, and a
   setjmp/longjmp pair written in assembly (callee-saved X19-X30, SP, D8-D15). */
#include "common.h"

/* ---- setjmp/longjmp ---- */
typedef u64 jmp_buf[22];
int my_setjmp(jmp_buf env) __attribute__((returns_twice));
void my_longjmp(jmp_buf env, int val) __attribute__((noreturn));
__asm__(
    ".text\n"
    ".globl my_setjmp\n"
    ".type my_setjmp, %function\n"
    "my_setjmp:\n"
    "  stp x19, x20, [x0, #0]\n"
    "  stp x21, x22, [x0, #16]\n"
    "  stp x23, x24, [x0, #32]\n"
    "  stp x25, x26, [x0, #48]\n"
    "  stp x27, x28, [x0, #64]\n"
    "  stp x29, x30, [x0, #80]\n"
    "  mov x2, sp\n"
    "  str x2, [x0, #96]\n"
    "  stp d8, d9, [x0, #104]\n"
    "  stp d10, d11, [x0, #120]\n"
    "  stp d12, d13, [x0, #136]\n"
    "  stp d14, d15, [x0, #152]\n"
    "  mov w0, #0\n"
    "  ret\n"
    ".size my_setjmp, . - my_setjmp\n"
    ".globl my_longjmp\n"
    ".type my_longjmp, %function\n"
    "my_longjmp:\n"
    "  ldp x19, x20, [x0, #0]\n"
    "  ldp x21, x22, [x0, #16]\n"
    "  ldp x23, x24, [x0, #32]\n"
    "  ldp x25, x26, [x0, #48]\n"
    "  ldp x27, x28, [x0, #64]\n"
    "  ldp x29, x30, [x0, #80]\n"
    "  ldr x2, [x0, #96]\n"
    "  mov sp, x2\n"
    "  ldp d8, d9, [x0, #104]\n"
    "  ldp d10, d11, [x0, #120]\n"
    "  ldp d12, d13, [x0, #136]\n"
    "  ldp d14, d15, [x0, #152]\n"
    "  cmp w1, #0\n"
    "  csinc w0, w1, wzr, ne\n"
    "  br x30\n"
    ".size my_longjmp, . - my_longjmp\n");

static jmp_buf env;
static int depth_reached;

__attribute__((noinline)) static void dive(int depth, int limit)
{
    volatile char pad[64];
    pad[depth & 63] = (char)depth;
    depth_reached = depth;
    if (depth == limit)
        my_longjmp(env, limit * 10 + pad[depth & 63] % 7);
    dive(depth + 1, limit);
    pad[0]++;
}

static void jumps(void)
{
    section("setjmp/longjmp");
    for (int limit = 0; limit < 60; limit += 7) {
        volatile int count = 0;
        int r = my_setjmp(env);
        count++;
        if (r == 0)
            dive(0, limit);
        printf("limit %2d: longjmp returned %3d after depth %2d (setjmp returned %d times)\n", limit, r, depth_reached, count);
        mix((u64)r);
    }
    /* longjmp(env, 0) makes setjmp return 1 */
    if (my_setjmp(env) == 0) my_longjmp(env, 0);
    else puts("longjmp with 0 returned 1");
}

/* ---- recursion ---- */
static u64 ackermann(u64 m, u64 n)
{
    if (m == 0) return n + 1;
    if (n == 0) return ackermann(m - 1, 1);
    return ackermann(m - 1, ackermann(m, n - 1));
}
static int is_odd(unsigned n);
__attribute__((noinline)) static int is_even(unsigned n) { return n == 0 ? 1 : is_odd(n - 1); }
__attribute__((noinline)) static int is_odd(unsigned n) { return n == 0 ? 0 : is_even(n - 1); }
static u64 fib_rec(unsigned n) { return n < 2 ? n : fib_rec(n - 1) + fib_rec(n - 2); }

static void recursion(void)
{
    section("recursion");
    for (u64 m = 0; m <= 3; m++)
        for (u64 n = 0; n <= 4; n++) {
            u64 a = ackermann(m, n);
            printf("A(%llu,%llu)=%llu%s", m, n, a, n == 4 ? "\n" : " ");
            mix(a);
        }
    printf("even(1001) %d odd(777) %d fib(24) %llu\n", is_even(1001), is_odd(777), fib_rec(24));
    mix(fib_rec(20));
}

/* ---- indirect calls ---- */
typedef u64 (*op_fn)(u64, u64);
static u64 op_add(u64 a, u64 b) { return a + b; }
static u64 op_sub(u64 a, u64 b) { return a - b; }
static u64 op_mul(u64 a, u64 b) { return a * b; }
static u64 op_xor(u64 a, u64 b) { return a ^ b; }
static u64 op_rot(u64 a, u64 b) { b &= 63; return b ? (a << b) | (a >> (64 - b)) : a; }
static u64 op_max(u64 a, u64 b) { return a > b ? a : b; }

/* switch with a dense range: a jump table */
__attribute__((noinline)) static u64 interp(const uint8_t *code, size_t n, u64 acc)
{
    u64 stack[16];
    int sp = 0;
    for (size_t pc = 0; pc < n; pc++) {
        switch (code[pc] % 12) {
        case 0: stack[sp++ & 15] = acc; break;
        case 1: acc = stack[--sp & 15]; break;
        case 2: acc += 0x9e3779b97f4a7c15ULL; break;
        case 3: acc ^= acc >> 29; break;
        case 4: acc *= 0xbf58476d1ce4e5b9ULL; break;
        case 5: acc = (acc << 7) | (acc >> 57); break;
        case 6: acc -= code[pc]; break;
        case 7: acc = ~acc; break;
        case 8: acc += stack[(sp - 1) & 15]; break;
        case 9: if (acc & 1) pc++; break;
        case 10: acc = acc / ((code[pc] | 1)); break;
        default: acc ^= (u64)pc << 32; break;
        }
    }
    return acc;
}

/* computed goto */
static u64 threaded(const uint8_t *code, size_t n)
{
    static void *labels[] = { &&l_inc, &&l_dbl, &&l_xor, &&l_neg };
    u64 acc = 1;
    size_t pc = 0;
#define NEXT() do { if (pc >= n) goto done; goto *labels[code[pc++] & 3]; } while (0)
    NEXT();
l_inc: acc += 1; NEXT();
l_dbl: acc += acc; NEXT();
l_xor: acc ^= 0x5555; NEXT();
l_neg: acc = -acc; NEXT();
done:
    return acc;
#undef NEXT
}

static void indirect(void)
{
    section("function pointers, jump tables, computed goto");
    static const op_fn ops[] = { op_add, op_sub, op_mul, op_xor, op_rot, op_max };
    u64 acc = 1;
    rnd_seed(3);
    for (int i = 0; i < 600; i++) {
        u64 r = rnd();
        op_fn f = ops[r % 6];
        acc = f(acc, r >> 3);
        if (i % 40 == 0) printf("step %3d op %llu acc %016llx\n", i, r % 6, acc);
    }
    mix(acc);
    uint8_t code[256];
    for (int round = 0; round < 8; round++) {
        for (int i = 0; i < 256; i++) code[i] = (uint8_t)(rnd() >> 56);
        u64 a = interp(code, 256, (u64)round);
        u64 t = threaded(code, 256);
        printf("program %d: interp %016llx threaded %016llx\n", round, a, t);
        mix(a ^ t);
    }
}

int main(void)
{
    jumps();
    recursion();
    indirect();
    finish("control");
    return 0;
}
