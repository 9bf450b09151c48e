/* SPDX-License-Identifier: MIT */
/*
 * eng_op(): one operation on the library and on the model, then every
 * comparison that operation allows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "engine_int.h"

#define EI 1u   /* S2_EINVAL acceptable */
#define ER 2u   /* S2_ERANGE acceptable */

static unsigned to_m(unsigned prot)
{
	return (prot & S2_PROT_R ? M_R : 0) | (prot & S2_PROT_W ? M_W : 0) |
	       (prot & S2_PROT_X ? M_X : 0) | (prot & S2_PROT_DEVICE ? M_DEV : 0);
}

unsigned eng_to_prot(unsigned m)
{
	return (m & M_R ? S2_PROT_R : 0) | (m & M_W ? S2_PROT_W : 0) |
	       (m & M_X ? S2_PROT_X : 0) | (m & M_DEV ? S2_PROT_DEVICE : 0);
}

bool eng_is_range_op(enum op_kind k)
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

	if (!eng_is_range_op(op->k))
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
		    ((op->prot & S2_PROT_DEVICE) && (op->prot & S2_PROT_X)))
			err |= EI;
	}
	if (op->k == OP_PROTECT && (op->prot & ~S2_PROT_RWX))
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

static int64_t call_lib(struct eng *e, const struct op *op, uint64_t *bitmap, size_t words,
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
	case OP_HARVEST: return s2_harvest_dirty(p, ipa, op->size, bitmap, words, d);
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
		eng_find_cuts(e, op->ipa, op->ipa + op->size);
	if (inject) {
		tw_snapshot(&e->tw, &snap);
		s2_host_env_fail_at(&e->r.env, op->fail_at);
	}
	rc = call_lib(e, op, bm, words, &d);
	if (inject) {
		bool reached = e->r.env.fail_at == 0;
		s2_host_env_fail_at(&e->r.env, 0);
		if (rc == S2_ENOMEM) {
			e->st.enomem++;
			eng_check_enomem(e, &snap, live);
			renv_clear(&e->r);
			e->ntl = 0;
			before = e->pgt.stats;
			rc = call_lib(e, op, bm, words, &d);
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
			if (eng_is_range_op(op->k) && op->k != OP_TRANSLATE && !d.msg[0])
				eng_fail(e, "error without a message");
		}
	} else {
		want = call_model(e, op, wbm);
		if (op->k == OP_FLUSH)
			want = rc;
		if (rc != want)
			eng_fail(e, "returned %lld (%s), the model says %lld", (long long)rc, d.msg,
				 (long long)want);
		eng_check_fx(e, op, rc);
		eng_compare_stats(e, &before);
		if (bm)
			eng_check_bitmap(e, bm, wbm, words);
	}
	free(bm);
	free(wbm);
	if (!e->err[0])
		eng_check_samples(e, op);
	return e->err[0] ? -1 : 0;
}
