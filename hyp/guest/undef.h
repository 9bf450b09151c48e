/* SPDX-License-Identifier: MIT */
/*
 * The UNDEFINED-exception test (undef.c, undef_entry.S): a system register
 * access the hypervisor traps and does not emulate must reach the
 * guest's EL1 as an UNDEFINED exception, exactly as one the CPU raises
 * itself.
 */
#ifndef GUEST_UNDEF_H
#define GUEST_UNDEF_H

#include <stdint.h>

/* What one exception looked like (offsets fixed: undef_entry.S uses them). */
struct undef_rec {
	uint64_t pc;       /* the instruction that was UNDEFINED */
	uint64_t vec;      /* the vector entry taken (offset from VBAR_EL1) */
	uint64_t esr, elr, spsr;  /* as the handler read them */
	uint64_t in;       /* PSTATE in the handler (SPSR's layout) */
	uint64_t before;   /* PSTATE just before the instruction */
	uint64_t flags;    /* in: UNDEF_PAN, UNDEF_SSBS (the CPU has them) */
};

#define UNDEF_PAN  (1u << 0)
#define UNDEF_SSBS (1u << 1)

/* @how: UNDEF_NATIVE an UDF instruction, else a read of PMCR_EL0 (which
   the hypervisor traps); UNDEF_SP0 with SP_EL0 selected (EL1t). */
#define UNDEF_NATIVE (1u << 0)
#define UNDEF_SP0    (1u << 1)
void undef_take(struct undef_rec *r, uint64_t how);

#endif
