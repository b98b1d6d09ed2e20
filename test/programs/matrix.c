/* Integer matrix arithmetic: multiply (32-bit with wrap-around, 64-bit, 16-bit inputs widened),
   transpose, power by squaring, Bareiss fraction-free determinant (exact 64-bit divisions). */
#include "common.h"

#define M 24

static i32 A[M][M], B[M][M], C[M][M];
static i64 D[M][M], E[M][M], F[M][M];
static int16_t S[M][M];

static void mul32(i32 r[M][M], i32 a[M][M], i32 b[M][M])
{
    for (int i = 0; i < M; i++)
        for (int j = 0; j < M; j++) {
            u32 s = 0;
            for (int k = 0; k < M; k++) s += (u32)a[i][k] * (u32)b[k][j];
            r[i][j] = (i32)s;
        }
}

static void mul64(i64 r[M][M], i64 a[M][M], i64 b[M][M])
{
    static i64 t[M][M];
    for (int i = 0; i < M; i++)
        for (int j = 0; j < M; j++) {
            u64 s = 0;
            for (int k = 0; k < M; k++) s += (u64)a[i][k] * (u64)b[k][j];
            t[i][j] = (i64)s;
        }
    memcpy(r, t, sizeof(t));
}

static u64 hash32(i32 m[M][M]) { u64 h = 0; for (int i = 0; i < M; i++) for (int j = 0; j < M; j++) h = h * 1099511628211ULL + (u32)m[i][j]; return h; }
static u64 hash64(i64 m[M][M]) { u64 h = 0; for (int i = 0; i < M; i++) for (int j = 0; j < M; j++) h = h * 1099511628211ULL + (u64)m[i][j]; return h; }

static i64 bareiss(int n, i64 m[M][M])
{
    static i64 a[M][M];
    memcpy(a, m, sizeof(a));
    i64 sign = 1, prev = 1;
    for (int k = 0; k < n - 1; k++) {
        if (a[k][k] == 0) {
            int p = k + 1;
            while (p < n && a[p][k] == 0) p++;
            if (p == n) return 0;
            for (int j = 0; j < n; j++) { i64 t = a[k][j]; a[k][j] = a[p][j]; a[p][j] = t; }
            sign = -sign;
        }
        for (int i = k + 1; i < n; i++)
            for (int j = k + 1; j < n; j++)
                a[i][j] = (a[i][j] * a[k][k] - a[i][k] * a[k][j]) / prev;
        prev = a[k][k];
    }
    return sign * a[n - 1][n - 1];
}

int main(void)
{
    rnd_seed(77);
    for (int i = 0; i < M; i++)
        for (int j = 0; j < M; j++) {
            u64 r = rnd();
            A[i][j] = (i32)r;
            B[i][j] = (i32)(r >> 32);
            D[i][j] = (i64)(r >> 40) - (1 << 23);
            E[i][j] = (i64)(i32)(r >> 13);
            S[i][j] = (int16_t)(r >> 20);
        }
    section("32-bit multiply (wrapping)");
    mul32(C, A, B);
    for (int i = 0; i < M; i += 5)
        printf("C[%2d]: %08x %08x %08x %08x .. %08x\n", i, (u32)C[i][0], (u32)C[i][1], (u32)C[i][2], (u32)C[i][3], (u32)C[i][M - 1]);
    printf("hash %016llx\n", hash32(C));
    mix(hash32(C));

    section("64-bit multiply and powers");
    mul64(F, D, E);
    for (int i = 0; i < M; i += 5)
        printf("F[%2d]: %lld %lld .. %lld\n", i, F[i][0], F[i][1], F[i][M - 1]);
    printf("hash %016llx\n", hash64(F));
    mix(hash64(F));
    static i64 P[M][M], X[M][M];
    memset(P, 0, sizeof(P));
    for (int i = 0; i < M; i++) P[i][i] = 1;
    memcpy(X, D, sizeof(X));
    for (unsigned e = 13; e; e >>= 1) {
        if (e & 1) mul64(P, P, X);
        mul64(X, X, X);
        printf("e %2u: P[0][0] %016llx X[1][2] %016llx\n", e, (u64)P[0][0], (u64)X[1][2]);
    }
    printf("D^13 hash %016llx\n", hash64(P));
    mix(hash64(P));

    section("16-bit inputs, widened, transposed");
    for (int i = 0; i < M; i++) {
        i64 row = 0;
        for (int j = 0; j < M; j++) {
            i64 s = 0;
            for (int k = 0; k < M; k++) s += (i32)S[i][k] * (i32)S[j][k];     /* S * S^T */
            row ^= s << (j & 7);
        }
        printf("row %2d %016llx\n", i, (u64)row);
        mix((u64)row);
    }

    section("determinants (Bareiss)");
    static i64 G[M][M];
    for (int n = 1; n <= 9; n++) {
        rnd_seed(500 + n);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                G[i][j] = (i64)(rnd() % 19) - 9;
        i64 det = bareiss(n, G);
        printf("n=%d det %lld\n", n, det);
        mix((u64)det);
    }
    /* A known one: the Hilbert-like integer matrix min(i,j)+1 has determinant 1. */
    for (int i = 0; i < 8; i++)
        for (int j = 0; j < 8; j++)
            G[i][j] = (i < j ? i : j) + 1;
    printf("min-matrix det %lld\n", bareiss(8, G));
    finish("matrix");
    return 0;
}
