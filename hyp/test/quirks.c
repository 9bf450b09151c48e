/* SPDX-License-Identifier: MIT */
/*
 * QEMU 7.2's check_s2_mmu_setup() (target/arm/ptw.c) checks the stage-2
 * start level with its own rules instead of the architecture's
 * AArch64.S2InconsistentSL() (an IPA size is valid for a start level when
 * the level resolves between 1 and stride+4 bits, i.e. up to 16
 * concatenated tables). Two consequences, each probed with one mapped
 * page whose AT S12E1R must translate:
 *
 *  - 16K granule, start level 0 (VTCR_EL2.SL0=3, legal with DS=1): QEMU
 *    rejects every level 0 for 16K, so every walk takes a level-0
 *    translation fault. This is what hangs 52-bit 16K KVM guests.
 *  - 4K granule, start level -1 (VTCR_EL2.SL2=1, DS=1): QEMU allows
 *    level -1 only for a 52-bit IPA, though 49..51 bits are legal there
 *    too (2..8 root entries).
 *
 * A configuration the probe shows broken is skipped with a line naming
 * the defect; libs2's geometry for it is still checked by the unit
 * tests, and the configuration runs normally on a walker without it.
 */
#include "at.h"
#include "oracle.h"
#include "printf.h"
#include "quirks.h"
#include "stage2.h"
#include "sysreg.h"

static bool bug_16k_l0, bug_4k_lm1;

/* Translate one mapped page through geometry @req: 1 ok, 0 the walker
   faulted at level 0, -1 the probe could not be set up. */
static int probe(const struct s2_geom_req *req, uint64_t ipa, uint64_t pa, const char *what)
{
	struct s2_geometry g;
	struct stage2 s;
	struct s2_diag d;
	uint64_t par, hcr = read_sysreg(hcr_el2);
	int ok;

	if (s2_geometry_init(&g, req, &d) || stage2_init(&s, &g, 0xfe, 0, 0, &hyp_mm_ops, &d)) {
		printf("quirk probe %s: not possible on this CPU (%s)\n", what, d.msg);
		return -1;
	}
	if (s2_map(&s.pgt, s2_ipa(ipa), s2_page_size(&g), s2_pa(pa), S2_PROT_R, 0, &d)) {
		printf("quirk probe %s: s2_map failed: %s\n", what, d.msg);
		stage2_destroy(&s);
		return -1;
	}
	stage2_load(&s);
	write_sysreg(HCR_RW | HCR_VM | HCR_DC, hcr_el2);
	isb();
	par = at_s12e1r(ipa);
	write_sysreg(hcr, hcr_el2);
	isb();
	stage2_destroy(&s);
	ok = !(par & 1) && (par & S2_GENMASK(51, 12)) == pa;
	printf("quirk probe %s: VTCR_EL2=%#llx, AT S12E1R %#llx -> PAR_EL1=%#llx: %s\n", what,
	       (unsigned long long)s.vtcr, (unsigned long long)ipa, (unsigned long long)par,
	       ok ? "translated: walker OK" :
	       ((par >> 1) & 0x3f) == 0x04 ? "level-0 translation fault on a mapped page: DEFECT PRESENT" :
	       "unexpected result");
	return ok ? 1 : 0;
}

void quirks_probe(void)
{
	struct s2_geom_req r16 = { S2_GRANULE_16K, 52, 52, true, 0 };
	struct s2_geom_req r4 = { S2_GRANULE_4K, 49, 52, true, -1 };

	bug_16k_l0 = probe(&r16, 0x000f123456784000ULL, 0x000abcdef0124000ULL,
			   "16K start level 0 (52-bit IPA, DS=1, SL0=3)") == 0;
	bug_4k_lm1 = probe(&r4, 0x0001234567891000ULL, 0x000fedcba9876000ULL,
			   "4K start level -1 with a 49-bit IPA (DS=1, SL2=1)") == 0;
}

const char *quirk_for(const struct s2_geometry *g)
{
	if (bug_16k_l0 && g->granule == S2_GRANULE_16K && g->start_level == 0)
		return "QEMU 7.2 16K start-level-0 bug (check_s2_mmu_setup rejects 16K level 0, "
		       "legal with DS=1: every walk faults at level 0)";
	if (bug_4k_lm1 && g->granule == S2_GRANULE_4K && g->start_level == -1 && g->ipa_bits < 52)
		return "QEMU 7.2 4K start-level--1 bug (check_s2_mmu_setup allows level -1 only "
		       "for a 52-bit IPA; 49..51 bits are legal)";
	return NULL;
}

unsigned quirk_16k_max_ipa(void)
{
	/* 52 bits need 16K start level 0; 51 bits start at level 1 with 16
	   concatenated tables. */
	return bug_16k_l0 ? 51 : 52;
}
