/* SPDX-License-Identifier: MIT */
/*
 * AArch64 architecture hooks for the core library. Descriptor writes must
 * be single-copy atomic and ordered before the TLB maintenance that
 * publishes them (Arm ARM D8.16, "Ordering of translation table updates").
 */
#ifndef S2_ARCH_H
#define S2_ARCH_H

#include <stdint.h>

static inline void s2_arch_dsb_ishst(void) { __asm__ volatile("dsb ishst" ::: "memory"); }

static inline uint64_t s2_arch_read_pte(const uint64_t *p)
{
	return *(const volatile uint64_t *)p;
}

static inline void s2_arch_write_pte(uint64_t *p, uint64_t v)
{
	*(volatile uint64_t *)p = v;
}

/*
 * Zero @n descriptors at @p (8-byte aligned) while the MMU may walk
 * them: every entry is one 64-bit store, single-copy atomic (Arm ARM
 * B2.2.1), so a walk sees each entry old or zero, never torn, as it
 * could with a byte-wise memset or DC ZVA.
 */
static inline void s2_arch_zero_ptes(uint64_t *p, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		__asm__ volatile("str xzr, %0" : "=Q"(p[i]));
}

/*
 * Compare-and-swap a descriptor: if *@p is @old, write @new; returns the
 * value found (== @old on success). An exclusive pair with acquire and
 * release semantics (LDAXR/STLXR), so it needs neither FEAT_LSE nor
 * libgcc's out-of-line atomics, and entries written before (a new table's
 * contents) are observed before the descriptor that links them.
 */
static inline uint64_t s2_arch_cmpxchg_pte(uint64_t *p, uint64_t old, uint64_t new)
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
		: "=&r"(cur), "=&r"(fail)
		: "r"(p), "r"(old), "r"(new)
		: "cc", "memory");
	return cur;
}

/*
 * The library's internal invariants (never caused by a caller's input):
 * a broken one is a library bug; at EL2 it traps (BRK) so the
 * hypervisor's exception handler reports where.
 */
#define s2_arch_check(cond) do { if (__builtin_expect(!(cond), 0)) __builtin_trap(); } while (0)

#endif
