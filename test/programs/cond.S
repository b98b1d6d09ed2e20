/* Flags and conditional instructions, in assembly: for every pair of edge values, the 16
   condition codes after CMP (64 and 32 bit), ADDS/ADCS/SUBS/SBCS/NEGS/NGCS results and NZCV
   with both carry-ins, CCMP/CCMN in both branches, CSEL/CSINC/CSINV/CSNEG, and the branch forms
   B.cond, CBZ/CBNZ, TBZ/TBNZ. */
#include "asm-macros.h"

        /* A 16-bit mask: bit k = condition k holds (EQ NE CS CC MI PL VS VC HI LS GE LT GT LE AL NV). */
        .macro CONDMASK out, tmp
        mov     \out, #0
        .irp    c, eq, ne, cs, cc, mi, pl, vs, vc, hi, ls, ge, lt, gt, le
        cset    \tmp, \c
        lsl     \out, \out, #1
        orr     \out, \out, \tmp
        .endr
        mov     \tmp, #1
        csel    \tmp, \tmp, xzr, al
        lsl     \out, \out, #1
        orr     \out, \out, \tmp
        mov     \tmp, #1
        csel    \tmp, \tmp, xzr, nv
        lsl     \out, \out, #1
        orr     \out, \out, \tmp
        .endm

        .macro CARRY_IN v        /* C = \v, others 0 */
        mov     x9, #(\v << 29)
        msr     nzcv, x9
        .endm

        .text
        .globl  main
        .type   main, %function
main:
        PROLOGUE
        adrp    x19, values
        add     x19, x19, :lo12:values
        mov     x20, #0                         // i
.Louter:
        mov     x21, #0                         // j
.Linner:
        ldr     x22, [x19, x20, lsl #3]         // a
        ldr     x23, [x19, x21, lsl #3]         // b
        REC     x22
        REC     x23
        // comparisons
        cmp     x22, x23
        CONDMASK x10, x11
        REC     x10
        cmp     w22, w23
        CONDMASK x10, x11
        REC     x10
        cmn     x22, x23
        CONDMASK x10, x11
        REC     x10
        tst     x22, x23
        CONDMASK x10, x11
        REC     x10
        // arithmetic with flags
        adds    x10, x22, x23
        RECFLAGS x11
        REC     x10
        adds    w10, w22, w23
        RECFLAGS x11
        REC     x10
        subs    x10, x22, x23
        RECFLAGS x11
        REC     x10
        subs    w10, w22, w23
        RECFLAGS x11
        REC     x10
        CARRY_IN 0
        adcs    x10, x22, x23
        RECFLAGS x11
        REC     x10
        CARRY_IN 1
        adcs    x10, x22, x23
        RECFLAGS x11
        REC     x10
        CARRY_IN 0
        sbcs    x10, x22, x23
        RECFLAGS x11
        REC     x10
        CARRY_IN 1
        sbcs    w10, w22, w23
        RECFLAGS x11
        REC     x10
        CARRY_IN 1
        adc     w10, w22, w23
        sbc     x12, x22, x23
        REC     x10
        REC     x12
        negs    x10, x22
        RECFLAGS x11
        CARRY_IN 0
        ngcs    w10, w23
        RECFLAGS x11
        ands    x10, x22, x23
        RECFLAGS x11
        bics    w10, w22, w23
        RECFLAGS x11
        REC     x10
        // conditional compare: both outcomes of the condition
        cmp     x22, x23
        ccmp    x23, #5, #0b1010, lt
        RECFLAGS x11
        cmp     x22, x23
        ccmp    x22, x23, #0b0101, ge
        RECFLAGS x11
        cmp     w22, w23
        ccmn    w22, w23, #0b1111, hi
        RECFLAGS x11
        cmp     w23, #0
        ccmn    x22, #31, #0b0000, ne
        RECFLAGS x11
        // conditional selects
        cmp     x22, x23
        csel    x10, x22, x23, gt
        csinc   x11, x22, x23, le
        csinv   x12, x22, x23, cc
        csneg   x13, x22, x23, vs
        REC     x10
        REC     x11
        REC     x12
        REC     x13
        cmp     w22, w23
        csneg   w10, w22, w23, mi
        cinc    w11, w23, ls
        cinv    x12, x22, eq
        cneg    x13, x23, pl
        csetm   x14, hs
        REC     x10
        REC     x11
        REC     x12
        REC     x13
        REC     x14
        // branches: a bit per taken branch
        mov     x10, #0
        cmp     x22, x23
        b.lt    1f
        orr     x10, x10, #1
1:      b.hi    1f
        orr     x10, x10, #2
1:      b.vs    1f
        orr     x10, x10, #4
1:      cbz     x22, 1f
        orr     x10, x10, #8
1:      cbnz    w23, 1f
        orr     x10, x10, #16
1:      tbz     x22, #63, 1f
        orr     x10, x10, #32
1:      tbnz    x23, #31, 1f
        orr     x10, x10, #64
1:      tbz     w22, #0, 1f
        orr     x10, x10, #128
1:      REC     x10
        FLUSH   "pair"
        add     x21, x21, #1
        cmp     x21, #NVALUES
        b.lo    .Linner
        add     x20, x20, #1
        cmp     x20, #NVALUES
        b.lo    .Louter

        // MSR/MRS NZCV round trip of every flag combination
        mov     x20, #0
1:      lsl     x10, x20, #28
        msr     nzcv, x10
        CONDMASK x11, x12
        mrs     x13, nzcv
        REC     x11
        REC     x13
        add     x20, x20, #1
        cmp     x20, #16
        b.lo    1b
        FLUSH   "nzcv round trip"
        EPILOGUE
        .size   main, . - main

        .section .rodata
        .balign 8
values:
        .quad   0, 1, 2, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000
        .quad   0x7fffffffffffffff, 0x8000000000000000, 0xffffffffffffffff, 0xfffffffffffffffe
        .quad   0x123456789abcdef0, 0x80000000ffffffff, 0x00000000fffffffb
        .equ    NVALUES, (. - values) / 8
