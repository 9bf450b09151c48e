/* SPDX-License-Identifier: MIT */
/* VTCR_EL2 / VTTBR_EL2 (Arm ARM D19, VTCR_EL2 and VTTBR_EL2). */
#include <s2/host.h>
#include <s2/vtcr.h>

/*
 * SL0 encodes the start level per granule: 4K 0/1/2/3 = level 2/1/0/3;
 * 16K and 64K 0/1/2/3 = level 3/2/1/0. Level -1 (4K, DS=1) is SL2=1 with
 * SL0=0.
 */
static unsigned sl0_for(enum s2_granule g, int level)
{
	if (g == S2_GRANULE_4K)
		return level == -1 ? 0u : level == 3 ? 3u : (unsigned)(2 - level);
	return (unsigned)(3 - level);
}

static unsigned tg0_for(enum s2_granule g)
{
	return g == S2_GRANULE_4K ? S2_VTCR_TG0_4K :
	       g == S2_GRANULE_16K ? S2_VTCR_TG0_16K : S2_VTCR_TG0_64K;
}

uint64_t s2_vtcr_encode(const struct s2_geometry *g, unsigned flags)
{
	uint64_t v = S2_VTCR_RES1;

	v |= (uint64_t)(64 - g->ipa_bits) << S2_VTCR_T0SZ_SHIFT;
	v |= (uint64_t)sl0_for(g->granule, g->start_level) << S2_VTCR_SL0_SHIFT;
	v |= (uint64_t)S2_VTCR_RGN_WBWA << S2_VTCR_IRGN0_SHIFT;
	v |= (uint64_t)S2_VTCR_RGN_WBWA << S2_VTCR_ORGN0_SHIFT;
	v |= (uint64_t)S2_VTCR_SH_INNER << S2_VTCR_SH0_SHIFT;
	v |= (uint64_t)tg0_for(g->granule) << S2_VTCR_TG0_SHIFT;
	v |= (uint64_t)s2_parange_enc(g->ps_bits) << S2_VTCR_PS_SHIFT;
	if (flags & S2_VTCR_F_VMID16)
		v |= S2_VTCR_VS;
	if (flags & (S2_VTCR_F_HA | S2_VTCR_F_HD))
		v |= S2_VTCR_HA;
	if (flags & S2_VTCR_F_HD)
		v |= S2_VTCR_HD;
	if (g->ds)
		v |= S2_VTCR_DS;
	if (g->start_level == -1)
		v |= S2_VTCR_SL2;
	return v;
}

int s2_vtcr_decode(uint64_t vtcr, struct s2_vtcr *out, struct s2_diag *d)
{
	struct s2_vtcr v = { 0 };
	struct s2_geom_req req = { 0 };
	enum s2_granule gr;
	int ps, level, err;

	v.t0sz = (unsigned)(vtcr >> S2_VTCR_T0SZ_SHIFT) & 0x3f;
	v.sl0 = (unsigned)(vtcr >> S2_VTCR_SL0_SHIFT) & 3;
	v.irgn0 = (unsigned)(vtcr >> S2_VTCR_IRGN0_SHIFT) & 3;
	v.orgn0 = (unsigned)(vtcr >> S2_VTCR_ORGN0_SHIFT) & 3;
	v.sh0 = (unsigned)(vtcr >> S2_VTCR_SH0_SHIFT) & 3;
	v.tg0 = (unsigned)(vtcr >> S2_VTCR_TG0_SHIFT) & 3;
	v.ps = (unsigned)(vtcr >> S2_VTCR_PS_SHIFT) & 7;
	v.vs = vtcr & S2_VTCR_VS;
	v.ha = vtcr & S2_VTCR_HA;
	v.hd = vtcr & S2_VTCR_HD;
	v.res1 = vtcr & S2_VTCR_RES1;
	v.ds = vtcr & S2_VTCR_DS;
	v.sl2 = (vtcr & S2_VTCR_SL2) ? 1 : 0;

	switch (v.tg0) {
	case S2_VTCR_TG0_4K: gr = S2_GRANULE_4K; break;
	case S2_VTCR_TG0_16K: gr = S2_GRANULE_16K; break;
	case S2_VTCR_TG0_64K: gr = S2_GRANULE_64K; break;
	default:
		return s2_diag_set(d, S2_EINVAL, "VTCR.TG0=3 is reserved (0: 4K, 1: 64K, 2: 16K)");
	}
	ps = s2_parange_bits(v.ps);
	if (ps < 0)
		return s2_diag_set(d, S2_EINVAL, "VTCR.PS=%u is reserved (0..6: 32..52 bits)", v.ps);
	if (v.ds && gr == S2_GRANULE_64K)
		return s2_diag_set(d, S2_EINVAL, "VTCR.DS=1 with the 64K granule: LPA2 is for 4K and 16K");
	if (v.sl2) {
		if (gr != S2_GRANULE_4K || !v.ds || v.sl0 != 0)
			return s2_diag_set(d, S2_EINVAL,
					   "VTCR.SL2=1 needs TG0=4K, DS=1 and SL0=0 (start level -1); got %s, DS=%u, SL0=%u",
					   s2_granule_name(gr), v.ds ? 1u : 0u, v.sl0);
		level = -1;
	} else if (gr == S2_GRANULE_4K) {
		level = v.sl0 == 3 ? 3 : 2 - (int)v.sl0;
	} else {
		if (gr == S2_GRANULE_64K && v.sl0 == 3)
			return s2_diag_set(d, S2_EINVAL, "VTCR.SL0=3 is reserved with the 64K granule");
		level = 3 - (int)v.sl0;
	}

	/* The geometry's own message would speak of a "64-bit IPA" for
	   T0SZ=0: name the field. */
	if (v.t0sz < 64 - 52 || v.t0sz > 64 - S2_IPA_MIN)
		return s2_diag_set(d, S2_EINVAL,
				   "VTCR.T0SZ=%u selects a %u-bit IPA, outside %u..52 bits; T0SZ %u..%u fit",
				   v.t0sz, 64 - v.t0sz, S2_IPA_MIN, 64 - 52, 64 - S2_IPA_MIN);
	req.granule = gr;
	req.ipa_bits = 64 - v.t0sz;
	req.ps_bits = (unsigned)ps;
	req.lpa2 = v.ds;
	req.start_level = level;
	/* The Arm ARM bounds T0SZ by the implemented PA size (PAMax, in
	   AArch64.S2MinTxSZ), not by VTCR.PS: an IPA wider than PS is valid
	   and only output addresses beyond PS fault. Linux runs 52-bit IPAs
	   with PS=48 (64K pages, 48-bit kernel PA: kvm_get_vtcr()). Decode
	   the tables as on a CPU whose PA size holds the IPA, then give the
	   geometry the output size PS selects. */
	v.ipa_above_ps = req.ipa_bits <= 52 && req.ipa_bits > (unsigned)ps;
	if (v.ipa_above_ps)
		req.ps_bits = (unsigned)s2_parange_round_up(req.ipa_bits);
	err = s2_geometry_init(&v.geom, &req, d);
	if (err)
		return err;
	if (v.ipa_above_ps) {
		v.geom.ps_bits = (unsigned)ps;
		v.geom.oa_max = (1ULL << ps) - 1;
	}
	*out = v;
	return 0;
}

int s2_vttbr_encode(const struct s2_geometry *g, s2_pa_t root, unsigned vmid,
		    unsigned vmid_bits, uint64_t *vttbr, struct s2_diag *d)
{
	uint64_t baddr;

	if (vmid_bits != 8 && vmid_bits != 16)
		return s2_diag_set(d, S2_EINVAL, "VMID size %u bits is not 8 or 16", vmid_bits);
	if (vmid >> vmid_bits)
		return s2_diag_set(d, S2_EINVAL, "VMID %u does not fit in %u bits (max %u)",
				   vmid, vmid_bits, (1u << vmid_bits) - 1);
	if (root.v & (g->root_align - 1))
		return s2_diag_set(d, S2_EINVAL,
				   "root table at %#llx is not aligned to its size %#llx (hardware would drop the low bits)",
				   (unsigned long long)root.v, (unsigned long long)g->root_align);
	/* oa_max + 1 and root_align are powers of two, the first the larger. */
	if (root.v > g->oa_max)
		return s2_diag_set(d, S2_ERANGE,
				   "root table at %#llx is beyond the %u-bit PA size; the highest %#llx-aligned root that fits is at %#llx",
				   (unsigned long long)root.v, g->ps_bits,
				   (unsigned long long)g->root_align,
				   (unsigned long long)(g->oa_max + 1 - g->root_align));
	baddr = root.v & S2_GENMASK(47, 1);
	/* 52-bit PA: BADDR[51:48] live in VTTBR bits [5:2]; the root is at
	   least 64-byte aligned so those bits are otherwise zero. */
	if (g->ps_bits == 52)
		baddr |= ((root.v >> 48) & 0xf) << 2;
	*vttbr = baddr | ((uint64_t)vmid << S2_VTTBR_VMID_SHIFT);
	return 0;
}

s2_pa_t s2_vttbr_root(uint64_t vttbr, bool pa52)
{
	if (pa52)
		return s2_pa((vttbr & S2_GENMASK(47, 6)) | (((vttbr >> 2) & 0xf) << 48));
	return s2_pa(vttbr & S2_GENMASK(47, 1));
}
