/* SPDX-License-Identifier: MIT */
/*
 * Address translation instructions: the hardware's own walk, answered in
 * PAR_EL1 (Arm ARM, AT S12E1R/S12E1W/S1E1R). AT updates PAR_EL1 as an
 * indirect write; the ISB makes the result visible to the MRS that follows
 * (Arm ARM, synchronization requirements for System registers).
 */
#ifndef HYP_AT_H
#define HYP_AT_H

#include "sysreg.h"

static inline uint64_t at_s12e1r(uint64_t va)
{
	__asm__ volatile("at s12e1r, %0" :: "r"(va) : "memory");
	isb();
	return read_sysreg(par_el1);
}

static inline uint64_t at_s12e1w(uint64_t va)
{
	__asm__ volatile("at s12e1w, %0" :: "r"(va) : "memory");
	isb();
	return read_sysreg(par_el1);
}

static inline uint64_t at_s1e1r(uint64_t va)
{
	__asm__ volatile("at s1e1r, %0" :: "r"(va) : "memory");
	isb();
	return read_sysreg(par_el1);
}

#endif
