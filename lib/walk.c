/* SPDX-License-Identifier: MIT */
/* The exported walker for visitors outside the library. */
#include "walk_impl.h"

int s2_walk(struct s2_pgtable *pgt, uint64_t start, uint64_t end,
	    s2_visitor_fn fn, unsigned kinds, void *arg)
{
	if (!pgt || !fn || start >= end)
		return S2_EINVAL;
	if (end - 1 > pgt->geom.ipa_max)
		return S2_ERANGE;
	return s2__walk_range(pgt, start, end, fn, kinds, arg);
}
