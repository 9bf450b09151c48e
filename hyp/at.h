/* SPDX-License-Identifier: MIT */
/*
 * Address translation instructions: the hardware's own walk, answered in
 * PAR_EL1 (Arm ARM C5.5, AT S12E1R/S12E1W/S1E1R). An ISB is needed before
 * PAR_EL1 reflects the AT (Arm ARM D19, PAR_EL1: "... after an ISB").
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
