/* SPDX-License-Identifier: MIT */
/*
 * Planning how many table pages an operation will allocate, so they can
 * be reserved before anything changes (an operation that cannot get its
 * memory fails with nothing done). The map and split visitors use the
 * same s2_plan_leafable() decision as the count, so the two agree.
 */
#ifndef S2_PLAN_H
#define S2_PLAN_H

#include <s2/geometry.h>

struct s2_plan {
	const struct s2_geometry *g;
	uint64_t start, end;     /* IPA range */
	uint64_t pa;             /* PA of start (map only) */
	bool pages_only;         /* only level-3 leaves (S2_MAP_PAGES, split) */
	uint64_t full[5];        /* tables under a wholly covered entry, per level+1 */
	uint64_t filled[5];      /* of those, tables whose entries all become
				    leaves (written whole before they are linked) */
};

void s2_plan_init(struct s2_plan *p, const struct s2_geometry *g, uint64_t start,
		  uint64_t end, uint64_t pa, bool pages_only);

/* May the entry at (level, base) become one leaf of the new mapping? */
static inline bool s2_plan_leafable(const struct s2_plan *p, int level, uint64_t base)
{
	uint64_t size = s2_level_size(p->g, level);

	if (base < p->start || base + size > p->end)
		return false;
	if (level == 3)
		return true;
	if (p->pages_only || !s2_level_has_block(p->g, level))
		return false;
	return ((p->pa + (base - p->start)) & (size - 1)) == 0;
}

/* Tables needed under a non-table entry at (level, base) for the range;
   *@filled (added to) counts those the map fills with leaves entirely. */
uint64_t s2_plan_tables(const struct s2_plan *p, int level, uint64_t base, uint64_t *filled);

#endif
