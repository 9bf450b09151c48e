/* SPDX-License-Identifier: MIT */
/*
 * s2_flush(): clean+invalidate to the PoC every normal-memory leaf in a
 * range, at whatever level it sits. Walking the leaves generically makes
 * the number of levels irrelevant: no per-level loop to miss the leaves
 * of a fourth or fifth level.
 */
#include "pgt.h"

static int flush_visitor(const struct s2_visit *v, enum s2_visit_kind kind)
{
	struct s2_pgtable *pgt = v->pgt;
	const struct s2_geometry *g = &pgt->geom;
	uint64_t size = v->size;
	uint64_t lo = v->addr > v->start ? v->addr : v->start;
	uint64_t hi = v->addr + size < v->end ? v->addr + size : v->end;
	int64_t *calls = v->arg;

	(void)kind;
	if (!s2_desc_valid(v->old) || (s2_desc_prot(v->old) & S2_PROT_DEVICE))
		return 0;
	pgt->ops->dcache_clean_inval(pgt->ctx, s2_pa(s2_desc_oa(g, v->old) + (lo - v->addr)),
				     hi - lo);
	s2_stat_add(&pgt->stats.cmo, 1);
	(*calls)++;
	return 0;
}

int64_t s2_flush(struct s2_pgtable *pgt, s2_ipa_t ipa, uint64_t size, struct s2_diag *d)
{
	int64_t calls = 0;
	int err = s2_check_range(pgt, ipa.v, size, "flush", d);

	if (err)
		return err;
	if (!pgt->ops->dcache_clean_inval)
		return 0;
	s2__walk_range(pgt, ipa.v, ipa.v + size,
		       &(const struct s2_walker){ flush_visitor, S2_VISIT_LEAF, &calls });
	return calls;
}
