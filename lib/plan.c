/* SPDX-License-Identifier: MIT */
#include "plan.h"

/*
 * A wholly covered entry is leafable or not independently of where it is
 * (the PA offset is the same for the whole range), so the tables under
 * one such entry depend only on its level: precompute them.
 */
void s2_plan_init(struct s2_plan *p, const struct s2_geometry *g, uint64_t start,
		  uint64_t end, uint64_t pa, bool pages_only)
{
	*p = (struct s2_plan){ .g = g, .start = start, .end = end, .pa = pa,
			       .pages_only = pages_only };
	p->full[3 + 1] = 0;
	for (int l = 2; l >= g->start_level; l--) {
		uint64_t size = s2_level_size(g, l);
		bool leaf = !pages_only && s2_level_has_block(g, l) && !((pa - start) & (size - 1));
		p->full[l + 1] = leaf ? 0 : 1 + (1ULL << g->stride) * p->full[l + 2];
	}
}

uint64_t s2_plan_tables(const struct s2_plan *p, int level, uint64_t base)
{
	const struct s2_geometry *g = p->g;
	uint64_t size = s2_level_size(g, level);

	if (s2_plan_leafable(p, level, base) || level == 3)
		return 0;
	if (base >= p->start && base + size <= p->end)
		return p->full[level + 1];

	/* Partly covered: one table here, then the first and last children
	   may be partly covered too; those between are wholly covered. */
	uint64_t csize = s2_level_size(g, level + 1);
	uint64_t lo = base > p->start ? base : p->start;
	uint64_t hi = base + size < p->end ? base + size : p->end;
	uint64_t first = lo & ~(csize - 1), last = (hi - 1) & ~(csize - 1);
	uint64_t n = 1 + s2_plan_tables(p, level + 1, first);

	if (last != first) {
		n += s2_plan_tables(p, level + 1, last);
		n += ((last - first) / csize - 1) * p->full[level + 2];
	}
	return n;
}
