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

/* The OA of table descriptor @d in format @fmt, its low bits @oa_lo. */
static inline __attribute__((always_inline)) uint64_t
fast_oa(uint64_t d, uint64_t oa_lo, const unsigned fmt)
{
	uint64_t oa = d & oa_lo;

	if (fmt == S2_OA_LPA)
		oa |= (d << 36) & S2_GENMASK(51, 48);
	else if (fmt == S2_OA_DS)
		oa |= (d << 42) & S2_GENMASK(51, 50);
	return oa;
}

/*
 * The generic walk of the fault path: the empty last-level entry that
 * maps @ipa, its table's descriptor in *@up and that descriptor's value
 * in *@pdesc, or NULL if the walk meets anything else. Tables through
 * ops->phys_to_virt(), or the linear map when @linear (offset @off).
 */
static inline __attribute__((always_inline)) uint64_t *
fast_walk_any(const struct s2_pgtable *pgt, uint64_t ipa, bool linear, uint64_t off,
	      uint64_t **up, uint64_t *pdesc)
{
	const struct s2_pgt_fast *f = &pgt->fast;
	uint64_t *t = pgt->root, *p = NULL, d = 0, mask = f->root_mask;
	unsigned shift = f->root_shift;

	for (unsigned n = f->levels; n; n--) {
		uint64_t oa;

		p = &t[(ipa >> shift) & mask];
		d = s2_arch_read_pte(p);
		if ((d & 3) != 3)
			return NULL;
		oa = f->fmt == S2_OA_LPA ? fast_oa(d, f->oa_lo, S2_OA_LPA) :
		     f->fmt == S2_OA_DS ? fast_oa(d, f->oa_lo, S2_OA_DS) : d & f->oa_lo;
		t = linear ? (uint64_t *)(uintptr_t)(oa + off)
			   : pgt->ops->phys_to_virt(pgt->ctx, s2_pa(oa));
		shift -= f->stride;
		mask = f->stride_mask;
	}
	*up = p;
	*pdesc = d;
	p = &t[(ipa >> shift) & mask];
	return s2_arch_read_pte(p) ? NULL : p;
}

/*
 * s2_map_page_other() - the fault path where s2_map_page_fast() is not
 * taken: an environment without a linear map, tables made without FWB (a
 * clean before each install). Called first by the general paths.
 * Return: as s2_map_page_fast().
 */
int s2_map_page_other(struct s2_pgtable *pgt, uint64_t ipa, uint64_t pa, unsigned prot,
		      bool shared);

/* A shared install's first entry in a table: its count is unknown from
   now on; the barrier; return 1 (a tail call of the install). */
int s2_map_page_unknown(struct s2_pgtable *pgt, uint64_t *up, const uint64_t *table);

/*
 * Install @new in the empty entry *@ptep of the fault path, whose table's
 * descriptor *@up read @pdesc: one store and the count (exclusive), or one
 * compare-and-swap (@shared). Calls nothing that returns (the fast path
 * then saves no registers). Return: 1, or 0 if another CPU filled the
 * entry first (the general path sorts out whether that is this mapping).
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
 * One level of the linear walk for page shift @ps and format @fmt: read
 * the entry *@idx of table *@t; if it is a table descriptor, move to that
 * table and to the index of @ipa in it, which is at @next (a level, so
 * that its shift is a constant). False for anything but a table.
 */
static inline __attribute__((always_inline)) bool
fast_step(uint64_t **t, uint64_t *idx, uint64_t **p, uint64_t *d, uint64_t ipa, uint64_t off,
	  const unsigned ps, const unsigned fmt, const int next)
{
	const unsigned stride = ps - 3;

	*p = &(*t)[*idx];
	*d = s2_arch_read_pte(*p);
	if ((*d & 3) != 3)
		return false;
	*t = (uint64_t *)(uintptr_t)(fast_oa(*d, S2_GENMASK(fmt == S2_OA_DS ? 49 : 47, ps), fmt) + off);
	*idx = (ipa >> (ps + (unsigned)(S2_LEVEL_MAX - next) * stride)) & ((1ULL << stride) - 1);
	return true;
}

/*
 * map_page_g() - s2_map_page_fast() for a linear environment (offset
 * @off) with page shift @ps and OA format @fmt, both constants: the walk
 * unrolls into one fast_step() per level with constant shifts and masks,
 * entered at the start level.
 */
static inline __attribute__((always_inline)) int
map_page_g(struct s2_pgtable *pgt, uint64_t ipa, uint64_t pa, unsigned prot, bool shared,
	   uint64_t off, const unsigned ps, const unsigned fmt)
{
	const struct s2_pgt_fast *f = &pgt->fast;
	uint64_t *t = pgt->root, *up = NULL, pdesc = 0, *ptep, new;
	uint64_t idx = (ipa >> f->root_shift) & f->root_mask;

	switch (f->levels) {
	case 4:
		if (!fast_step(&t, &idx, &up, &pdesc, ipa, off, ps, fmt, 0))
			return 0;
		/* fallthrough */
	case 3:
		if (!fast_step(&t, &idx, &up, &pdesc, ipa, off, ps, fmt, 1))
			return 0;
		/* fallthrough */
	case 2:
		if (!fast_step(&t, &idx, &up, &pdesc, ipa, off, ps, fmt, 2))
			return 0;
		/* fallthrough */
	default:
		if (!fast_step(&t, &idx, &up, &pdesc, ipa, off, ps, fmt, 3))
			return 0;
	}
	ptep = &t[idx];
	if (s2_arch_read_pte(ptep))
		return 0;
	new = fast_oa(pa, S2_GENMASK(fmt == S2_OA_DS ? 49 : 47, ps), S2_OA_PLAIN) | f->leaf[prot];
	if (fmt == S2_OA_LPA)
		new |= (pa >> 36) & S2_GENMASK(15, 12);
	else if (fmt == S2_OA_DS)
		new |= (pa >> 42) & S2_GENMASK(9, 8);
	return s2_map_page_install(pgt, ipa, shared, ptep, new, up, pdesc);
}

/*
 * s2_map_page_fast() - map one page at @ipa whose last-level table exists
 * and whose entry is empty, exclusively or (@shared) with one
 * compare-and-swap, in a linear environment with FWB. Inlined into
 * s2_map() and s2_map_cached(): the fault path is a handful of
 * instructions beyond its walk, its geometry constant or precomputed
 * (pgt->fast), and it calls nothing that returns, so it saves no
 * registers. The general paths try s2_map_page_other() first.
 * Return: 1 done; 0 nothing changed, take the general path (any other
 * case, bad arguments included).
 */
static inline __attribute__((always_inline)) int
s2_map_page_fast(struct s2_pgtable *pgt, uint64_t ipa, uint64_t size, uint64_t pa,
		 unsigned prot, bool shared)
{
	const struct s2_pgt_fast *f = &pgt->fast;
	const struct s2_mm_ops *ops = pgt->ops;
	const uint64_t off = (uint64_t)ops->linear_offset;

	/* Anything unusual (including every error) goes the general way,
	   which says what is wrong. */
	if (size != 1ULL << f->page_shift || ((ipa | pa) & (size - 1)) ||
	    ipa > pgt->geom.ipa_max || pa > pgt->geom.oa_max || prot > 15 || !f->leaf[prot])
		return 0;
	if (__builtin_expect(ops->linear && !(pgt->flags & S2_PGT_NO_FWB), 1)) {
		switch (f->page_shift << 2 | f->fmt) {
		case 12 << 2 | S2_OA_PLAIN:
			return map_page_g(pgt, ipa, pa, prot, shared, off, 12, S2_OA_PLAIN);
		case 12 << 2 | S2_OA_DS:
			return map_page_g(pgt, ipa, pa, prot, shared, off, 12, S2_OA_DS);
		case 14 << 2 | S2_OA_PLAIN:
			return map_page_g(pgt, ipa, pa, prot, shared, off, 14, S2_OA_PLAIN);
		case 14 << 2 | S2_OA_DS:
			return map_page_g(pgt, ipa, pa, prot, shared, off, 14, S2_OA_DS);
		case 16 << 2 | S2_OA_PLAIN:
			return map_page_g(pgt, ipa, pa, prot, shared, off, 16, S2_OA_PLAIN);
		case 16 << 2 | S2_OA_LPA:
			return map_page_g(pgt, ipa, pa, prot, shared, off, 16, S2_OA_LPA);
		}
	}
	return 0;   /* s2_map_page_other(), from the general path */
}

#endif
