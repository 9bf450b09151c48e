/* SPDX-License-Identifier: MIT */
/*
 * Atomics and locks for EL2 code on several CPUs: exclusive pairs
 * (LDAXR/STLXR), so they need neither FEAT_LSE nor libgcc's out-of-line
 * atomics, and work on the Normal, inner-shareable memory of the EL2
 * identity map (exclusives on Device memory are IMPLEMENTATION DEFINED).
 */
#ifndef HYP_ATOMIC_H
#define HYP_ATOMIC_H

#include <stdbool.h>
#include <stdint.h>

static inline uint64_t atomic_load(const uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static inline void atomic_store(uint64_t *p, uint64_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

/* *@p += @delta; the new value. Acquire and release. */
static inline uint64_t atomic_add(uint64_t *p, int64_t delta)
{
	uint64_t v;
	uint32_t fail;

	__asm__ volatile(
		"1:	ldaxr	%0, [%2]\n"
		"	add	%0, %0, %3\n"
		"	stlxr	%w1, %0, [%2]\n"
		"	cbnz	%w1, 1b\n"
		: "=&r"(v), "=&r"(fail) : "r"(p), "r"(delta) : "memory");
	return v;
}

/* If *@p is @old, make it @new; true if it did. Acquire and release. */
static inline bool atomic_cas(uint64_t *p, uint64_t old, uint64_t new)
{
	uint64_t cur;
	uint32_t fail;

	__asm__ volatile(
		"1:	ldaxr	%0, [%2]\n"
		"	cmp	%0, %3\n"
		"	b.ne	2f\n"
		"	stlxr	%w1, %4, [%2]\n"
		"	cbnz	%w1, 1b\n"
		"2:\n"
		: "=&r"(cur), "=&r"(fail) : "r"(p), "r"(old), "r"(new) : "cc", "memory");
	return cur == old;
}

/* Full barrier between this CPU's earlier accesses and its later ones. */
static inline void smp_mb(void)
{
	__asm__ volatile("dmb ish" ::: "memory");
}

static inline void cpu_relax(void)
{
	__asm__ volatile("yield" ::: "memory");
}

struct spinlock {
	uint64_t v;
};

static inline void spin_lock(struct spinlock *l)
{
	while (!atomic_cas(&l->v, 0, 1))
		while (atomic_load(&l->v))
			cpu_relax();
}

static inline void spin_unlock(struct spinlock *l)
{
	atomic_store(&l->v, 0);
}

/*
 * A reader/writer lock: readers count in bits [62:0], a writer holds bit
 * 63. A writer waits for the readers to leave and keeps new ones out;
 * readers never wait for one another.
 */
#define RWLOCK_WRITER (1ULL << 63)

struct rwlock {
	uint64_t v;
};

static inline void read_lock(struct rwlock *l)
{
	for (;;) {
		uint64_t v = atomic_load(&l->v);

		if (!(v & RWLOCK_WRITER) && atomic_cas(&l->v, v, v + 1))
			return;
		cpu_relax();
	}
}

static inline void read_unlock(struct rwlock *l)
{
	atomic_add(&l->v, -1);
}

static inline void write_lock(struct rwlock *l)
{
	for (;;) {
		uint64_t v = atomic_load(&l->v);

		if (!(v & RWLOCK_WRITER) && atomic_cas(&l->v, v, v | RWLOCK_WRITER))
			break;
		cpu_relax();
	}
	while (atomic_load(&l->v) != RWLOCK_WRITER)
		cpu_relax();
}

static inline void write_unlock(struct rwlock *l)
{
	atomic_store(&l->v, 0);
}

#endif
