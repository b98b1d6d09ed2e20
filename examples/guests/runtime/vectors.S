// EL1 exception vectors for hvlab's example guests (Arm ARM D1.10.2 "Exception vectors": 16
// entries of 128 bytes at VBAR_EL1, 2 KiB aligned). Every entry saves the interrupted context as
// a `struct frame` (guest.h) on the current stack (SP_EL1: guests run at EL1h), calls
// exc_entry(frame, kind) in C and resumes the frame that returns. An OS (the RTOS) switches tasks
// by returning another task's frame: the frame is on that task's own stack, so restoring SP
// from the returned pointer and popping the frame resumes it where it was interrupted.
//
// struct frame: x0..x30 at 0..240, ELR_EL1 at 248, SPSR_EL1 at 256, 8 bytes of padding (the
// frame is 272 bytes, keeping SP 16-byte aligned).

        .file   "vectors.S"

        .equ    FRAME_SIZE, 272

        .macro  ENTRY kind
        .balign 128
        sub     sp, sp, #FRAME_SIZE
        stp     x0, x1, [sp, #0]
        mov     x1, #\kind
        b       exc_common
        .endm

        .section .text.vectors, "ax"
        .balign 2048
        .globl  exc_vectors
exc_vectors:
        // Current EL with SP_EL0 (kinds 0-3), current EL with SP_ELx (4-7),
        // lower EL AArch64 (8-11), lower EL AArch32 (12-15); each: sync, IRQ, FIQ, SError.
        ENTRY   0
        ENTRY   1
        ENTRY   2
        ENTRY   3
        ENTRY   4
        ENTRY   5
        ENTRY   6
        ENTRY   7
        ENTRY   8
        ENTRY   9
        ENTRY   10
        ENTRY   11
        ENTRY   12
        ENTRY   13
        ENTRY   14
        ENTRY   15

        .text
        .type   exc_common, %function
exc_common:
        stp     x2, x3, [sp, #16]
        stp     x4, x5, [sp, #32]
        stp     x6, x7, [sp, #48]
        stp     x8, x9, [sp, #64]
        stp     x10, x11, [sp, #80]
        stp     x12, x13, [sp, #96]
        stp     x14, x15, [sp, #112]
        stp     x16, x17, [sp, #128]
        stp     x18, x19, [sp, #144]
        stp     x20, x21, [sp, #160]
        stp     x22, x23, [sp, #176]
        stp     x24, x25, [sp, #192]
        stp     x26, x27, [sp, #208]
        stp     x28, x29, [sp, #224]
        mrs     x2, elr_el1
        mrs     x3, spsr_el1
        str     x30, [sp, #240]
        stp     x2, x3, [sp, #248]
        mov     x0, sp
        bl      exc_entry
        // x0: the frame to resume (this one, or another task's).
        mov     sp, x0
        ldp     x2, x3, [sp, #248]
        msr     elr_el1, x2
        msr     spsr_el1, x3
        ldp     x0, x1, [sp, #0]
        ldp     x2, x3, [sp, #16]
        ldp     x4, x5, [sp, #32]
        ldp     x6, x7, [sp, #48]
        ldp     x8, x9, [sp, #64]
        ldp     x10, x11, [sp, #80]
        ldp     x12, x13, [sp, #96]
        ldp     x14, x15, [sp, #112]
        ldp     x16, x17, [sp, #128]
        ldp     x18, x19, [sp, #144]
        ldp     x20, x21, [sp, #160]
        ldp     x22, x23, [sp, #176]
        ldp     x24, x25, [sp, #192]
        ldp     x26, x27, [sp, #208]
        ldp     x28, x29, [sp, #224]
        ldr     x30, [sp, #240]
        add     sp, sp, #FRAME_SIZE
        eret
        .size   exc_common, . - exc_common
