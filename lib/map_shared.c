/* SPDX-License-Identifier: MIT */
/*
 * The shared fault path: s2_map_cached(S2_MAP_SHARED) and
 * s2_relax_perms() on one table from many CPUs at once, as Linux's stage-2
 * walkers do under KVM_PGTABLE_WALK_SHARED (arch/arm64/kvm/hyp/pgtable.c:
 * stage2_try_set_pte, stage2_try_break_pte, stage2_make_pte).
 *
 * The rules:
 *  - every change of a live entry is one compare-and-swap against the
 *    value this walker read; a CPU that finds the entry changed re-reads
 *    it and either sees its work done or backs off with S2_EAGAIN;
 *  - an entry empty before stays so until one CAS installs a complete
 *    leaf or a table whose contents were written (and ordered by the
 *    CAS's release) before it became reachable;
 *  - a valid entry is replaced in three steps: CAS to S2_DESC_LOCKED
 *    (invalid to the hardware, "keep out" to other shared walkers), TLBI
 *    for what it mapped, then the new value (break-before-make, Arm ARM
 *    D8.16.1);
 *  - a table unlinked that way may still be walked, and written, by CPUs
 *    that read its descriptor earlier: it goes to ops->free_unlinked,
 *    which frees it and whatever is below it only after they are done;
 *  - valid-entry counts are not kept: the first entry a shared call adds
 *    to a table marks the count in its table descriptor unknown (one CAS
 *    per table, only while that descriptor still points to the table
 *    written), and exclusive calls recount it when they need it. (Linux
 *    counts every install with get_page() on the table page's struct
 *    page in stage2_make_pte(): an atomic per entry on a line that every
 *    CPU faulting into that table shares.)
 */
#include "map.h"

void s2_count_unknown(const struct s2_pgtable *pgt, uint64_t *parent, uint64_t d,
		      const uint64_t *table)
{
	uint64_t seen;

	/* Only while the descriptor still points to that table: once a
	   racing shared map unlinked it, its count no longer matters. */
	while (s2_tbl_count(d) != S2_TBL_COUNT_UNKNOWN && (d & 3) == 3 &&
	       s2__table_va(pgt, d) == table) {
		seen = s2_arch_cmpxchg_pte(parent, d, s2_tbl_set_count(d, S2_TBL_COUNT_UNKNOWN));
		if (seen == d)
			return;
		d = seen;
	}
}

int s2_map_page_unknown(struct s2_pgtable *pgt, uint64_t *up, const uint64_t *table)
{
	s2_count_unknown(pgt, up, s2_arch_read_pte(up), table);
	s2_arch_dsb_ishst();
	return 1;
}

/* A shared call added an entry to the table holding v->ptep: its count
   is unknown from now on (map_page.h says why). */
static void shared_counted(const struct s2_visit *v)
{
	const struct s2_pgtable *pgt = v->pgt;

	if (v->parent)
		s2_count_unknown(pgt, v->parent, s2_arch_read_pte(v->parent),
				 v->ptep - s2_level_index(&pgt->geom, v->level, v->addr));
}

/*
 * Break: lock the entry that held @old and invalidate what it mapped.
 * A table's descriptor may change under us only in its count (other CPUs
 * adding entries below it): retry while it still points to that table.
 * False if another CPU got there first.
 */
static bool try_break(const struct s2_visit *v, uint64_t old)
{
	struct s2_pgtable *pgt = v->pgt;
	uint64_t seen;

	while ((seen = s2_arch_cmpxchg_pte(v->ptep, old, S2_DESC_LOCKED)) != old) {
		if (!s2_desc_is_table(old, v->level) || !s2_desc_is_table(seen, v->level) ||
		    s2_desc_oa(&pgt->geom, seen) != s2_desc_oa(&pgt->geom, old))
			return false;
		old = seen;
	}
	s2_arch_dsb_ishst();
	s2_stat_add(&pgt->stats.bbm, 1);
	if (s2_desc_is_table(old, v->level)) {
		pgt->ops->tlbi_range(pgt->ctx, pgt, s2_ipa(v->addr), v->size);
		s2_stat_add(&pgt->stats.tlbi_range, 1);
	} else {
		pgt->ops->tlbi_ipa(pgt->ctx, pgt, s2_ipa(v->addr), v->level);
		s2_stat_add(&pgt->stats.tlbi_ipa, 1);
	}
	return true;
}

/* Make: the locked entry takes its new value (only its locker writes it). */
static void make(uint64_t *ptep, uint64_t new)
{
	s2_arch_dsb_ishst();
	s2_arch_write_pte(ptep, new);
}

/* Bits that say what a leaf maps (output, memory type, shareability). */
static uint64_t output_bits(const struct s2_geometry *g)
{
	return s2_desc_oa_bits(g) | 3 | S2_DESC_MEMATTR | (g->ds ? 0 : S2_DESC_SH);
}

/* @old with the permissions and AF of @new added (none removed). */
static uint64_t relaxed(uint64_t old, uint64_t new)
{
	uint64_t r = old | (new & (S2_DESC_S2AP_R | S2_DESC_S2AP_W | S2_DESC_AF));

	if (!(new & S2_DESC_XN))
		r &= ~S2_DESC_XN;
	return r;
}

/*
 * The entry at @v should be the leaf @new and holds the valid leaf @old.
 * The same output keeps its place and gains permissions; anything else
 * is replaced with break-before-make.
 */
static int update_leaf(struct map_ctx *c, const struct s2_visit *v, uint64_t old, uint64_t new)
{
	const struct s2_geometry *g = &v->pgt->geom;
	uint64_t seen;

	for (;;) {
		if (!s2_desc_is_leaf(old, v->level))
			return S2_EAGAIN;   /* locked, or a table linked meanwhile */
		if (!((old ^ new) & output_bits(g))) {
			uint64_t want = relaxed(old, new);
			if (want == old)
				return 0;
			seen = s2_arch_cmpxchg_pte(v->ptep, old, want);
			if (seen == old)
				return 0;
			old = seen;
			continue;
		}
		if (!try_break(v, old))
			return S2_EAGAIN;
		s2_map_clean(c, s2_desc_oa(g, new), v->size);
		make(v->ptep, new);
		return 0;
	}
}

/* A leaf of the new mapping goes at @v. */
static int shared_leaf(struct map_ctx *c, const struct s2_visit *v, enum s2_visit_kind kind)
{
	struct s2_pgtable *pgt = v->pgt;
	const struct s2_geometry *g = &pgt->geom;
	uint64_t pa = c->plan.pa + (v->addr - c->plan.start);
	uint64_t new = s2_desc_leaf(g, v->level, pa, c->attrs), seen;

	if (kind == S2_VISIT_TABLE_PRE) {
		/* A table where the block goes: other CPUs may be inside it,
		   so it is freed only through the environment's deferral. */
		if (!try_break(v, v->old))
			return S2_EAGAIN;
		s2_map_clean(c, pa, v->size);
		make(v->ptep, new);
		pgt->ops->free_unlinked(pgt->ctx, pgt, s2__table_va(pgt, v->old), v->level + 1);
		return S2_WALK_SKIP;
	}
	if (s2_desc_valid(v->old))
		return update_leaf(c, v, v->old, new);
	s2_map_clean(c, pa, v->size);
	seen = s2_arch_cmpxchg_pte(v->ptep, 0, new);
	if (seen) {
		if (s2_desc_locked(seen) || s2_desc_is_table(seen, v->level))
			return S2_EAGAIN;
		return update_leaf(c, v, seen, new);
	}
	shared_counted(v);
	return 0;
}

/* Does the valid block @old already map [max(start, addr), min(end, addr +
   size)) as asked (same output and memory type, at least the permissions)? */
static bool block_maps_same(const struct map_ctx *c, const struct s2_visit *v, uint64_t old)
{
	const struct s2_geometry *g = &v->pgt->geom;
	uint64_t want = s2_desc_leaf(g, v->level, c->plan.pa + (v->addr - c->plan.start),
				     c->attrs);

	return !((old ^ want) & output_bits(g)) && relaxed(old, want) == old;
}

/* Give back an unused page, zeroed as the cache keeps them. */
static void cache_put(struct s2_page_cache *cache, uint64_t *t, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		t[i] = 0;
	s2_mc_push(cache, t);
}

/* A block the range partly covers, and not as asked: split it (its other
   parts keep their mapping), then the walk descends into the new table. */
static int shared_split(struct s2_page_cache *cache, const struct s2_visit *v)
{
	struct s2_pgtable *pgt = v->pgt;
	const struct s2_geometry *g = &pgt->geom;
	unsigned n = 1u << g->stride;
	uint64_t *t, td;

	if (!cache->n)
		return S2_EAGAIN;   /* the count walk saw no block here */
	t = s2_mc_pop(cache);
	s2_split_fill(g, t, v->old, v->level);
	td = s2_desc_table(g, pgt->ops->virt_to_phys(pgt->ctx, t).v, n);
	if (!try_break(v, v->old)) {
		cache_put(cache, t, n);
		return S2_EAGAIN;
	}
	make(v->ptep, td);
	s2_stat_tables(pgt, 1);
	return 0;
}

struct shared_ctx {
	struct map_ctx m;
	struct s2_page_cache *cache;
};

static inline __attribute__((always_inline)) int
shared_map_visitor(const struct s2_visit *v, enum s2_visit_kind kind)
{
	struct shared_ctx *sc = v->arg;
	struct map_ctx *c = &sc->m;
	struct s2_pgtable *pgt = v->pgt;
	const struct s2_geometry *g = &pgt->geom;
	uint64_t *t, td, seen;
	unsigned n = 0;
	int ret = 0;

	if (s2_desc_locked(v->old))
		return S2_EAGAIN;
	if (s2_plan_leafable(&c->plan, v->level, v->addr))
		return shared_leaf(c, v, kind);
	if (kind == S2_VISIT_TABLE_PRE)
		return 0;
	if (s2_desc_valid(v->old))
		return block_maps_same(c, v, v->old) ? S2_WALK_SKIP : shared_split(sc->cache, v);
	/* An empty entry: a new table, with its leaves already in place when
	   they all are (then the walk need not visit them). */
	if (!sc->cache->n)
		return S2_EAGAIN;   /* a racing map replaced tables the count saw */
	t = s2_mc_pop(sc->cache);
	if (s2_covers(v) && c->plan.full[v->level + 2] == 0) {
		n = s2_map_fill_leaves(c, t, v->level + 1, v->addr);
		ret = S2_WALK_SKIP;
	}
	td = s2_desc_table(g, pgt->ops->virt_to_phys(pgt->ctx, t).v, n);
	s2_arch_dsb_ishst();
	seen = s2_arch_cmpxchg_pte(v->ptep, 0, td);
	if (seen) {
		/* Another CPU filled the entry first: use its table (the
		   walk re-reads the entry) or back off. */
		cache_put(sc->cache, t, n);
		return s2_desc_is_table(seen, v->level) ? 0 : S2_EAGAIN;
	}
	s2_stat_tables(pgt, 1);
	shared_counted(v);
	return ret;
}

int s2_map_shared_run(struct map_ctx *mc, struct s2_page_cache *cache, struct s2_diag *d)
{
	struct shared_ctx sc = { .m = *mc, .cache = cache };
	struct map_ctx *c = &sc.m;
	struct s2_pgtable *pgt = c->op.pgt;
	uint64_t need;
	int ret;

	/* Other shared maps only add tables, so this count bounds what the
	   walk takes, unless one of them replaces a table by a block in the
	   range meanwhile: then the walk backs off with S2_EAGAIN. */
	need = s2_map_count(c);
	if (cache->n < need)
		return s2_diag_set(d, S2_ENOMEM,
				   "map: the page cache holds %llu table pages, the map needs %llu; nothing changed",
				   (unsigned long long)cache->n, (unsigned long long)need);
	ret = s2__walk_range(pgt, c->op.start, c->op.end,
		       &(const struct s2_walker){ shared_map_visitor, S2_VISIT_LEAF | S2_VISIT_TABLE_PRE, &sc });
	s2_arch_dsb_ishst();
	return ret < 0 ? ret : 0;
}

int s2_relax_perms(struct s2_pgtable *pgt, s2_ipa_t ipa, unsigned prot)
{
	uint64_t set;
	int level;
	uint64_t *ptep, old, new, seen;

	if (prot & ~S2_PROT_RWX)
		return S2_EINVAL;
	if (ipa.v > pgt->geom.ipa_max)
		return S2_ERANGE;
	set = s2_desc_attrs(&pgt->geom, prot) & (S2_DESC_S2AP_R | S2_DESC_S2AP_W);
	ptep = s2_lookup_ptep(pgt, ipa.v, &level);
	old = s2_arch_read_pte(ptep);
	for (;;) {
		if (!s2_desc_valid(old))
			return s2_desc_locked(old) ? S2_EAGAIN : S2_ENOENT;
		new = old | set;
		/* Device memory never becomes executable (as s2_protect). */
		if ((prot & S2_PROT_X) && !(s2_desc_prot(old) & S2_PROT_DEVICE))
			new &= ~S2_DESC_XN;
		if (new == old)
			return 0;
		seen = s2_arch_cmpxchg_pte(ptep, old, new);
		if (seen == old)
			break;
		old = seen;
	}
	s2_arch_dsb_ishst();
	return 1;
}

static int free_unlinked_visitor(const struct s2_visit *v, enum s2_visit_kind kind)
{
	(void)kind;
	v->pgt->ops->free(v->pgt->ctx, s2__table_va(v->pgt, v->old), s2_page_size(&v->pgt->geom));
	s2_stat_tables(v->pgt, -1);
	return 0;
}

void s2_free_unlinked(struct s2_pgtable *pgt, void *table, int level)
{
	uint64_t span = s2_level_size(&pgt->geom, level - 1);

	/* Post-order: each table's entries are read before it is freed; a
	   last-level table has no tables below it. */
	if (level < S2_LEVEL_MAX)
		s2__walk(pgt, &(const struct s2_walker){ free_unlinked_visitor, S2_VISIT_TABLE_POST, NULL },
			 table, level, NULL, 0, span, 0, span);
	pgt->ops->free(pgt->ctx, table, s2_page_size(&pgt->geom));
	s2_stat_tables(pgt, -1);
}
