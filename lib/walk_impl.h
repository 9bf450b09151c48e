/* SPDX-License-Identifier: MIT */
/*
 * The one walker, as a static function included by each operation's file:
 * with the visitor a compile-time constant, the compiler specialises the
 * walk per operation (IPA constant propagation) and can inline the
 * visitor into the loop over a table. The exported s2_walk() (walk.c) is
 * the same code for external visitors.
 */
#ifndef S2_WALK_IMPL_H
#define S2_WALK_IMPL_H

#include <s2_arch.h>
#include <s2/desc.h>
#include <s2/walk.h>

static inline uint64_t *s2__table_va(const struct s2_pgtable *pgt, uint64_t desc)
{
	return pgt->ops->phys_to_virt(pgt->ctx, s2_desc_oa(&pgt->geom, desc));
}

static int s2__walk(struct s2_pgtable *pgt, s2_visitor_fn fn, unsigned kinds, void *arg,
		    uint64_t *table, int level, uint64_t *parent,
		    uint64_t start, uint64_t end, uint64_t wstart, uint64_t wend)
{
	const struct s2_geometry *g = &pgt->geom;
	uint64_t size = s2_level_size(g, level);
	uint64_t idx = s2_level_index(g, level, start);
	struct s2_visit v = {
		.pgt = pgt, .level = level, .parent = parent, .arg = arg,
		.start = wstart, .end = wend,
	};
	int ret;

	for (uint64_t addr = start; addr < end; idx++) {
		uint64_t base = addr & ~(size - 1), next = base + size;
		uint64_t *ptep = &table[idx];
		uint64_t pte = s2_arch_read_pte(ptep);

		v.ptep = ptep;
		v.addr = base;
		addr = next;
		if ((kinds & S2_VISIT_TABLE_PRE) && s2_desc_is_table(pte, level)) {
			v.old = pte;
			ret = fn(&v, S2_VISIT_TABLE_PRE);
			if (ret < 0)
				return ret;
			if (ret == S2_WALK_SKIP)
				continue;
			pte = s2_arch_read_pte(ptep);
		}
		if (!s2_desc_is_table(pte, level)) {
			if (!(kinds & S2_VISIT_LEAF))
				continue;
			v.old = pte;
			ret = fn(&v, S2_VISIT_LEAF);
			if (ret < 0)
				return ret;
			pte = s2_arch_read_pte(ptep);
			if (!s2_desc_is_table(pte, level))
				continue;
		}
		ret = s2__walk(pgt, fn, kinds, arg, s2__table_va(pgt, pte), level + 1, ptep,
			       base > start ? base : start, next < end ? next : end,
			       wstart, wend);
		if (ret < 0)
			return ret;
		if (kinds & S2_VISIT_TABLE_POST) {
			v.old = s2_arch_read_pte(ptep);
			ret = fn(&v, S2_VISIT_TABLE_POST);
			if (ret < 0)
				return ret;
		}
	}
	return 0;
}

/* Walk [start, end), which the caller has checked lies in the IPA space. */
static inline int s2__walk_range(struct s2_pgtable *pgt, uint64_t start, uint64_t end,
				 s2_visitor_fn fn, unsigned kinds, void *arg)
{
	return s2__walk(pgt, fn, kinds, arg, pgt->root, pgt->geom.start_level, NULL,
			start, end, start, end);
}

#endif
