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

/*
 * s2_map_page_other() - the fault path where s2_map_page_fast() is not
 * taken: an environment without a linear map, tables made without FWB (a
 * clean before each install). Called first by the general paths.
 * Return: as s2_map_page_fast().
 */
int s2_map_page_other(struct s2_pgtable *pgt, uint64_t ipa, uint64_t size, uint64_t pa,
		      unsigned prot, bool shared);

/* A shared install's first entry in a table: its count is unknown from
   now on; the barrier; return 1 (a tail call of the install). */
int s2_map_page_unknown(struct s2_pgtable *pgt, uint64_t *up, const uint64_t *table);

/*
 * Install @new in the empty entry *@ptep of the fault path, whose table's
 * descriptor *@up read @pdesc: one store and the count (exclusive), or one
 * compare-and-swap (@shared); the only call is a tail call. Return: 1,
 * or 0 if another CPU filled the entry first (the general path sorts out
 * whether that is this mapping).
 */
static inline __attribute__((always_inline)) int
s2_map_page_install(struct s2_pgtable *pgt, uint64_t ipa, bool shared, uint64_t *ptep,
		    uint64_t new, uint64_t *up, uint64_t pdesc)
{
	if (!shared) {
		s2_arch_write_pte(ptep, new);
		/* The count's low field is bits [7:2]: below its maximum
		   (which an unknown count also has) one more is + 4. */
		if ((pdesc & S2_TBL_COUNT_LO) != S2_TBL_COUNT_LO)
			s2_arch_write_pte(up, pdesc + 4);
		else
			s2_count_add(up, 1);
	} else {
		if (s2_arch_cmpxchg_pte(ptep, 0, new))
			return 0;
		if (s2_tbl_count(pdesc) != S2_TBL_COUNT_UNKNOWN)
			return s2_map_page_unknown(pgt, up,
						   ptep - ((ipa >> pgt->fast.page_shift) &
							   pgt->fast.stride_mask));
	}
	s2_arch_dsb_ishst();
	return 1;
}

/*
 * The arguments every one-page fault passes: one aligned page within the
 * IPA and PA spaces, with a protection pgt->fast has a leaf for (none in
 * a table not set up by s2_pgtable_init()), below a table level. Anything else, including
 * every error, goes the general way, which says what is wrong.
 */
static inline __attribute__((always_inline)) bool
s2_page_args_ok(const struct s2_pgtable *pgt, uint64_t ipa, uint64_t size, uint64_t pa,
		unsigned prot)
{
	const struct s2_pgt_fast *f = &pgt->fast;

	/* levels 0: the root is the last level (start level 3), no table
	   descriptor holds its count; the general path maps there. */
	return f->levels && size == 1ULL << f->page_shift && !((ipa | pa) & (size - 1)) &&
	       ipa <= pgt->geom.ipa_max && pa <= pgt->geom.oa_max && prot <= 15 && f->leaf[prot];
}

/*
 * s2_map_page_fast() - map one page at @ipa whose last-level table exists
 * and whose entry is empty, exclusively or (@shared) with one
 * compare-and-swap, in a linear environment with FWB. Inlined into
 * s2_map() and s2_map_cached(): the fault path is a handful of
 * instructions beyond its walk, its geometry constant or precomputed
 * (pgt->fast), and it calls nothing that returns (little to keep across
 * a call). The general paths try s2_map_page_other() first.
 * Return: 1 done; 0 nothing changed, take the general path (any other
 * case, bad arguments included).
 */
static inline __attribute__((always_inline)) int
s2_map_page_fast(struct s2_pgtable *pgt, uint64_t ipa, uint64_t size, uint64_t pa,
		 unsigned prot, bool shared)
{
	const struct s2_pgt_fast *f = &pgt->fast;
	uint64_t *up, pdesc, *ptep, pte, new;
	int level;

	if (!s2_page_args_ok(pgt, ipa, size, pa, prot) || !pgt->ops->linear ||
	    (pgt->flags & S2_PGT_NO_FWB))
		return 0;
	ptep = s2__lookup_linear(pgt, ipa, &level, &pte, &up, &pdesc);
	if (level != S2_LEVEL_MAX || pte)
		return 0;
	new = s2_desc_encode_oa(&pgt->geom, pa) | f->leaf[prot];
	return s2_map_page_install(pgt, ipa, shared, ptep, new, up, pdesc);
}

#endif
