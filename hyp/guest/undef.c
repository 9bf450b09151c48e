/* SPDX-License-Identifier: MIT */
/*
 * A system register access the hypervisor traps and does not emulate
 * (PMCR_EL0: the guest has no PMU, MDCR_EL2.TPM) must be UNDEFINED at
 * EL1 (Arm ARM: an access to a register that is not implemented), as
 * KVM makes it. The oracle is the CPU itself: an UDF instruction, which
 * the CPU makes UNDEFINED at EL1 without the hypervisor, from the same
 * PSTATE, must look the same to the handler (ESR_EL1, SPSR_EL1, the
 * vector, PSTATE inside); and both must follow the architecture's rules
 * written out here. Each from EL1h and EL1t, with SCTLR_EL1.SPAN and
 * DSSBS as they are and flipped. One difference is allowed: Linux's
 * enter_exception64() keeps N, Z, C and V, which the hypervisor must do
 * too, while QEMU's own exception entry clears them; no handler can
 * depend on them, so the CPU's are not compared.
 */
#include "guest.h"
#include "undef.h"

#define PSR_DAIF  (0xfULL << 6)
#define PSR_SSBS  (1ULL << 12)
#define PSR_PAN   (1ULL << 22)
#define PSR_NZCV  (0xfULL << 28)
#define PSR_MODE  0xfULL
#define PSR_KEPT  (PSR_NZCV | PSR_DAIF | PSR_PAN | PSR_SSBS | PSR_MODE)
#define SCTLR_SPAN  (1ULL << 23)
#define SCTLR_DSSBS (1ULL << 44)
#define ESR_EC_UNKNOWN_IL (1ULL << 25)   /* EC 0, IL: a 32-bit instruction */

static uint64_t rd_sctlr(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, sctlr_el1" : "=r"(v));
	return v;
}

static void wr_sctlr(uint64_t v)
{
	__asm__ volatile("msr sctlr_el1, %0; isb" :: "r"(v) : "memory");
}

/* One UNDEF, as the rules say it must look; a failure code per rule. */
static void check_one(struct genv *g, const struct undef_rec *r, uint64_t sctlr, unsigned sp0,
		      int injected, uint64_t code)
{
	uint64_t nzcv = (injected ? r->before : r->in) & PSR_NZCV;
	uint64_t mode = sp0 ? 0x4 : 0x5, pan_in, ssbs_in;

	pan_in = (r->flags & UNDEF_PAN) && ((r->before & PSR_PAN) || !(sctlr & SCTLR_SPAN));
	ssbs_in = (r->flags & UNDEF_SSBS) && (sctlr & SCTLR_DSSBS);
	expect(g, r->esr == ESR_EC_UNKNOWN_IL, code + 0);
	expect(g, r->elr == r->pc, code + 1);
	expect(g, (r->before & PSR_MODE) == mode && (r->spsr & PSR_KEPT) == r->before, code + 2);
	expect(g, r->vec == (sp0 ? 0x000 : 0x200), code + 3);
	expect(g, r->in == (nzcv | PSR_DAIF | (pan_in ? PSR_PAN : 0) |
			    (ssbs_in ? PSR_SSBS : 0) | 0x5), code + 4);
}

void undef_test(struct genv *g)
{
	uint64_t mmfr1, pfr1, sctlr0 = rd_sctlr(), flip = 0, flags = 0;

	__asm__ volatile("mrs %0, id_aa64mmfr1_el1" : "=r"(mmfr1));
	__asm__ volatile("mrs %0, id_aa64pfr1_el1" : "=r"(pfr1));
	if ((mmfr1 >> 20) & 0xf) {
		flags |= UNDEF_PAN;
		flip |= SCTLR_SPAN;
		__asm__ volatile("msr S3_0_C4_C2_3, xzr" ::: "memory");   /* PSTATE.PAN = 0 */
	}
	if ((pfr1 >> 4) & 0xf) {
		flags |= UNDEF_SSBS;
		flip |= SCTLR_DSSBS;
	}
	for (unsigned k = 0; k < PROTO_UNDEFS; k++) {
		uint64_t sctlr = (k & 2) ? sctlr0 ^ flip : sctlr0;
		unsigned sp0 = k & 1;
		struct undef_rec inj = { .flags = flags }, nat = { .flags = flags };

		wr_sctlr(sctlr);
		undef_take(&inj, sp0 ? UNDEF_SP0 : 0);
		undef_take(&nat, UNDEF_NATIVE | (sp0 ? UNDEF_SP0 : 0));
		wr_sctlr(sctlr0);
		check_one(g, &inj, sctlr, sp0, 1, 0xa00 + 0x10 * k);
		check_one(g, &nat, sctlr, sp0, 0, 0xa08 + 0x10 * k);
		/* The CPU's own exception entry and the injected one agree. */
		expect(g, inj.esr == nat.esr && inj.spsr == nat.spsr &&
		       (inj.in & ~PSR_NZCV) == (nat.in & ~PSR_NZCV) &&
		       inj.vec == nat.vec, 0xa0f + 0x10 * k);
	}
}
