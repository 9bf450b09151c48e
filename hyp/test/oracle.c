/* SPDX-License-Identifier: MIT */
/*
 * The oracle's driver: every granule x IPA size x PA size, with and
 * without LPA2, at Linux's start level and at every other start level the
 * architecture allows (concatenated roots, level -1). Each configuration
 * gets random mappings, a comparison of every chosen IPA, a round of
 * mutations, and a second comparison focused on what changed.
 */
#include <s2/err.h>
#include <s2/host.h>
#include "alloc.h"
#include "at.h"
#include "check.h"
#include "host.h"
#include "oracle.h"
#include "printf.h"
#include "quirks.h"
#include "sysreg.h"

#define SEED 0x5eed2024c0ffeeULL
/* IPAs asked about per configuration in each phase (each is translated
   twice: AT S12E1R and AT S12E1W). */
#define BUDGET_MAPPED  1500
#define BUDGET_EXTRA_SL 800

static const unsigned pa_sizes[] = { 32, 36, 40, 42, 44, 48, 52 };
static const enum s2_granule granules[] = { S2_GRANULE_4K, S2_GRANULE_16K, S2_GRANULE_64K };

struct totals {
	uint64_t configs, compared, differed, beyond_pa, skipped, ipas;
};

/* Stage 1 off, stage 2 on; DC=1 makes the disabled stage 1 Normal
   write-back so PAR_EL1's attributes are stage 2's memory type. */
static void oracle_enter(void)
{
	write_sysreg(read_sysreg(sctlr_el1) & ~1ULL, sctlr_el1);
	write_sysreg(HCR_RW | HCR_VM | HCR_DC, hcr_el2);
	isb();
}

static void oracle_leave(void)
{
	write_sysreg(HCR_RW, hcr_el2);
	isb();
}

/* Does the CPU support this configuration at all? */
static bool cpu_allows(enum s2_granule gr, unsigned ps, bool lpa2)
{
	const struct s2_gran_caps *gc = &host_caps.gran[s2_gran_index(gr)];

	if (!gc->s2 || ps > host_caps.pa_bits)
		return false;
	if (lpa2 && !gc->s2_52)
		return false;
	return gr != S2_GRANULE_64K || ps < 52 || host_caps.lpa;
}

/*
 * @vtcr_xor: zero, or bits to flip in VTCR_EL2 for a control run: the
 * hardware then walks the tables with a configuration they were not
 * built for, and the oracle must see differences (otherwise it could not
 * see any).
 */
static void run_config(const struct s2_geom_req *req, unsigned vmid, unsigned budget,
		       struct rng *r, struct totals *t, uint64_t vtcr_xor)
{
	struct s2_geometry g;
	struct s2_diag d;
	struct octx o = { .r = r, .collapsible = -1 };
	char sl[8];
	int err;

	err = s2_geometry_init(&g, req, &d);
	if (!check(err == 0, "geometry %s IPA %u PS %u%s: %s", s2_granule_name(req->granule),
		   req->ipa_bits, req->ps_bits, req->lpa2 ? " LPA2" : "", d.msg))
		return;
	snprintf(sl, sizeof(sl), "SL%d", g.start_level);
	const char *quirk = quirk_for(&g);
	if (quirk) {
		printf("oracle %-3s IPA %2u PS %2u %-4s %-4s: SKIPPED: %s\n",
		       s2_granule_name(g.granule), g.ipa_bits, g.ps_bits, g.ds ? "LPA2" : "", sl, quirk);
		t->skipped++;
		return;
	}
	o.g = &o.s.pgt.geom;
	err = stage2_init(&o.s, &g, vmid, 0, 0, &hyp_mm_ops, &d);
	if (!check(err == 0, "stage2_init: %s", d.msg))
		return;

	oracle_populate(&o);
	o.s.vtcr ^= vtcr_xor;
	if (vtcr_xor)
		o.printed = ~0u;
	stage2_load(&o.s);
	oracle_enter();
	o.phase = "mapped";
	oracle_points(&o, o.maps, o.nmaps, budget);
	oracle_mutate(&o);
	o.phase = "mutated";
	oracle_points(&o, o.touched, o.ntouched, budget / 2);
	oracle_leave();

	o.s.vtcr ^= vtcr_xor;
	uint64_t tables = o.s.pgt.stats.tables;
	uint64_t leaked = stage2_destroy(&o.s);
	check(leaked == 0, "destroy left %llu bytes of table memory allocated",
	      (unsigned long long)leaked);

	if (vtcr_xor) {
		check(o.differed > 0, "oracle control: VTCR_EL2 ^ %#llx went unnoticed",
		      (unsigned long long)vtcr_xor);
		printf("oracle control %-3s IPA %2u PS %2u %-4s: tables walked with VTCR_EL2 ^ %#llx: "
		       "%llu of %llu translations differ (must not be 0)\n",
		       s2_granule_name(g.granule), g.ipa_bits, g.ps_bits, g.ds ? "LPA2" : "",
		       (unsigned long long)vtcr_xor, (unsigned long long)o.differed,
		       (unsigned long long)o.compared);
		return;
	}
	printf("oracle %-3s IPA %2u PS %2u %-4s %-4s x%-2u VTCR=%#011llx maps %2u ops %2u tables %4llu | "
	       "ok %4llu (>2^48 %4llu, dev %4llu) xlate %4llu af %3llu perm %4llu | %5llu compared, %llu differ\n",
	       s2_granule_name(g.granule), g.ipa_bits, g.ps_bits, g.ds ? "LPA2" : "", sl,
	       g.concat, (unsigned long long)o.s.vtcr, o.nmaps, o.mutations,
	       (unsigned long long)tables, (unsigned long long)o.n_ok,
	       (unsigned long long)o.n_hi_pa, (unsigned long long)o.n_device,
	       (unsigned long long)o.n_xlate, (unsigned long long)o.n_af,
	       (unsigned long long)o.n_perm, (unsigned long long)o.compared,
	       (unsigned long long)o.differed);
	t->configs++;
	t->compared += o.compared;
	t->differed += o.differed;
	t->beyond_pa += o.beyond_pa;
	t->ipas += o.ipas;
	check(o.differed == 0, "%llu of %llu translations differ (%s IPA %u PS %u %s)",
	      (unsigned long long)o.differed, (unsigned long long)o.compared,
	      s2_granule_name(g.granule), g.ipa_bits, g.ps_bits, sl);
}

uint64_t oracle_run(void)
{
	struct rng r = { SEED };
	struct totals t = { 0 };
	unsigned vmid = 1;

	printf("oracle: libs2 s2_translate() against AT S12E1R/S12E1W, seed %#llx\n",
	       (unsigned long long)SEED);
	quirks_probe();

	for (unsigned gi = 0; gi < 3; gi++) {
		for (int lpa2 = 0; lpa2 < 2; lpa2++) {
			enum s2_granule gr = granules[gi];
			if (lpa2 && gr == S2_GRANULE_64K)
				continue;
			for (unsigned ipa = 32; ipa <= 52; ipa++) {
				unsigned ps_max = 0;
				/* Linux's start level at every PA size. PS=52 acts
				   as 48 without LPA2 for 4K/16K: not a new case. */
				for (unsigned pi = 0; pi < 7; pi++) {
					unsigned ps = pa_sizes[pi];
					if (ps < ipa || !cpu_allows(gr, ps, lpa2) ||
					    (ps == 52 && !lpa2 && gr != S2_GRANULE_64K) ||
					    (ipa > 48 && !lpa2 && gr != S2_GRANULE_64K) ||
					    (ipa > 48 && gr == S2_GRANULE_64K && ps < 52))
						continue;
					struct s2_geom_req req = { gr, ipa, ps, lpa2, S2_START_AUTO };
					run_config(&req, vmid++ & 0xff, BUDGET_MAPPED, &r, &t, 0);
					ps_max = ps;
				}
				if (!ps_max)
					continue;
				/* Every other start level the largest PS allows. */
				struct s2_geometry auto_g;
				struct s2_geom_req req = { gr, ipa, ps_max, lpa2, S2_START_AUTO };
				if (s2_geometry_init(&auto_g, &req, NULL))
					continue;
				for (int sl = -1; sl <= 3; sl++) {
					struct s2_geometry g;
					req.start_level = sl;
					if (sl == auto_g.start_level || s2_geometry_init(&g, &req, NULL))
						continue;
					run_config(&req, vmid++ & 0xff, BUDGET_EXTRA_SL, &r, &t, 0);
				}
			}
		}
	}
	/* Controls: tables built for one descriptor format, walked with
	   another. LPA2 tables without DS (OA[51:50] read as shareability);
	   64K LPA tables with PS=48 (OA[51:48] in bits [15:12] ignored). */
	struct totals ctl = { 0 };
	const struct s2_geom_req c1 = { S2_GRANULE_4K, 48, 52, true, S2_START_AUTO };
	const struct s2_geom_req c2 = { S2_GRANULE_64K, 48, 52, false, S2_START_AUTO };
	if (cpu_allows(S2_GRANULE_4K, 52, true))
		run_config(&c1, 0xf1, BUDGET_EXTRA_SL, &r, &ctl, S2_VTCR_DS);
	if (cpu_allows(S2_GRANULE_64K, 52, false))
		run_config(&c2, 0xf2, BUDGET_EXTRA_SL, &r, &ctl, (6ULL ^ 5ULL) << S2_VTCR_PS_SHIFT);

	printf("oracle: %llu configurations, %llu IPAs, %llu translations compared, %llu differ; "
	       "%llu skipped for QEMU walker defects; %llu checks beyond the 52-bit PA space\n",
	       (unsigned long long)t.configs, (unsigned long long)t.ipas,
	       (unsigned long long)t.compared, (unsigned long long)t.differed,
	       (unsigned long long)t.skipped, (unsigned long long)t.beyond_pa);
	printf("oracle: allocator peak %llu KiB\n",
	       (unsigned long long)(alloc_stats()->peak_bytes >> 10));
	return t.differed;
}
