/* SPDX-License-Identifier: MIT */
/* Table object lifetime and the machinery in pgt.h. */
#include "pgt.h"

static uint64_t root_alloc_bytes(const struct s2_geometry *g)
{
	/* The root must be aligned to its size; below 4K we still take a
	   4K block so every environment can serve it. */
	return g->root_bytes < 4096 ? 4096 : g->root_bytes;
}

/* The fault path's view of @g (struct s2_pgt_fast). */
static void fast_init(struct s2_pgt_fast *f, const struct s2_geometry *g, uint64_t root_pa)
{
	uint64_t hi = root_pa & ~S2_GENMASK(g->ds ? 49 : 47, 0);

	*f = (struct s2_pgt_fast){
		.hi_pa = hi,
		.hi_desc = s2_desc_encode_oa(g, hi),
		.oa_lo = S2_GENMASK(g->ds ? 49 : 47, g->page_shift),
		.root_mask = g->root_entries - 1,
		.stride_mask = (1ULL << g->stride) - 1,
		.root_shift = (uint8_t)s2_level_shift(g, g->start_level),
		.stride = (uint8_t)g->stride,
		.page_shift = (uint8_t)g->page_shift,
		.levels = (uint8_t)(S2_LEVEL_MAX - g->start_level),
		.fmt = g->ds ? S2_OA_DS : g->lpa ? S2_OA_LPA : S2_OA_PLAIN,
	};
	for (unsigned prot = 0; prot < 16; prot++)
		/* Executable device memory is refused (s2_map()). */
		if (!((prot & S2_PROT_DEVICE) && (prot & S2_PROT_X)))
			f->leaf[prot] = s2_desc_leaf(g, S2_LEVEL_MAX, 0, s2_desc_attrs(g, prot));
}

int s2_pgtable_init(struct s2_pgtable *pgt, const struct s2_geometry *g,
		    const struct s2_mm_ops *ops, void *ctx, unsigned vmid,
		    unsigned flags, struct s2_diag *d)
{
	uint64_t bytes = root_alloc_bytes(g);
	void *root = ops->zalloc(ctx, bytes);
	uint64_t pa;

	if (!root)
		return s2_diag_set(d, S2_ENOMEM, "no memory for a %llu-byte root table",
				   (unsigned long long)bytes);
	pa = ops->virt_to_phys(ctx, root).v;
	if (pa > g->oa_max || (pa & (g->root_align - 1))) {
		ops->free(ctx, root, bytes);
		return s2_diag_set(d, S2_ERANGE,
				   "root table at PA %#llx is %s (PA size %u bits, alignment %#llx)",
				   (unsigned long long)pa,
				   pa > g->oa_max ? "out of range" : "misaligned",
				   g->ps_bits, (unsigned long long)g->root_align);
	}
	*pgt = (struct s2_pgtable){
		.geom = *g, .ops = ops, .ctx = ctx, .root = root,
		.root_pa = s2_pa(pa), .vmid = vmid, .flags = flags,
	};
	fast_init(&pgt->fast, g, pa);
	pgt->stats.table_bytes = bytes;
	pgt->stats.tables = 1;
	return 0;
}

int s2_check_range(const struct s2_pgtable *pgt, uint64_t ipa, uint64_t size,
		   const char *what, struct s2_diag *d)
{
	const struct s2_geometry *g = &pgt->geom;
	uint64_t mask = s2_page_size(g) - 1;

	if (!size)
		return s2_diag_set(d, S2_EINVAL, "%s: size 0", what);
	if ((ipa | size) & mask)
		return s2_diag_set(d, S2_EINVAL,
				   "%s: IPA %#llx size %#llx not aligned to the %s granule",
				   what, (unsigned long long)ipa, (unsigned long long)size,
				   s2_granule_name(g->granule));
	if (ipa + size < ipa)
		return s2_diag_set(d, S2_EINVAL, "%s: IPA %#llx + size %#llx overflows",
				   what, (unsigned long long)ipa, (unsigned long long)size);
	if (ipa + size - 1 > g->ipa_max)
		return s2_diag_set(d, S2_ERANGE,
				   "%s: IPA range %#llx..%#llx is beyond the %u-bit IPA space (last IPA %#llx)",
				   what, (unsigned long long)ipa, (unsigned long long)(ipa + size - 1),
				   g->ipa_bits, (unsigned long long)g->ipa_max);
	return 0;
}

static void mc_release(const struct s2_pgtable *pgt, struct s2_page_cache *mc)
{
	uint64_t bytes = s2_page_size(&pgt->geom);

	while (mc->n)
		pgt->ops->free(pgt->ctx, s2_mc_pop(mc), bytes);
}

int s2_cache_topup(const struct s2_pgtable *pgt, struct s2_page_cache *cache, uint64_t min,
		   struct s2_diag *d)
{
	uint64_t bytes = s2_page_size(&pgt->geom), had = cache->n;

	while (cache->n < min) {
		void *p = pgt->ops->zalloc(pgt->ctx, bytes);
		if (!p)
			return s2_diag_set(d, S2_ENOMEM,
					   "page cache: out of memory at %llu of %llu pages (had %llu)",
					   (unsigned long long)cache->n, (unsigned long long)min,
					   (unsigned long long)had);
		s2_mc_push(cache, p);
	}
	return 0;
}

void s2_cache_free(const struct s2_pgtable *pgt, struct s2_page_cache *cache)
{
	mc_release(pgt, cache);
}

int s2_op_reserve(struct s2_op *op, uint64_t n, uint64_t filled, struct s2_diag *d)
{
	struct s2_pgtable *pgt = op->pgt;
	uint64_t bytes = s2_page_size(&pgt->geom);

	if (!pgt->ops->alloc)
		filled = 0;

	/* Refuse from the count rather than allocate up to the bound. */
	if (pgt->ops->room && n > op->own.n) {
		uint64_t room = pgt->ops->room(pgt->ctx, bytes);
		if (n - op->own.n > room)
			return s2_diag_set(d, S2_ENOMEM,
					   "needs %llu table pages (%llu bytes); the table memory has room for %llu (%llu bytes); nothing changed",
					   (unsigned long long)n, (unsigned long long)(n * bytes),
					   (unsigned long long)(room + op->own.n),
					   (unsigned long long)((room + op->own.n) * bytes));
	}
	while (op->own.n + op->raw.n < n) {
		bool raw = op->raw.n < filled;
		void *p = raw ? pgt->ops->alloc(pgt->ctx, bytes) : pgt->ops->zalloc(pgt->ctx, bytes);
		if (!p) {
			uint64_t had = op->own.n + op->raw.n;
			mc_release(pgt, &op->own);
			mc_release(pgt, &op->raw);
			return s2_diag_set(d, S2_ENOMEM,
					   "out of memory after %llu of %llu table pages; nothing changed",
					   (unsigned long long)had, (unsigned long long)n);
		}
		s2_mc_push(raw ? &op->raw : &op->own, p);
	}
	return 0;
}

uint64_t *s2_op_take(struct s2_op *op)
{
	op->tables++;
	return s2_mc_pop(op->cache);
}

void s2_op_defer_free(struct s2_op *op, uint64_t *table)
{
	op->tables--;
	/* The link word overwrites entry 0; nothing reads the table any more
	   once its parent entry was cleared and the TLB is invalidated. */
	s2_mc_push(&op->freed, table);
}

void s2_op_finish(struct s2_op *op)
{
	struct s2_pgtable *pgt = op->pgt;

	/* The statistics are atomic (deferred frees may update them from
	   other CPUs at any time): once per operation, not per table. */
	if (op->tables)
		s2_stat_tables(pgt, op->tables);
	/* Descriptor writes must be visible to the walker before the TLBI
	   (and before the guest runs again): DSB ISHST. */
	s2_arch_dsb_ishst();
	if (op->flush) {
		pgt->ops->tlbi_range(pgt->ctx, pgt, s2_ipa(op->fstart), op->fend - op->fstart);
		s2_stat_add(&pgt->stats.tlbi_range, 1);
	}
	/* The make half of the cut blocks' break-before-make. */
	for (unsigned i = 0; i < op->npending; i++)
		s2_arch_write_pte(op->pending[i].ptep, op->pending[i].desc);
	if (op->npending)
		s2_arch_dsb_ishst();
	mc_release(pgt, &op->freed);
	mc_release(pgt, &op->own);
	mc_release(pgt, &op->raw);
}

void s2_bbm(struct s2_op *op, uint64_t *ptep, uint64_t old, uint64_t new,
	    uint64_t addr, int level, bool defer)
{
	struct s2_pgtable *pgt = op->pgt;
	uint64_t size = s2_level_size(&pgt->geom, level);

	if (!s2_desc_valid(old)) {
		s2_arch_write_pte(ptep, new);
		return;
	}
	s2_arch_write_pte(ptep, 0);
	s2_stat_add(&pgt->stats.bbm, 1);
	if (defer) {
		/* Only the blocks at the range's two ends are cut. */
		s2_arch_check(op->npending < sizeof(op->pending) / sizeof(op->pending[0]));
		op->pending[op->npending].ptep = ptep;
		op->pending[op->npending].desc = new;
		op->npending++;
		op->fstart = addr < op->fstart ? addr : op->fstart;
		op->fend = addr + size > op->fend ? addr + size : op->fend;
		op->flush = true;
		return;
	}
	s2_arch_dsb_ishst();
	if (s2_desc_is_table(old, level)) {
		pgt->ops->tlbi_range(pgt->ctx, pgt, s2_ipa(addr), size);
		s2_stat_add(&pgt->stats.tlbi_range, 1);
	} else {
		pgt->ops->tlbi_ipa(pgt->ctx, pgt, s2_ipa(addr), level);
		s2_stat_add(&pgt->stats.tlbi_ipa, 1);
	}
	s2_arch_write_pte(ptep, new);
}

static int free_visitor(const struct s2_visit *v, enum s2_visit_kind kind)
{
	(void)kind;
	s2_op_defer_free(v->arg, s2__table_va(v->pgt, v->old));
	return 0;
}

void s2_free_subtree(struct s2_op *op, uint64_t desc, int level)
{
	struct s2_pgtable *pgt = op->pgt;
	uint64_t *table = s2__table_va(pgt, desc);

	/* Walk the detached table for the tables below it: only its own
	   span matters. A last-level table holds none, so its entries are
	   not even read. */
	if (level + 1 < S2_LEVEL_MAX)
		s2__walk(pgt, &(const struct s2_walker){ free_visitor, S2_VISIT_TABLE_POST, op },
			 table, level + 1, NULL,
			 0, s2_level_size(&pgt->geom, level), 0, s2_level_size(&pgt->geom, level));
	s2_op_defer_free(op, table);
}

void s2_pgtable_destroy(struct s2_pgtable *pgt)
{
	struct s2_op op;

	s2_op_init(&op, pgt, 0, pgt->geom.ipa_max + 1);
	s2__walk_range(pgt, 0, pgt->geom.ipa_max + 1,
		       &(const struct s2_walker){ free_visitor, S2_VISIT_TABLE_POST, &op });
	s2_arch_dsb_ishst();
	pgt->ops->tlbi_vmid(pgt->ctx, pgt);
	s2_stat_add(&pgt->stats.tlbi_vmid, 1);
	s2_op_finish(&op);
	pgt->ops->free(pgt->ctx, pgt->root, root_alloc_bytes(&pgt->geom));
	pgt->stats.tables = 0;
	pgt->stats.table_bytes = 0;
	pgt->root = NULL;
}

unsigned s2_table_count(const struct s2_pgtable *pgt, const struct s2_op *op, uint64_t *ptep)
{
	uint64_t d = s2_arch_read_pte(ptep);
	unsigned n = s2_tbl_count(d), entries = 1u << pgt->geom.stride;
	const uint64_t *t;

	if (n != S2_TBL_COUNT_UNKNOWN)
		return n;
	/* Shared calls added entries without counting them (one
	   compare-and-swap per entry, no second one on this shared line):
	   count once, and keep the count exactly from here on. */
	t = s2__table_va(pgt, d);
	n = 0;
	for (unsigned i = 0; i < entries; i++)
		n += (unsigned)(t[i] & S2_DESC_VALID);
	for (unsigned i = 0; op && i < op->npending; i++)
		n += op->pending[i].ptep >= t && op->pending[i].ptep < t + entries;
	s2_arch_write_pte(ptep, s2_tbl_set_count(d, n));
	return n;
}
