/* Exception dispatch for the guests (vectors.S saves the frame and calls exc_entry). Only two
   kinds are expected: a synchronous exception from EL1h that is an SVC (an OS's system call),
   and an IRQ taken from EL1h. Anything else is a bug in the guest or in what runs it, so it is
   reported with the syndrome registers and the guest powers off. */
#include "guest.h"

extern char exc_vectors[];

struct frame *(*exc_svc_hook)(struct frame *f, unsigned imm);
struct frame *(*exc_irq_exit_hook)(struct frame *f);

static irq_handler_t handlers[IRQ_MAX];

/* Vector kinds (vectors.S): group * 4 + type; group 1 = current EL with SP_ELx. */
enum { KIND_EL1H_SYNC = 4, KIND_EL1H_IRQ = 5 };
/* ESR_EL1.EC (Arm ARM, ESR_EL1): 0x15 = SVC instruction execution in AArch64 state. */
#define EC_SVC64 0x15

static const char *const kind_names[16] = {
    "sync (EL1t)", "IRQ (EL1t)", "FIQ (EL1t)", "SError (EL1t)",
    "sync (EL1h)", "IRQ (EL1h)", "FIQ (EL1h)", "SError (EL1h)",
    "sync (EL0, AArch64)", "IRQ (EL0, AArch64)", "FIQ (EL0, AArch64)", "SError (EL0, AArch64)",
    "sync (EL0, AArch32)", "IRQ (EL0, AArch32)", "FIQ (EL0, AArch32)", "SError (EL0, AArch32)",
};

void exceptions_init(void)
{
    write_sysreg(vbar_el1, (uintptr_t)exc_vectors);
    isb();
}

void irq_register(unsigned intid, irq_handler_t h)
{
    if (intid >= IRQ_MAX)
        panic("irq_register: INTID %u is beyond the handler table (%u entries)\n", intid, IRQ_MAX);
    handlers[intid] = h;
}

void panic(const char *fmt, ...)
{
    va_list ap;
    irq_disable();
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    psci_system_off();
}

static void NORETURN unexpected(struct frame *f, unsigned kind)
{
    panic("guest: unexpected exception %s: ESR_EL1=0x%llx ELR_EL1=0x%llx FAR_EL1=0x%llx SPSR_EL1=0x%llx\n",
          kind_names[kind & 15], (unsigned long long)read_sysreg(esr_el1), (unsigned long long)f->elr,
          (unsigned long long)read_sysreg(far_el1), (unsigned long long)f->spsr);
}

static struct frame *irq(struct frame *f)
{
    /* ICC_IAR1_EL1 acknowledges the highest-priority pending Group 1 interrupt; INTIDs
       1020-1023 are special (1023: none pending, e.g. it was withdrawn) and are not ended. */
    uint32_t iar = (uint32_t)read_sysreg(icc_iar1_el1);
    uint32_t intid = iar & 0xffffff;
    if (intid >= 1020)
        return exc_irq_exit_hook ? exc_irq_exit_hook(f) : f;
    if (intid >= IRQ_MAX || !handlers[intid])
        panic("guest: interrupt %u has no handler\n", intid);
    handlers[intid](intid);
    /* EOImode = 0: this write both drops the running priority and deactivates. */
    write_sysreg(icc_eoir1_el1, iar);
    isb();
    return exc_irq_exit_hook ? exc_irq_exit_hook(f) : f;
}

struct frame *exc_entry(struct frame *f, unsigned kind)
{
    if (kind == KIND_EL1H_IRQ)
        return irq(f);
    if (kind == KIND_EL1H_SYNC) {
        uint64_t esr = read_sysreg(esr_el1);
        if (((esr >> 26) & 0x3f) == EC_SVC64 && exc_svc_hook)
            return exc_svc_hook(f, (unsigned)(esr & 0xffff));
    }
    unexpected(f, kind);
}
