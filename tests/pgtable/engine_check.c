/* SPDX-License-Identifier: MIT */
/*
 * State comparisons after an operation: sampled translations through
 * s2_translate(), s2_lookup() and the tests' own walk, dirty bitmaps,
 * the library's counters, and the aftermath of an allocation failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "engine_int.h"

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
			x.prot != eng_to_prot(leaf.m) || x.young != !!(leaf.m & M_AF) ||
			x.dirty_log != ((leaf.m & (M_LOG | M_W)) == M_LOG))) ||
	    (!mapped && (x.level != fl || x.fsc != a_fsc(fl))))
		return eng_fail(e, "translate %#llx: valid %d desc %#llx pa %#llx level %d prot %#x young %d log %d fsc %#x; "
				"expected valid %d desc %#llx pa %#llx level %d prot %#x",
				(unsigned long long)ipa, x.valid, (unsigned long long)x.desc,
				(unsigned long long)x.pa.v, x.level, x.prot, x.young, x.dirty_log, x.fsc,
				mapped, (unsigned long long)want,
				mapped ? (unsigned long long)(leaf.pa + (ipa - leaf.ipa)) : 0ULL,
				mapped ? leaf.level : fl, mapped ? eng_to_prot(leaf.m) : 0);
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

int eng_check_samples(struct eng *e, const struct op *op)
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
	if (eng_is_range_op(op->k) && op->size) {
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

int eng_check_bitmap(struct eng *e, const uint64_t *got, const uint64_t *want, size_t words)
{
	for (size_t i = 0; i < words; i++)
		if (got[i] != want[i])
			return eng_fail(e, "dirty bitmap word %zu: %#llx, expected %#llx "
					"(bit i is page ipa + i * granule)", i,
					(unsigned long long)got[i], (unsigned long long)want[i]);
	return 0;
}

int eng_compare_stats(struct eng *e, const struct s2_pgt_stats *before)
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
int eng_check_enomem(struct eng *e, const struct snap *before, uint64_t live)
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

