/* Loads and stores, in assembly: every addressing mode (unsigned offset, unscaled, pre- and
   post-index with write-back, register offset with LSL/UXTW/SXTW/SXTX), every size and
   signedness (LDRSB/LDRSH/LDRSW into W and X), pairs (LDP/STP, LDPSW, LDNP/STNP), literals
   (LDR/LDRSW literal, ADR/ADRP), PRFM, and the SIMD&FP register loads/stores (B/H/S/D/Q).
   Every access is naturally aligned: with the MMU off, memory is Device-nGnRnE, where an
   unaligned access is an alignment fault (QEMU 7.2 does not check it; hvlab may). */
#include "asm-macros.h"

        .text
        .globl  main
        .type   main, %function
main:
        PROLOGUE
        adrp    x19, buf
        add     x19, x19, :lo12:buf
        // fill buf[0..255] with i * 0x9d + 0x37 (bytes with both sign bit values)
        mov     x10, #0
1:      mov     w11, #0x9d
        mul     w11, w10, w11
        add     w11, w11, #0x37
        strb    w11, [x19, x10]
        add     x10, x10, #1
        cmp     x10, #256
        b.lo    1b

        // ---- unsigned offsets, every size and sign
        ldrb    w10, [x19, #1]
        REC     x10
        ldrsb   w10, [x19, #3]
        REC     x10
        ldrsb   x10, [x19, #3]
        REC     x10
        ldrh    w10, [x19, #6]
        REC     x10
        ldrsh   w10, [x19, #6]
        REC     x10
        ldrsh   x10, [x19, #10]
        REC     x10
        ldr     w10, [x19, #12]
        REC     x10
        ldrsw   x10, [x19, #20]
        REC     x10
        ldr     x10, [x19, #24]
        REC     x10
        ldr     x10, [x19, #4088 - 4000]
        REC     x10
        FLUSH   "unsigned offset"

        // ---- unscaled (LDUR) with negative and odd offsets
        add     x20, x19, #128
        ldurb   w10, [x20, #-1]
        REC     x10
        ldursb  x10, [x20, #-3]
        REC     x10
        ldurh   w10, [x20, #-2]
        REC     x10
        ldursh  w10, [x20, #-256]
        REC     x10
        ldur    w10, [x20, #-12]
        REC     x10
        ldursw  x10, [x20, #-4]
        REC     x10
        ldur    x10, [x20, #-8]
        REC     x10
        ldur    x10, [x20, #255 - 247]
        REC     x10
        FLUSH   "unscaled offset"

        // ---- pre/post index with write-back
        mov     x20, x19
        ldr     x10, [x20, #16]!
        REC     x10
        REC     x20
        ldr     w10, [x20], #-4
        REC     x10
        REC     x20
        ldrsh   x10, [x20, #-2]!
        REC     x10
        ldrb    w10, [x20], #254
        REC     x10
        ldrsb   w10, [x20, #-256]!
        REC     x10
        sub     x11, x20, x19
        REC     x11
        ldrsw   x10, [x20], #8
        REC     x10
        sub     x11, x20, x19
        REC     x11
        FLUSH   "pre/post index"

        // ---- register offsets
        mov     x11, #5
        ldrb    w10, [x19, x11]
        REC     x10
        ldrh    w10, [x19, x11, lsl #1]
        REC     x10
        ldr     w10, [x19, x11, lsl #2]
        REC     x10
        ldr     x10, [x19, x11, lsl #3]
        REC     x10
        mov     x12, #-3
        add     x20, x19, #64
        ldrsb   x10, [x20, x12]
        REC     x10
        ldr     x10, [x20, x12, lsl #3]
        REC     x10
        ldrsw   x10, [x20, w12, sxtw #2]
        REC     x10
        ldrsb   w10, [x20, w12, sxtw]
        REC     x10
        MOV64   x13, 0xffffffff00000002     // uxtw uses only the low 32 bits
        ldr     w10, [x19, w13, uxtw #2]
        REC     x10
        ldr     x10, [x20, x12, sxtx #3]
        REC     x10
        ldrh    w10, [x19, w11, uxtw #1]
        REC     x10
        FLUSH   "register offset"

        // ---- stores of every size and mode, then dump the area
        adrp    x21, out
        add     x21, x21, :lo12:out
        MOV64   x13, 0x8877665544332211
        strb    w13, [x21, #0]
        strh    w13, [x21, #2]
        str     w13, [x21, #4]
        str     x13, [x21, #8]
        sturb   w13, [x21, #17]
        sturh   w13, [x21, #18]
        stur    w13, [x21, #20]
        stur    x13, [x21, #24]
        mov     x20, x21
        add     x20, x20, #40
        str     x13, [x20, #8]!
        strb    w13, [x20], #3
        strh    w13, [x20, #1]!
        mov     x11, #9
        str     w13, [x21, x11, lsl #2]
        strb    w13, [x21, x11]
        stp     w13, w11, [x21, #64]
        stp     x13, x11, [x21, #72]!
        stp     x11, x13, [x21], #16
        sub     x21, x21, #88
        stnp    x11, x13, [x21, #96]
        stp     wzr, w13, [x21, #112]
        str     xzr, [x21, #120]
        mov     x10, #0
2:      ldr     x11, [x21, x10, lsl #3]
        REC     x11
        add     x10, x10, #1
        cmp     x10, #16
        b.lo    2b
        sub     x11, x20, x21
        REC     x11
        FLUSH   "stores"

        // ---- pairs
        ldp     w10, w11, [x19, #8]
        REC     x10
        REC     x11
        ldp     x10, x11, [x19, #-0]
        REC     x10
        REC     x11
        ldpsw   x10, x11, [x19, #24]
        REC     x10
        REC     x11
        add     x20, x19, #32
        ldp     x10, x11, [x20, #-16]!
        REC     x10
        REC     x11
        ldp     w10, w11, [x20], #-8
        REC     x10
        REC     x11
        sub     x12, x20, x19
        REC     x12
        ldnp    x10, x11, [x19, #48]
        REC     x10
        REC     x11
        ldp     x10, x11, [x19, #504 - 296]
        REC     x10
        REC     x11
        FLUSH   "pairs"

        // ---- literals, ADR/ADRP, PRFM
        ldr     x10, lit64
        REC     x10
        ldr     w10, lit64
        REC     x10
        ldrsw   x10, lit32
        REC     x10
        ldr     x10, =0x0badc0ffee0ddf00
        REC     x10
        adr     x10, lit64
        adr     x11, main
        sub     x10, x10, x11
        REC     x10
        adrp    x10, buf
        adrp    x11, main
        sub     x10, x10, x11
        REC     x10
        prfm    pldl1keep, [x19]
        prfm    pstl2strm, [x19, #64]
        prfm    plil3keep, lit64
        prfum   pldl1keep, [x19, #-1]
        REC     x19
        FLUSH   "literals"

        // ---- SIMD&FP registers through memory
        ldr     b0, [x19, #1]
        ldr     h1, [x19, #2]
        ldr     s2, [x19, #4]
        ldr     d3, [x19, #8]
        ldr     q4, [x19, #16]
        ldur    q5, [x19, #32]
        ldp     s6, s7, [x19, #40]
        ldp     d8, d9, [x19, #48]
        ldp     q10, q11, [x19, #64]
        add     x20, x19, #96
        ldr     q12, [x20], #16
        ldr     d13, [x20, #8]!
        mov     x12, #3
        ldr     q14, [x19, x12, lsl #4]
        ldr     s15, lits
        ldr     d16, lit64
        ldr     q17, litq
        adrp    x21, out
        add     x21, x21, :lo12:out
        str     b0, [x21, #0]
        str     h1, [x21, #2]
        str     s2, [x21, #4]
        str     d3, [x21, #8]
        str     q4, [x21, #16]
        stur    q5, [x21, #32]
        stp     s6, s7, [x21, #48]
        stp     d8, d9, [x21, #56]
        stp     q10, q11, [x21, #80]
        str     q12, [x21, #112]
        str     d13, [x21, #128]
        str     q14, [x21, #144]
        str     s15, [x21, #160]
        stur    d16, [x21, #168]
        stp     q17, q0, [x21, #176]!       // q0 = the byte, zero-extended to 128 bits
        sub     x21, x21, #176
        mov     x10, #0
3:      ldr     x11, [x21, x10, lsl #3]
        REC     x11
        add     x10, x10, #1
        cmp     x10, #26
        b.lo    3b
        FLUSH   "SIMD&FP loads and stores"
        EPILOGUE
        .size   main, . - main

        .balign 16
litq:   .quad   0x0f0e0d0c0b0a0908, 0x1716151413121110
lit64:  .quad   0xfedcba9876543210
lit32:  .word   0x80000001
lits:   .word   0x3f800000
        .ltorg

        .bss
        .balign 16
buf:    .skip   512
out:    .skip   256
