/* SPDX-License-Identifier: MIT */
/*
 * GICv3 base registers with 52-bit addresses (GIC architecture spec,
 * GITS_BASER<n>, GITS_CBASER, GICR_PROPBASER, GICR_PENDBASER).
 */
#include <s2/gic.h>

struct fmt {
	uint64_t mask;      /* where the address bits live */
	unsigned unit;      /* log2 alignment */
	unsigned top;       /* address bits the format holds */
	bool split52;       /* GITS_BASER 64K: PA[51:48] in bits [15:12] */
};

static struct fmt fmt_of(enum s2_gic_reg reg, uint64_t val)
{
	switch (reg) {
	case S2_GITS_BASER: {
		unsigned ps = (unsigned)(val >> S2_GITS_BASER_PAGE_SHIFT) & 3;
		if (ps >= S2_GITS_BASER_PAGE_64K)
			return (struct fmt){ S2_GENMASK(47, 12), 16, 52, true };
		return (struct fmt){ S2_GENMASK(47, 12), ps ? 14 : 12, 48, false };
	}
	case S2_GITS_CBASER:
	case S2_GICR_PROPBASER:
		return (struct fmt){ S2_GENMASK(51, 12), 12, 52, false };
	case S2_GICR_PENDBASER:
	default:
		return (struct fmt){ S2_GENMASK(51, 16), 16, 52, false };
	}
}

const char *s2_gic_reg_name(enum s2_gic_reg reg)
{
	switch (reg) {
	case S2_GITS_BASER: return "GITS_BASER";
	case S2_GITS_CBASER: return "GITS_CBASER";
	case S2_GICR_PROPBASER: return "GICR_PROPBASER";
	case S2_GICR_PENDBASER: return "GICR_PENDBASER";
	}
	return "?";
}

static bool reg_valid(enum s2_gic_reg reg)
{
	return (unsigned)reg <= S2_GICR_PENDBASER;
}

s2_pa_t s2_gic_base_pa(enum s2_gic_reg reg, uint64_t val)
{
	struct fmt f = fmt_of(reg, val);

	if (!reg_valid(reg))
		return s2_pa(0);

	if (f.split52)
		return s2_pa((val & S2_GENMASK(47, 16)) | (((val >> 12) & 0xf) << 48));
	return s2_pa(val & f.mask & ~((1ULL << f.unit) - 1));
}

int s2_gic_base_set_pa(enum s2_gic_reg reg, uint64_t val, s2_pa_t pa,
		       uint64_t *out, struct s2_diag *d)
{
	struct fmt f = fmt_of(reg, val);
	uint64_t field;

	/* An unknown register has no format: nothing to guess. */
	if (!reg_valid(reg))
		return s2_diag_set(d, S2_EINVAL,
				   "GIC register %u is not GITS_BASER (%u), GITS_CBASER (%u), GICR_PROPBASER (%u) or GICR_PENDBASER (%u)",
				   (unsigned)reg, (unsigned)S2_GITS_BASER, (unsigned)S2_GITS_CBASER,
				   (unsigned)S2_GICR_PROPBASER, (unsigned)S2_GICR_PENDBASER);
	if (reg == S2_GITS_BASER && ((val >> S2_GITS_BASER_PAGE_SHIFT) & 3) == 3)
		return s2_diag_set(d, S2_EINVAL,
				   "GITS_BASER Page_Size=3 is reserved (0: 4K, 1: 16K, 2: 64K)");
	if (pa.v & ((1ULL << f.unit) - 1))
		return s2_diag_set(d, S2_EINVAL, "%s address %#llx is not aligned to %u KiB",
				   s2_gic_reg_name(reg), (unsigned long long)pa.v,
				   (1u << f.unit) >> 10);
	if (pa.v >> f.top)
		return s2_diag_set(d, S2_ERANGE,
				   f.top == 48 ?
				   "%s address %#llx needs more than 48 bits; only 64K ITS pages (Page_Size=2) hold PA[51:48]" :
				   "%s address %#llx needs more than 52 bits",
				   s2_gic_reg_name(reg), (unsigned long long)pa.v);
	if (f.split52)
		field = (pa.v & S2_GENMASK(47, 16)) | (((pa.v >> 48) & 0xf) << 12);
	else
		field = pa.v & f.mask;
	*out = (val & ~f.mask) | field;
	return 0;
}
