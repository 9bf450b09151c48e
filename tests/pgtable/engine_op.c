/* SPDX-License-Identifier: MIT */
/*
 * eng_op(): one operation on the library and on the model, then every
 * comparison that operation allows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "engine.h"

#define EI 1u   /* S2_EINVAL acceptable */
#define ER 2u   /* S2_ERANGE acceptable */

static unsigned to_m(unsigned prot)
{
	return (prot & S2_PROT_R ? M_R : 0) | (prot & S2_PROT_W ? M_W : 0) |
	       (prot & S2_PROT_X ? M_X : 0) | (prot & S2_PROT_DEVICE ? M_DEV : 0);
}

static unsigned to_prot(unsigned m)
{
	return (m & M_R ? S2_PROT_R : 0) | (m & M_W ? S2_PROT_W : 0) |
	       (m & M_X ? S2_PROT_X : 0) | (m & M_DEV ? S2_PROT_DEVICE : 0);
}

static bool is_range_op(enum op_kind k)
{
	return k != OP_MARK_DIRTY && k != OP_MKYOUNG && k != OP_TRANSLATE;
}

static bool allocates(enum op_kind k)
{
	return k == OP_MAP || k == OP_UNMAP || k == OP_PROTECT || k == OP_WRPROTECT ||
	       k == OP_SPLIT;
}

/* The errors the API contract (include/s2/pgtable.h) gives this call. */
static unsigned expected_errors(const struct eng *e, const struct op *op)
{
	const struct ageom *g = &e->g;
	uint64_t mask = a_page(g) - 1, end = op->ipa + op->size;
	unsigned err = 0;

	if (!is_range_op(op->k))
		return op->k != OP_TRANSLATE && op->ipa >= a_ipa_end(g) ? ER : 0;
	if (!op->size)
		return EI;
	if ((op->ipa | op->size) & mask)
		err |= EI;
	if (end < op->ipa)
		err |= EI;
	else if (end - 1 >= a_ipa_end(g))
		err |= ER;
	if (op->k == OP_MAP) {
		if (op->pa & mask)
			err |= EI;
		if (op->pa + op->size < op->pa || op->pa + op->size - 1 > a_oa_max(g))
			err |= ER;
		if (op->flags & ~S2_MAP_PAGES)
			err |= EI;
		if (op->prot & ~(S2_PROT_RWX | S2_PROT_DEVICE) ||
		    ((op->prot & (S2_PROT_W | S2_PROT_X)) && !(op->prot & S2_PROT_R)) ||
		    ((op->prot & S2_PROT_DEVICE) && (op->prot & S2_PROT_X)))
			err |= EI;
	}
	if (op->k == OP_PROTECT &&
	    ((op->prot & ~S2_PROT_RWX) ||
	     ((op->prot & (S2_PROT_W | S2_PROT_X)) && !(op->prot & S2_PROT_R))))
		err |= EI;
	return err;
}

static uint64_t *bitmap_for(const struct eng *e, const struct op *op, size_t *words)
{
	*words = (size_t)((op->size >> e->g.shift) + 63) / 64 + 1;
	uint64_t *b = calloc(*words, 8);
	if (!b)
		abort();
	return b;
}

static int64_t call_lib(struct eng *e, const struct op *op, uint64_t *bitmap,
			struct s2_diag *d)
{
	struct s2_pgtable *p = &e->pgt;
	s2_ipa_t ipa = s2_ipa(op->ipa);
	struct s2_xlate x;

	switch (op->k) {
	case OP_MAP: return s2_map(p, ipa, op->size, s2_pa(op->pa), op->prot, op->flags, d);
	case OP_UNMAP: return s2_unmap(p, ipa, op->size, d);
	case OP_PROTECT: return s2_protect(p, ipa, op->size, op->prot, d);
	case OP_WRPROTECT: return s2_wrprotect(p, ipa, op->size, d);
	case OP_MARK_DIRTY: return s2_mark_dirty(p, ipa);
	case OP_HARVEST: return s2_harvest_dirty(p, ipa, op->size, bitmap, d);
	case OP_MKOLD: return s2_mkold(p, ipa, op->size, d);
	case OP_MKYOUNG: return s2_mkyoung(p, ipa);
	case OP_SPLIT: return s2_split(p, ipa, op->size, d);
	case OP_COLLAPSE: return s2_collapse(p, ipa, op->size, d);
	case OP_FLUSH: return s2_flush(p, ipa, op->size, d);
	case OP_TRANSLATE: return s2_translate(p, ipa, &x);
	default: abort();
	}
}

static int64_t call_model(struct eng *e, const struct op *op, uint64_t *bitmap)
{
	struct model *m = &e->m;
	uint64_t lo = op->ipa, hi = op->ipa + op->size;

	switch (op->k) {
	case OP_MAP: model_map(m, lo, hi, op->pa, to_m(op->prot), op->flags & S2_MAP_PAGES); return 0;
	case OP_UNMAP: model_unmap(m, lo, hi); return 0;
	case OP_PROTECT: model_protect(m, lo, hi, to_m(op->prot)); return 0;
	case OP_WRPROTECT: model_wrprotect(m, lo, hi); return 0;
	case OP_MARK_DIRTY: return model_mark_dirty(m, lo);
	case OP_HARVEST: return model_harvest(m, lo, hi, bitmap);
	case OP_MKOLD: return model_mkold(m, lo, hi);
	case OP_MKYOUNG: return model_mkyoung(m, lo);
	case OP_SPLIT: model_split(m, lo, hi); return 0;
	case OP_COLLAPSE: return model_collapse(m, lo, hi);
	case OP_FLUSH: return -1;   /* counted in check_fx() */
	default: return 0;   /* translate: no state change */
	}
}

/* At each TLBI, note what a walk finds at its address (for break-before-
   make: the entry must already be invalid) and whether the blocks the
   operation cuts are broken. Judged after the operation (check_bbm()). */
void eng_on_tlbi(struct renv *r, const struct ev *ev, void *arg)
{
	struct eng *e = arg;
	struct tl_rec rec = { .cuts_broken = true };
	uint64_t d;
	int l;

	(void)r;
	if (ev->vmid != e->pgt.vmid)
		eng_fail(e, "TLBI for VMID %u, the table's is %u", ev->vmid, e->pgt.vmid);
	if (ev->k != EV_TLBI_IPA && ev->k != EV_TLBI_RANGE)
		return;
	if (tw_lookup(&e->tw, ev->a, &d, &l)) {
		rec.entry_invalid = d == 0;
		rec.level = l;
	}
	for (unsigned i = 0; i < e->ncut; i++)
		if (!tw_lookup(&e->tw, e->cut[i].ipa, &d, &l) || d || l != e->cut[i].level)
			rec.cuts_broken = false;
	if (e->ntl == e->captl) {
		e->captl = e->captl ? 2 * e->captl : 256;
		e->tl = realloc(e->tl, e->captl * sizeof(*e->tl));
		if (!e->tl)
			abort();
	}
	e->tl[e->ntl++] = rec;
}

/* The blocks straddling the ends of [lo, hi), before the operation. */
static void find_cuts(struct eng *e, uint64_t lo, uint64_t hi)
{
	struct mrun leaf;
	int fl;

	e->ncut = 0;
	if (model_leaf(&e->m, lo, &leaf, &fl) && leaf.ipa < lo)
		e->cut[e->ncut++] = (typeof(e->cut[0])){ leaf.ipa, leaf.level };
	if (hi < a_ipa_end(&e->g) && model_leaf(&e->m, hi, &leaf, &fl) && leaf.ipa < hi &&
	    !(e->ncut && e->cut[0].ipa == leaf.ipa))
		e->cut[e->ncut++] = (typeof(e->cut[0])){ leaf.ipa, leaf.level };
}

/* Every TLBI by IPA found its entry invalid at the hinted level; every
   range TLBI but the operation's closing one was a table's break; the
   closing one came after the cut blocks were broken. */
static int check_bbm(struct eng *e, uint64_t flo, uint64_t fhi, bool flush)
{
	size_t t = 0, last_range = SIZE_MAX;

	for (size_t i = 0; i < e->r.n; i++)
		if (e->r.log[i].k == EV_TLBI_RANGE)
			last_range = i;
	for (size_t i = 0; i < e->r.n; i++) {
		const struct ev *v = &e->r.log[i];
		if (v->k != EV_TLBI_IPA && v->k != EV_TLBI_RANGE)
			continue;
		if (t >= e->ntl)
			return eng_fail(e, "TLBI not seen by the hook");
		const struct tl_rec *rec = &e->tl[t++];
		if (v->k == EV_TLBI_IPA) {
			if (!rec->entry_invalid || rec->level != v->level)
				return eng_fail(e, "tlbi_ipa(%#llx, L%d) while the entry is valid or at L%d",
						(unsigned long long)v->a, v->level, rec->level);
		} else if (flush && i == last_range && v->a == flo && v->b == fhi - flo) {
			if (!rec->cuts_broken)
				return eng_fail(e, "the closing range TLBI came before a cut block was broken");
		} else if (!rec->entry_invalid || a_lsize(&e->g, rec->level) != v->b ||
			   (v->a & (v->b - 1))) {
			return eng_fail(e, "tlbi_range(%#llx, %#llx) is neither the operation's nor a broken table's",
					(unsigned long long)v->a, (unsigned long long)v->b);
		}
	}
	return 0;
}

static int cmp_mfx(const void *a, const void *b)
{
	const struct mfx *x = a, *y = b;

	if (x->k != y->k)
		return x->k < y->k ? -1 : 1;
	if (x->a != y->a)
		return x->a < y->a ? -1 : 1;
	if (x->b != y->b)
		return x->b < y->b ? -1 : 1;
	return x->level - y->level;
}

/* Both sides usually come in IPA order within each kind: group by kind
   (stable), then sort a group only if it is not in order already. */
static void sort_mfx(struct mfx *v, size_t n)
{
	size_t at[EV_ICACHE + 2] = { 0 };
	struct mfx *t = malloc((n + 1) * sizeof(*t));

	if (!t)
		abort();
	for (size_t i = 0; i < n; i++)
		at[v[i].k + 1]++;
	for (int k = 1; k <= EV_ICACHE + 1; k++)
		at[k] += at[k - 1];
	for (size_t i = 0; i < n; i++)
		t[at[v[i].k]++] = v[i];
	memcpy(v, t, n * sizeof(*v));
	free(t);
	for (size_t i = 1; i < n; i++)
		if (cmp_mfx(&v[i - 1], &v[i]) > 0) {
			qsort(v, n, sizeof(*v), cmp_mfx);
			return;
		}
}

/* Compare the maintenance of kinds in @kinds (bit per ev_kind). */
static int compare_fx(struct eng *e, struct mfx *want, size_t nw, unsigned kinds)
{
	struct mfx *got = malloc((e->r.n + 1) * sizeof(*got));
	size_t ng = 0;
	int rc = 0;

	if (!got)
		abort();
	for (size_t i = 0; i < e->r.n; i++) {
		const struct ev *v = &e->r.log[i];
		if (kinds & (1u << v->k))
			got[ng++] = (struct mfx){ v->k, v->a, v->k == EV_TLBI_IPA ? 0 : v->b,
						  v->k == EV_TLBI_IPA ? v->level : 0 };
	}
	sort_mfx(got, ng);
	sort_mfx(want, nw);
	for (size_t i = 0; !rc && i < (ng > nw ? ng : nw); i++) {
		if (i < ng && i < nw && !cmp_mfx(&got[i], &want[i]))
			continue;
		const struct mfx *x = i < ng ? &got[i] : NULL, *y = i < nw ? &want[i] : NULL;
		rc = eng_fail(e, "maintenance calls: %zu made, %zu expected; first difference: "
			      "made kind %d %#llx %#llx L%d, expected kind %d %#llx %#llx L%d "
			      "(kinds: 2 tlbi_ipa, 3 tlbi_range, 5 dcache, 6 icache)", ng, nw,
			      x ? x->k : -1, x ? (unsigned long long)x->a : 0,
			      x ? (unsigned long long)x->b : 0, x ? x->level : 0,
			      y ? y->k : -1, y ? (unsigned long long)y->a : 0,
			      y ? (unsigned long long)y->b : 0, y ? y->level : 0);
	}
	free(got);
	return rc;
}

/* Merge @n [a, a+b) intervals of kind @k in @v into a sorted union. */
static size_t coverage(struct mfx *v, size_t n, int k)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++)
		if (v[i].k == k)
			v[o++] = (struct mfx){ k, v[i].a, v[i].b, 0 };
	sort_mfx(v, o);
	size_t m = 0;
	for (size_t i = 0; i < o; i++) {
		if (m && v[m - 1].a + v[m - 1].b >= v[i].a) {
			uint64_t end = v[i].a + v[i].b;
			if (end > v[m - 1].a + v[m - 1].b)
				v[m - 1].b = end - v[m - 1].a;
		} else {
			v[m++] = v[i];
		}
	}
	return m;
}

/*
 * Newly mapped memory is cleaned (and, if executable, its I-cache
 * invalidated) exactly once over: the union of what was cleaned must be
 * the union of the new leaves that replaced something different. One
 * call may cover several leaves.
 */
static int compare_cmo_cover(struct eng *e, const struct model_fx *f)
{
	int rc = 0;

	for (int k = EV_DCACHE; k <= EV_ICACHE && !rc; k++) {
		struct mfx *got = malloc((e->r.n + 1) * sizeof(*got));
		struct mfx *want = malloc((f->n + 1) * sizeof(*want));
		size_t ng = 0, nw;

		if (!got || !want)
			abort();
		for (size_t i = 0; i < e->r.n; i++)
			if ((int)e->r.log[i].k == k)
				got[ng++] = (struct mfx){ k, e->r.log[i].a, e->r.log[i].b, 0 };
		if (f->n)
			memcpy(want, f->e, f->n * sizeof(*want));
		uint64_t sum = 0;
		for (size_t i = 0; i < ng; i++)
			sum += got[i].b;
		ng = coverage(got, ng, k);
		nw = coverage(want, f->n, k);
		uint64_t cover = 0;
		for (size_t i = 0; i < ng; i++)
			cover += got[i].b;
		if (sum != cover)
			rc = eng_fail(e, "%s: %#llx bytes cleaned for %#llx distinct (twice over some)",
				      k == EV_DCACHE ? "dcache" : "icache", (unsigned long long)sum,
				      (unsigned long long)cover);
		for (size_t i = 0; !rc && i < (ng > nw ? ng : nw); i++) {
			if (i < ng && i < nw && !cmp_mfx(&got[i], &want[i]))
				continue;
			rc = eng_fail(e, "%s coverage: interval %zu is [%#llx +%#llx), expected [%#llx +%#llx)",
				      k == EV_DCACHE ? "dcache" : "icache", i,
				      i < ng ? (unsigned long long)got[i].a : 0ULL,
				      i < ng ? (unsigned long long)got[i].b : 0ULL,
				      i < nw ? (unsigned long long)want[i].a : 0ULL,
				      i < nw ? (unsigned long long)want[i].b : 0ULL);
		}
		free(got);
		free(want);
	}
	return rc;
}

/* Expected maintenance of a successful operation, then compare. */
static int check_fx(struct eng *e, const struct op *op, int64_t flush_calls)
{
	const struct model_fx *f = &e->m.fx;
	size_t cap = f->n + 1, n = 0;
	struct mfx *want;
	unsigned kinds = 1u << EV_TLBI_IPA | 1u << EV_TLBI_RANGE;
	uint64_t flo = op->ipa < f->wlo ? op->ipa : f->wlo;
	uint64_t fhi = op->ipa + op->size > f->whi ? op->ipa + op->size : f->whi;
	int rc;

	if (op->k == OP_FLUSH) {
		/* One clean per mapped normal-memory leaf, clipped to the range. */
		uint64_t lo = op->ipa, hi = op->ipa + op->size;
		want = NULL;
		cap = 0;
		kinds |= 1u << EV_DCACHE | 1u << EV_ICACHE;
		for (size_t i = 0; i < e->m.n; i++) {
			const struct mrun *r = &e->m.r[i];
			uint64_t ls = a_lsize(&e->g, r->level);
			if (r->ipa + r->size <= lo || r->ipa >= hi || (r->m & M_DEV))
				continue;
			for (uint64_t a = r->ipa; a < r->ipa + r->size; a += ls) {
				uint64_t f0 = a > lo ? a : lo, f1 = a + ls < hi ? a + ls : hi;
				if (f0 >= f1)
					continue;
				if (n == cap) {
					cap = 2 * cap + 64;
					want = realloc(want, cap * sizeof(*want));
					if (!want)
						abort();
				}
				want[n++] = (struct mfx){ EV_DCACHE, r->pa + (f0 - r->ipa), f1 - f0, 0 };
			}
		}
		if (!want)
			want = malloc(sizeof(*want));
		if ((int64_t)n != flush_calls)
			eng_fail(e, "flush returned %lld, %zu leaves to clean", (long long)flush_calls, n);
	} else {
		want = malloc(cap * sizeof(*want));
		for (size_t i = 0; want && i < f->n; i++)
			if (f->e[i].k == EV_TLBI_IPA || f->e[i].k == EV_TLBI_RANGE)
				want[n++] = f->e[i];
		if (f->flush && want)
			want[n++] = (struct mfx){ EV_TLBI_RANGE, flo, fhi - flo, 0 };
		if (want)
			compare_cmo_cover(e, f);
	}
	if (!want)
		abort();
	rc = compare_fx(e, want, n, kinds);
	free(want);
	if (!rc)
		rc = check_bbm(e, flo, fhi, f->flush);
	if (renv_count(&e->r, EV_TLBI_VMID))
		rc = eng_fail(e, "tlbi_vmid during an operation");
	/* Tables are freed only after the TLB can no longer reach them. */
	size_t last_tlbi = 0, first_free = SIZE_MAX;
	for (size_t i = 0; i < e->r.n; i++) {
		if (e->r.log[i].k == EV_TLBI_IPA || e->r.log[i].k == EV_TLBI_RANGE)
			last_tlbi = i + 1;
		if (e->r.log[i].k == EV_FREE && first_free == SIZE_MAX)
			first_free = i;
	}
	if (first_free != SIZE_MAX && first_free < last_tlbi)
		rc = eng_fail(e, "a table page was freed before the operation's last TLBI");
	return rc;
}

/* s2_translate(), s2_lookup() and the tests' own walk against the model. */
static int check_addr(struct eng *e, uint64_t ipa)
{
	const struct ageom *g = &e->g;
	struct s2_xlate x;
	struct mrun leaf;
	uint64_t want = 0, wd, lpa;
	int fl = 0, wl, ll;
	bool beyond = ipa >= a_ipa_end(g), mapped = !beyond && model_leaf(&e->m, ipa, &leaf, &fl);

	e->st.samples++;
	if (beyond)
		fl = 0;       /* out of range: a level-0 translation fault */
	if (mapped)
		want = a_leaf(g, leaf.level, leaf.pa, leaf.m);
	if (s2_translate(&e->pgt, s2_ipa(ipa), &x))
		return eng_fail(e, "s2_translate(%#llx) failed", (unsigned long long)ipa);
	if (x.valid != mapped || x.desc != want ||
	    (mapped && (x.pa.v != leaf.pa + (ipa - leaf.ipa) || x.level != leaf.level ||
			x.prot != to_prot(leaf.m) || x.young != !!(leaf.m & M_AF) ||
			x.dirty_log != ((leaf.m & (M_LOG | M_W)) == M_LOG))) ||
	    (!mapped && (x.level != fl || x.fsc != a_fsc(fl))))
		return eng_fail(e, "translate %#llx: valid %d desc %#llx pa %#llx level %d prot %#x young %d log %d fsc %#x; "
				"expected valid %d desc %#llx pa %#llx level %d prot %#x",
				(unsigned long long)ipa, x.valid, (unsigned long long)x.desc,
				(unsigned long long)x.pa.v, x.level, x.prot, x.young, x.dirty_log, x.fsc,
				mapped, (unsigned long long)want,
				mapped ? (unsigned long long)(leaf.pa + (ipa - leaf.ipa)) : 0ULL,
				mapped ? leaf.level : fl, mapped ? to_prot(leaf.m) : 0);
	lpa = s2_lookup(&e->pgt, s2_ipa(ipa), &ll);
	if (lpa != want || ll != (mapped ? leaf.level : fl))
		return eng_fail(e, "s2_lookup %#llx: %#llx level %d, expected %#llx level %d",
				(unsigned long long)ipa, (unsigned long long)lpa, ll,
				(unsigned long long)want, mapped ? leaf.level : fl);
	if (beyond)
		return 0;
	if (!tw_lookup(&e->tw, ipa, &wd, &wl) || wd != want || wl != (mapped ? leaf.level : fl))
		return eng_fail(e, "walk %#llx: %#llx level %d, expected %#llx level %d",
				(unsigned long long)ipa, (unsigned long long)wd, wl,
				(unsigned long long)want, mapped ? leaf.level : fl);
	return 0;
}

static uint64_t rnd(struct eng *e)
{
	e->rng ^= e->rng >> 12;
	e->rng ^= e->rng << 25;
	e->rng ^= e->rng >> 27;
	return e->rng * 0x2545f4914f6cdd1dULL;
}

static int check_samples(struct eng *e, const struct op *op)
{
	uint64_t end = a_ipa_end(&e->g), lo = op->ipa, hi = op->ipa + op->size;
	uint64_t page = a_page(&e->g);
	uint64_t a[12];
	unsigned n = 0;

	a[n++] = lo;
	a[n++] = lo - 1;
	a[n++] = lo + page;
	a[n++] = rnd(e) % end;
	a[n++] = end - 1;
	a[n++] = end;        /* the first IPA beyond the space */
	if (is_range_op(op->k) && op->size) {
		a[n++] = hi - 1;
		a[n++] = hi;
		a[n++] = lo + rnd(e) % op->size;
		a[n++] = lo + (op->size >> 1);
	}
	if (e->m.n) {
		const struct mrun *r = &e->m.r[rnd(e) % e->m.n];
		a[n++] = r->ipa + rnd(e) % r->size;
		a[n++] = r->ipa + r->size;
	}
	for (unsigned i = 0; i < n; i++)
		if (a[i] < (1ULL << 60) && check_addr(e, a[i]))
			return -1;
	return 0;
}

static int check_bitmap(struct eng *e, const uint64_t *got, const uint64_t *want, size_t words)
{
	for (size_t i = 0; i < words; i++)
		if (got[i] != want[i])
			return eng_fail(e, "dirty bitmap word %zu: %#llx, expected %#llx "
					"(bit i is page ipa + i * granule)", i,
					(unsigned long long)got[i], (unsigned long long)want[i]);
	return 0;
}

static int compare_stats(struct eng *e, const struct s2_pgt_stats *before)
{
	const struct s2_pgt_stats *s = &e->pgt.stats;

	if (s->tlbi_ipa - before->tlbi_ipa != renv_count(&e->r, EV_TLBI_IPA) ||
	    s->tlbi_range - before->tlbi_range != renv_count(&e->r, EV_TLBI_RANGE) ||
	    s->cmo - before->cmo != renv_count(&e->r, EV_DCACHE) + renv_count(&e->r, EV_ICACHE))
		return eng_fail(e, "stats count %llu tlbi_ipa %llu tlbi_range %llu cmo; the environment saw %zu %zu %zu",
				(unsigned long long)(s->tlbi_ipa - before->tlbi_ipa),
				(unsigned long long)(s->tlbi_range - before->tlbi_range),
				(unsigned long long)(s->cmo - before->cmo),
				renv_count(&e->r, EV_TLBI_IPA), renv_count(&e->r, EV_TLBI_RANGE),
				renv_count(&e->r, EV_DCACHE) + renv_count(&e->r, EV_ICACHE));
	return 0;
}

/* An allocation failed: nothing may have changed, nothing leaked. */
static int check_enomem(struct eng *e, const struct snap *before, uint64_t live)
{
	struct snap after;
	char why[256];
	int rc = 0;

	tw_snapshot(&e->tw, &after);
	if (!snap_equal(before, &after, why, sizeof(why)))
		rc = eng_fail(e, "ENOMEM changed the tables: %s", why);
	if (e->r.env.live_bytes != live)
		rc = eng_fail(e, "ENOMEM leaked %lld bytes", (long long)(e->r.env.live_bytes - live));
	for (size_t i = 0; i < e->r.n; i++)
		if (e->r.log[i].k != EV_ALLOC && e->r.log[i].k != EV_FREE)
			rc = eng_fail(e, "ENOMEM after TLB or cache maintenance (event kind %d)",
				      e->r.log[i].k);
	snap_free(&after);
	return rc;
}

int eng_op(struct eng *e, const struct op *op)
{
	unsigned errs = expected_errors(e, op);
	struct s2_pgt_stats before = e->pgt.stats;
	struct s2_diag d = { "" };
	size_t words = 0;
	uint64_t *bm = NULL, *wbm = NULL, live = e->r.env.live_bytes;
	int64_t rc, want;
	bool inject = op->fail_at > 0 && allocates(op->k) && !errs;
	struct snap snap = { 0 };

	e->st.ops++;
	e->st.by_kind[op->k]++;
	e->cur_k = op->k;
	if (op->k == OP_HARVEST) {
		bm = bitmap_for(e, op, &words);
		wbm = calloc(words, 8);
	}
	renv_clear(&e->r);
	e->ntl = 0;
	model_fx_reset(&e->m);
	e->ncut = 0;
	if (!errs && (op->k == OP_UNMAP || op->k == OP_PROTECT || op->k == OP_WRPROTECT))
		find_cuts(e, op->ipa, op->ipa + op->size);
	if (inject) {
		tw_snapshot(&e->tw, &snap);
		s2_host_env_fail_at(&e->r.env, op->fail_at);
	}
	rc = call_lib(e, op, bm, &d);
	if (inject) {
		bool reached = e->r.env.fail_at == 0;
		s2_host_env_fail_at(&e->r.env, 0);
		if (rc == S2_ENOMEM) {
			e->st.enomem++;
			check_enomem(e, &snap, live);
			renv_clear(&e->r);
			e->ntl = 0;
			before = e->pgt.stats;
			rc = call_lib(e, op, bm, &d);
		} else if (reached) {
			eng_fail(e, "allocation %lld failed but the call returned %lld",
				 (long long)op->fail_at, (long long)rc);
		}
		snap_free(&snap);
	}
	if (errs) {
		e->st.errors_expected++;
		if (!((rc == S2_EINVAL && (errs & EI)) || (rc == S2_ERANGE && (errs & ER))))
			eng_fail(e, "returned %lld (%s), expected %s%s%s", (long long)rc, d.msg,
				 errs & EI ? "EINVAL" : "", errs == (EI | ER) ? " or " : "",
				 errs & ER ? "ERANGE" : "");
		else if (e->r.n)
			eng_fail(e, "a refused call made %zu environment calls", e->r.n);
		else if (rc == S2_ERANGE || rc == S2_EINVAL) {
			/* diagnostics name the problem */
			if (is_range_op(op->k) && op->k != OP_TRANSLATE && !d.msg[0])
				eng_fail(e, "error without a message");
		}
	} else {
		want = call_model(e, op, wbm);
		if (op->k == OP_FLUSH)
			want = rc;
		if (rc != want)
			eng_fail(e, "returned %lld (%s), the model says %lld", (long long)rc, d.msg,
				 (long long)want);
		check_fx(e, op, rc);
		compare_stats(e, &before);
		if (bm)
			check_bitmap(e, bm, wbm, words);
	}
	free(bm);
	free(wbm);
	if (!e->err[0])
		check_samples(e, op);
	return e->err[0] ? -1 : 0;
}
