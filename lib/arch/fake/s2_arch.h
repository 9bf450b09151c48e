/* SPDX-License-Identifier: MIT */
/*
 * Host fake of the architecture hooks the core library needs (as
 * Hafnium's src/arch/fake): on a host nothing walks the tables, so
 * barriers only need to stop the compiler from reordering.
 */
#ifndef S2_ARCH_H
#define S2_ARCH_H

#include <stdint.h>

#define S2_ARCH_NAME "fake"

static inline void s2_arch_dsb_ishst(void) { __asm__ volatile("" ::: "memory"); }
static inline void s2_arch_dsb_ish(void) { __asm__ volatile("" ::: "memory"); }
static inline void s2_arch_isb(void) { __asm__ volatile("" ::: "memory"); }

/* Single-copy-atomic descriptor accesses (READ_ONCE/WRITE_ONCE). */
static inline uint64_t s2_arch_read_pte(const uint64_t *p)
{
	return *(const volatile uint64_t *)p;
}

static inline void s2_arch_write_pte(uint64_t *p, uint64_t v)
{
	*(volatile uint64_t *)p = v;
}

#endif
