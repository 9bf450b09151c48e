/* SPDX-License-Identifier: MIT */
/*
 * Splitting blocks: the machinery every operation uses when it meets a
 * block it must cut (s2_split_block with its own break-before-make,
 * s2_split_cut deferred to the operation's range TLBI, the tables the
 * cuts at a range's ends need), and s2_split(): blocks to tables down to
 * pages (eager splitting before dirty logging).
 */
#include "pgt.h"
#include "plan.h"

void s2_split_fill(const struct s2_geometry *g, uint64_t *table, uint64_t old, int level)
{
	uint64_t n = 1ULL << g->stride;
	uint64_t csize = s2_level_size(g, level + 1);
	uint64_t pa = s2_desc_oa(g, old);
	/* Same attributes; only the type bits and the address change. */
	uint64_t attrs = s2_desc_leaf_attrs(g, old);
	uint64_t type = level + 1 == 3 ? 3 : 1;

	for (uint64_t i = 0; i < n; i++)
		table[i] = s2_desc_encode_oa(g, pa + i * csize) | attrs | type;
}

/* A table of next-level entries mapping what block @old maps. */
static uint64_t *split_fill(struct s2_op *op, uint64_t old, int level)
{
	uint64_t *table = s2_op_take(op);

	s2_split_fill(&op->pgt->geom, table, old, level);
	return table;
}

int s2_split_cut(struct s2_op *op, const struct s2_visit *v, const struct s2_walker *w)
{
	struct s2_pgtable *pgt = op->pgt;
	const struct s2_geometry *g = &pgt->geom;
	uint64_t *t = split_fill(op, v->old, v->level);
	uint64_t desc = s2_desc_table(g, pgt->ops->virt_to_phys(pgt->ctx, t).v,
				      1u << g->stride);
	uint64_t lo = v->addr > v->start ? v->addr : v->start;
	uint64_t hi = v->addr + v->size < v->end ? v->addr + v->size : v->end;

	if (op->offline) {
		s2_arch_write_pte(v->ptep, desc);
		return 0;
	}
	op->offline++;
	s2__walk_table(pgt, w, t, v->level + 1, &desc, lo, hi,
		       v->start, v->end);
	op->offline--;
	s2_arch_dsb_ishst();
	s2_bbm(op, v->ptep, v->old, desc, v->addr, v->level, true);
	return S2_WALK_SKIP;
}

void s2_split_block(struct s2_op *op, uint64_t *ptep, uint64_t old, uint64_t addr, int level)
{
	uint64_t *table = split_fill(op, old, level);

	s2_arch_dsb_ishst();
	s2_bbm(op, ptep, old,
	       s2_desc_table(&op->pgt->geom, op->pgt->ops->virt_to_phys(op->pgt->ctx, table).v,
			     1u << op->pgt->geom.stride),
	       addr, level, false);
}

uint64_t s2_edge_tables(const struct s2_pgtable *pgt, uint64_t start, uint64_t end)
{
	const struct s2_geometry *g = &pgt->geom;
	uint64_t edge[2] = { start, end };
	uint64_t seen[2 * 5];
	unsigned nseen = 0;

	for (unsigned e = 0; e < 2; e++) {
		int level;
		uint64_t a = edge[e];

		if (a > g->ipa_max || !s2_desc_valid(s2_lookup(pgt, s2_ipa(a), &level)))
			continue;
		/* A block at `level` that the edge cuts needs one table per
		   level until the edge is aligned. The two edges may cut the
		   same blocks: count each (level, block) once. */
		for (; level < 3 && (a & (s2_level_size(g, level) - 1)); level++) {
			uint64_t key = (a & ~(s2_level_size(g, level) - 1)) | (uint64_t)(level + 1);
			bool dup = false;
			for (unsigned i = 0; i < nseen; i++)
				dup |= seen[i] == key;
			if (!dup)
				seen[nseen++] = key;
		}
	}
	return nseen;
}


struct split_ctx {
	struct s2_op op;
	struct s2_plan plan;
	uint64_t tables;
};

static int split_count_visitor(const struct s2_visit *v, enum s2_visit_kind kind)
{
	struct split_ctx *c = v->arg;

	uint64_t filled = 0;   /* split tables are filled from their block,
				  but from zeroed pages: not counted apart */

	(void)kind;
	if (s2_desc_valid(v->old))
		c->tables += s2_plan_tables(&c->plan, v->level, v->addr, &filled);
	return 0;
}

static int split_visitor(const struct s2_visit *v, enum s2_visit_kind kind)
{
	struct split_ctx *c = v->arg;

	(void)kind;
	if (s2_desc_valid(v->old) && v->level < 3)
		s2_split_block(&c->op, v->ptep, v->old, v->addr, v->level);
	return 0;
}

int s2_split(struct s2_pgtable *pgt, s2_ipa_t ipa, uint64_t size, struct s2_diag *d)
{
	struct split_ctx c = { 0 };
	int err = s2_check_range(pgt, ipa.v, size, "split", d);

	if (err)
		return err;
	s2_op_init(&c.op, pgt, ipa.v, ipa.v + size);
	/* A block splits like a map with pages only: same plan. */
	s2_plan_init(&c.plan, &pgt->geom, ipa.v, ipa.v + size, ipa.v, true);
	s2__walk_range(pgt, ipa.v, ipa.v + size,
		       &(const struct s2_walker){ split_count_visitor, S2_VISIT_LEAF, &c });
	err = s2_op_reserve(&c.op, c.tables, 0, d);
	if (err)
		return err;
	s2__walk_range(pgt, ipa.v, ipa.v + size,
		       &(const struct s2_walker){ split_visitor, S2_VISIT_LEAF, &c });
	s2_op_finish(&c.op);
	return 0;
}
