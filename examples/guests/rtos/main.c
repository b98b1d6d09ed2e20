/* hvlab's RTOS example guest: a producer and a consumer hand items through a bounded buffer
   (counting semaphores `empty` / `full`), two CPU-bound workers of equal priority share a
   counter under a semaphore used as a mutex and are time-sliced by the 1 ms tick, and a main
   task of the highest priority waits for all of them (`done`), checks the results and powers
   off.

   Everything printed is decided by synchronisation, not by time: only the consumer prints while
   the others run (its items arrive in FIFO order whatever the interleaving), and the rest is
   printed by main after every task has finished. Tick counts and timings are never printed, so
   the output is the same on QEMU (whose timer follows the host clock) and on hvlab (whose timer
   follows retired instructions) — the differential test compares them byte for byte. */
#include "rtos.h"

#define ITEMS 12
#define SLOTS 4
#define ROUNDS 20
#define ROUND_ITERATIONS 50000   /* ~250k instructions per round: ~5 ms of work per worker on hvlab */

static struct sem empty, full, mutex, done;
static uint32_t buffer[SLOTS];
static uint32_t produced_sum, consumed_sum;

static volatile unsigned counter;          /* protected by `mutex` */
static volatile unsigned rounds_done[2];
static uint64_t worker_result[2];
static volatile int interleaved[2];         /* the other worker was part-way when this one finished */

static uint32_t item_value(unsigned i)
{
    uint32_t x = 0x9e3779b9u * (i + 1);
    x ^= x >> 16;
    x *= 0x85ebca6bu;
    x ^= x >> 13;
    return x;
}

static void producer(void *arg)
{
    for (unsigned i = 0; i < ITEMS; i++) {
        uint32_t v = item_value(i);
        sem_wait(&empty);
        buffer[i % SLOTS] = v;
        produced_sum += v;
        sem_post(&full);
    }
    sem_post(&done);
}

static void consumer(void *arg)
{
    for (unsigned i = 0; i < ITEMS; i++) {
        sem_wait(&full);
        uint32_t v = buffer[i % SLOTS];
        sem_post(&empty);
        consumed_sum += v;
        printf("consumer: item %2u = 0x%08x\n", i + 1, v);
        if (i % 4 == 3)
            sleep_ticks(2);     /* the producer fills the buffer meanwhile and blocks on `empty` */
    }
    sem_post(&done);
}

static void worker(void *arg)
{
    unsigned me = (unsigned)(uintptr_t)arg, other = 1 - me;
    uint64_t x = 0x2545f4914f6cdd1dULL + me;
    uint64_t acc = 0;
    for (unsigned r = 0; r < ROUNDS; r++) {
        for (unsigned k = 0; k < ROUND_ITERATIONS; k++) {
            x = x * 6364136223846793005ULL + 1442695040888963407ULL;
            acc += x >> 33;
        }
        /* A read-modify-write that is correct only under the mutex: the tick may preempt a
           worker between the read and the write. */
        sem_wait(&mutex);
        unsigned c = counter;
        for (volatile unsigned spin = 0; spin < 200; spin++)
            ;
        counter = c + 1;
        sem_post(&mutex);
        rounds_done[me] = r + 1;
    }
    worker_result[me] = acc;
    interleaved[me] = rounds_done[other] > 0 && rounds_done[other] < ROUNDS;
    sem_post(&done);
}

static void main_task(void *arg)
{
    uint64_t t0 = rtos_ticks();
    sleep_ticks(5);
    int slept = rtos_ticks() - t0 >= 5;

    for (unsigned i = 0; i < 4; i++)
        sem_wait(&done);

    printf("main: all tasks done\n");
    printf("main: %u items, produced sum 0x%08x, consumed sum 0x%08x: %s\n", ITEMS, produced_sum,
           consumed_sum, produced_sum == consumed_sum ? "match" : "MISMATCH");
    printf("main: shared counter %u (expected %u): %s\n", counter, 2 * ROUNDS,
           counter == 2 * ROUNDS ? "ok" : "LOST UPDATES");
    printf("main: worker results 0x%016llx 0x%016llx\n", (unsigned long long)worker_result[0],
           (unsigned long long)worker_result[1]);
    /* Exactly one worker finishes first; the other was then part-way (time slicing), or had
       not started (no preemption). */
    printf("main: workers time-sliced: %s\n", interleaved[0] || interleaved[1] ? "yes" : "NO");
    printf("main: sleep_ticks(5) took at least 5 ticks: %s\n", slept ? "yes" : "NO");
    printf("rtos: powering off\n");
    psci_system_off();
}

int main(void)
{
    printf("rtos: %s\n", bootargs()[0] ? bootargs() : "(no bootargs)");
    exceptions_init();
    gic_init();
    sem_init(&empty, SLOTS);
    sem_init(&full, 0);
    sem_init(&mutex, 1);
    sem_init(&done, 0);
    task_create("main", 3, main_task, NULL);
    task_create("producer", 2, producer, NULL);
    task_create("consumer", 2, consumer, NULL);
    task_create("worker-a", 1, worker, (void *)0);
    task_create("worker-b", 1, worker, (void *)1);
    printf("rtos: 5 tasks and idle, 1 ms tick\n");
    rtos_start(1000);
}
