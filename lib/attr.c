/* SPDX-License-Identifier: MIT */
/*
 * Attribute changes on existing leaves: protect, dirty logging
 * (wrprotect, the write-fault path, harvesting) and access-flag aging.
 * Permission and AF changes need no break-before-make (Arm ARM D8.16.1
 * lists the changes that do), so each range operation writes entries in
 * place and issues one range TLBI at the end.
 */
#include "pgt.h"

struct attr_ctx {
	struct s2_op op;
	uint64_t set, clr;      /* protect */
	uint64_t *bitmap;       /* harvest */
	int64_t hits;
	bool split;             /* split blocks the range cuts */
};

enum attr_op { ATTR_PROTECT, ATTR_WRPROTECT, ATTR_HARVEST, ATTR_MKOLD };

static void mark_pages(struct attr_ctx *c, const struct s2_visit *v)
{
	const struct s2_geometry *g = &v->pgt->geom;
	uint64_t lo = v->addr > v->start ? v->addr : v->start;
	uint64_t hi = v->addr + v->size;

	hi = hi < v->end ? hi : v->end;
	for (uint64_t a = lo; a < hi; a += s2_page_size(g)) {
		uint64_t i = (a - v->start) >> g->page_shift;
		c->bitmap[i / 64] |= 1ULL << (i % 64);
		c->hits++;
	}
}

/* One visitor body; @what is a constant at each use, so every operation
   gets its own walk with the other cases folded away. */
static inline __attribute__((always_inline)) int
attr_visit(const struct s2_visit *v, enum attr_op what, s2_visitor_fn self)
{
	struct attr_ctx *c = v->arg;
	uint64_t old = v->old, new = old;

	if (!s2_desc_valid(old))
		return 0;
	if (c->split && !s2_covers(v))
		return s2_split_cut(&c->op, v, &(const struct s2_walker){ self, S2_VISIT_LEAF, c });
	switch (what) {
	case ATTR_PROTECT:
		new = (old & ~c->clr) | c->set;
		/* Execute permission applies to normal memory only, as s2_map()
		   refuses executable device mappings. */
		if (s2_desc_prot(old) & S2_PROT_DEVICE)
			new |= S2_DESC_XN;
		break;
	case ATTR_WRPROTECT:
		if (old & S2_DESC_S2AP_W) {
			new = (old & ~S2_DESC_S2AP_W) | S2_DESC_SW_LOGGED;
			/* With VTCR.HD, DBM=1 + S2AP.W=0 is "writable, clean": the
			   hardware sets S2AP.W on the first write instead of
			   faulting. */
			if (v->pgt->flags & S2_PGT_HD)
				new |= S2_DESC_DBM;
		}
		break;
	case ATTR_HARVEST:
		if ((old & S2_DESC_SW_LOGGED) && (old & S2_DESC_S2AP_W)) {
			mark_pages(c, v);
			/* A block reaching outside the range stays dirty, so its
			   pages outside are reported by a later harvest, not lost. */
			if (s2_covers(v))
				new = old & ~S2_DESC_S2AP_W;
		}
		break;
	case ATTR_MKOLD:
		if (old & S2_DESC_AF) {
			c->hits++;
			new = old & ~S2_DESC_AF;
		}
		break;
	}
	if (new != old) {
		s2_arch_write_pte(v->ptep, new);
		c->op.flush = true;
	}
	return 0;
}

/*
 * Write-protect a whole last-level table in one pass (its entries are all
 * pages or invalid): no visit per entry, and without branches, so the
 * compiler can vectorize it as it does a plain read-modify-write loop.
 * Each entry is still one naturally aligned 64-bit store (a vector store
 * of 64-bit elements is single-copy atomic per element, Arm ARM B2.2.1),
 * so a hardware walk sees the old or the new entry. Entries that keep
 * their value are stored again, which is invisible unless the hardware
 * itself updates descriptors (VTCR.HA/HD: it may set AF, or S2AP.W of a
 * DBM page, between our load and store): then only changed entries are
 * written, as by the visitor.
 * Return: whether any entry changed.
 */
static bool wrprotect_table(const struct s2_pgtable *pgt, uint64_t *t)
{
	const unsigned n = 1u << pgt->geom.stride;
	const uint64_t set = S2_DESC_SW_LOGGED | (pgt->flags & S2_PGT_HD ? S2_DESC_DBM : 0);
	const uint64_t vw = S2_DESC_VALID | S2_DESC_S2AP_W;
	bool any = false;

	if (pgt->flags & (S2_PGT_HA | S2_PGT_HD)) {
		for (unsigned i = 0; i < n; i++) {
			uint64_t d = s2_arch_read_pte(&t[i]);
			if ((d & vw) == vw) {
				s2_arch_write_pte(&t[i], (d & ~S2_DESC_S2AP_W) | set);
				any = true;
			}
		}
		return any;
	}
	/* Without HD, set is S2_DESC_SW_LOGGED alone. w holds bit 7
	   (S2AP.W): clearing it and setting bit 55 is d ^ w | w << 48. The
	   valid bit need not be tested: an invalid entry stays invalid
	   whatever its other bits become, and outside shared calls (which
	   undo their locks before they return) invalid entries are zero.
	   Two entries per operation (GCC vectors: SIMD on the host, pairs
	   of 64-bit operations where vector registers are not used), four
	   vectors per iteration (a table has at least 512 entries). */
	_Static_assert(S2_DESC_S2AP_W == 1 << 7 && S2_DESC_SW_LOGGED == 1ULL << 55,
		       "wrprotect_table bit layout");
	typedef uint64_t v2 __attribute__((vector_size(16), may_alias));
	v2 *vt = (v2 *)t, vany = { 0, 0 };

	for (unsigned i = 0; i < n / 2; i += 4) {
		v2 d0 = vt[i], d1 = vt[i + 1], d2 = vt[i + 2], d3 = vt[i + 3];
		v2 w0 = d0 & S2_DESC_S2AP_W, w1 = d1 & S2_DESC_S2AP_W;
		v2 w2 = d2 & S2_DESC_S2AP_W, w3 = d3 & S2_DESC_S2AP_W;

		vt[i] = (d0 ^ w0) | (w0 << 48);
		vt[i + 1] = (d1 ^ w1) | (w1 << 48);
		vt[i + 2] = (d2 ^ w2) | (w2 << 48);
		vt[i + 3] = (d3 ^ w3) | (w3 << 48);
		vany |= (w0 | w1) | (w2 | w3);
	}
	return vany[0] | vany[1];
}

/* The visitors, each the body above with its operation fixed. */
static inline __attribute__((always_inline)) int
protect_visitor(const struct s2_visit *v, enum s2_visit_kind kind)
{
	(void)kind;
	return attr_visit(v, ATTR_PROTECT, protect_visitor);
}

static inline __attribute__((always_inline)) int
wrprotect_visitor(const struct s2_visit *v, enum s2_visit_kind kind)
{
	if (kind == S2_VISIT_TABLE_PRE) {
		struct attr_ctx *c = v->arg;

		/* A last-level table wholly inside the range: one pass. */
		if (v->level + 1 != S2_LEVEL_MAX || !s2_covers(v))
			return 0;
		if (wrprotect_table(v->pgt, s2__table_va(v->pgt, v->old)))
			c->op.flush = true;
		return S2_WALK_SKIP;
	}
	return attr_visit(v, ATTR_WRPROTECT, wrprotect_visitor);
}

static inline __attribute__((always_inline)) int
harvest_visitor(const struct s2_visit *v, enum s2_visit_kind kind)
{
	(void)kind;
	return attr_visit(v, ATTR_HARVEST, harvest_visitor);
}

static inline __attribute__((always_inline)) int
mkold_visitor(const struct s2_visit *v, enum s2_visit_kind kind)
{
	(void)kind;
	return attr_visit(v, ATTR_MKOLD, mkold_visitor);
}

/* Before the walk: check the range and reserve the tables for the
   blocks it cuts. The walk itself is written at each call site with the
   visitor named, so the compiler inlines that visitor into it. */
static int attr_begin(struct s2_pgtable *pgt, uint64_t ipa, uint64_t size,
		      struct attr_ctx *c, const char *what, struct s2_diag *d)
{
	int err = s2_check_range(pgt, ipa, size, what, d);

	if (err)
		return err;
	s2_op_init(&c->op, pgt, ipa, ipa + size);
	if (c->split)
		return s2_op_reserve(&c->op, s2_edge_tables(pgt, ipa, ipa + size), 0, d);
	return 0;
}

static int64_t attr_end(struct attr_ctx *c)
{
	s2_op_finish(&c->op);
	return c->hits;
}

#define ATTR_WALK(pgt, ipa, size, c, visitor) \
	s2__walk_range(pgt, ipa, (ipa) + (size), &(const struct s2_walker){ visitor, S2_VISIT_LEAF, c })

int s2_protect(struct s2_pgtable *pgt, s2_ipa_t ipa, uint64_t size,
	       unsigned prot, struct s2_diag *d)
{
	struct attr_ctx c = { .split = true };
	uint64_t perm = s2_desc_attrs(&pgt->geom, prot) &
			(S2_DESC_S2AP_R | S2_DESC_S2AP_W | S2_DESC_XN);

	if (prot & ~S2_PROT_RWX)
		return s2_diag_set(d, S2_EINVAL,
				   "protect: prot %#x: only r, w and x can change (not the memory type)", prot);
	/* An explicit protect ends dirty logging for the range. */
	c.clr = S2_DESC_S2AP_R | S2_DESC_S2AP_W | S2_DESC_XN | S2_DESC_SW_LOGGED | S2_DESC_DBM;
	c.set = perm;
	int err = attr_begin(pgt, ipa.v, size, &c, "protect", d);

	if (err)
		return err;
	ATTR_WALK(pgt, ipa.v, size, &c, protect_visitor);
	attr_end(&c);
	return 0;
}

int s2_wrprotect(struct s2_pgtable *pgt, s2_ipa_t ipa, uint64_t size, struct s2_diag *d)
{
	struct attr_ctx c = { .split = true };
	int err = attr_begin(pgt, ipa.v, size, &c, "wrprotect", d);

	if (err)
		return err;
	s2__walk_range(pgt, ipa.v, ipa.v + size, &(const struct s2_walker){
		wrprotect_visitor, S2_VISIT_LEAF | S2_VISIT_TABLE_PRE, &c });
	attr_end(&c);
	return 0;
}

int64_t s2_harvest_dirty(struct s2_pgtable *pgt, s2_ipa_t ipa, uint64_t size,
			 uint64_t *bitmap, size_t words, struct s2_diag *d)
{
	struct attr_ctx c = { .bitmap = bitmap };

	if (!bitmap)
		return s2_diag_set(d, S2_EINVAL, "harvest: no bitmap");
	int err = attr_begin(pgt, ipa.v, size, &c, "harvest", d);

	if (err)
		return err;
	uint64_t pages = size >> pgt->geom.page_shift;
	if (words < (pages + 63) / 64)
		return s2_diag_set(d, S2_EINVAL,
				   "harvest: a bitmap of %zu words holds %llu pages, the range has %llu (%llu words)",
				   words, (unsigned long long)words * 64, (unsigned long long)pages,
				   (unsigned long long)((pages + 63) / 64));
	ATTR_WALK(pgt, ipa.v, size, &c, harvest_visitor);
	return attr_end(&c);
}

int64_t s2_mkold(struct s2_pgtable *pgt, s2_ipa_t ipa, uint64_t size, struct s2_diag *d)
{
	struct attr_ctx c = { 0 };

	int err = attr_begin(pgt, ipa.v, size, &c, "mkold", d);

	if (err)
		return err;
	ATTR_WALK(pgt, ipa.v, size, &c, mkold_visitor);
	return attr_end(&c);
}

/*
 * Single-entry fault paths: set @bit in the leaf at @ipa if it carries
 * @need (0: any leaf). Relaxing needs no TLBI (a stale, stricter TLB
 * entry only causes one more spurious fault).
 * Return: 1 the bit was set now (or was already set, if
 * @report_already_set), 0 otherwise, S2_ENOENT, S2_ERANGE, S2_EAGAIN (a
 * shared map on another CPU is replacing the entry).
 */
static int relax_leaf(struct s2_pgtable *pgt, uint64_t ipa, uint64_t need, uint64_t bit,
		      bool report_already_set)
{
	int level;
	uint64_t *ptep, old;

	if (ipa > pgt->geom.ipa_max)
		return S2_ERANGE;
	ptep = s2_lookup_ptep(pgt, ipa, &level);
	old = s2_arch_read_pte(ptep);
	/* Compare-and-swap: shared calls on other CPUs may change the entry
	   too (another relax, or a shared map replacing it). */
	for (;;) {
		uint64_t seen;

		if (!s2_desc_valid(old))
			return s2_desc_locked(old) ? S2_EAGAIN : S2_ENOENT;
		if ((old & need) != need)
			return 0;
		if (old & bit)
			return report_already_set;
		seen = s2_arch_cmpxchg_pte(ptep, old, old | bit);
		if (seen == old)
			break;
		old = seen;
	}
	s2_arch_dsb_ishst();
	return 1;
}

int s2_mark_dirty(struct s2_pgtable *pgt, s2_ipa_t ipa)
{
	/* Already writable counts as handled: another vCPU, or the hardware
	   with DBM, got there first. */
	return relax_leaf(pgt, ipa.v, S2_DESC_SW_LOGGED, S2_DESC_S2AP_W, true);
}

int s2_mkyoung(struct s2_pgtable *pgt, s2_ipa_t ipa)
{
	return relax_leaf(pgt, ipa.v, 0, S2_DESC_AF, false);
}
