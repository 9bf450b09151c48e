/* SPDX-License-Identifier: MIT */
/*
 * Stage-2 permissions, observed on the hardware.
 *
 * At stage 2, S2AP (data reads and writes) and XN (instruction fetches)
 * are independent (Arm ARM, stage 2 access permissions; Linux's
 * stage2_set_prot_attr() accepts any R/W/X mix), so:
 *  - a write-only page (S2AP=0b10) translates for AT S12E1W and takes a
 *    stage-2 permission fault for AT S12E1R;
 *  - an execute-only page (S2AP=0b00, XN=0) runs a guest's code while AT
 *    S12E1R and S12E1W on it fault;
 *  - the control: the same code read-only (XN=0b10) cannot be fetched:
 *    the guest takes an instruction abort, a stage-2 permission fault.
 * The guest is the TLB test's: load from the IPA in x0 into x1, HVC.
 */
#include <s2/err.h>
#include <s2/fault.h>
#include "alloc.h"
#include "at.h"
#include "check.h"
#include "frame.h"
#include "permtest.h"
#include "printf.h"
#include "stage2.h"
#include "sysreg.h"

extern const char tlb_guest[], tlb_guest_end[];

#define CODE_IPA  0x10000ULL
#define DATA_IPA  0x80000000ULL
#define WO_IPA    0x80200000ULL
#define SCTLR_EL1_OFF 0x30d00800ULL
#define EC_HVC64  0x16
#define EC_IABT_LOW 0x20
#define FSC_PERM_L3 0x0f

/* PAR_EL1 of an AT: a stage-2 permission fault at level 3? */
static bool perm_fault(uint64_t par)
{
	struct s2_par p;

	s2_par_decode(par, &p);
	return p.f && p.s2 && !p.ptw && p.fst == FSC_PERM_L3;
}

static bool translates_to(uint64_t par, uint64_t pa)
{
	struct s2_par p;

	s2_par_decode(par, &p);
	return !p.f && p.pa.v == pa;
}

/* The prot libs2 reads back from the leaf it wrote. */
static unsigned prot_at(struct stage2 *s, uint64_t ipa)
{
	struct s2_xlate x;

	return s2_translate(&s->pgt, s2_ipa(ipa), &x) == 0 && x.valid ? x.prot : ~0u;
}

void permtest_run(void)
{
	static struct stage2 s;
	static struct gregs regs;
	struct s2_geom_req req = { S2_GRANULE_4K, 40, 48, false, S2_START_AUTO };
	struct s2_geometry g;
	struct s2_diag d;
	uint64_t live = alloc_stats()->live_bytes;

	printf("\npermtest: write-only and execute-only stage-2 mappings on the hardware\n");
	if (!check(s2_geometry_init(&g, &req, &d) == 0 &&
		   stage2_init(&s, &g, 0x7c, 0, 0, &hyp_mm_ops, &d) == 0, "permtest: setup: %s", d.msg))
		return;
	char *code = alloc_pages(4096);
	uint64_t *data = alloc_pages(4096), *wo = alloc_pages(4096);
	for (const char *c = tlb_guest; c < tlb_guest_end; c++)
		code[c - tlb_guest] = *c;
	data[0] = 0x5eed;
	hyp_mm_ops.dcache_clean_inval(&s, s2_pa((uint64_t)code), 4096);
	hyp_mm_ops.dcache_clean_inval(&s, s2_pa((uint64_t)data), 4096);
	check(s2_map(&s.pgt, s2_ipa(DATA_IPA), 4096, s2_pa((uint64_t)data), S2_PROT_R, 0, &d) == 0 &&
	      s2_map(&s.pgt, s2_ipa(WO_IPA), 4096, s2_pa((uint64_t)wo), S2_PROT_W, 0, &d) == 0 &&
	      s2_map(&s.pgt, s2_ipa(CODE_IPA), 4096, s2_pa((uint64_t)code), S2_PROT_R, 0, &d) == 0,
	      "permtest: map: %s", d.msg);
	write_sysreg(HCR_RW | HCR_VM, hcr_el2);
	write_sysreg(SCTLR_EL1_OFF, sctlr_el1);
	stage2_load(&s);

	/* Write-only data. */
	uint64_t par_w = at_s12e1w(WO_IPA), par_r = at_s12e1r(WO_IPA);
	check(prot_at(&s, WO_IPA) == S2_PROT_W && translates_to(par_w, (uint64_t)wo) &&
	      perm_fault(par_r),
	      "permtest: write-only page: prot %#x, AT S12E1W PAR %#llx (want PA %#llx), "
	      "AT S12E1R PAR %#llx (want a level-3 permission fault)", prot_at(&s, WO_IPA),
	      (unsigned long long)par_w, (unsigned long long)(uint64_t)wo, (unsigned long long)par_r);
	printf("permtest: write-only: AT S12E1W PAR_EL1=%#llx, AT S12E1R PAR_EL1=%#llx\n",
	       (unsigned long long)par_w, (unsigned long long)par_r);

	/* The control: read-only code is not executable. */
	regs.elr = CODE_IPA;
	regs.spsr = 0x3c5;            /* EL1h, interrupts masked */
	regs.x[0] = DATA_IPA;
	unsigned kind = guest_run(&regs);
	uint64_t esr = read_sysreg(esr_el2);
	check(kind == VEC_LOW64_SYNC && esr >> 26 == EC_IABT_LOW && (esr & 0x3f) == FSC_PERM_L3,
	      "permtest: read-only code: exit kind %u ESR_EL2=%#llx, want an instruction abort "
	      "(permission fault, level 3)", kind, (unsigned long long)esr);
	printf("permtest: read-only code: the fetch faults, ESR_EL2=%#llx\n", (unsigned long long)esr);

	/* Execute-only code runs; its data cannot be read or written. */
	check(s2_protect(&s.pgt, s2_ipa(CODE_IPA), 4096, S2_PROT_X, &d) == 0, "permtest: protect: %s",
	      d.msg);
	regs.elr = CODE_IPA;
	regs.spsr = 0x3c5;
	regs.x[0] = DATA_IPA;
	regs.x[1] = 0;
	kind = guest_run(&regs);
	esr = read_sysreg(esr_el2);
	par_r = at_s12e1r(CODE_IPA);
	par_w = at_s12e1w(CODE_IPA);
	check(prot_at(&s, CODE_IPA) == S2_PROT_X && kind == VEC_LOW64_SYNC &&
	      esr >> 26 == EC_HVC64 && regs.x[1] == 0x5eed && perm_fault(par_r) && perm_fault(par_w),
	      "permtest: execute-only code: prot %#x, exit kind %u ESR_EL2=%#llx x1=%#llx (want HVC "
	      "and 0x5eed), AT S12E1R %#llx, AT S12E1W %#llx (want permission faults)",
	      prot_at(&s, CODE_IPA), kind, (unsigned long long)esr, (unsigned long long)regs.x[1],
	      (unsigned long long)par_r, (unsigned long long)par_w);
	printf("permtest: execute-only: the guest ran it (x1=%#llx); AT S12E1R PAR_EL1=%#llx, "
	       "AT S12E1W PAR_EL1=%#llx\n", (unsigned long long)regs.x[1],
	       (unsigned long long)par_r, (unsigned long long)par_w);

	write_sysreg(HCR_RW, hcr_el2);
	isb();
	check(stage2_destroy(&s) == 0, "permtest: tables leaked");
	alloc_free(code, 4096);
	alloc_free(data, 4096);
	alloc_free(wo, 4096);
	check(alloc_stats()->live_bytes == live, "permtest: memory leaked");
}
