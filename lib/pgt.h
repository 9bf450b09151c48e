/* SPDX-License-Identifier: MIT */
/*
 * Internal machinery shared by the table operations: the per-operation
 * state, the table-page cache filled before an operation changes
 * anything, break-before-make, and block splitting.
 */
#ifndef S2_PGT_H
#define S2_PGT_H

#include "walk_impl.h"

/* State of one operation, shared by its visitors. */
struct s2_op {
	struct s2_pgtable *pgt;
	struct s2_page_cache *cache; /* zeroed table pages: &own, or the caller's */
	struct s2_page_cache own;    /* what s2_op_reserve() allocated */
	struct s2_page_cache raw;    /* pages for tables written whole
					(ops->alloc: not zeroed) */
	struct s2_page_cache freed;  /* tables to free once the TLB is clean */
	bool flush;            /* entries changed: one range TLBI at the end */
	uint64_t start, end;
	uint64_t fstart, fend; /* what that TLBI covers: the range, widened to
				  the blocks it cut */
	int64_t tables;        /* table pages taken less those freed: added to
				  pgt->stats once, by s2_op_finish() */
	unsigned offline;      /* > 0 while visiting a table not yet linked */
	unsigned npending;     /* tables to link after the TLBI (make) */
	struct { uint64_t *ptep, desc; } pending[2];
};

static inline void s2_op_init(struct s2_op *op, struct s2_pgtable *pgt,
			      uint64_t start, uint64_t end)
{
	*op = (struct s2_op){ .pgt = pgt, .start = start, .end = end,
			      .fstart = start, .fend = end };
	op->cache = &op->own;
}

/* The value of an entry a shared walker is replacing (Linux's
   KVM_INVALID_PTE_LOCKED): invalid, with an IGNORED bit set. Exclusive
   calls never see it: every lock is undone within its shared call. */
#define S2_DESC_LOCKED S2_BIT(10)

static inline bool s2_desc_locked(uint64_t d)
{
	return !s2_desc_valid(d) && (d & S2_DESC_LOCKED);
}

/* A page cache is a stack of pages linked through their first word. */
static inline void s2_mc_push(struct s2_page_cache *mc, void *page)
{
	*(void **)page = mc->head;
	mc->head = page;
	mc->n++;
}

/* Pop a page, zeroed again (its first word held the link). */
static inline void *s2_mc_pop(struct s2_page_cache *mc)
{
	void *p = mc->head;

	s2_arch_check(p && mc->n);
	mc->head = *(void **)p;
	*(void **)p = NULL;
	mc->n--;
	return p;
}

/* Statistics: atomic, as shared calls and deferred frees update them
   from several CPUs (relaxed: they only count). */
static inline void s2_stat_add(uint64_t *p, int64_t delta)
{
	uint64_t old = s2_arch_read_pte(p), seen;

	while ((seen = s2_arch_cmpxchg_pte(p, old, old + (uint64_t)delta)) != old)
		old = seen;
}

/* One table page more (@n = 1) or less (-1) held by @pgt. */
static inline void s2_stat_tables(struct s2_pgtable *pgt, int64_t n)
{
	s2_stat_add(&pgt->stats.tables, n);
	s2_stat_add(&pgt->stats.table_bytes, n * (int64_t)s2_page_size(&pgt->geom));
}

/**
 * s2_op_reserve() - put @n table pages in op->cache: @filled of them for
 * tables the operation writes whole before linking them (from
 * ops->alloc, when the environment has it: zeroing them would write
 * every byte twice), the others zeroed.
 * Return: 0 or S2_ENOMEM (having freed what it got: nothing changed).
 */
int s2_op_reserve(struct s2_op *op, uint64_t n, uint64_t filled, struct s2_diag *d);

/** Take a zeroed page reserved by s2_op_reserve(); there is always one. */
uint64_t *s2_op_take(struct s2_op *op);

/** Take a page for a table the caller writes whole: one s2_op_reserve()
    counted as filled, or else a zeroed one. */
static inline uint64_t *s2_op_take_filled(struct s2_op *op)
{
	if (!op->raw.n)
		return s2_op_take(op);
	op->tables++;
	return s2_mc_pop(&op->raw);
}

/**
 * s2_op_finish() - complete an operation: publish the descriptor writes,
 * one range TLBI if anything was invalidated or changed in place, then
 * free the tables the operation unlinked and any unused reserve.
 */
void s2_op_finish(struct s2_op *op);

/** Queue a table page for freeing after the operation's TLBI. */
void s2_op_defer_free(struct s2_op *op, uint64_t *table);

/**
 * s2_bbm() - replace the live entry *@ptep (@old) by @new: break (write
 * invalid), invalidate the TLB for what @old mapped (the entry's IPA with
 * its level, or its whole span for a table), then make. Arm ARM D8.16.1
 * requires this whenever the output address, block size or memory type
 * of a valid entry changes. With @defer the TLBI and the make wait for
 * the operation's one range TLBI in s2_op_finish(), which is widened to
 * the entry's span (at most two deferred entries per operation: the
 * blocks cut at its two ends).
 */
void s2_bbm(struct s2_op *op, uint64_t *ptep, uint64_t old, uint64_t new,
	    uint64_t addr, int level, bool defer);

/** Adjust the valid-entry count kept in the table descriptor @parent (an
    unknown count stays unknown until s2_table_count() recounts it). */
static inline void s2_count_add(uint64_t *parent, int delta)
{
	if (parent) {
		uint64_t d = s2_arch_read_pte(parent);
		unsigned n = s2_tbl_count(d);

		if (n != S2_TBL_COUNT_UNKNOWN)
			s2_arch_write_pte(parent, s2_tbl_set_count(d, (unsigned)((int)n + delta)));
	}
}

/**
 * s2_table_count() - the valid entries of the table that the table
 * descriptor *@ptep points to: its recorded count, or, when shared calls
 * left it unknown, a count of the table's entries, which is then
 * recorded. Entries @op broke and will make valid again after its TLBI
 * (op->pending: the blocks it cut) count as valid, as the recorded count
 * never stopped counting them. @op may be NULL. Exclusive calls only.
 */
unsigned s2_table_count(const struct s2_pgtable *pgt, const struct s2_op *op, uint64_t *ptep);

/** Write into @table the next-level entries that map what block @old maps. */
void s2_split_fill(const struct s2_geometry *g, uint64_t *table, uint64_t old, int level);

/**
 * s2_split_block() - replace the block @old at *@ptep by a table of
 * next-level entries mapping the same memory with the same attributes
 * (break-before-make). Takes one page from op->cache.
 */
void s2_split_block(struct s2_op *op, uint64_t *ptep, uint64_t old, uint64_t addr, int level);

/**
 * s2_split_cut() - a range operation (walk @w) meets a block at
 * @v that its range only partly covers. The block's replacement table is
 * built unlinked and the operation applied to it there; the live entry
 * is broken now and the table linked by s2_op_finish() after the one
 * range TLBI, which is widened to the block. So cutting blocks costs no
 * TLBI of its own. Inside an unlinked table (nested cuts) the split is
 * written directly. Takes one reserved page per level cut.
 * Return: S2_WALK_SKIP (the caller's walk must not descend), or 0 when
 * offline (descend into the new table as usual).
 */
int s2_split_cut(struct s2_op *op, const struct s2_visit *v, const struct s2_walker *w);

/* The walker, not inlined: for the nested walk of s2_split_cut(). */
int s2__walk_table(struct s2_pgtable *pgt, const struct s2_walker *w,
		   uint64_t *table, int level, uint64_t *parent, uint64_t start,
		   uint64_t end, uint64_t wstart, uint64_t wend);

/**
 * s2_edge_tables() - tables needed so that no block straddles @start or
 * @end: the blocks containing those addresses are split level by level
 * down to the first level where the address is aligned.
 */
uint64_t s2_edge_tables(const struct s2_pgtable *pgt, uint64_t start, uint64_t end);

/** Unlink-free a whole subtree below the table descriptor @desc at @level. */
void s2_free_subtree(struct s2_op *op, uint64_t desc, int level);

/**
 * s2_check_range() - validate [ipa, ipa+size): non-empty, granule-aligned,
 * no overflow (S2_EINVAL), inside the IPA space (S2_ERANGE).
 */
int s2_check_range(const struct s2_pgtable *pgt, uint64_t ipa, uint64_t size,
		   const char *what, struct s2_diag *d);

/* Span check used by visitors: the entry lies wholly inside the range. */
static inline bool s2_covers(const struct s2_visit *v)
{
	return v->addr >= v->start && v->addr + v->size <= v->end;
}

/**
 * s2_lookup_ptep() - the entry that maps @ipa (a leaf, or the invalid
 * entry where the walk stops), its level in *@level. @ipa must be in range.
 */
uint64_t *s2_lookup_ptep(const struct s2_pgtable *pgt, uint64_t ipa, int *level);

/* The same, also giving the table descriptor of the entry's table
   (NULL in the root). */
uint64_t *s2_lookup_ptep_parent(const struct s2_pgtable *pgt, uint64_t ipa, int *level,
				uint64_t **parent);

#endif
