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
	p->filled[3 + 1] = 0;
	for (int l = 2; l >= g->start_level; l--) {
		uint64_t size = s2_level_size(g, l);
		bool leaf = !pages_only && s2_level_has_block(g, l) && !((pa - start) & (size - 1));
		p->full[l + 1] = leaf ? 0 : 1 + (1ULL << g->stride) * p->full[l + 2];
		/* The table under the entry is filled when its own entries are
		   leaves (nothing below them); else its children may be. */
		p->filled[l + 1] = leaf ? 0 : p->full[l + 2] == 0 ? 1
				  : (1ULL << g->stride) * p->filled[l + 2];
	}
}

uint64_t s2_plan_tables(const struct s2_plan *p, int level, uint64_t base, uint64_t *filled)
{
	const struct s2_geometry *g = p->g;
	uint64_t size = s2_level_size(g, level);

	if (s2_plan_leafable(p, level, base) || level == 3)
		return 0;
	if (base >= p->start && base + size <= p->end) {
		*filled += p->filled[level + 1];
		return p->full[level + 1];
	}

	/* Partly covered: one table here, then the first and last children
	   may be partly covered too; those between are wholly covered. */
	uint64_t csize = s2_level_size(g, level + 1);
	uint64_t lo = base > p->start ? base : p->start;
	uint64_t hi = base + size < p->end ? base + size : p->end;
	uint64_t first = lo & ~(csize - 1), last = (hi - 1) & ~(csize - 1);
	uint64_t n = 1 + s2_plan_tables(p, level + 1, first, filled);

	if (last != first) {
		uint64_t between = (last - first) / csize - 1;

		n += s2_plan_tables(p, level + 1, last, filled);
		n += between * p->full[level + 2];
		*filled += between * p->filled[level + 2];
	}
	return n;
}
