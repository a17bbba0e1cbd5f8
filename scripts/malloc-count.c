// malloc-count.so: counts heap allocations of a process (LD_PRELOAD), for
// scripts/allocations-per-order.sh. On SIGUSR2 it appends one line to $MALLOC_COUNT_OUT:
// "<mallocs> <frees> <bytes allocated>" (malloc, calloc, realloc, posix_memalign, aligned_alloc;
// Swift allocates through malloc and posix_memalign). Counters are relaxed atomics; glibc's own
// functions do the work (__libc_malloc and friends), so nothing here allocates.
#define _GNU_SOURCE
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);
extern void *__libc_memalign(size_t, size_t);

static _Atomic unsigned long long n_alloc, n_free, n_bytes;

void *malloc(size_t n) { atomic_fetch_add_explicit(&n_alloc, 1, memory_order_relaxed); atomic_fetch_add_explicit(&n_bytes, n, memory_order_relaxed); return __libc_malloc(n); }
void *calloc(size_t a, size_t b) { atomic_fetch_add_explicit(&n_alloc, 1, memory_order_relaxed); atomic_fetch_add_explicit(&n_bytes, a * b, memory_order_relaxed); return __libc_calloc(a, b); }
void *realloc(void *p, size_t n) { atomic_fetch_add_explicit(&n_alloc, 1, memory_order_relaxed); atomic_fetch_add_explicit(&n_bytes, n, memory_order_relaxed); return __libc_realloc(p, n); }
void free(void *p) { if (p) atomic_fetch_add_explicit(&n_free, 1, memory_order_relaxed); __libc_free(p); }
int posix_memalign(void **out, size_t align, size_t n) {
    atomic_fetch_add_explicit(&n_alloc, 1, memory_order_relaxed); atomic_fetch_add_explicit(&n_bytes, n, memory_order_relaxed);
    void *p = __libc_memalign(align, n); if (!p) return 12; *out = p; return 0;
}
void *aligned_alloc(size_t align, size_t n) { atomic_fetch_add_explicit(&n_alloc, 1, memory_order_relaxed); atomic_fetch_add_explicit(&n_bytes, n, memory_order_relaxed); return __libc_memalign(align, n); }

static void report(int sig) {
    (void)sig;
    const char *path = getenv("MALLOC_COUNT_OUT");
    if (!path) return;
    char line[96];
    int len = snprintf(line, sizeof line, "%llu %llu %llu\n", (unsigned long long)atomic_load(&n_alloc),
                       (unsigned long long)atomic_load(&n_free), (unsigned long long)atomic_load(&n_bytes));
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0644);
    if (fd >= 0) { (void)!write(fd, line, len); close(fd); }
}

__attribute__((constructor)) static void install(void) { signal(SIGUSR2, report); }
