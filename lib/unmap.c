/* SPDX-License-Identifier: MIT */
/*
 * s2_unmap(): clear every leaf in a range, splitting blocks it cuts, and
 * free tables left empty (their valid-entry count, kept in the table
 * descriptor, reaches zero) without rescanning them.
 */
#include "pgt.h"

#define UNMAP_KINDS (S2_VISIT_LEAF | S2_VISIT_TABLE_PRE | S2_VISIT_TABLE_POST)

static int unmap_visitor(const struct s2_visit *v, enum s2_visit_kind kind)
{
	struct s2_op *op = v->arg;

	if (kind == S2_VISIT_TABLE_PRE) {
		/* A table wholly inside the range goes at once: unlink it, and
		   free it and everything below after the range TLBI. */
		if (!s2_covers(v))
			return 0;
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
