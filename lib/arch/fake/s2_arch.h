/* SPDX-License-Identifier: MIT */
/*
 * Host fake of the architecture hooks the core library needs (as
 * Hafnium's src/arch/fake): on a host nothing walks the tables, so
 * barriers only need to stop the compiler from reordering. Descriptor
 * accesses are C11 atomics, so host threads running the shared fault path
 * (and ThreadSanitizer watching them) see what aarch64 guarantees: an
 * acquire on every descriptor read orders the reads of the table it points
 * to after the store that linked it (aarch64 gets this from the address
 * dependency).
 */
#ifndef S2_ARCH_H
#define S2_ARCH_H

#include <stdint.h>
#include <stdlib.h>

static inline void s2_arch_dsb_ishst(void) { __asm__ volatile("" ::: "memory"); }

/* Single-copy-atomic descriptor accesses (READ_ONCE/WRITE_ONCE). */
static inline uint64_t s2_arch_read_pte(const uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static inline void s2_arch_write_pte(uint64_t *p, uint64_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

/* Zero @n descriptors at @p (nothing walks tables on a host, and no
   shared call runs beside the exclusive ones that clear ranges). */
static inline void s2_arch_zero_ptes(uint64_t *p, uint64_t n)
{
	__builtin_memset(p, 0, n * sizeof(*p));
}

/*
 * Compare-and-swap a descriptor: if *@p is @old, write @new. Returns the
 * value found (== @old on success). Ordered like a release store on
 * success (whatever was written before, e.g. a new table's entries, is
 * visible to whoever reads @new) and an acquire load either way.
 */
static inline uint64_t s2_arch_cmpxchg_pte(uint64_t *p, uint64_t old, uint64_t new)
{
	__atomic_compare_exchange_n(p, &old, new, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
	return old;
}

/*
 * The library's internal invariants (never caused by a caller's input):
 * a broken one is a library bug, and on the host the process stops here.
 */
#define s2_arch_check(cond) do { if (__builtin_expect(!(cond), 0)) abort(); } while (0)

#endif
