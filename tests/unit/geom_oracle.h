/* SPDX-License-Identifier: MIT */
/*
 * The test suite's own model of a stage-2 geometry, written from the
 * architecture's rules and Linux's level choice, independent of
 * lib/geometry.c. Shared by the geometry and VTCR/VTTBR tests.
 *
 * Sources:
 *  - Arm ARM D8.2 (translation granules): a level's index sits above
 *    `shift` bits, see lvl_shift[] below; a table holds 2^(granule - 3)
 *    8-byte descriptors.
 *  - AArch64.S2InconsistentSL: the start level resolves between 1 and
 *    stride + 4 bits (2 to 16 concatenated tables).
 *  - AArch64.S2InvalidSL: which start levels a granule may use, with the
 *    output size standing in for PAMax (4K level 0 needs 44 bits, 16K
 *    level 1 needs 42, 64K level 1 needs 44; 16K level 0 needs DS; level -1
 *    is 4K with DS only; 4K level 3 needs FEAT_TTST, which s2kit does not use;
 *    64K has no level 0).
 *  - VTCR_EL2.PS: 0b110 (52 bits) acts as 48 bits for 4K/16K when DS = 0.
 *  - AArch64.BlockDescSupported: 4K blocks at levels 1, 2 and 0 with DS;
 *    16K at 2 and 1 with DS; 64K at 2 and 1 with 52-bit PA (FEAT_LPA).
 *  - Linux kvm_get_vtcr(): levels = ARM64_HW_PGTABLE_LEVELS(ipa - 4)
 *    = (ipa - 8) / (shift - 3), at least 2; never level -1.
 *  - s2kit's own bounds (s2/geometry.h): IPA 32..52, IPA <= PS, IPA above 48
 *    only with LPA2 (4K/16K) or PS = 52 (64K), LPA2 never with 64K.
 */
#ifndef S2_GEOM_ORACLE_H
#define S2_GEOM_ORACLE_H

#include <stdbool.h>
#include <stdint.h>
#include <s2/err.h>
#include <s2/geometry.h>

#define NO_LEVEL 0u

/* Input bits below the index of levels -1..3, per granule (4K, 16K, 64K). */
static const unsigned lvl_shift[3][5] = {
	/*  -1  0   1   2   3 */
	{   48, 39, 30, 21, 12 },          /* 4K: 9 index bits per level */
	{ NO_LEVEL, 47, 36, 25, 14 },      /* 16K: 11 */
	{ NO_LEVEL, NO_LEVEL, 42, 29, 16 },/* 64K: 13 */
};

static const unsigned oracle_pa_sizes[] = { 32, 36, 40, 42, 44, 48, 52 };

struct oracle_geom {
	int err;              /* 0 or S2_EINVAL */
	unsigned gi;          /* 0 4K, 1 16K, 2 64K */
	unsigned shift, stride, ipa, ps;
	bool ds, lpa;
	int start;
	unsigned levels, root_bits, concat;
	uint64_t root_entries, root_bytes, root_align;
	unsigned block_levels;   /* bit (level + 1) */
	uint64_t ipa_max, oa_max;
};

static inline bool oracle_is_pa_size(unsigned bits)
{
	for (unsigned i = 0; i < sizeof(oracle_pa_sizes) / sizeof(oracle_pa_sizes[0]); i++)
		if (oracle_pa_sizes[i] == bits)
			return true;
	return false;
}

static inline unsigned oracle_round_pa(unsigned bits)
{
	for (unsigned i = 0; i < sizeof(oracle_pa_sizes) / sizeof(oracle_pa_sizes[0]); i++)
		if (oracle_pa_sizes[i] >= bits)
			return oracle_pa_sizes[i];
	return 0;
}

/* May the granule start its walk at @level, given DS and the output size? */
static inline bool oracle_start_allowed(unsigned gi, int level, bool ds, unsigned ps)
{
	switch (gi) {
	case 0:
		return level == -1 ? ds : level == 0 ? ps >= 44 : level == 1 || level == 2;
	case 1:
		return level == 0 ? ds : level == 1 ? ps >= 42 : level == 2 || level == 3;
	default:
		return level == 1 ? ps >= 44 : level == 2 || level == 3;
	}
}

static inline struct oracle_geom oracle_geometry(unsigned shift, unsigned ipa, unsigned ps_req,
						 bool lpa2, int start_req)
{
	struct oracle_geom o = { .err = S2_EINVAL };

	if (shift != 12 && shift != 14 && shift != 16)
		return o;
	o.gi = (shift - 12) / 2;
	o.shift = shift;
	o.stride = shift - 3;
	o.ipa = ipa;
	if (ipa < 32 || ipa > 52 || (lpa2 && shift == 16))
		return o;
	if (ps_req && !oracle_is_pa_size(ps_req))
		return o;
	o.ps = ps_req ? ps_req : oracle_round_pa(ipa);
	if (o.ps > 48 && !lpa2 && shift != 16)
		o.ps = 48;
	o.ds = lpa2;
	o.lpa = shift == 16 && o.ps == 52;
	if ((ipa > 48 && !o.ds && !o.lpa) || ipa > o.ps)
		return o;

	if (start_req == S2_START_AUTO) {
		unsigned lv = (ipa - 8) / o.stride;
		o.start = 4 - (int)(lv < 2 ? 2 : lv);
	} else {
		o.start = start_req;
	}
	if (o.start < -1 || o.start > 3 || !oracle_start_allowed(o.gi, o.start, o.ds, o.ps))
		return o;
	unsigned below = lvl_shift[o.gi][o.start + 1];
	if (below == NO_LEVEL || ipa < below + 1 || ipa > below + o.stride + 4)
		return o;

	o.err = 0;
	o.levels = (unsigned)(4 - o.start);
	o.root_bits = ipa - below;
	o.root_entries = 1ULL << o.root_bits;
	o.concat = o.root_bits > o.stride ? 1u << (o.root_bits - o.stride) : 1;
	o.root_bytes = o.root_entries * 8;
	/* VTTBR_EL2.BADDR: aligned to the table size, at least 64 bytes. */
	o.root_align = o.root_bytes < 64 ? 64 : o.root_bytes;

	bool blk[5] = { false, false, false, false, true };   /* levels -1..3 */
	if (o.gi == 0) {
		blk[1] = o.ds;
		blk[2] = blk[3] = true;
	} else if (o.gi == 1) {
		blk[2] = o.ds;
		blk[3] = true;
	} else {
		blk[2] = o.lpa;
		blk[3] = true;
	}
	o.block_levels = 0;
	for (int l = o.start; l <= 3; l++)
		if (blk[l + 1])
			o.block_levels |= 1u << (l + 1);

	o.ipa_max = (1ULL << ipa) - 1;
	o.oa_max = (1ULL << o.ps) - 1;
	return o;
}

#endif
