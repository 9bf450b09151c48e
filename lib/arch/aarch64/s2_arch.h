/* SPDX-License-Identifier: MIT */
/*
 * AArch64 architecture hooks for the core library. Descriptor writes must
 * be single-copy atomic and ordered before the TLB maintenance that
 * publishes them (Arm ARM D8.16, "Ordering of translation table updates").
 */
#ifndef S2_ARCH_H
#define S2_ARCH_H

#include <stdint.h>

#define S2_ARCH_NAME "aarch64"

static inline void s2_arch_dsb_ishst(void) { __asm__ volatile("dsb ishst" ::: "memory"); }
static inline void s2_arch_dsb_ish(void) { __asm__ volatile("dsb ish" ::: "memory"); }
static inline void s2_arch_isb(void) { __asm__ volatile("isb" ::: "memory"); }

static inline uint64_t s2_arch_read_pte(const uint64_t *p)
{
	return *(const volatile uint64_t *)p;
}

static inline void s2_arch_write_pte(uint64_t *p, uint64_t v)
{
	*(volatile uint64_t *)p = v;
}

#endif
