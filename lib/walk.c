/* SPDX-License-Identifier: MIT */
/* The exported walker for visitors outside the library. */
#include "pgt.h"

int s2_walk(struct s2_pgtable *pgt, s2_ipa_t ipa, uint64_t size, const struct s2_walker *w)
{
	if (!pgt || !w || !w->cb || !size || ipa.v + size < ipa.v)
		return S2_EINVAL;
	if (ipa.v + size - 1 > pgt->geom.ipa_max)
		return S2_ERANGE;
	return s2__walk_range(pgt, ipa.v, ipa.v + size, w);
}

int s2__walk_table(struct s2_pgtable *pgt, const struct s2_walker *w,
		   uint64_t *table, int level, uint64_t *parent, uint64_t start,
		   uint64_t end, uint64_t wstart, uint64_t wend)
{
	return s2__walk(pgt, w, table, level, parent, start, end, wstart, wend);
}
