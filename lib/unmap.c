/* SPDX-License-Identifier: MIT */
/*
 * s2_unmap(): clear every leaf in a range, splitting blocks it cuts, and
 * free tables left empty (their valid-entry count, kept in the table
 * descriptor, reaches zero) without rescanning them.
 */
#include "pgt.h"

#define UNMAP_KINDS (S2_VISIT_LEAF | S2_VISIT_TABLE_PRE | S2_VISIT_TABLE_POST)

/* The valid entries among @n descriptors at @t: read only. */
static unsigned count_valid(const uint64_t *t, uint64_t n)
{
	unsigned c = 0;

	for (uint64_t i = 0; i < n; i++)
		c += (unsigned)(t[i] & S2_DESC_VALID);
	return c;
}

/*
 * A last-level table the range covers in part: clear its covered entries
 * at once (s2_arch_zero_ptes(): as fast as a memset where nothing walks)
 * and adjust its count once, rather than a visit and a count update per
 * entry; free it if nothing is left. Its entries are pages or invalid (no
 * block to cut, no table below, no pending entry inside). The entries
 * cleared are counted on the smaller side: those inside the range, or
 * the survivors outside it taken from the table's count.
 */
static int unmap_leaf_table(struct s2_op *op, const struct s2_visit *v)
{
	struct s2_pgtable *pgt = v->pgt;
	const unsigned shift = pgt->geom.page_shift;
	const uint64_t entries = 1ULL << pgt->geom.stride;
	uint64_t *t = s2__table_va(pgt, v->old);
	uint64_t lo = v->start > v->addr ? v->start : v->addr;
	uint64_t hi = v->end < v->addr + v->size ? v->end : v->addr + v->size;
	uint64_t i0 = (lo - v->addr) >> shift, i1 = (hi - v->addr) >> shift;
	unsigned n = s2_table_count(pgt, op, v->ptep), cleared;

	if (i1 - i0 <= entries / 2)
		cleared = count_valid(t + i0, i1 - i0);
	else
		cleared = n - count_valid(t, i0) - count_valid(t + i1, entries - i1);
	if (!cleared)
		return S2_WALK_SKIP;
	s2_arch_check(cleared <= n);
	s2_arch_zero_ptes(t + i0, i1 - i0);
	op->flush = true;
	if (n == cleared) {
		s2_arch_write_pte(v->ptep, 0);
		s2_count_add(v->parent, -1);
		s2_op_defer_free(op, t);
	} else {
		s2_arch_write_pte(v->ptep, s2_tbl_set_count(s2_arch_read_pte(v->ptep), n - cleared));
	}
	return S2_WALK_SKIP;
}

static int unmap_visitor(const struct s2_visit *v, enum s2_visit_kind kind)
{
	struct s2_op *op = v->arg;

	if (kind == S2_VISIT_TABLE_PRE) {
		if (!s2_covers(v))
			return v->level + 1 == S2_LEVEL_MAX ? unmap_leaf_table(op, v) : 0;
		/* A table wholly inside the range goes at once: unlink it, and
		   free it and everything below after the range TLBI. */
		s2_arch_write_pte(v->ptep, 0);
		s2_count_add(v->parent, -1);
		s2_free_subtree(op, v->old, v->level);
		op->flush = true;
		return S2_WALK_SKIP;
	}
	if (kind == S2_VISIT_TABLE_POST) {
		if (s2_table_count(v->pgt, op, v->ptep) == 0) {
			s2_arch_write_pte(v->ptep, 0);
			s2_count_add(v->parent, -1);
			s2_op_defer_free(op, s2__table_va(v->pgt, v->old));
			op->flush = true;
		}
		return 0;
	}
	if (!s2_desc_valid(v->old))
		return 0;
	if (!s2_covers(v))
		return s2_split_cut(op, v, &(const struct s2_walker){ unmap_visitor, UNMAP_KINDS, op });
	s2_arch_write_pte(v->ptep, 0);
	s2_count_add(v->parent, -1);
	op->flush = true;
	return 0;
}

int s2_unmap(struct s2_pgtable *pgt, s2_ipa_t ipa, uint64_t size, struct s2_diag *d)
{
	struct s2_op op;
	int err;

	err = s2_check_range(pgt, ipa.v, size, "unmap", d);
	if (err)
		return err;
	s2_op_init(&op, pgt, ipa.v, ipa.v + size);
	err = s2_op_reserve(&op, s2_edge_tables(pgt, ipa.v, ipa.v + size), 0, d);
	if (err)
		return err;
	s2__walk_range(pgt, ipa.v, ipa.v + size,
		       &(const struct s2_walker){ unmap_visitor, UNMAP_KINDS, &op });
	s2_op_finish(&op);
	return 0;
}
