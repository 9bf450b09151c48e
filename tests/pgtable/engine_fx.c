/* SPDX-License-Identifier: MIT */
/*
 * The maintenance an operation made, against the model's expectation:
 * TLBIs exactly (kind, address, size or level hint), cache maintenance
 * by coverage for map (one call may clean several leaves) and per leaf
 * for s2_flush(), break-before-make order as seen at each TLBI, and
 * tables freed only after the last TLBI.
 *
 * A block that an operation only partly covers is cut (replaced by a
 * table), as include/s2/pgtable.h documents:
 *   A  s2_map() and s2_split() break each cut block (nested ones too)
 *      with its own TLBI by IPA at its level;
 *   B  unmap, protect and wrprotect break the outermost cut blocks, and
 *      their one range TLBI, widened to cover them, comes before the
 *      replacement tables are linked: no TLBI of their own, and that
 *      range TLBI happens even if nothing else changed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "engine_int.h"

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
void eng_find_cuts(struct eng *e, uint64_t lo, uint64_t hi)
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
static int check_bbm(struct eng *e, uint64_t flo, uint64_t fhi, bool flush, bool cuts_broken)
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
			if (cuts_broken && !rec->cuts_broken)
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
	struct mfx *t;

	if (n < 2)
		return;
	t = malloc(n * sizeof(*t));

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

/* Compare the maintenance of kinds in @kinds (bit per ev_kind); on a
   difference, a description in @why and -1. */
static int compare_fx(struct eng *e, struct mfx *want, size_t nw, unsigned kinds,
		      char *why, size_t len)
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
		rc = -1;
		snprintf(why, len, "maintenance calls: %zu made, %zu expected; first difference: "
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
/* Expected TLBIs with cut blocks broken the way of @variant (A/B). */
static size_t expected_tlbis(const struct eng *e, const struct op *op, char variant,
			     struct mfx *want, uint64_t *flo, uint64_t *fhi, bool *flush)
{
	const struct model_fx *f = &e->m.fx;
	size_t n = 0;

	*flo = op->ipa;
	*fhi = op->ipa + op->size;
	*flush = f->flush;
	for (size_t i = 0; i < f->n; i++) {
		const struct mfx *x = &f->e[i];
		if (x->k == EV_TLBI_IPA || x->k == EV_TLBI_RANGE) {
			want[n++] = *x;
		} else if (x->k == MFX_CUT && variant == 'A') {
			want[n++] = (struct mfx){ EV_TLBI_IPA, x->a, 0, x->level };
		} else if (x->k == MFX_CUT && x->b) {
			uint64_t end = x->a + a_lsize(&e->g, x->level);
			*flo = x->a < *flo ? x->a : *flo;
			*fhi = end > *fhi ? end : *fhi;
			*flush = true;
		}
	}
	if (*flush)
		want[n++] = (struct mfx){ EV_TLBI_RANGE, *flo, *fhi - *flo, 0 };
	return n;
}

/* Expected maintenance of a successful operation, then compare. */
int eng_check_fx(struct eng *e, const struct op *op, int64_t flush_calls)
{
	const struct model_fx *f = &e->m.fx;
	size_t cap = f->n + 1, n = 0;
	struct mfx *want = NULL;
	unsigned kinds = 1u << EV_TLBI_IPA | 1u << EV_TLBI_RANGE;
	uint64_t flo = 0, fhi = 0;
	bool flush = false;
	char why[1][600] = { "" };
	int rc = -1;

	if (op->k == OP_FLUSH) {
		/* One clean per mapped normal-memory leaf, clipped to the range. */
		uint64_t lo = op->ipa, hi = op->ipa + op->size;
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
		if ((int64_t)n != flush_calls)
			eng_fail(e, "flush returned %lld, %zu leaves to clean", (long long)flush_calls, n);
		rc = compare_fx(e, want, n, kinds, why[0], sizeof(why[0]));
		if (rc)
			eng_fail(e, "%s", why[0]);
	} else {
		bool b = op->k == OP_UNMAP || op->k == OP_PROTECT || op->k == OP_WRPROTECT;
		want = malloc(cap * sizeof(*want));
		if (!want)
			abort();
		compare_cmo_cover(e, f);
		n = expected_tlbis(e, op, b ? 'B' : 'A', want, &flo, &fhi, &flush);
		rc = compare_fx(e, want, n, kinds, why[0], sizeof(why[0]));
		if (rc)
			eng_fail(e, "%s", why[0]);
		else
			rc = check_bbm(e, flo, fhi, flush, b);
	}
	free(want);
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

