/* SPDX-License-Identifier: MIT */
/*
 * s2_map(): install leaves for a range, as large as alignment allows.
 * Two walks share one decision (s2_plan_leafable): the first counts the
 * table pages the second will need, which are reserved in between, so a
 * failed allocation changes nothing.
 */
#include "pgt.h"
#include "plan.h"

struct map_ctx {
	struct s2_op op;
	struct s2_plan plan;
	uint64_t attrs;
	uint64_t tables;      /* count walk result */
	bool cmo;             /* clean newly mapped memory (no FWB) */
	bool exec;
};

static inline __attribute__((always_inline)) int
map_count_visitor(struct s2_visit *v, enum s2_visit_kind kind)
{
	struct map_ctx *c = v->arg;

	if (kind == S2_VISIT_TABLE_PRE) {
		/* A table the map replaces by a block, or one whose children
		   are pages (always leafable), needs nothing new below it. */
		if (s2_plan_leafable(&c->plan, v->level, v->addr) || v->level == 2)
			return S2_WALK_SKIP;
		return 0;
	}
	c->tables += s2_plan_tables(&c->plan, v->level, v->addr);
	return 0;
}

static void clean_new_pa(struct s2_pgtable *pgt, uint64_t pa, uint64_t size, bool exec)
{
	/* Without FWB the guest may see memory with its caches off: clean to
	   the PoC what it is about to see, and drop stale instructions. */
	if (pgt->ops->dcache_clean_inval) {
		pgt->ops->dcache_clean_inval(pgt->ctx, s2_pa(pa), size);
		pgt->stats.cmo++;
	}
	if (exec && pgt->ops->icache_inval) {
		pgt->ops->icache_inval(pgt->ctx, s2_pa(pa), size);
		pgt->stats.cmo++;
	}
}

static void clean_new(struct map_ctx *c, uint64_t pa, uint64_t size)
{
	if (c->cmo)
		clean_new_pa(c->op.pgt, pa, size, c->exec);
}

/* Fill a new table at @level, mapping [addr, addr + its span) with leaves. */
static unsigned fill_leaves(struct map_ctx *c, uint64_t *t, int level, uint64_t addr)
{
	const struct s2_geometry *g = &c->op.pgt->geom;
	unsigned n = 1u << g->stride;
	uint64_t csize = s2_level_size(g, level);
	uint64_t pa = c->plan.pa + (addr - c->plan.start);
	uint64_t attrs = c->attrs | (level == 3 ? 3 : 1);

	clean_new(c, pa, csize * n);
	/* The OA field is contiguous below bit 48 (50 with LPA2): while the
	   span does not carry into the split-off top bits, each next leaf is
	   the previous descriptor plus the leaf size. */
	unsigned split = g->ds ? 50 : g->lpa ? 48 : 64;
	if (split == 64 || !((pa ^ (pa + csize * n - 1)) >> split)) {
		uint64_t d0 = s2_desc_encode_oa(g, pa) | attrs;
		for (unsigned i = 0; i < n; i++)
			t[i] = d0 + i * csize;
	} else {
		for (unsigned i = 0; i < n; i++)
			t[i] = s2_desc_encode_oa(g, pa + i * csize) | attrs;
	}
	s2_arch_dsb_ishst();
	return n;
}

static inline __attribute__((always_inline)) int
map_visitor(struct s2_visit *v, enum s2_visit_kind kind)
{
	struct map_ctx *c = v->arg;
	const struct s2_geometry *g = &v->pgt->geom;
	uint64_t old = v->old;

	if (!s2_plan_leafable(&c->plan, v->level, v->addr)) {
		if (kind == S2_VISIT_TABLE_PRE)
			return 0;
		/* Descend: a new table here. A block the range only partly
		   covers keeps its other parts (split); one wholly covered is
		   rebuilt by the descent. */
		if (s2_desc_valid(old) && !s2_covers(v)) {
			s2_split_block(&c->op, v->ptep, old, v->addr, v->level);
			return 0;
		}
		uint64_t *t = s2_op_take(&c->op);
		unsigned n = 0;
		int ret = 0;
		/* Children that all become leaves are written before the table
		   is linked, and the walk need not visit them again. */
		if (s2_covers(v) && c->plan.full[v->level + 2] == 0) {
			n = fill_leaves(c, t, v->level + 1, v->addr);
			ret = S2_WALK_SKIP;
		}
		uint64_t td = s2_desc_table(g, v->pgt->ops->virt_to_phys(v->pgt->ctx, t), n);
		if (s2_desc_valid(old)) {
			s2_bbm(&c->op, v->ptep, old, td, v->addr, v->level, false);
		} else {
			s2_arch_write_pte(v->ptep, td);
			s2_count_add(v->parent, 1);
		}
		return ret;
	}

	uint64_t size = v->size;
	uint64_t pa = c->plan.pa + (v->addr - c->plan.start);
	uint64_t new = s2_desc_leaf(g, v->level, pa, c->attrs);

	if (kind == S2_VISIT_TABLE_PRE) {
		/* A whole table becomes one block: its old contents go after
		   the TLB no longer references them. */
		clean_new(c, pa, size);
		s2_bbm(&c->op, v->ptep, old, new, v->addr, v->level, false);
		s2_free_subtree(&c->op, old, v->level);
		return S2_WALK_SKIP;
	}
	if (old == new)
		return 0;
	if (!s2_desc_valid(old)) {
		clean_new(c, pa, size);
		s2_arch_write_pte(v->ptep, new);
		s2_count_add(v->parent, 1);
	} else if (s2_desc_oa(g, old) == pa &&
		   (old & S2_DESC_MEMATTR) == (new & S2_DESC_MEMATTR)) {
		/* Same output and memory type: a permission change, which
		   needs no break-before-make, only the TLBI at the end. */
		s2_arch_write_pte(v->ptep, new);
		c->op.flush = true;
	} else {
		clean_new(c, pa, size);
		s2_bbm(&c->op, v->ptep, old, new, v->addr, v->level, false);
	}
	return 0;
}

static int check_prot(unsigned prot, struct s2_diag *d)
{
	if (prot & ~(S2_PROT_RWX | S2_PROT_DEVICE))
		return s2_diag_set(d, S2_EINVAL, "unknown permission bits %#x", prot);
	/* S2AP (data) and XN (instruction fetch) are independent at stage 2
	   (Arm ARM D8.4.2): write-only and execute-only are valid, as in
	   Linux's stage2_set_prot_attr(). Only executable device memory is
	   refused, as there. */
	if ((prot & S2_PROT_DEVICE) && (prot & S2_PROT_X))
		return s2_diag_set(d, S2_EINVAL, "device memory cannot be executable");
	return 0;
}

int s2_map(struct s2_pgtable *pgt, s2_ipa_t ipa, uint64_t size, s2_pa_t pa,
	   unsigned prot, unsigned flags, struct s2_diag *d)
{
	const struct s2_geometry *g = &pgt->geom;
	struct map_ctx c;
	int err;

	err = s2_check_range(pgt, ipa.v, size, "map", d);
	if (err)
		return err;
	if (pa.v & (s2_page_size(g) - 1))
		return s2_diag_set(d, S2_EINVAL, "map: PA %#llx is not aligned to the %s granule",
				   (unsigned long long)pa.v, s2_granule_name(g->granule));
	if (pa.v + size < pa.v || pa.v + size - 1 > g->oa_max)
		return s2_diag_set(d, S2_ERANGE,
				   "map: PA range %#llx..%#llx is beyond the %u-bit PA size (last PA %#llx)",
				   (unsigned long long)pa.v, (unsigned long long)(pa.v + size - 1),
				   g->ps_bits, (unsigned long long)g->oa_max);
	if (flags & ~S2_MAP_PAGES)
		return s2_diag_set(d, S2_EINVAL, "map: unknown flags %#x", flags);
	err = check_prot(prot, d);
	if (err)
		return err;

	/* The stage-2 fault path: one page where its last-level table
	   exists and the entry is empty needs no table, no TLBI and no
	   walk beyond the lookup. Everything else takes the general path. */
	if (size == s2_page_size(g)) {
		int level;
		uint64_t *parent;
		uint64_t *ptep = s2_lookup_ptep_parent(pgt, ipa.v, &level, &parent);

		if (level == 3 && !s2_desc_valid(s2_arch_read_pte(ptep))) {
			if ((pgt->flags & S2_PGT_NO_FWB) && !(prot & S2_PROT_DEVICE))
				clean_new_pa(pgt, pa.v, size, prot & S2_PROT_X);
			s2_arch_write_pte(ptep, s2_desc_leaf(g, 3, pa.v, s2_desc_attrs(g, prot)));
			s2_count_add(parent, 1);
			s2_arch_dsb_ishst();
			return 0;
		}
	}
	c = (struct map_ctx){
		.attrs = s2_desc_attrs(g, prot),
		.cmo = (pgt->flags & S2_PGT_NO_FWB) && !(prot & S2_PROT_DEVICE),
		.exec = prot & S2_PROT_X,
	};
	s2_op_init(&c.op, pgt, ipa.v, ipa.v + size);
	s2_plan_init(&c.plan, g, ipa.v, ipa.v + size, pa.v, flags & S2_MAP_PAGES);
	s2__walk_range(pgt, ipa.v, ipa.v + size, map_count_visitor,
		       S2_VISIT_LEAF | S2_VISIT_TABLE_PRE, &c);
	err = s2_op_reserve(&c.op, c.tables, d);
	if (err)
		return err;
	s2__walk_range(pgt, ipa.v, ipa.v + size, map_visitor,
		       S2_VISIT_LEAF | S2_VISIT_TABLE_PRE, &c);
	s2_op_finish(&c.op);
	return 0;
}
