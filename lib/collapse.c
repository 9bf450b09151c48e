/* SPDX-License-Identifier: MIT */
/*
 * s2_collapse(): tables back to blocks where a table maps its whole span
 * contiguously with uniform attributes.
 */
#include "pgt.h"

struct collapse_ctx {
	struct s2_op op;
	int64_t blocks;
};

/* Does the table under @desc (at level+1) map one aligned, contiguous
   span with identical attributes? Then return the block that replaces it. */
static bool collapsible(const struct s2_pgtable *pgt, uint64_t desc, int level,
			uint64_t *block)
{
	const struct s2_geometry *g = &pgt->geom;
	const uint64_t *t = s2__table_va(pgt, desc);
	uint64_t n = 1ULL << g->stride, csize = s2_level_size(g, level + 1);
	uint64_t pa0 = s2_desc_oa(g, t[0]);
	/* The Access flag may differ: the block is young if any part is
	   (aging only loses precision, never causes a missed access). */
	uint64_t attrs = s2_desc_leaf_attrs(g, t[0]) & ~S2_DESC_AF, young = 0;

	if (pa0 & (s2_level_size(g, level) - 1))
		return false;
	for (uint64_t i = 0; i < n; i++) {
		uint64_t e = s2_arch_read_pte(&t[i]);
		young |= e & S2_DESC_AF;
		if (!s2_desc_is_leaf(e, level + 1) ||
		    (s2_desc_leaf_attrs(g, e) & ~S2_DESC_AF) != attrs ||
		    s2_desc_oa(g, e) != pa0 + i * csize)
			return false;
	}
	*block = s2_desc_leaf(g, level, pa0, attrs | young);
	return true;
}

static int collapse_visitor(const struct s2_visit *v, enum s2_visit_kind kind)
{
	struct collapse_ctx *c = v->arg;
	uint64_t block;

	(void)kind;
	if (!s2_level_has_block(&v->pgt->geom, v->level) || !s2_covers(v) ||
	    !collapsible(v->pgt, v->old, v->level, &block))
		return 0;
	s2_bbm(&c->op, v->ptep, v->old, block, v->addr, v->level, false);
	s2_free_subtree(&c->op, v->old, v->level);
	c->blocks++;
	return 0;
}

int64_t s2_collapse(struct s2_pgtable *pgt, s2_ipa_t ipa, uint64_t size, struct s2_diag *d)
{
	struct collapse_ctx c = { 0 };
	int err = s2_check_range(pgt, ipa.v, size, "collapse", d);

	if (err)
		return err;
	s2_op_init(&c.op, pgt, ipa.v, ipa.v + size);
	/* Post-order: lower tables collapse first, so a level-1 table of
	   freshly made 2M blocks can become a 1G block in the same call. */
	s2__walk_range(pgt, ipa.v, ipa.v + size,
		       &(const struct s2_walker){ collapse_visitor, S2_VISIT_TABLE_POST, &c });
	s2_op_finish(&c.op);
	return c.blocks;
}
