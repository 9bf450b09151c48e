/* SPDX-License-Identifier: MIT */
/*
 * s2_map(): install leaves for a range, as large as alignment allows.
 * Two walks share one decision (s2_plan_leafable): the first counts the
 * table pages the second will need, which are reserved in between, so a
 * failed allocation changes nothing.
 */
#include "map_page.h"

static inline __attribute__((always_inline)) int
map_count_visitor(const struct s2_visit *v, enum s2_visit_kind kind)
{
	struct map_ctx *c = v->arg;

	if (kind == S2_VISIT_TABLE_PRE) {
		/* A table the map replaces by a block, or one whose children
		   are pages (always leafable), needs nothing new below it. */
		if (s2_plan_leafable(&c->plan, v->level, v->addr) || v->level == 2)
			return S2_WALK_SKIP;
		return 0;
	}
	/* The count covers everything the map builds below this entry. Do
	   not descend if a shared walker linked a table here since it was
	   read: its entries would be counted a second time, and a page
	   cache holding exactly the bound would look too small. */
	c->tables += s2_plan_tables(&c->plan, v->level, v->addr, &c->filled);
	return S2_WALK_SKIP;
}

void s2_clean_new_pa(struct s2_pgtable *pgt, uint64_t pa, uint64_t size, bool exec)
{
	/* Without FWB the guest may see memory with its caches off: clean to
	   the PoC what it is about to see, and drop stale instructions. */
	if (pgt->ops->dcache_clean_inval) {
		pgt->ops->dcache_clean_inval(pgt->ctx, s2_pa(pa), size);
		s2_stat_add(&pgt->stats.cmo, 1);
	}
	if (exec && pgt->ops->icache_inval) {
		pgt->ops->icache_inval(pgt->ctx, s2_pa(pa), size);
		s2_stat_add(&pgt->stats.cmo, 1);
	}
}

int s2_map_page_other(struct s2_pgtable *pgt, uint64_t ipa, uint64_t size, uint64_t pa,
		      unsigned prot, bool shared)
{
	uint64_t *up, pdesc, *ptep, pte, new;
	int level;

	if (!s2_page_args_ok(pgt, ipa, size, pa, prot))
		return 0;
	ptep = s2__lookup(pgt, ipa, &level, &pte, &up, &pdesc);
	if (level != S2_LEVEL_MAX || pte)
		return 0;
	new = s2_desc_encode_oa(&pgt->geom, pa) | pgt->fast.leaf[prot];
	if ((pgt->flags & S2_PGT_NO_FWB) && !(prot & S2_PROT_DEVICE))
		s2_clean_new_pa(pgt, pa, s2_page_size(&pgt->geom), prot & S2_PROT_X);
	return s2_map_page_install(pgt, ipa, shared, ptep, new, up, pdesc);
}

/* Fill a new table at @level, mapping [addr, addr + its span) with leaves. */
unsigned s2_map_fill_leaves(struct map_ctx *c, uint64_t *t, int level, uint64_t addr)
{
	const struct s2_geometry *g = &c->op.pgt->geom;
	unsigned n = 1u << g->stride;
	uint64_t csize = s2_level_size(g, level);
	uint64_t pa = c->plan.pa + (addr - c->plan.start);
	uint64_t attrs = c->attrs | (level == 3 ? 3 : 1);

	s2_map_clean(c, pa, csize * n);
	/* The OA field is contiguous below bit 48 (50 with LPA2): while the
	   span does not carry into the split-off top bits, each next leaf is
	   the previous descriptor plus the leaf size. */
	unsigned split = g->ds ? 50 : g->lpa ? 48 : 64;
	if (split == 64 || !((pa ^ (pa + csize * n - 1)) >> split)) {
		/* Two entries per store, four stores an iteration (a table
		   has at least 512 entries), in GCC vectors: SIMD stores of
		   64-bit elements on the host, each element single-copy
		   atomic where vector registers are used (Arm ARM B2.2.1),
		   pairs of 64-bit stores elsewhere. */
		typedef uint64_t v2 __attribute__((vector_size(16), may_alias));
		uint64_t d = s2_desc_encode_oa(g, pa) | attrs;
		v2 *vt = (v2 *)t, v = { d, d + csize }, step = { 2 * csize, 2 * csize };

		for (unsigned i = 0; i < n / 2; i += 4) {
			vt[i] = v;
			vt[i + 1] = v + step;
			vt[i + 2] = v + 2 * step;
			vt[i + 3] = v + 3 * step;
			v += 4 * step;
		}
	} else {
		for (unsigned i = 0; i < n; i++)
			t[i] = s2_desc_encode_oa(g, pa + i * csize) | attrs;
	}
	s2_arch_dsb_ishst();
	return n;
}

static inline __attribute__((always_inline)) int
map_visitor(const struct s2_visit *v, enum s2_visit_kind kind)
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
		uint64_t *t;
		unsigned n = 0;
		int ret = 0;
		/* Children that all become leaves are written before the table
		   is linked, and the walk need not visit them again; such a
		   table need not have been zeroed. */
		if (s2_covers(v) && c->plan.full[v->level + 2] == 0) {
			t = s2_op_take_filled(&c->op);
			n = s2_map_fill_leaves(c, t, v->level + 1, v->addr);
			ret = S2_WALK_SKIP;
		} else {
			t = s2_op_take(&c->op);
		}
		uint64_t td = s2_desc_table(g, v->pgt->ops->virt_to_phys(v->pgt->ctx, t).v, n);
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
		s2_map_clean(c, pa, size);
		s2_bbm(&c->op, v->ptep, old, new, v->addr, v->level, false);
		s2_free_subtree(&c->op, old, v->level);
		return S2_WALK_SKIP;
	}
	if (old == new)
		return 0;
	if (!s2_desc_valid(old)) {
		s2_map_clean(c, pa, size);
		s2_arch_write_pte(v->ptep, new);
		s2_count_add(v->parent, 1);
	} else if (s2_desc_oa(g, old) == pa &&
		   (old & S2_DESC_MEMATTR) == (new & S2_DESC_MEMATTR)) {
		/* Same output and memory type: a permission change, which
		   needs no break-before-make, only the TLBI at the end. */
		s2_arch_write_pte(v->ptep, new);
		c->op.flush = true;
	} else {
		s2_map_clean(c, pa, size);
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

int s2_map_args(const struct s2_pgtable *pgt, uint64_t ipa, uint64_t size, uint64_t pa,
		unsigned prot, unsigned flags, unsigned flags_ok, struct s2_diag *d)
{
	const struct s2_geometry *g = &pgt->geom;
	int err = s2_check_range(pgt, ipa, size, "map", d);

	if (err)
		return err;
	if (pa & (s2_page_size(g) - 1))
		return s2_diag_set(d, S2_EINVAL, "map: PA %#llx is not aligned to the %s granule",
				   (unsigned long long)pa, s2_granule_name(g->granule));
	if (pa + size < pa || pa + size - 1 > g->oa_max)
		return s2_diag_set(d, S2_ERANGE,
				   "map: PA range %#llx..%#llx is beyond the %u-bit PA size (last PA %#llx)",
				   (unsigned long long)pa, (unsigned long long)(pa + size - 1),
				   g->ps_bits, (unsigned long long)g->oa_max);
	if (flags & ~flags_ok)
		return s2_diag_set(d, S2_EINVAL, "map: unknown flags %#x (known: %#x)",
				   flags, flags_ok);
	return check_prot(prot, d);
}

void s2_map_ctx_init(struct map_ctx *c, struct s2_pgtable *pgt, uint64_t ipa, uint64_t size,
		     uint64_t pa, unsigned prot, unsigned flags)
{
	const struct s2_geometry *g = &pgt->geom;

	c->attrs = s2_desc_attrs(g, prot);
	c->tables = 0;
	c->filled = 0;
	c->cmo = (pgt->flags & S2_PGT_NO_FWB) && !(prot & S2_PROT_DEVICE);
	c->exec = prot & S2_PROT_X;
	s2_op_init(&c->op, pgt, ipa, ipa + size);
	s2_plan_init(&c->plan, g, ipa, ipa + size, pa, flags & S2_MAP_PAGES);
}

uint64_t s2_map_count(struct map_ctx *c)
{
	c->tables = 0;
	c->filled = 0;
	s2__walk_range(c->op.pgt, c->op.start, c->op.end,
		       &(const struct s2_walker){ map_count_visitor, S2_VISIT_LEAF | S2_VISIT_TABLE_PRE, c });
	return c->tables;
}

uint64_t s2_map_cache_pages(const struct s2_pgtable *pgt, s2_ipa_t ipa, uint64_t size,
			    s2_pa_t pa, unsigned flags)
{
	const struct s2_geometry *g = &pgt->geom;
	uint64_t rsize = s2_level_size(g, g->start_level), n = 0, filled = 0;
	struct s2_plan plan;

	if (!size || ipa.v + size < ipa.v)
		return 0;
	/* Every root entry the range touches, as if it were empty. */
	s2_plan_init(&plan, g, ipa.v, ipa.v + size, pa.v, flags & S2_MAP_PAGES);
	for (uint64_t a = ipa.v & ~(rsize - 1); a < ipa.v + size && a >= (ipa.v & ~(rsize - 1));
	     a += rsize)
		n += s2_plan_tables(&plan, g->start_level, a, &filled);
	return n;
}

/* The exclusive map, table pages from op.cache (already holding c->tables). */
static void map_run(struct map_ctx *c)
{
	s2__walk_range(c->op.pgt, c->op.start, c->op.end,
		       &(const struct s2_walker){ map_visitor, S2_VISIT_LEAF | S2_VISIT_TABLE_PRE, c });
	s2_op_finish(&c->op);
}

/* The general exclusive map (anything but the fault path's one page),
   out of line so that the fault path pays for none of its stack. */
static __attribute__((noinline)) int
map_general(struct s2_pgtable *pgt, uint64_t ipa, uint64_t size, uint64_t pa, unsigned prot,
	    unsigned flags, struct s2_diag *d)
{
	struct map_ctx c;
	uint64_t need;
	int err;

	if (!(flags & ~S2_MAP_PAGES) && s2_map_page_other(pgt, ipa, size, pa, prot, false))
		return 0;
	err = s2_map_args(pgt, ipa, size, pa, prot, flags, S2_MAP_PAGES, d);
	if (err)
		return err;
	s2_map_ctx_init(&c, pgt, ipa, size, pa, prot, flags);
	need = s2_map_count(&c);
	err = s2_op_reserve(&c.op, need, c.filled, d);
	if (err)
		return err;
	map_run(&c);
	return 0;
}

int s2_map(struct s2_pgtable *pgt, s2_ipa_t ipa, uint64_t size, s2_pa_t pa,
	   unsigned prot, unsigned flags, struct s2_diag *d)
{
	/* One page: S2_MAP_PAGES changes nothing, and the size is the page
	   size, so neither needs to be kept across the fast path. */
	if (!(flags & ~S2_MAP_PAGES) && size == 1ULL << pgt->fast.page_shift) {
		if (s2_map_page_fast(pgt, ipa.v, 1ULL << pgt->fast.page_shift, pa.v, prot, false))
			return 0;
		return map_general(pgt, ipa.v, 1ULL << pgt->fast.page_shift, pa.v, prot, 0, d);
	}
	return map_general(pgt, ipa.v, size, pa.v, prot, flags, d);
}

/* s2_map_cached() beyond the fault path's one page. */
static __attribute__((noinline)) int
map_cached_general(struct s2_pgtable *pgt, uint64_t ipa, uint64_t size, uint64_t pa,
		   unsigned prot, unsigned flags, struct s2_page_cache *cache, struct s2_diag *d)
{
	struct map_ctx c;
	uint64_t need;
	int err;

	if (cache && !(flags & ~(S2_MAP_PAGES | S2_MAP_SHARED)) &&
	    (!(flags & S2_MAP_SHARED) || pgt->ops->free_unlinked) &&
	    s2_map_page_other(pgt, ipa, size, pa, prot, flags & S2_MAP_SHARED))
		return 0;
	err = s2_map_args(pgt, ipa, size, pa, prot, flags, S2_MAP_PAGES | S2_MAP_SHARED, d);
	if (err)
		return err;
	if (!cache)
		return s2_diag_set(d, S2_EINVAL, "map: no page cache");
	if ((flags & S2_MAP_SHARED) && !pgt->ops->free_unlinked)
		return s2_diag_set(d, S2_EINVAL,
				   "map: a shared map needs the environment's free_unlinked hook");
	s2_map_ctx_init(&c, pgt, ipa, size, pa, prot, flags);
	if (flags & S2_MAP_SHARED)
		return s2_map_shared_run(&c, cache, d);
	need = s2_map_count(&c);
	if (cache->n < need)
		return s2_diag_set(d, S2_ENOMEM,
				   "map: the page cache holds %llu table pages, the map needs %llu; nothing changed",
				   (unsigned long long)cache->n, (unsigned long long)need);
	c.op.cache = cache;
	map_run(&c);
	return 0;
}

int s2_map_cached(struct s2_pgtable *pgt, s2_ipa_t ipa, uint64_t size, s2_pa_t pa,
		  unsigned prot, unsigned flags, struct s2_page_cache *cache, struct s2_diag *d)
{
	/* The hook is checked here too: a shared call without it must fail
	   the same way whatever the tables hold. */
	if (cache && !(flags & ~(S2_MAP_PAGES | S2_MAP_SHARED)) &&
	    (!(flags & S2_MAP_SHARED) || pgt->ops->free_unlinked) &&
	    size == 1ULL << pgt->fast.page_shift) {
		/* One page: as in s2_map(), the size need not be kept. */
		if (s2_map_page_fast(pgt, ipa.v, 1ULL << pgt->fast.page_shift, pa.v, prot,
				     flags & S2_MAP_SHARED))
			return 0;
		return map_cached_general(pgt, ipa.v, 1ULL << pgt->fast.page_shift, pa.v, prot,
					  flags, cache, d);
	}
	return map_cached_general(pgt, ipa.v, size, pa.v, prot, flags, cache, d);
}
