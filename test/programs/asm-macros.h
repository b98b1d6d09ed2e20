/* Helpers for the assembly test programs (cond.S, exclusive.S, loadstore.S): they define `main`,
   link with the C runtime, and print through printf. Results are recorded in a buffer with REC
   (X24 is the write pointer, X25 the buffer) and printed, four to a line, by FLUSH. */

        .macro PROLOGUE
        stp     x29, x30, [sp, #-96]!
        mov     x29, sp
        stp     x19, x20, [sp, #16]
        stp     x21, x22, [sp, #32]
        stp     x23, x24, [sp, #48]
        stp     x25, x26, [sp, #64]
        stp     x27, x28, [sp, #80]
        adrp    x25, results
        add     x25, x25, :lo12:results
        mov     x24, x25
        .endm

        .macro EPILOGUE
        ldp     x19, x20, [sp, #16]
        ldp     x21, x22, [sp, #32]
        ldp     x23, x24, [sp, #48]
        ldp     x25, x26, [sp, #64]
        ldp     x27, x28, [sp, #80]
        mov     w0, #0
        ldp     x29, x30, [sp], #96
        ret
        .endm

        /* Record a 64-bit register. */
        .macro REC reg
        str     \reg, [x24], #8
        .endm

        /* Record NZCV (as 0..15), clobbering \tmp. */
        .macro RECFLAGS tmp
        mrs     \tmp, nzcv
        lsr     \tmp, \tmp, #28
        str     \tmp, [x24], #8
        .endm

        /* Print a heading and the recorded values, then start a new record. */
        .macro FLUSH text
        .pushsection .rodata.str, "aMS", %progbits, 1
9997:   .asciz  "\text"
        .popsection
        adrp    x0, 9997b
        add     x0, x0, :lo12:9997b
        bl      print_results
        .endm

        .macro SAY text
        .pushsection .rodata.str, "aMS", %progbits, 1
9996:   .asciz  "\text"
        .popsection
        adrp    x0, 9996b
        add     x0, x0, :lo12:9996b
        bl      puts
        .endm

        /* Load a 64-bit constant. */
        .macro MOV64 reg, val
        movz    \reg, #((\val) & 0xffff)
        movk    \reg, #(((\val) >> 16) & 0xffff), lsl #16
        movk    \reg, #(((\val) >> 32) & 0xffff), lsl #32
        movk    \reg, #(((\val) >> 48) & 0xffff), lsl #48
        .endm

        .text
        .type   print_results, %function
/* print_results(const char *heading): prints "== heading", then the values recorded between
   X25 and X24 as hex, four per line with an index; resets X24 = X25. Keeps X19-X28. */
print_results:
        stp     x29, x30, [sp, #-48]!
        mov     x29, sp
        stp     x19, x20, [sp, #16]
        stp     x21, x22, [sp, #32]
        mov     x1, x0
        adrp    x0, .Lfmt_head
        add     x0, x0, :lo12:.Lfmt_head
        bl      printf
        mov     x19, x25                // read pointer
        mov     x20, #0                 // index
1:      cmp     x19, x24
        b.hs    3f
        adrp    x0, .Lfmt_idx
        add     x0, x0, :lo12:.Lfmt_idx
        mov     x1, x20
        bl      printf
        mov     x21, #4
2:      cmp     x19, x24
        b.hs    4f
        ldr     x1, [x19], #8
        add     x20, x20, #1
        adrp    x0, .Lfmt_val
        add     x0, x0, :lo12:.Lfmt_val
        bl      printf
        subs    x21, x21, #1
        b.ne    2b
4:      mov     w0, #'\n'
        bl      putchar
        b       1b
3:      mov     x24, x25
        ldp     x19, x20, [sp, #16]
        ldp     x21, x22, [sp, #32]
        ldp     x29, x30, [sp], #48
        ret
        .size   print_results, . - print_results

        .section .rodata
.Lfmt_head:     .asciz "== %s\n"
.Lfmt_idx:      .asciz "%4lu:"
.Lfmt_val:      .asciz " %016lx"

        .bss
        .balign 16
results:        .skip 8 * 4096
        .text
