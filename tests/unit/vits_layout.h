/* SPDX-License-Identifier: MIT */
/*
 * A guest that programs the emulated ITS the way Linux's ITS driver does:
 * tables at chosen IPAs (below or above 2^48), flat or two-level, 4K, 16K
 * or 64K ITS pages, two vCPUs, then the LPI property and pending tables
 * and the ITS enabled. Where each table entry must land is computed here
 * from the same layout, independently of the ITS.
 */
#ifndef TESTS_VITS_LAYOUT_H
#define TESTS_VITS_LAYOUT_H

#include <s2/gic.h>
#include "vits_guest.h"

#define NV 2                   /* vCPUs */
#define TABLE_PAGES 2          /* device/collection table: Size+1 */

struct layout {
	unsigned ipa_bits, ps;
	bool dev_ind, coll_ind;
	uint64_t lo, hi;           /* RAM regions: 1 MiB at lo, 4 MiB at hi */
	uint64_t cq, dt, dt_l2[2], ct, ct_l2[2], prop, pend[NV], itt;
};

/* Placements: a 40-bit VM at the top of its space; a 48-bit one; a 52-bit
   one with everything it can above 2^48 (with 4K/16K ITS pages GITS_BASER
   cannot hold more than 48 bits: the level-1 or flat tables stay low). */
enum place { PLACE_40, PLACE_48, PLACE_52 };

static inline struct layout layout_make(enum place p, unsigned ps, bool dev_ind, bool coll_ind)
{
	struct layout l = { .ps = ps, .dev_ind = dev_ind, .coll_ind = coll_ind };

	switch (p) {
	case PLACE_40:
		l.ipa_bits = 40;
		l.lo = (1ULL << 40) - 0x800000;
		l.hi = (1ULL << 40) - 0x400000;
		break;
	case PLACE_48:
		l.ipa_bits = 48;
		l.lo = (1ULL << 48) - 0x800000;
		l.hi = (1ULL << 48) - 0x400000;
		break;
	default:
		l.ipa_bits = 52;
		l.lo = 1ULL << 47;
		l.hi = (1ULL << 52) - 0x400000;
		break;
	}
	l.cq = l.hi;
	l.dt_l2[0] = l.hi + 0x10000;
	l.dt_l2[1] = l.hi + 0x20000;
	l.ct_l2[0] = l.hi + 0x30000;
	l.ct_l2[1] = l.hi + 0x40000;
	l.prop = l.hi + 0x50000;
	for (unsigned v = 0; v < NV; v++)
		l.pend[v] = l.hi + 0x60000 + 0x10000 * v;
	l.itt = l.hi + 0x100000;
	if (p == PLACE_52 && ps == PS_64K) {
		l.dt = l.hi + 0x200000;
		l.ct = l.hi + 0x220000;
	} else {
		l.dt = l.lo;
		l.ct = l.lo + 0x20000;
	}
	return l;
}

static inline uint64_t per_page(const struct layout *l)
{
	return ps_bytes(l->ps) / 8;
}

/* Where the ITS must keep the entry for @id (device or collection). */
static inline uint64_t entry_ipa(const struct layout *l, bool coll, uint32_t id)
{
	bool ind = coll ? l->coll_ind : l->dev_ind;

	if (!ind)
		return (coll ? l->ct : l->dt) + 8ULL * id;
	return (coll ? l->ct_l2 : l->dt_l2)[id / per_page(l)] + 8ULL * (id % per_page(l));
}

/* IDs the table covers: flat TABLE_PAGES pages; two-level: two level-2
   pages behind valid level-1 entries (the rest of level 1 is invalid). */
static inline uint32_t ids_covered(const struct layout *l, bool coll)
{
	return (uint32_t)(((coll ? l->coll_ind : l->dev_ind) ? 2 : TABLE_PAGES) * per_page(l));
}

/* Program everything and enable; LPIs 8192.. all enabled with priority
   (intid * 4) & 0xfc, pending tables zero (PTZ). */
static inline void layout_setup(struct tguest *g, const struct layout *l)
{
	memset(g, 0, sizeof(*g));
	g->f.nr_vcpus = NV;
	fake_add(&g->f, l->lo, 0x100000);
	fake_add(&g->f, l->hi, 0x400000);
	assert_int_equal(vits_init(&g->its, &fake_ops, &g->f, NV, l->ipa_bits), 0);
	g->cq = l->cq;
	g->cq_pages = 16;
	for (unsigned t = 0; t < 2; t++) {
		bool ind = t ? l->coll_ind : l->dev_ind;
		uint64_t base = t ? l->ct : l->dt;
		const uint64_t *l2 = t ? l->ct_l2 : l->dt_l2;

		if (ind) {
			fake_put64(&g->f, base, 1ULL << 63 | l2[0]);
			fake_put64(&g->f, base + 8, 1ULL << 63 | l2[1]);
		}
		its_w(g, GITS_BASER0 + 8 * t, enc_baser(true, ind, l->ps, base, TABLE_PAGES), 8);
		assert_int_equal(s2_gic_base_pa(S2_GITS_BASER, its_r(g, GITS_BASER0 + 8 * t, 8)).v, base);
	}
	its_w(g, GITS_CBASER, enc_cbaser(l->cq, g->cq_pages), 8);
	for (uint32_t id = 8192; id < 65536; id++)
		fake_put8(&g->f, l->prop + id - 8192, (uint8_t)((id * 4) & 0xfc) | 1);
	for (unsigned v = 0; v < NV; v++) {
		gicr_w(g, v, GICR_PROPBASER, enc_propbaser(l->prop, 16), 8);
		gicr_w(g, v, GICR_PENDBASER, enc_pendbaser(l->pend[v], true), 8);
		gicr_w(g, v, GICR_CTLR, 1, 4);
	}
	its_w(g, GITS_CTLR, 1, 4);
	assert_int_equal(its_r(g, GITS_CTLR, 4) & 1, 1);
}

static inline bool pend_bit(struct tguest *g, const struct layout *l, unsigned v, uint32_t intid)
{
	return fake_get8(&g->f, l->pend[v] + intid / 8) & (1u << (intid % 8));
}

#endif
