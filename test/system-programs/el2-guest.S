// A bare-metal hypervisor in miniature, QEMU `-M virt,virtualization=on,gic-version=3`: EL2 builds
// stage-2 tables in its own image (VTCR_EL2: 4 KiB granule, T0SZ = 25 (39-bit IPA), SL0 = 1 (walk
// starts at level 1), PS = 40 bits; VTTBR_EL2 with VMID 5) mapping guest IPA 0x80000000.. to the
// image's own pages (not identity, so a wrong walk shows) and IPA 0x09000000 to the UART, then
// runs a guest at EL1 (MMU off: VA = IPA) whose code is in the same image. The guest's HVC, its
// stage-2 translation faults at levels 1, 2 and 3 and out of the IPA range, a stage-2 permission
// fault (S2AP read-only) and its WFI (HCR_EL2.TWI) are taken at EL2, which prints ESR_EL2,
// FAR_EL2 and HPFAR_EL2 and maps the page (level 3), makes it writable (permission) or skips the
// instruction. Then EL2 injects virtual INTID 42 through ICH_LR0_EL2; the guest takes it at its
// EL1 IRQ vector through ICV_IAR1_EL1 (HCR_EL2.IMO) and completes it with ICV_EOIR1_EL1, and EL2
// prints the list register and ICH_* summaries on the way; last an underflow maintenance
// interrupt (ICH_HCR_EL2.UIE) is taken at EL2 as physical PPI 25.
.text
// The image starts page-aligned (LOAD_ADDRESS); print.inc's routines come first.
image_start:
#include "print.inc"
.equ GICD, 0x08000000
.equ GICR, 0x080a0000
.equ SGI_BASE, GICR + 0x10000
.equ GUEST_IPA, 0x80000000
// Stage-2 descriptors (Arm ARM D8.3 / D5.3.3): MemAttr[5:2], S2AP[7:6], SH[9:8], AF[10].
.equ S2_PAGE_RW, 0x7ff            // page, Normal WB (MemAttr 0b1111), S2AP RW, Inner Shareable, AF
.equ S2_PAGE_RO, 0x77f            // the same with S2AP = 0b01 (read-only)
.equ S2_PAGE_NOAF, 0x3ff          // RW with AF = 0: the first access is an Access flag fault
.equ S2_XN, 1 << 54               // XN[1] (D8.3.2, with or without FEAT_XNX): no execution at EL1/EL0
.equ S2_BLOCK_DEV, 0x4c5          // level-2 block, Device-nGnRE (MemAttr 0b0001), S2AP RW, AF
.equ S2_TABLE, 0x3
// The guest's view of a label: IPA = GUEST_IPA + (label - image_start).
.macro GUEST_ADDR reg, label
  adr \reg, \label
  adr x3, image_start
  sub \reg, \reg, x3
  movz x3, #(GUEST_IPA >> 16), lsl #16
  add \reg, \reg, x3
.endm
// EL2 handlers keep every guest register x0-x16, x30.
.macro SAVE
  sub sp, sp, #144
  stp x0, x1, [sp, #0]
  stp x2, x3, [sp, #16]
  stp x4, x5, [sp, #32]
  stp x6, x7, [sp, #48]
  stp x8, x9, [sp, #64]
  stp x10, x11, [sp, #80]
  stp x12, x13, [sp, #96]
  stp x14, x15, [sp, #112]
  stp x16, x30, [sp, #128]
.endm
.macro RESTORE_ERET
  ldp x0, x1, [sp, #0]
  ldp x2, x3, [sp, #16]
  ldp x4, x5, [sp, #32]
  ldp x6, x7, [sp, #48]
  ldp x8, x9, [sp, #64]
  ldp x10, x11, [sp, #80]
  ldp x12, x13, [sp, #96]
  ldp x14, x15, [sp, #112]
  ldp x16, x30, [sp, #128]
  add sp, sp, #144
  eret
.endm
.macro LABEL_HEX str, reg
  mov x16, \reg               // PUTS clobbers x0-x3
  PUTS \str
  PUTHEX x16
.endm

.globl _start
_start:
  adr x0, vectors_el2
  msr vbar_el2, x0
  adr x0, stack_el2_top
  mov sp, x0
  PUTS s_hello

  // Stage 2. Level 1: [0] -> L2 for 0..1 GiB, [2] -> L2 for 2..3 GiB; [3] stays invalid.
  adr x4, s2_l1
  adr x5, s2_l2_low
  orr x6, x5, #S2_TABLE
  str x6, [x4, #0]
  adr x6, s2_l2_ram
  orr x7, x6, #S2_TABLE
  str x7, [x4, #16]
  // 0x09000000 (UART0) as a 2 MiB device block, IPA = PA.
  movz x7, #0x0900, lsl #16
  mov x8, #S2_BLOCK_DEV
  orr x7, x7, x8
  str x7, [x5, #8 * (0x09000000 >> 21)]
  // IPA 0x80000000..0x801fffff -> L3; 0x80200000.. stays invalid.
  adr x7, s2_l3_ram
  orr x8, x7, #S2_TABLE
  str x8, [x6, #0]
  // L3: the image's pages, IPA GUEST_IPA + n * 4 KiB -> PA image_start + n * 4 KiB.
  adr x8, image_start
  adr x9, image_end
  mov x10, #S2_PAGE_RW
1: orr x11, x8, x10
  str x11, [x7], #8
  add x8, x8, #4096
  cmp x8, x9
  b.lo 1b
  // ro_page read-only.
  adr x7, s2_l3_ram
  adr x8, ro_page
  adr x9, image_start
  sub x9, x8, x9
  lsr x9, x9, #12
  mov x10, #S2_PAGE_RO
  orr x8, x8, x10
  str x8, [x7, x9, lsl #3]
  // Extra guest pages, all out of line with the image: IPA 0x80180000 -> fault_page with AF = 0;
  // 0x80190000 -> code_page execute-never, 0x80191000 -> code_page executable.
  adr x8, fault_page
  mov x10, #S2_PAGE_NOAF
  orr x8, x8, x10
  str x8, [x7, #8 * 0x180]
  adr x8, code_page
  mov x10, #S2_PAGE_RW
  orr x8, x8, x10
  str x8, [x7, #8 * 0x191]
  orr x8, x8, #S2_XN
  str x8, [x7, #8 * 0x190]
  dsb sy

  // VTCR_EL2: RES1 bit 31 | PS = 0b010 (40 bits) | TG0 = 4K | SH0/ORGN0/IRGN0 = 0 (the tables are
  // written with EL2's MMU off, i.e. non-cacheable) | SL0 = 1 | T0SZ = 25.
  movz x0, #0x8002, lsl #16
  movk x0, #0x0059
  msr vtcr_el2, x0
  adr x0, s2_l1
  movz x1, #5, lsl #48        // VMID 5
  orr x0, x0, x1
  msr vttbr_el2, x0
  isb
  tlbi vmalls12e1
  dsb sy
  isb

  // Physical GIC for the maintenance interrupt (PPI 25) at EL2: distributor with affinity routing
  // and both groups, redistributor 0 awake, PPI 25 Group 1 priority 0x80 enabled.
  ldr x1, =GICD
  mov w2, #0x13
  str w2, [x1]
  ldr x1, =GICR
  ldr w2, [x1, #0x14]
  bic w2, w2, #2
  str w2, [x1, #0x14]
1: ldr w2, [x1, #0x14]
  tbnz w2, #2, 1b
  ldr x1, =SGI_BASE
  mov w2, #(1 << 25)
  str w2, [x1, #0x80]          // GICR_IGROUPR0
  mov w2, #0x80
  strb w2, [x1, #0x400 + 25]   // GICR_IPRIORITYR
  // PPI 25 stays disabled while the guest runs (its EOI maintenance condition arises mid-run);
  // EL2 enables it when it wants to take the interrupt, so the order of events is fixed.
  // ICC_SRE_EL2: SRE | Enable (EL1 may use the system registers too).
  mov x0, #0x9
  msr icc_sre_el2, x0
  isb
  mov x0, #0xff
  msr icc_pmr_el1, x0
  mov x0, #1
  msr icc_igrpen1_el1, x0
  // The virtual CPU interface: ICH_VTR_EL2 as implemented, En on, LR0 = pending, Group 1,
  // priority 0xa0, vINTID 42 (HW = 0: a purely virtual interrupt).
  mrs x0, ich_vtr_el2
  LABEL_HEX s_vtr, x0
  PUTC 10
  mov x0, #1
  msr ich_hcr_el2, x0
  movz x0, #0x50a0, lsl #48
  movk x0, #42
  msr ich_lr0_el2, x0
  // LR1 = pending, Group 1, priority 0x80 (higher: taken first), vINTID 43, EOI = 1 (bit 41:
  // EOI maintenance when the guest completes it).
  movz x0, #0x5080, lsl #48
  movk x0, #0x0200, lsl #32
  movk x0, #43
  msr ich_lr1_el2, x0
  isb

  // HCR_EL2: RW | TSC | TWI | AMO | IMO | FMO | VM.
  movz x0, #0x8008, lsl #16
  movk x0, #0x2039
  msr hcr_el2, x0
  movz x0, #0x30d0, lsl #16   // SCTLR_EL1: RES1 bits, MMU and alignment checks off
  movk x0, #0x0800
  msr sctlr_el1, x0
  GUEST_ADDR x0, guest_entry
  msr elr_el2, x0
  mov x0, #0x3c5              // EL1h, DAIF masked
  msr spsr_el2, x0
  isb
  eret

// ---- EL2 exception handlers ----
el2_sync:
  SAVE
  mrs x9, esr_el2
  lsr x10, x9, #26
  cmp x10, #0x16
  b.eq el2_hvc
  cmp x10, #0x24
  b.eq el2_dabt
  cmp x10, #0x01
  b.eq el2_wfi
  cmp x10, #0x20
  b.eq el2_iabt
  cmp x10, #0x17
  b.eq el2_smc
  cmp x10, #0x18
  b.eq el2_sysreg
  mov x18, #0x400
  b el2_bad

// Instruction abort from the guest (a BLR to a bad IPA): print, resume at the guest's x30.
el2_iabt:
  mrs x11, far_el2
  mrs x12, hpfar_el2
  LABEL_HEX s_iabt, x9
  LABEL_HEX s_far, x11
  and x10, x9, #0x3f           // IFSC
  cmp x10, #0x0f
  b.eq 1f
  LABEL_HEX s_hpfar, x12
1: PUTC 10
  ldr x0, [sp, #136]           // the saved x30
  msr elr_el2, x0
  RESTORE_ERET

// SMC trapped by HCR_EL2.TSC: the preferred return is the SMC itself, so skip it.
el2_smc:
  LABEL_HEX s_smc, x9
  PUTC 10
  b skip_eret

// An ICC_* access trapped by ICH_HCR_EL2.TALL1: untrap and skip the access.
el2_sysreg:
  LABEL_HEX s_sysreg, x9
  PUTC 10
  mrs x0, ich_hcr_el2
  bic x0, x0, #(1 << 12)
  msr ich_hcr_el2, x0
  b skip_eret

el2_wfi:
  LABEL_HEX s_wfi, x9
  PUTC 10
  b skip_eret

el2_dabt:
  mrs x11, far_el2
  mrs x12, hpfar_el2
  LABEL_HEX s_dabt, x9
  LABEL_HEX s_far, x11
  and x10, x9, #0x3f           // DFSC
  cmp x10, #0x0f               // permission fault, level 3: HPFAR_EL2 is not recorded for it
  b.eq 1f
  LABEL_HEX s_hpfar, x12
1: PUTC 10
  cmp x10, #0x07               // translation fault, level 3: map the page to fault_page, retry
  b.eq map_page
  cmp x10, #0x0f
  b.eq make_writable
  cmp x10, #0x0b               // access flag fault, level 3: set AF, retry
  b.eq set_af
  b skip_eret                  // level 0/1/2 translation faults: skip the load

map_page:
  adr x7, s2_l3_ram
  ubfx x8, x12, #4, #9         // L3 index = IPA[20:12] = HPFAR_EL2.FIPA[8:0]
  adr x6, fault_page
  mov x5, #S2_PAGE_RW
  orr x6, x6, x5
  str x6, [x7, x8, lsl #3]
  dsb ishst
  isb
  RESTORE_ERET

set_af:
  adr x7, s2_l3_ram
  ubfx x8, x12, #4, #9
  ldr x6, [x7, x8, lsl #3]
  orr x6, x6, #(1 << 10)
  str x6, [x7, x8, lsl #3]
  dsb ishst
  isb
  RESTORE_ERET

make_writable:
  adr x7, s2_l3_ram
  ubfx x8, x11, #12, #9        // L3 index = IPA[20:12]; stage 1 is off, so FAR_EL2 = IPA
  ldr x6, [x7, x8, lsl #3]
  orr x6, x6, #(1 << 7)        // S2AP[1]: write
  str x6, [x7, x8, lsl #3]
  dsb ishst
  lsr x6, x11, #12
  tlbi ipas2e1is, x6           // the stale read-only entry, by IPA, then stage-1 (combined) entries
  dsb ish
  tlbi vmalle1is
  dsb ish
  isb
  RESTORE_ERET

skip_eret:
  mrs x0, elr_el2
  add x0, x0, #4
  msr elr_el2, x0
  RESTORE_ERET

el2_hvc:
  LABEL_HEX s_hvc, x9
  PUTC 10
  and x10, x9, #0xffff
  cmp x10, #1
  b.eq hvc_active
  cmp x10, #2
  b.eq hvc_after_eoi
  cmp x10, #0x99
  b.eq finish
  cmp x10, #3
  b.eq hvc_tall1
  cmp x10, #4
  b.eq hvc_at
  cmp x10, #5
  b.eq hvc_hw_inject
  cmp x10, #6
  b.eq hvc_hw_done
  cmp x10, #0
  b.eq guest_off
  RESTORE_ERET

// hvc #5: a physical SPI (48, pended by software) taken at EL2 with ICC_CTLR_EL1.EOImode = 1
// (EOI drops the priority only) and forwarded as vINTID 50 through LR2 with HW = 1, pINTID 48:
// the guest's virtual EOI deactivates the physical interrupt.
hvc_hw_inject:
  mrs x12, elr_el2
  mrs x13, spsr_el2
  mrs x0, icc_ctlr_el1
  orr x0, x0, #2               // EOImode
  msr icc_ctlr_el1, x0
  isb
  ldr x1, =GICD
  mov w2, #(1 << 16)
  str w2, [x1, #0x84]          // GICD_IGROUPR1: INTID 48 Group 1
  mov w2, #0x80
  strb w2, [x1, #0x400 + 48]   // GICD_IPRIORITYR
  add x3, x1, #0x6000
  str xzr, [x3, #8 * 48]       // GICD_IROUTER48: affinity 0.0.0.0
  mov w2, #(1 << 16)
  str w2, [x1, #0x104]         // GICD_ISENABLER1
  str w2, [x1, #0x204]         // GICD_ISPENDR1
  bl wait_maintenance
  msr elr_el2, x12
  msr spsr_el2, x13
  ldr x1, =GICD
  ldr w0, [x1, #0x304]         // GICD_ISACTIVER1: 48 still active
  LABEL_HEX s_active, x0
  PUTC 10
  // LR2 = pending, HW, Group 1, priority 0x90, pINTID 48, vINTID 50.
  movz x0, #0x7090, lsl #48
  movk x0, #48, lsl #32
  movk x0, #50
  msr ich_lr2_el2, x0
  isb
  RESTORE_ERET

// hvc #6: after the guest's EOI of vINTID 50: LR2 invalid and the physical 48 inactive.
hvc_hw_done:
  mrs x0, ich_lr2_el2
  LABEL_HEX s_after_lr2, x0
  mrs x0, ich_elrsr_el2
  LABEL_HEX s_elrsr, x0
  ldr x1, =GICD
  ldr w0, [x1, #0x304]
  LABEL_HEX s_isactiver1, x0
  PUTC 10
  RESTORE_ERET

// hvc #4: address translation from EL2 on the guest's stage 1 + stage 2, the guest's MMU on.
hvc_at:
  movz x6, #0x8000, lsl #16    // VA 0x80000000: IPA 0x80000000 -> PA image_start
  bl at_s12
  movz x6, #0xc000, lsl #16    // stage-2 translation fault on the output IPA
  bl at_s12
  movz x6, #0x4000, lsl #16    // stage-2 fault on the stage-1 walk
  bl at_s12
  at s1e1r, x6                 // stage 1 only: the walk still goes through stage 2
  isb
  mrs x0, par_el1
  LABEL_HEX s_par1, x0
  PUTC 10
  RESTORE_ERET

// Prints AT S12E1R's PAR_EL1 for VA x6, as an offset from image_start when it succeeds.
at_s12:
  mov x15, x30
  at s12e1r, x6
  isb
  mrs x7, par_el1
  tbnz x7, #0, 1f
  adr x8, image_start
  sub x7, x7, x8
1: LABEL_HEX s_par12, x7
  PUTC 10
  mov x30, x15
  ret

// hvc #3: trap the guest's Group 1 ICC_* accesses (ICH_HCR_EL2.TALL1).
hvc_tall1:
  mrs x0, ich_hcr_el2
  orr x0, x0, #(1 << 12)
  msr ich_hcr_el2, x0
  RESTORE_ERET

// hvc #1, from inside the guest's IRQ handler: LR0 now Active, its priority in ICH_AP1R0_EL2.
hvc_active:
  mrs x0, ich_lr0_el2
  LABEL_HEX s_lr0, x0
  mrs x0, ich_lr1_el2
  LABEL_HEX s_lr1, x0
  mrs x0, ich_lr2_el2
  LABEL_HEX s_lr2, x0
  mrs x0, ich_ap1r0_el2
  LABEL_HEX s_ap1r0, x0
  mrs x0, ich_vmcr_el2
  movz x1, #0xff00, lsl #16    // VPMR and VENG0/VENG1 (the binary points reset UNKNOWN)
  movk x1, #3
  and x0, x0, x1
  LABEL_HEX s_vmcr, x0
  PUTC 10
  RESTORE_ERET

// hvc #2, after the guest's EOIs: LR0 invalid and empty; LR1 invalid but awaiting EOI maintenance
// (ICH_EISR_EL2, ICH_MISR_EL2.EOI). EL2 takes that maintenance interrupt, then an underflow one.
hvc_after_eoi:
  bl print_ich
  mrs x0, ich_ap1r0_el2
  LABEL_HEX s_ap1r0, x0
  mrs x0, ich_hcr_el2
  LABEL_HEX s_hcr, x0
  PUTC 10
  mrs x12, elr_el2             // the IRQs below are nested exceptions at EL2
  mrs x13, spsr_el2
  ldr x1, =SGI_BASE
  mov w2, #(1 << 25)
  str w2, [x1, #0x100]         // GICR_ISENABLER0: PPI 25 on
  bl wait_maintenance
  bl print_ich
  PUTC 10
  mov x0, #0x3                 // ICH_HCR_EL2: En | UIE (no LR valid: underflow)
  msr ich_hcr_el2, x0
  isb
  bl print_ich
  PUTC 10
  bl wait_maintenance
  bl print_ich
  PUTC 10
  msr elr_el2, x12
  msr spsr_el2, x13
  isb
  RESTORE_ERET

// Unmasks IRQs at EL2 until el2_irq has run once (clobbers x5, x6).
wait_maintenance:
  adr x5, maint_seen
  str xzr, [x5]
  msr daifclr, #2
  isb
1: ldr x6, [x5]
  cbz x6, 1b
  msr daifset, #2
  ret

// "lr0=… elrsr=… eisr=… misr=…" (clobbers x0-x3, x15).
print_ich:
  mov x15, x30
  mrs x0, ich_lr0_el2
  LABEL_HEX s_lr0, x0
  mrs x0, ich_lr1_el2
  LABEL_HEX s_lr1, x0
  mrs x0, ich_elrsr_el2
  LABEL_HEX s_elrsr, x0
  mrs x0, ich_eisr_el2
  LABEL_HEX s_eisr, x0
  mrs x0, ich_misr_el2
  LABEL_HEX s_misr, x0
  mov x30, x15
  ret

// Physical IRQ at EL2 (current EL, SP_EL2): the maintenance interrupt.
el2_irq:
  SAVE
  mrs x9, icc_iar1_el1
  LABEL_HEX s_el2irq, x9
  mrs x0, ich_misr_el2
  LABEL_HEX s_misr, x0
  mrs x0, ich_eisr_el2
  LABEL_HEX s_eisr, x0
  PUTC 10
  msr ich_lr1_el2, xzr         // LR1 freed: no EOI maintenance left
  mov x0, #1                   // UIE off: no underflow condition either
  msr ich_hcr_el2, x0
  isb
  msr icc_eoir1_el1, x9
  mrs x0, icc_ctlr_el1         // EOImode = 1: deactivate separately, except the forwarded SPI
  tbz x0, #1, 1f
  cmp x9, #48
  b.eq 1f
  msr icc_dir_el1, x9
1: adr x5, maint_seen
  mov x6, #1
  str x6, [x5]
  RESTORE_ERET

guest_off:
  PUTS s_guest_off
  POWEROFF smc

finish:
  PUTS s_done
  POWEROFF smc

el2_bad:
  LABEL_HEX s_bad, x18
  mrs x0, esr_el2
  LABEL_HEX s_esr, x0
  PUTC 10
  POWEROFF smc

.balign 2048
vectors_el2:
  .irp off, 0x000,0x080,0x100,0x180,0x200
  VECTOR_TO \off, el2_bad
  .endr
  .balign 0x80
  b el2_irq                    // 0x280: IRQ, current EL with SP_EL2
  .irp off, 0x300,0x380
  VECTOR_TO \off, el2_bad
  .endr
  .balign 0x80
  b el2_sync                   // 0x400: synchronous from a lower EL (AArch64)
  .irp off, 0x480,0x500,0x580,0x600,0x680,0x700,0x780
  VECTOR_TO \off, el2_bad
  .endr

// ---- the guest, at EL1 with its MMU off; runs at IPA GUEST_IPA + (label - image_start) ----
guest_entry:
  adr x0, guest_stack_top
  mov sp, x0
  adr x0, vectors
  msr vbar_el1, x0
  isb
  PUTS g_hello
  mrs x0, currentel
  PUTHEX x0
  PUTC 10
  adr x0, image_start          // the guest's own address: it runs at the IPA, not the PA
  PUTHEX x0
  PUTC 10
  hvc #0x1234

  // Level-3 translation fault: EL2 maps the page to fault_page and the load is retried.
  movz x6, #0x8010, lsl #16
  ldr x5, [x6, #8]
  LABEL_HEX g_loaded, x5
  PUTC 10
  // Access flag fault (AF = 0 in the stage-2 page): EL2 sets AF, the load is retried.
  movz x6, #0x8018, lsl #16
  ldr w5, [x6]
  LABEL_HEX g_loaded, x5
  PUTC 10
  // Instruction fetches: code_page at 0x80191000 runs; at 0x80190000 (XN) and 0x80600000 (no
  // level-2 entry) the BLR faults at EL2, which resumes at the return address.
  movz x6, #0x8019, lsl #16
  add x6, x6, #0x1000
  blr x6
  LABEL_HEX g_called, x0
  PUTC 10
  mov x0, #0
  movz x6, #0x8019, lsl #16
  blr x6
  movz x6, #0x8060, lsl #16
  blr x6
  LABEL_HEX g_called, x0
  PUTC 10
  // Loads the syndrome cannot describe (ISV = 0): pair, post-index writeback; one it can with
  // AR = 1 (load-acquire) and one with SSE = 1 (sign-extending). All skipped by EL2.
  movz x6, #0x8020, lsl #16
  ldp x1, x2, [x6]
  ldr x1, [x6], #8
  ldar w1, [x6]
  ldrsh x11, [x6, #0x40]
  LABEL_HEX g_addr, x6          // the skipped post-index load did not write back
  PUTC 10
  smc #0x42                    // HCR_EL2.TSC
  // Level-2 fault (byte load, W register), level-1 fault, and an IPA above the 39-bit range: skipped.
  movz x6, #0x8040, lsl #16
  mov x7, #0x55
  ldrb w7, [x6, #0x21]
  movz x6, #0xc000, lsl #16
  ldr w8, [x6]
  movz x6, #0x80, lsl #32
  ldrh w9, [x6, #2]
  PUTHEX x7                    // untouched by the skipped load
  PUTC 10
  // Permission fault: a store to the read-only page; EL2 grants write and the store is retried.
  adr x10, ro_page
  movz x9, #0xbeef
  movk x9, #0xdead, lsl #16
  str x9, [x10, #16]
  ldr x0, [x10, #16]
  LABEL_HEX g_stored, x0
  PUTC 10
  wfi                          // HCR_EL2.TWI

  // The virtual CPU interface: system registers, all priorities, Group 1 on.
  GIC_CPU_IF_ON
  mrs x0, icc_sre_el1
  LABEL_HEX g_sre, x0
  mrs x0, icc_ctlr_el1
  LABEL_HEX g_ctlr, x0
  PUTC 10
  hvc #3
  mov x0, #0x5a
  mrs x0, icc_igrpen1_el1      // trapped by TALL1 and skipped: x0 keeps 0x5a
  LABEL_HEX g_igrpen1, x0
  mrs x0, icc_igrpen1_el1      // no longer trapped
  LABEL_HEX g_then, x0
  PUTC 10
  mrs x0, icc_hppir1_el1       // vINTID 42 pending, not yet taken (PSTATE.I is set)
  LABEL_HEX g_hppir, x0
  mrs x0, icc_pmr_el1
  LABEL_HEX g_pmr, x0
  PUTC 10
  mov x20, #0
  msr daifclr, #2
  isb
1: cmp x20, #2
  b.lo 1b
  msr daifset, #2
  mrs x0, icc_rpr_el1          // idle again after the EOI
  LABEL_HEX g_idle, x0
  PUTC 10
  hvc #2
  PUTS g_back
  hvc #5
  msr daifclr, #2
  isb
1: cmp x20, #3
  b.lo 1b
  msr daifset, #2
  hvc #6

  // Stage 1 on (TCR_EL1: T0SZ = 25, 4K, IPS 40 bits, EPD1): the image's 1 GiB identity-mapped
  // (VA = IPA), UART's GiB as Device; VA 0x40000000's level-2 table is at IPA 0x80300000, which
  // stage 2 does not map (a stage-2 fault on the stage-1 walk, S1PTW); VA 0xc0000000 -> IPA
  // 0x80400000 through a level-2 block, also unmapped at stage 2: FAR (VA) and HPFAR (IPA) differ.
  adr x1, g_s1_l1
  adr x2, g_s1_l2
  mov x0, #0x401               // block, AttrIndx 0 (Device-nGnRnE), AF
  orr x0, x0, #(3 << 53)       // UXN | PXN
  str x0, [x1, #0]
  movz x0, #0x8030, lsl #16
  orr x0, x0, #3               // table
  str x0, [x1, #8]
  movz x0, #0x8000, lsl #16
  movk x0, #0x0705             // block, AttrIndx 1 (Normal WB), Inner Shareable, AF
  str x0, [x1, #16]
  orr x0, x2, #3
  str x0, [x1, #24]
  movz x0, #0x8040, lsl #16
  movk x0, #0x0705
  str x0, [x2, #0]
  dsb sy
  mov x0, #0xff00              // MAIR_EL1: Attr0 Device-nGnRnE, Attr1 Normal WB
  msr mair_el1, x0
  movz x0, #0x0002, lsl #32    // TCR_EL1: IPS 40 bits, EPD1, SH0 Inner, ORGN0/IRGN0 WB, T0SZ 25
  movk x0, #0x0080, lsl #16
  movk x0, #0x3519
  msr tcr_el1, x0
  msr ttbr0_el1, x1
  isb
  tlbi vmalle1
  dsb sy
  isb
  mrs x0, sctlr_el1
  orr x0, x0, #1
  msr sctlr_el1, x0
  isb
  movz x6, #0xc000, lsl #16
  add x6, x6, #0x120
  at s1e1r, x6
  isb
  mrs x0, par_el1
  LABEL_HEX g_par, x0
  PUTC 10
  ldr w5, [x6]                 // stage-2 fault on the data access
  movz x6, #0x4000, lsl #16
  ldr x5, [x6]                 // stage-2 fault on the stage-1 walk (read)
  str x5, [x6, #8]             // the same for a store
  hvc #4                       // EL2: AT S12E1R / S1E1R from EL2 for these VAs
  mrs x0, sctlr_el1
  bic x0, x0, #1
  msr sctlr_el1, x0
  isb
  PUTS g_mmu
  hvc #0x99
0: b 0b

guest_irq:
  stp x0, x1, [sp, #-16]!
  stp x2, x3, [sp, #-16]!
  stp x16, x30, [sp, #-16]!
  stp x21, x22, [sp, #-16]!
  mrs x21, icc_iar1_el1
  LABEL_HEX g_virq, x21
  mrs x0, icc_rpr_el1
  LABEL_HEX g_rpr, x0
  mrs x0, icc_iar1_el1         // nothing else pending above the running priority: spurious
  LABEL_HEX g_again, x0
  PUTC 10
  hvc #1
  msr icc_eoir1_el1, x21
  add x20, x20, #1
  ldp x21, x22, [sp], #16
  ldp x16, x30, [sp], #16
  ldp x2, x3, [sp], #16
  ldp x0, x1, [sp], #16
  eret

  UNEXPECTED_EXCEPTION
  VECTORS irq_spx=guest_irq

s_hello: .asciz "EL2 guest: stage 2, traps, virtual interrupt\n"
s_vtr: .asciz "ich_vtr="
s_iabt: .asciz "el2: iabt esr="
s_lr1: .asciz " lr1="
s_hcr: .asciz " hcr="
s_smc: .asciz "el2: smc esr="
s_sysreg: .asciz "el2: sysreg esr="
s_par12: .asciz "el2: at s12e1r par(-image_start if ok)="
s_par1: .asciz "el2: at s1e1r par="
s_active: .asciz "el2: gicd_isactiver1="
s_after_lr2: .asciz "el2: lr2="
s_isactiver1: .asciz " gicd_isactiver1="
s_lr2: .asciz " lr2="
s_wfi: .asciz "el2: wfi esr="
s_dabt: .asciz "el2: dabt esr="
s_far: .asciz " far="
s_hpfar: .asciz " hpfar="
s_hvc: .asciz "el2: hvc esr="
s_lr0: .asciz "lr0="
s_ap1r0: .asciz " ap1r0="
s_vmcr: .asciz " vmcr="
s_elrsr: .asciz " elrsr="
s_eisr: .asciz " eisr="
s_misr: .asciz " misr="
s_el2irq: .asciz "el2: irq "
s_bad: .asciz "el2: unexpected vector "
s_esr: .asciz " esr="
s_guest_off: .asciz "guest powered off\n"
s_done: .asciz "done\n"
g_hello: .asciz "guest: CurrentEL="
g_loaded: .asciz "guest: loaded "
g_stored: .asciz "guest: stored "
g_hppir: .asciz "guest: hppir1="
g_pmr: .asciz " pmr="
g_rpr: .asciz " rpr="
g_virq: .asciz "guest: virq "
g_again: .asciz " iar1 again="
g_idle: .asciz "guest: after eoi rpr="
g_called: .asciz "guest: called, x0="
g_addr: .asciz "guest: x6="
g_sre: .asciz "guest: sre="
g_ctlr: .asciz " ctlr="
g_igrpen1: .asciz "guest: igrpen1="
g_then: .asciz " then="
g_par: .asciz "guest: at s1e1r par="
g_mmu: .asciz "guest: mmu off again\n"
g_back: .asciz "guest: back\n"
.balign 16
maint_seen: .quad 0
.balign 16
stack_el2: .skip 1024
stack_el2_top:
guest_stack: .skip 1024
guest_stack_top:
.ltorg

.balign 4096
s2_l1: .skip 4096
s2_l2_low: .skip 4096
s2_l2_ram: .skip 4096
s2_l3_ram: .skip 4096
fault_page:
  .quad 0x1111111111111111, 0xfa017fa017fa0170
  .balign 4096
ro_page: .skip 4096
g_s1_l1: .skip 4096
g_s1_l2: .skip 4096
code_page:
  mov x0, #0x77
  ret
  .balign 4096
image_end:
