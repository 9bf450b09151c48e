/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>
#include "model.h"
#include "renv.h"

static uint64_t rend(const struct mrun *r) { return r->ipa + r->size; }
static uint64_t up(uint64_t a, uint64_t s) { return (a + s - 1) & ~(s - 1); }
static uint64_t down(uint64_t a, uint64_t s) { return a & ~(s - 1); }
static uint64_t max64(uint64_t a, uint64_t b) { return a > b ? a : b; }
static uint64_t min64(uint64_t a, uint64_t b) { return a < b ? a : b; }

void model_init(struct model *m, const struct ageom *g, bool hd, bool no_fwb)
{
	*m = (struct model){ .g = g, .hd = hd };
	m->fx.no_fwb = no_fwb;
}

void model_free(struct model *m)
{
	free(m->r);
	free(m->fx.e);
	m->r = NULL;
	m->fx.e = NULL;
	m->n = m->cap = m->fx.n = m->fx.cap = 0;
}

void model_copy(struct model *dst, const struct model *src)
{
	*dst = *src;
	dst->r = malloc((src->n + 1) * sizeof(*dst->r));
	dst->fx = (struct model_fx){ .no_fwb = src->fx.no_fwb };
	if (!dst->r)
		abort();
	memcpy(dst->r, src->r, src->n * sizeof(*dst->r));
	dst->cap = src->n + 1;
}

void model_fx_reset(struct model *m)
{
	m->fx.n = 0;
	m->fx.flush = false;
}

static void fx(struct model *m, int k, uint64_t a, uint64_t b, int level)
{
	struct model_fx *f = &m->fx;

	if (f->n == f->cap) {
		f->cap = f->cap ? 2 * f->cap : 256;
		f->e = realloc(f->e, f->cap * sizeof(*f->e));
		if (!f->e)
			abort();
	}
	f->e[f->n++] = (struct mfx){ k, a, b, level };
}

/* First run that ends after @a. */
static size_t find(const struct model *m, uint64_t a)
{
	size_t lo = 0, hi = m->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (rend(&m->r[mid]) <= a)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void insert_at(struct model *m, size_t i, struct mrun r)
{
	if (m->n == m->cap) {
		m->cap = m->cap ? 2 * m->cap : 64;
		m->r = realloc(m->r, m->cap * sizeof(*m->r));
		if (!m->r)
			abort();
	}
	memmove(&m->r[i + 1], &m->r[i], (m->n - i) * sizeof(*m->r));
	m->r[i] = r;
	m->n++;
}

/* Run i becomes [ipa, a) and [a, end); a is a leaf boundary inside it. */
static void split_at(struct model *m, size_t i, uint64_t a)
{
	struct mrun r = m->r[i], b = r;

	b.ipa = a;
	b.size = rend(&r) - a;
	b.pa = r.pa + (a - r.ipa);
	m->r[i].size = a - r.ipa;
	insert_at(m, i + 1, b);
}

/* Make [f, e) (leaf boundaries inside run i) a run of its own; its index. */
static size_t isolate(struct model *m, size_t i, uint64_t f, uint64_t e)
{
	if (f > m->r[i].ipa) {
		split_at(m, i, f);
		i++;
	}
	if (e < rend(&m->r[i]))
		split_at(m, i, e);
	return i;
}

/* Split leaves until @a is a leaf boundary (or unmapped). */
static void cut(struct model *m, uint64_t a)
{
	bool nested = false;

	for (;;) {
		size_t i = find(m, a);
		if (i == m->n || m->r[i].ipa >= a)
			return;
		uint64_t ls = a_lsize(m->g, m->r[i].level);
		if (!(a & (ls - 1))) {
			split_at(m, i, a);
			return;
		}
		uint64_t b = down(a, ls);
		i = isolate(m, i, b, b + ls);
		/* The block goes through break-before-make to a table. */
		fx(m, MFX_CUT, b, !nested, m->r[i].level);
		nested = true;
		m->r[i].level++;
	}
}

/* Runs [i, j) lie in [lo, hi) (after cuts). */
static void span(const struct model *m, uint64_t lo, uint64_t hi, size_t *i, size_t *j)
{
	*i = find(m, lo);
	*j = *i;
	while (*j < m->n && m->r[*j].ipa < hi)
		(*j)++;
}

static void remove_runs(struct model *m, size_t i, size_t j)
{
	if (j == i)
		return;
	memmove(&m->r[i], &m->r[j], (m->n - j) * sizeof(*m->r));
	m->n -= j - i;
}

static int leaf_level(const struct ageom *g, uint64_t a, uint64_t lo, uint64_t hi,
		      uint64_t pa, bool pages)
{
	for (int l = g->start; l < 3 && !pages; l++) {
		uint64_t s = a_lsize(g, l);
		if (a_block_ok(g, l) && !(a & (s - 1)) && !((pa + (a - lo)) & (s - 1)) &&
		    hi - a >= s)
			return l;
	}
	return 3;
}

uint64_t model_map_leaves(const struct ageom *g, uint64_t lo, uint64_t hi, uint64_t pa,
			  bool pages, uint64_t cap)
{
	uint64_t n = 0;

	for (uint64_t a = lo; a < hi && n < cap; n++)
		a += a_lsize(g, leaf_level(g, a, lo, hi, pa, pages));
	return n;
}

bool model_any(const struct model *m, uint64_t lo, uint64_t hi)
{
	size_t i = find(m, lo);

	return i < m->n && m->r[i].ipa < hi;
}

bool model_leaf(const struct model *m, uint64_t ipa, struct mrun *leaf, int *fault_level)
{
	size_t i = find(m, ipa);

	if (i < m->n && m->r[i].ipa <= ipa) {
		const struct mrun *r = &m->r[i];
		uint64_t ls = a_lsize(m->g, r->level), b = down(ipa, ls);
		*leaf = (struct mrun){ b, ls, r->pa + (b - r->ipa), r->level, r->m };
		return true;
	}
	/* The walk descends while the entry's span holds something. */
	for (int l = m->g->start; l <= 3; l++) {
		uint64_t s = a_lsize(m->g, l), b = down(ipa, s);
		if (!model_any(m, b, b + s)) {
			*fault_level = l;
			break;
		}
	}
	return false;
}

/* Expected maintenance for the new leaf at @a (level @l, PA @pa). */
static void map_fx(struct model *m, uint64_t a, int l, uint64_t pa, unsigned nm,
		   uint64_t *last_big)
{
	const struct ageom *g = m->g;
	uint64_t s = a_lsize(g, l);
	struct mrun o;
	int fl;
	bool has = model_leaf(m, a, &o, &fl), clean = true;

	if (has && o.level < l) {
		/* A bigger old block: replaced by a table (once). */
		if (o.ipa != *last_big)
			fx(m, EV_TLBI_IPA, o.ipa, 0, o.level);
		*last_big = o.ipa;
	} else if (has && o.level == l) {
		if (a_leaf(g, l, o.pa, o.m) == a_leaf(g, l, pa, nm))
			clean = false;
		else if (o.pa == pa && (o.m & M_DEV) == (nm & M_DEV)) {
			/* Permissions only: in place, one range TLBI at the end. */
			m->fx.flush = true;
			clean = false;
		} else {
			fx(m, EV_TLBI_IPA, a, 0, l);
		}
	} else if (model_any(m, a, a + s)) {
		/* A table of smaller leaves becomes this block. */
		fx(m, EV_TLBI_RANGE, a, s, 0);
	}
	if (clean && m->fx.no_fwb && !(nm & M_DEV)) {
		fx(m, EV_DCACHE, pa, s, 0);
		if (nm & M_X)
			fx(m, EV_ICACHE, pa, s, 0);
	}
}

void model_map(struct model *m, uint64_t lo, uint64_t hi, uint64_t pa, unsigned prot,
	       bool pages)
{
	const struct ageom *g = m->g;
	unsigned nm = (prot & (M_R | M_W | M_X | M_DEV)) | M_AF;
	uint64_t last_big = ~0ULL;
	size_t i, j;

	cut(m, lo);
	cut(m, hi);
	for (uint64_t a = lo; a < hi;) {
		int l = leaf_level(g, a, lo, hi, pa, pages);
		map_fx(m, a, l, pa + (a - lo), nm, &last_big);
		a += a_lsize(g, l);
	}
	span(m, lo, hi, &i, &j);
	remove_runs(m, i, j);
	for (uint64_t a = lo; a < hi;) {
		int l = leaf_level(g, a, lo, hi, pa, pages);
		uint64_t s = a_lsize(g, l);
		struct mrun *p = i ? &m->r[i - 1] : NULL;

		if (p && p->level == l && rend(p) == a && p->m == nm && p->pa + p->size == pa + (a - lo))
			p->size += s;
		else
			insert_at(m, i++, (struct mrun){ a, s, pa + (a - lo), l, nm });
		a += s;
	}
}

void model_unmap(struct model *m, uint64_t lo, uint64_t hi)
{
	size_t i, j;

	cut(m, lo);
	cut(m, hi);
	span(m, lo, hi, &i, &j);
	if (j > i)
		m->fx.flush = true;
	remove_runs(m, i, j);
}

static void set_attrs(struct model *m, uint64_t lo, uint64_t hi, unsigned clr, unsigned set,
		      bool only_w)
{
	/* Device memory never becomes executable (X is ignored for it). */
	unsigned set_dev = set & ~M_X;

	size_t i, j;

	cut(m, lo);
	cut(m, hi);
	span(m, lo, hi, &i, &j);
	for (; i < j; i++) {
		unsigned old = m->r[i].m;
		if (only_w && !(old & M_W))
			continue;
		m->r[i].m = (old & ~clr) | (old & M_DEV ? set_dev : set);
		if (m->r[i].m != old)
			m->fx.flush = true;
	}
}

void model_protect(struct model *m, uint64_t lo, uint64_t hi, unsigned prot)
{
	/* An explicit protect ends dirty logging; the memory type stays. */
	set_attrs(m, lo, hi, M_R | M_W | M_X | M_LOG | M_DBM, prot & (M_R | M_W | M_X), false);
}

void model_wrprotect(struct model *m, uint64_t lo, uint64_t hi)
{
	set_attrs(m, lo, hi, M_W, M_LOG | (m->hd ? M_DBM : 0), true);
}

/* The run index of the single leaf holding @ipa, isolated; or -1. */
static long leaf_run(struct model *m, uint64_t ipa)
{
	size_t i = find(m, ipa);

	if (i == m->n || m->r[i].ipa > ipa)
		return -1;
	uint64_t ls = a_lsize(m->g, m->r[i].level), b = down(ipa, ls);
	return (long)isolate(m, i, b, b + ls);
}

int model_mark_dirty(struct model *m, uint64_t ipa)
{
	long i = leaf_run(m, ipa);

	if (i < 0)
		return -2;
	if (!(m->r[i].m & M_LOG))
		return 0;
	m->r[i].m |= M_W;
	return 1;
}

int model_mkyoung(struct model *m, uint64_t ipa)
{
	long i = leaf_run(m, ipa);

	if (i < 0)
		return -2;
	if (m->r[i].m & M_AF)
		return 0;
	m->r[i].m |= M_AF;
	return 1;
}

/*
 * Dirty pages: a logged leaf made writable may have been written
 * anywhere. Every page of it inside the range is reported; a leaf wholly
 * inside is write-protected again. A leaf the range only partly covers
 * stays writable, so the pages outside the range are still reported by
 * a later harvest (re-protecting it would lose them).
 */
int64_t model_harvest(struct model *m, uint64_t lo, uint64_t hi, uint64_t *bitmap)
{
	const struct ageom *g = m->g;
	int64_t n = 0;

	for (size_t i = find(m, lo); i < m->n && m->r[i].ipa < hi; i++) {
		struct mrun *r = &m->r[i];
		if ((r->m & (M_LOG | M_W)) != (M_LOG | M_W))
			continue;
		uint64_t f = max64(r->ipa, lo), e = min64(rend(r), hi);
		for (uint64_t a = f; a < e; a += a_page(g)) {
			uint64_t b = (a - lo) >> g->shift;
			bitmap[b / 64] |= 1ULL << (b % 64);
			n++;
		}
		uint64_t ls = a_lsize(g, r->level), rend0 = rend(r);
		f = up(f, ls);
		e = down(e, ls);
		if (f < e) {
			i = isolate(m, i, f, e);
			m->r[i].m &= ~M_W;
			m->fx.flush = true;
			if (e < rend0)
				i++;   /* the rest, counted above, stays dirty */
		}
	}
	return n;
}

int64_t model_mkold(struct model *m, uint64_t lo, uint64_t hi)
{
	int64_t n = 0;

	for (size_t i = find(m, lo); i < m->n && m->r[i].ipa < hi; i++) {
		if (!(m->r[i].m & M_AF))
			continue;
		uint64_t ls = a_lsize(m->g, m->r[i].level);
		uint64_t f = max64(m->r[i].ipa, down(lo, ls));
		uint64_t e = min64(rend(&m->r[i]), up(hi, ls));
		i = isolate(m, i, f, e);
		m->r[i].m &= ~M_AF;
		n += (int64_t)((e - f) / ls);
		m->fx.flush = true;
	}
	return n;
}

void model_split(struct model *m, uint64_t lo, uint64_t hi)
{
	for (int l = m->g->start; l < 3; l++) {
		uint64_t ls = a_lsize(m->g, l);
		for (size_t i = find(m, lo); i < m->n && m->r[i].ipa < hi; i++) {
			if (m->r[i].level != l)
				continue;
			uint64_t f = max64(m->r[i].ipa, down(lo, ls));
			uint64_t e = min64(rend(&m->r[i]), up(hi, ls));
			i = isolate(m, i, f, e);
			for (uint64_t a = f; a < e; a += ls)
				fx(m, EV_TLBI_IPA, a, 0, l);
			m->r[i].level++;
		}
	}
}

/* Is [b, b+s) made of level-@cl leaves with consecutive PAs, the first
   aligned to @s, and equal attributes but for the Access flag? *@af: the
   OR of their Access flags. */
static bool collapsible(const struct model *m, uint64_t b, uint64_t s, int cl, unsigned *af)
{
	size_t i = find(m, b);
	uint64_t a = b, delta;

	if (i == m->n || m->r[i].ipa > b)
		return false;
	delta = m->r[i].pa - m->r[i].ipa;
	if ((b + delta) & (s - 1))
		return false;
	*af = 0;
	for (; a < b + s; i++) {
		const struct mrun *r = &m->r[i];
		if (i == m->n || r->ipa > a || r->level != cl || r->pa - r->ipa != delta ||
		    (r->m & ~M_AF) != (m->r[find(m, b)].m & ~M_AF))
			return false;
		*af |= r->m & M_AF;
		a = rend(r);
	}
	return true;
}

/*
 * Bottom-up, so spans made blocks at one level can make a block one level
 * up in the same call. The Access flag need not agree (include/s2/
 * pgtable.h): the block is young if any part was.
 */
int64_t model_collapse(struct model *m, uint64_t lo, uint64_t hi)
{
	const struct ageom *g = m->g;
	int64_t made = 0;

	model_normalize(m);
	for (int l = 2; l >= g->start; l--) {
		if (!a_block_ok(g, l))
			continue;
		uint64_t s = a_lsize(g, l);
		for (uint64_t b = up(lo, s); b < hi && hi - b >= s; b += s) {
			size_t i = find(m, b);
			unsigned af;
			if (i == m->n)
				break;
			if (m->r[i].ipa > b) {
				/* A hole: go on at the next run's span. */
				if (down(m->r[i].ipa, s) > b)
					b = down(m->r[i].ipa, s) - s;
				continue;
			}
			if (!collapsible(m, b, s, l + 1, &af)) {
				/* Leaves of another level or PA offset: none of
				   this run's spans can collapse. */
				const struct mrun *r = &m->r[i];
				if ((r->level != l + 1 || ((r->pa - r->ipa) & (s - 1))) &&
				    down(rend(r), s) > b + s)
					b = down(rend(r), s) - s;
				continue;
			}
			struct mrun blk = { b, s, m->r[i].pa + (b - m->r[i].ipa), l,
					    (m->r[i].m & ~M_AF) | af };
			cut(m, b);      /* leaf boundaries already: only splits runs */
			cut(m, b + s);
			size_t x, y;
			span(m, b, b + s, &x, &y);
			remove_runs(m, x, y);
			insert_at(m, x, blk);
			fx(m, EV_TLBI_RANGE, b, s, 0);
			made++;
		}
		model_normalize(m);
	}
	return made;
}

void model_normalize(struct model *m)
{
	size_t o = 0;

	for (size_t i = 0; i < m->n; i++) {
		struct mrun *p = o ? &m->r[o - 1] : NULL, *c = &m->r[i];
		if (p && rend(p) == c->ipa && p->level == c->level && p->m == c->m &&
		    p->pa + p->size == c->pa)
			p->size += c->size;
		else
			m->r[o++] = *c;
	}
	m->n = o;
}
