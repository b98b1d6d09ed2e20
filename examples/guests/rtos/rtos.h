/* A small preemptive RTOS kernel for one CPU (kernel.c): fixed-priority scheduling with round
   robin among tasks of equal priority (time slice: one tick of the virtual timer), counting
   semaphores with FIFO wait queues, and sleeping for a number of ticks. Tasks run at EL1 on
   their own stacks; kernel work happens in exception context (SVC from a task, the timer IRQ)
   with IRQs masked, so it needs no locks. */
#ifndef HVLAB_RTOS_H
#define HVLAB_RTOS_H

#include "guest.h"

struct task;

struct sem {
    int count;
    struct task *head, *tail;   /* tasks blocked in sem_wait, in arrival order */
};

#define RTOS_MAX_TASKS 8
#define RTOS_STACK_SIZE 8192

/* Before rtos_start: a task `name` at `prio` (higher runs first), entered as fn(arg); it ends by
   returning. */
void task_create(const char *name, unsigned prio, void (*fn)(void *), void *arg);
/* Starts the tick (`tick_us` microseconds) and the scheduler; the caller becomes the idle task
   (priority 0). */
void rtos_start(unsigned tick_us) NORETURN;

/* From tasks: */
void sem_init(struct sem *s, int count);
void sem_wait(struct sem *s);
void sem_post(struct sem *s);
void sleep_ticks(unsigned n);
void yield(void);
uint64_t rtos_ticks(void);            /* ticks since rtos_start */
const char *task_name(void);          /* the running task's */

#endif
