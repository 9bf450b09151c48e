/* SPDX-License-Identifier: MIT */
/*
 * Stage-2 geometry. The rules come from the Arm ARM's stage-2 start level
 * checks (AArch64.S2InconsistentSL / S2InvalidSL): the start level must
 * resolve between 1 and stride+4 bits of IPA (up to 16 concatenated
 * tables), and some start levels need a large enough output size or LPA2.
 */
#include <s2/geometry.h>
#include <s2/host.h>

#define BLK(level) (1u << ((level) + 1))

static int check_start(const struct s2_geometry *g, int sl, struct s2_diag *d)
{
	const char *gn = s2_granule_name(g->granule);

	if (sl < S2_LEVEL_MIN || sl > S2_LEVEL_MAX)
		return s2_diag_set(d, S2_EINVAL, "start level %d is outside -1..3", sl);
	if (sl == -1 && !(g->granule == S2_GRANULE_4K && g->ds))
		return s2_diag_set(d, S2_EINVAL,
				   "start level -1 needs the 4K granule with LPA2 (VTCR.SL2), not %s%s",
				   gn, g->ds ? "" : " without LPA2");
	if (sl == 3 && g->granule == S2_GRANULE_4K)
		return s2_diag_set(d, S2_EINVAL,
				   "start level 3 with the 4K granule needs FEAT_TTST, which s2kit does not use");
	if (sl == 0 && g->granule == S2_GRANULE_64K)
		return s2_diag_set(d, S2_EINVAL, "the 64K granule has no level 0 (start levels 1..3)");
	if (sl == 0 && g->granule == S2_GRANULE_16K && !g->ds)
		return s2_diag_set(d, S2_EINVAL, "16K start level 0 needs LPA2 (VTCR.DS=1)");
	/* A start level whose entries would map more than the output space. */
	if ((sl == 0 && g->granule == S2_GRANULE_4K && g->ps_bits < 44) ||
	    (sl == 1 && g->granule == S2_GRANULE_16K && g->ps_bits < 42) ||
	    (sl == 1 && g->granule == S2_GRANULE_64K && g->ps_bits < 44))
		return s2_diag_set(d, S2_EINVAL,
				   "%s start level %d needs a PA size above %u bits, PS is %u",
				   gn, sl, g->granule == S2_GRANULE_16K ? 40u : 42u, g->ps_bits);

	unsigned below = s2_level_shift(g, sl);
	if (g->ipa_bits <= below || g->ipa_bits - below > g->stride + 4) {
		/* Say which start levels would work. */
		int lo = S2_LEVEL_MAX + 1, hi = S2_LEVEL_MIN - 1;
		for (int l = S2_LEVEL_MIN; l <= S2_LEVEL_MAX; l++) {
			unsigned b = s2_level_shift(g, l);
			if (g->ipa_bits > b && g->ipa_bits - b <= g->stride + 4) {
				lo = l < lo ? l : lo;
				hi = l > hi ? l : hi;
			}
		}
		return s2_diag_set(d, S2_EINVAL,
				   "start level %d cannot resolve a %u-bit IPA with the %s granule (1..%u bits at the start level); levels %d..%d can",
				   sl, g->ipa_bits, gn, g->stride + 4, lo, hi);
	}
	return 0;
}

int s2_geometry_init(struct s2_geometry *out, const struct s2_geom_req *req,
		     struct s2_diag *d)
{
	struct s2_geometry g = { 0 };
	enum s2_granule gr = req->granule;
	int ps, err;

	if (!s2_granule_valid(gr))
		return s2_diag_set(d, S2_EINVAL, "granule %u is not 4K (12), 16K (14) or 64K (16)",
				   (unsigned)gr);
	if (req->ipa_bits < S2_IPA_MIN || req->ipa_bits > 52)
		return s2_diag_set(d, S2_EINVAL, "IPA size %u bits is outside %u..52",
				   req->ipa_bits, S2_IPA_MIN);
	if (req->lpa2 && gr == S2_GRANULE_64K)
		return s2_diag_set(d, S2_EINVAL,
				   "LPA2 (VTCR.DS) is for the 4K and 16K granules; 64K reaches 52 bits with FEAT_LPA (PS=52)");

	if (req->ps_bits != S2_PS_AUTO) {
		if (s2_parange_enc(req->ps_bits) < 0)
			return s2_diag_set(d, S2_EINVAL,
					   "PA size %u bits is not a PARange size (32, 36, 40, 42, 44, 48, 52)",
					   req->ps_bits);
		ps = (int)req->ps_bits;
	} else {
		ps = s2_parange_round_up(req->ipa_bits);
	}
	/* With DS=0, 4K and 16K treat PS=52 as 48 bits (Arm ARM, VTCR_EL2.PS). */
	if (ps > 48 && !req->lpa2 && gr != S2_GRANULE_64K)
		ps = 48;

	g.granule = gr;
	g.page_shift = (unsigned)gr;
	g.stride = g.page_shift - 3;
	g.ipa_bits = req->ipa_bits;
	g.ps_bits = (unsigned)ps;
	g.ds = req->lpa2;
	g.lpa = gr == S2_GRANULE_64K && ps == 52;

	if (g.ipa_bits > 48 && !g.ds && !g.lpa)
		return s2_diag_set(d, S2_EINVAL,
				   gr == S2_GRANULE_64K ?
				   "a %u-bit IPA with the 64K granule needs a 52-bit PA size (FEAT_LPA); the limit without it is 48" :
				   "a %u-bit IPA with the %s granule needs LPA2 (VTCR.DS=1); the limit without it is 48",
				   g.ipa_bits, s2_granule_name(gr));
	if (g.ipa_bits > g.ps_bits)
		return s2_diag_set(d, S2_EINVAL,
				   "IPA size %u bits is larger than the PA size %u bits (VTCR.PS); a PA size of %d bits or more fits",
				   g.ipa_bits, g.ps_bits, s2_parange_round_up(g.ipa_bits));

	int sl = req->start_level == S2_START_AUTO ?
		 4 - (int)s2_stage2_levels(gr, g.ipa_bits) : req->start_level;
	err = check_start(&g, sl, d);
	if (err)
		return err;

	g.start_level = sl;
	g.levels = (unsigned)(4 - sl);
	g.root_bits = g.ipa_bits - s2_level_shift(&g, sl);
	g.concat = g.root_bits > g.stride ? 1u << (g.root_bits - g.stride) : 1u;
	g.root_entries = 1ULL << g.root_bits;
	g.root_bytes = g.root_entries * 8;
	g.root_align = g.root_bytes < 64 ? 64 : g.root_bytes;

	/* Block descriptors (Arm ARM AArch64.BlockDescSupported): 4K at
	   levels 1-2, and 0 with DS; 16K at 2, and 1 with DS; 64K at 2, and
	   1 with 52-bit PA (FEAT_LPA). Level 3 holds pages. */
	g.block_levels = BLK(3) | BLK(2);
	if (gr == S2_GRANULE_4K)
		g.block_levels |= BLK(1) | (g.ds ? BLK(0) : 0);
	else if (gr == S2_GRANULE_16K)
		g.block_levels |= g.ds ? BLK(1) : 0;
	else
		g.block_levels |= g.lpa ? BLK(1) : 0;
	/* Nothing above the start level exists. */
	g.block_levels &= ~((1u << (sl + 1)) - 1);

	g.ipa_max = (1ULL << g.ipa_bits) - 1;
	g.oa_max = (1ULL << g.ps_bits) - 1;
	*out = g;
	return 0;
}
