/* The RTOS kernel (rtos.h). Context switch: every entry to the kernel — an SVC from a task
   (yield, sem_wait, sem_post, sleep, exit) or the timer IRQ — saves the task's registers as a
   frame on its own stack (runtime/vectors.S); the kernel records that frame as the task's
   context, picks the task to run, and returns that task's frame, which the vector code
   restores before ERET. A new task's stack starts with a frame made to look interrupted at
   its entry point, with IRQs unmasked. */
#include "rtos.h"

enum svc { SVC_YIELD, SVC_WAIT, SVC_POST, SVC_SLEEP, SVC_EXIT };
enum state { READY, BLOCKED, SLEEPING, DONE };

struct task {
    struct frame *ctx;          /* saved context while not running */
    const char *name;
    unsigned prio;
    enum state state;
    uint64_t wake;              /* SLEEPING: the tick to wake at */
    struct task *next;          /* BLOCKED: next in the semaphore's queue */
};

static struct task tasks[RTOS_MAX_TASKS];
static unsigned ntasks;
static struct task *current;
static uint8_t stacks[RTOS_MAX_TASKS][RTOS_STACK_SIZE] __attribute__((aligned(16)));
static volatile uint64_t ticks;
static uint64_t tick_period, next_tick;
static int resched;

static void task_exit(void);

/* ---- system calls (task side): SVC #n, argument in x0 ---- */

#define SVC(n, arg) do { \
        register uint64_t x0 __asm__("x0") = (uint64_t)(arg); \
        __asm__ volatile("svc #%1" : "+r"(x0) : "i"(n) : "memory"); \
    } while (0)

void yield(void) { SVC(SVC_YIELD, 0); }
void sem_wait(struct sem *s) { SVC(SVC_WAIT, s); }
void sem_post(struct sem *s) { SVC(SVC_POST, s); }
void sleep_ticks(unsigned n) { SVC(SVC_SLEEP, n); }
static void task_exit(void) { SVC(SVC_EXIT, 0); for (;;) ; }

void sem_init(struct sem *s, int count)
{
    s->count = count;
    s->head = s->tail = NULL;
}

uint64_t rtos_ticks(void) { return ticks; }
const char *task_name(void) { return current->name; }

/* ---- scheduling ---- */

/* The highest-priority READY task; among equals the first after the current one, so tasks of
   one priority take turns (round robin). The idle task (priority 0) is always READY. */
static struct task *pick_next(void)
{
    unsigned cur = (unsigned)(current - tasks);
    struct task *best = NULL;
    for (unsigned k = 1; k <= ntasks; k++) {
        struct task *t = &tasks[(cur + k) % ntasks];
        if (t->state == READY && (!best || t->prio > best->prio))
            best = t;
    }
    return best;
}

static struct frame *switch_from(struct frame *f)
{
    current->ctx = f;
    current = pick_next();
    resched = 0;
    return current->ctx;
}

static struct frame *on_svc(struct frame *f, unsigned imm)
{
    uint64_t arg = f->x[0];
    switch (imm) {
    case SVC_YIELD:
        break;
    case SVC_WAIT: {
        struct sem *s = (struct sem *)arg;
        if (s->count > 0) {
            s->count--;
            return f;
        }
        current->state = BLOCKED;
        current->next = NULL;
        if (s->tail)
            s->tail->next = current;
        else
            s->head = current;
        s->tail = current;
        break;
    }
    case SVC_POST: {
        struct sem *s = (struct sem *)arg;
        struct task *t = s->head;
        if (!t) {
            s->count++;
            return f;
        }
        /* Hand the unit straight to the first waiter; it runs now if it outranks the poster. */
        s->head = t->next;
        if (!s->head)
            s->tail = NULL;
        t->state = READY;
        if (t->prio <= current->prio)
            return f;
        break;
    }
    case SVC_SLEEP:
        if (arg == 0)
            return f;
        current->state = SLEEPING;
        current->wake = ticks + arg;
        break;
    case SVC_EXIT:
        current->state = DONE;
        break;
    default:
        panic("rtos: task %s: unknown system call %u\n", current->name, imm);
    }
    return switch_from(f);
}

/* The tick: wake the sleepers that are due, and end the running task's time slice. */
static void on_tick(void)
{
    ticks++;
    for (unsigned i = 0; i < ntasks; i++)
        if (tasks[i].state == SLEEPING && tasks[i].wake <= ticks)
            tasks[i].state = READY;
    /* The next tick one period after this one's; if the timer fell behind (the CPU was away:
       another domain ran, or the host was slow), one period from now. */
    next_tick += tick_period;
    uint64_t now = vtimer_now();
    if (next_tick <= now)
        next_tick = now + tick_period;
    vtimer_arm_at(next_tick);
    resched = 1;
}

static struct frame *on_irq_exit(struct frame *f)
{
    return resched ? switch_from(f) : f;
}

/* ---- creation and start ---- */

void task_create(const char *name, unsigned prio, void (*fn)(void *), void *arg)
{
    if (ntasks >= RTOS_MAX_TASKS - 1)   /* one slot is kept for the idle task */
        panic("rtos: more than %u tasks\n", RTOS_MAX_TASKS - 1);
    struct task *t = &tasks[ntasks];
    struct frame *f = (struct frame *)(stacks[ntasks] + RTOS_STACK_SIZE) - 1;
    memset(f, 0, sizeof *f);
    f->x[0] = (uintptr_t)arg;
    f->x[30] = (uintptr_t)task_exit;     /* returning from fn ends the task */
    f->elr = (uintptr_t)fn;
    f->spsr = 0x5;                       /* EL1h, D A I F clear: IRQs on */
    t->ctx = f;
    t->name = name;
    t->prio = prio;
    t->state = READY;
    ntasks++;
}

void rtos_start(unsigned tick_us)
{
    /* The caller becomes the idle task: its context is saved by the first kernel entry. */
    struct task *idle = &tasks[ntasks++];
    idle->name = "idle";
    idle->prio = 0;
    idle->state = READY;
    current = idle;
    exc_svc_hook = on_svc;
    exc_irq_exit_hook = on_irq_exit;

    tick_period = vtimer_us_to_ticks(tick_us);
    vtimer_init(on_tick);
    next_tick = vtimer_now() + tick_period;
    vtimer_arm_at(next_tick);
    irq_enable();
    yield();
    for (;;)
        wfi();
}
