/* GICv3 driver (Arm IHI 0069): the distributor at 0x08000000, the redistributor of this CPU
   (found by matching GICR_TYPER.Affinity_Value against MPIDR_EL1, as Linux's driver does) and
   the CPU interface through the ICC_* system registers. One Security state is assumed
   (GICD_CTLR.DS = 1, as on QEMU virt without EL3 and in a hypervisor's virtual GIC): every
   interrupt used here is Group 1 and signalled as IRQ. Registers are accessed 32 bits at a
   time (GICD_IROUTER: 64 bits), each with one LDR/STR (mmio.h). */
#include "guest.h"

#define GICD_CTLR 0x0000
#define GICD_CTLR_RWP (1u << 31)
#define GICD_CTLR_ARE (1u << 4)
#define GICD_CTLR_ENABLE_G1 (1u << 1)      /* EnableGrp1 when DS = 1 */
#define GICD_IGROUPR 0x0080
#define GICD_ISENABLER 0x0100
#define GICD_ICENABLER 0x0180
#define GICD_IPRIORITYR 0x0400
#define GICD_ICFGR 0x0c00
#define GICD_IROUTER 0x6000

#define GICR_TYPER 0x0008
#define GICR_TYPER_LAST (1u << 4)
#define GICR_WAKER 0x0014
#define GICR_WAKER_PROCESSOR_SLEEP (1u << 1)
#define GICR_WAKER_CHILDREN_ASLEEP (1u << 2)
/* SGI_base frame */
#define GICR_IGROUPR0 0x0080
#define GICR_ISENABLER0 0x0100
#define GICR_ICENABLER0 0x0180
#define GICR_IPRIORITYR 0x0400

/* Redistributors to look through before giving up (the virt board has at most 8 CPUs). */
#define GICR_MAX 8

static uintptr_t my_rd;      /* this CPU's RD_base; its SGI_base is at +64 KiB */

uint32_t cpu_affinity(void)
{
    uint64_t mpidr = read_sysreg(mpidr_el1);
    return (uint32_t)((mpidr & 0xffffff) | ((mpidr >> 8) & 0xff000000));
}

static uintptr_t find_redistributor(void)
{
    uint32_t aff = cpu_affinity();
    for (unsigned i = 0; i < GICR_MAX; i++) {
        uintptr_t rd = GICR_BASE + i * GICR_STRIDE;
        uint32_t lo = mmio_read32(rd + GICR_TYPER), hi = mmio_read32(rd + GICR_TYPER + 4);
        if (hi == aff)
            return rd;
        if (lo & GICR_TYPER_LAST)
            break;
    }
    panic("gic: no redistributor has affinity 0x%x (MPIDR_EL1)\n", aff);
}

static void wait_rwp(void)
{
    while (mmio_read32(GICD_BASE + GICD_CTLR) & GICD_CTLR_RWP)
        ;
}

void gic_init(void)
{
    /* Distributor: affinity routing and Group 1. Writing the same value from another CPU is
       harmless, so every CPU may call this. */
    mmio_write32(GICD_BASE + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_ENABLE_G1);
    wait_rwp();

    /* Redistributor: clear ProcessorSleep and wait for ChildrenAsleep to clear (IHI 0069,
       "Power management": the redistributor must be awake before it forwards interrupts). */
    my_rd = find_redistributor();
    uint32_t waker = mmio_read32(my_rd + GICR_WAKER);
    mmio_write32(my_rd + GICR_WAKER, waker & ~GICR_WAKER_PROCESSOR_SLEEP);
    while (mmio_read32(my_rd + GICR_WAKER) & GICR_WAKER_CHILDREN_ASLEEP)
        ;
    uintptr_t sgi = my_rd + GICR_SGI_OFFSET;
    mmio_write32(sgi + GICR_ICENABLER0, 0xffffffffu);
    mmio_write32(sgi + GICR_IGROUPR0, 0xffffffffu);

    /* CPU interface: system-register access, every priority unmasked, no preemption grouping
       beyond the architectural minimum, Group 1 on. */
    write_sysreg(icc_sre_el1, read_sysreg(icc_sre_el1) | 1);
    isb();
    write_sysreg(icc_pmr_el1, 0xff);
    write_sysreg(icc_bpr1_el1, 0);
    write_sysreg(icc_igrpen1_el1, 1);
    isb();
}

/* Sets the priority byte of `intid` in a 32-bit IPRIORITYR word (read, modify, write). */
static void set_priority(uintptr_t reg_base, unsigned intid, unsigned priority)
{
    uintptr_t reg = reg_base + (intid & ~3u);
    unsigned shift = (intid & 3) * 8;
    uint32_t v = mmio_read32(reg);
    v = (v & ~(0xffu << shift)) | ((priority & 0xff) << shift);
    mmio_write32(reg, v);
}

void gic_enable_irq(unsigned intid, unsigned priority)
{
    if (!my_rd)
        panic("gic_enable_irq(%u) before gic_init\n", intid);
    if (intid < 32) {
        uintptr_t sgi = my_rd + GICR_SGI_OFFSET;
        set_priority(sgi + GICR_IPRIORITYR, intid, priority);
        mmio_write32(sgi + GICR_ISENABLER0, 1u << intid);
        return;
    }
    uintptr_t bit = 1u << (intid % 32), word = (intid / 32) * 4;
    mmio_write32(GICD_BASE + GICD_IGROUPR + word, mmio_read32(GICD_BASE + GICD_IGROUPR + word) | bit);
    set_priority(GICD_BASE + GICD_IPRIORITYR, intid, priority);
    /* ICFGR: 2 bits per INTID, Int_config[1] = 0 for level-sensitive. */
    uintptr_t cfg = GICD_BASE + GICD_ICFGR + (intid / 16) * 4;
    mmio_write32(cfg, mmio_read32(cfg) & ~(2u << ((intid % 16) * 2)));
    /* IROUTER: Interrupt_Routing_Mode = 0, this CPU's affinity (Aff3 in bits 39:32). */
    uint32_t aff = cpu_affinity();
    mmio_write64(GICD_BASE + GICD_IROUTER + intid * 8, (aff & 0xffffff) | ((uint64_t)(aff >> 24) << 32));
    mmio_write32(GICD_BASE + GICD_ISENABLER + word, (uint32_t)bit);
    wait_rwp();
}

void gic_disable_irq(unsigned intid)
{
    if (intid < 32) {
        mmio_write32(my_rd + GICR_SGI_OFFSET + GICR_ICENABLER0, 1u << intid);
        return;
    }
    mmio_write32(GICD_BASE + GICD_ICENABLER + (intid / 32) * 4, 1u << (intid % 32));
    wait_rwp();
}
