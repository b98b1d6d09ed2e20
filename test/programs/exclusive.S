/* The exclusive monitor, in assembly (one PE, so only architecturally defined outcomes):
   LDXR/STXR of every size succeed and store; LDAXR/STLXR; LDXP/STXP of W and X pairs; a
   store-exclusive fails (status 1, memory unchanged) after CLREX, with no prior load-exclusive,
   and after another store-exclusive already used the reservation; retry loops; LDAR/STLR. */
#include "asm-macros.h"

        .text
        .globl  main
        .type   main, %function
main:
        PROLOGUE
        adrp    x19, cell
        add     x19, x19, :lo12:cell
        MOV64   x20, 0x0123456789abcdef
        MOV64   x21, 0xfedcba9876543210
        str     x20, [x19]
        str     x21, [x19, #8]

        // ---- each size: load-exclusive, store-exclusive (succeeds), read back
        clrex
        ldxrb   w10, [x19]
        add     w11, w10, #0x11
        stxrb   w12, w11, [x19]
        REC     x10
        REC     x12
        ldxrh   w10, [x19, #0]
        eor     w11, w10, #0xff00
        stxrh   w12, w11, [x19]
        REC     x10
        REC     x12
        ldxr    w10, [x19]
        mvn     w11, w10
        stxr    w12, w11, [x19]
        REC     x10
        REC     x12
        ldxr    x10, [x19]
        ror     x11, x10, #12
        stxr    w12, x11, [x19]
        REC     x10
        REC     x12
        ldr     x10, [x19]
        REC     x10
        FLUSH   "sizes (value, status)"

        // ---- acquire/release forms
        ldaxrb  w10, [x19]
        add     w10, w10, #5
        stlxrb  w12, w10, [x19]
        REC     x12
        ldaxrh  w10, [x19]
        add     w10, w10, #1
        stlxrh  w12, w10, [x19]
        REC     x12
        ldaxr   w10, [x19]
        add     w10, w10, #2
        stlxr   w12, w10, [x19]
        REC     x12
        ldaxr   x10, [x19]
        add     x10, x10, #3
        stlxr   w12, x10, [x19]
        REC     x12
        ldr     x10, [x19]
        REC     x10
        FLUSH   "acquire/release exclusives"

        // ---- pairs
        ldxp    x10, x11, [x19]
        REC     x10
        REC     x11
        stxp    w12, x11, x10, [x19]        // swap the two halves
        REC     x12
        ldp     x10, x11, [x19]
        REC     x10
        REC     x11
        ldxp    w10, w11, [x19]
        REC     x10
        REC     x11
        stxp    w12, w11, w10, [x19]
        REC     x12
        ldaxp   x10, x11, [x19]
        stlxp   w12, x10, x10, [x19]
        REC     x12
        ldp     x10, x11, [x19]
        REC     x10
        REC     x11
        FLUSH   "pairs"

        // ---- failures: memory must not change, status must be 1
        MOV64   x13, 0x1111111111111111
        ldxr    x10, [x19]
        clrex
        stxr    w12, x13, [x19]
        REC     x12
        ldr     x10, [x19]
        REC     x10
        clrex
        stxr    w12, x13, [x19]             // no load-exclusive at all
        REC     x12
        ldxr    x10, [x19]
        stxr    w12, x10, [x19]             // succeeds...
        REC     x12
        stxr    w12, x13, [x19]             // ...and used up the reservation
        REC     x12
        ldxrb   w10, [x19]
        clrex
        stxrb   w12, w13, [x19]
        REC     x12
        ldxp    x10, x11, [x19]
        clrex
        stxp    w12, x13, x13, [x19]
        REC     x12
        ldr     x10, [x19]
        REC     x10
        FLUSH   "failures"

        // ---- retry loops: atomic add and a counted exchange
        mov     x20, #0                     // retries
        mov     x21, #0
2:      ldaxr   x10, [x19]
        add     x10, x10, x21
        stlxr   w12, x10, [x19]
        cbz     w12, 3f
        add     x20, x20, #1
        b       2b
3:      add     x21, x21, #1
        cmp     x21, #1000
        b.lo    2b
        ldr     x10, [x19]
        REC     x10
        REC     x20
        mov     x21, #0
        adrp    x22, half
        add     x22, x22, :lo12:half
4:      ldxrh   w10, [x22]
        add     w11, w10, w21
        stxrh   w12, w11, [x22]
        cbnz    w12, 4b
        add     x21, x21, #3
        cmp     x21, #3000
        b.lo    4b
        ldrh    w10, [x22]
        REC     x10
        FLUSH   "retry loops (value, retries)"

        // ---- load-acquire / store-release (non-exclusive)
        MOV64   x13, 0x8899aabbccddeeff
        stlr    x13, [x19]
        ldar    x10, [x19]
        REC     x10
        stlrb   w13, [x19, #0]
        ldarb   w10, [x19]
        REC     x10
        stlrh   w13, [x19]
        ldarh   w10, [x19]
        REC     x10
        stlr    w13, [x19]
        ldar    w10, [x19]
        REC     x10
        ldr     x10, [x19, #8]
        REC     x10
        FLUSH   "acquire/release"
        EPILOGUE
        .size   main, . - main

        .data
        .balign 16
cell:   .quad   0, 0
half:   .hword  0xfff0
