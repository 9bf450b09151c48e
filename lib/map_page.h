/* SPDX-License-Identifier: MIT */
/*
 * The stage-2 fault path: one page whose last-level table exists and
 * whose entry is empty, the common fault once a guest's tables are built.
 * It needs no table page, no TLBI (the entry was invalid: nothing can be
 * cached for it) and no walk beyond one lookup; anything else takes the
 * general map (map.c, map_shared.c), which also reports bad arguments.
 *
 * Exclusive: one store of the leaf and the parent's count kept exactly.
 * Shared: one compare-and-swap of the leaf, as Linux's
 * stage2_map_walker_try_leaf() does, and no per-fault write to the parent
 * descriptor, whose cache line every CPU faulting in the same 2 MiB (4K
 * granule) would otherwise bounce: the first shared install in a table
 * marks its count unknown (S2_TBL_COUNT_UNKNOWN) and the next exclusive
 * call that needs it recounts (s2_table_count()).
 */
#ifndef S2_MAP_PAGE_H
#define S2_MAP_PAGE_H

#include "map.h"

/* The arguments every one-page fault passes: anything else (including
   every error) goes the general way, which says what is wrong. */
static inline __attribute__((always_inline)) bool
page_args_ok(const struct s2_pgtable *pgt, uint64_t ipa, uint64_t size, uint64_t pa,
	     unsigned prot)
{
	const struct s2_geometry *g = &pgt->geom;

	return size == s2_page_size(g) && !((ipa | pa) & (size - 1)) &&
	       ipa <= g->ipa_max && pa <= g->oa_max &&
	       !(prot & ~(S2_PROT_RWX | S2_PROT_DEVICE)) &&
	       !((prot & S2_PROT_DEVICE) && (prot & S2_PROT_X));
}

/*
 * s2_map_page_fast() - map one page at @ipa whose last-level table exists
 * and whose entry is empty, exclusively or (@shared) with one
 * compare-and-swap. Inlined into s2_map() and s2_map_cached(): the fault
 * path is a handful of instructions beyond its walk.
 * Return: 1 done; 0 nothing changed, take the general path (any other
 * case, bad arguments included).
 */
static inline __attribute__((always_inline)) int
s2_map_page_fast(struct s2_pgtable *pgt, uint64_t ipa, uint64_t size, uint64_t pa,
		 unsigned prot, bool shared)
{
	const struct s2_geometry *g = &pgt->geom;
	uint64_t *ptep, *parent, pdesc, pte, new;
	int level;

	if (!page_args_ok(pgt, ipa, size, pa, prot))
		return 0;
	ptep = s2__lookup(pgt, ipa, &level, &pte, &parent, &pdesc);
	if (level != S2_LEVEL_MAX || pte)
		return 0;
	new = s2_desc_leaf(g, S2_LEVEL_MAX, pa, s2_desc_attrs(g, prot));
	if ((pgt->flags & S2_PGT_NO_FWB) && !(prot & S2_PROT_DEVICE))
		s2_clean_new_pa(pgt, pa, size, prot & S2_PROT_X);
	if (!shared) {
		s2_arch_write_pte(ptep, new);
		s2_count_add(parent, 1);
	} else {
		/* Another CPU filled the entry first: the general path sorts
		   out whether that is this mapping or a conflict. */
		if (s2_arch_cmpxchg_pte(ptep, 0, new))
			return 0;
		if (parent && s2_tbl_count(pdesc) != S2_TBL_COUNT_UNKNOWN)
			s2_count_unknown(pgt, parent, s2_arch_read_pte(parent),
					 ptep - s2_level_index(g, S2_LEVEL_MAX, ipa));
	}
	s2_arch_dsb_ishst();
	return 1;
}

#endif
