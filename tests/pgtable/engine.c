/* SPDX-License-Identifier: MIT */
/* The differential engine: set-up, whole-table comparison, tear-down. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "engine_int.h"

#define ARENA (1ULL << 30)

__attribute__((format(printf, 2, 3)))
int eng_fail(struct eng *e, const char *fmt, ...)
{
	va_list ap;

	if (e->err[0])
		return -1;          /* keep the first failure */
	va_start(ap, fmt);
	vsnprintf(e->err, sizeof(e->err), fmt, ap);
	va_end(ap);
	return -1;
}

void eng_describe_cfg(const struct eng *e, char *buf, size_t len)
{
	snprintf(buf, len, "%uK IPA %u PS %u(%u)%s start %d%s%s pa_base %#llx",
		 1u << (e->cfg.shift - 10), e->cfg.ipa_bits, e->cfg.ps_bits, e->g.ps_bits,
		 e->cfg.lpa2 ? " LPA2" : "", e->g.start,
		 e->cfg.flags & S2_PGT_HD ? " HD" : "", e->cfg.flags & S2_PGT_NO_FWB ? " NO_FWB" : "",
		 (unsigned long long)e->r.env.pa_base);
}

static unsigned own_ps(const struct eng_cfg *c)
{
	static const unsigned sizes[] = { 32, 36, 40, 42, 44, 48, 52 };
	unsigned ps = c->ps_bits;

	for (unsigned i = 0; !ps && i < 7; i++)
		if (sizes[i] >= c->ipa_bits)
			ps = sizes[i];
	/* VTCR.PS = 52 bits acts as 48 for 4K/16K when DS = 0. */
	if (ps > 48 && !c->lpa2 && c->shift != 16)
		ps = 48;
	return ps;
}



int eng_init(struct eng *e, const struct eng_cfg *c, uint64_t seed)
{
	struct s2_geom_req req = { (enum s2_granule)c->shift, c->ipa_bits, c->ps_bits,
				   c->lpa2, c->start_level };
	struct s2_geometry geo;
	struct s2_diag d;
	unsigned ps = own_ps(c);
	uint64_t base = c->pa_base;

	memset(e, 0, sizeof(*e));
	e->cfg = *c;
	e->rng = seed | 1;
	if (s2_geometry_init(&geo, &req, &d))
		return 1;
	/* Tables just below the top of the PA space: with 52 bits their
	   addresses use OA[51:48], the bits LPA and LPA2 move. */
	if (!base)
		base = ps > 32 ? (1ULL << ps) - 2 * ARENA : 1ULL << 31;
	a_geom(&e->g, c->shift, c->ipa_bits, ps, c->lpa2, geo.start_level);
	if (geo.ps_bits != ps || geo.root_entries != e->g.root_entries)
		return eng_fail(e, "geometry: PS %u root %llu entries, expected PS %u root %llu",
				geo.ps_bits, (unsigned long long)geo.root_entries, ps,
				(unsigned long long)e->g.root_entries);
	if (renv_init(&e->r, base, ARENA))
		return eng_fail(e, "no arena");
	/* With the linear map the one-page fault path takes its unrolled
	   walk (one per granule and descriptor format); without it, the
	   walk through phys_to_virt(). Odd and even IPA sizes cover every
	   granule, format and flag set both ways. */
	e->ops = renv_ops;
	if (c->ipa_bits & 1) {
		e->ops.linear = true;
		e->ops.linear_offset = e->r.env.ops.linear_offset;
	}
	if (s2_pgtable_init(&e->pgt, &geo, &e->ops, &e->r, 7, c->flags, &d)) {
		renv_fini(&e->r);
		return eng_fail(e, "s2_pgtable_init: %s", d.msg);
	}
	e->r.on_tlbi = eng_on_tlbi;
	e->r.arg = e;
	e->root_live = e->r.env.live_bytes;
	e->tw = (struct tw){ &e->g, &e->r, e->pgt.root, false };
	model_init(&e->m, &e->g, c->flags & S2_PGT_HD, c->flags & S2_PGT_NO_FWB);
	if (renv_va(&e->r, e->pgt.root_pa.v, 8) != e->pgt.root)
		return eng_fail(e, "root_pa %#llx is not the root's address",
				(unsigned long long)e->pgt.root_pa.v);
	return 0;
}

/* Leaves found by the walk, merged into runs as the model keeps them. */
struct found {
	struct eng *e;
	struct mrun *r;
	size_t n, cap;
	bool bad;
};

static unsigned decode_m(uint64_t d)
{
	unsigned m = 0;

	m |= d & A_S2AP_R ? M_R : 0;
	m |= d & A_S2AP_W ? M_W : 0;
	m |= d & A_XN ? 0 : M_X;
	m |= A_MEMATTR(d) == A_MA_DEVICE ? M_DEV : 0;
	m |= d & A_AF ? M_AF : 0;
	m |= d & A_SW_LOGGED ? M_LOG : 0;
	m |= d & A_DBM ? M_DBM : 0;
	return m;
}

static void found_leaf(void *arg, uint64_t ipa, int level, uint64_t d)
{
	struct found *f = arg;
	const struct ageom *g = &f->e->g;
	uint64_t pa = a_dec_oa(g, d), s = a_lsize(g, level);
	unsigned m = decode_m(d);

	if (d != a_leaf(g, level, pa, m) && !f->bad) {
		f->bad = true;
		eng_fail(f->e, "leaf at IPA %#llx L%d: %#llx is not a well-formed descriptor (expected %#llx)",
			 (unsigned long long)ipa, level, (unsigned long long)d,
			 (unsigned long long)a_leaf(g, level, pa, m));
	}
	struct mrun *p = f->n ? &f->r[f->n - 1] : NULL;
	if (p && p->ipa + p->size == ipa && p->level == level && p->m == m && p->pa + p->size == pa) {
		p->size += s;
		return;
	}
	if (f->n == f->cap) {
		f->cap = f->cap ? 2 * f->cap : 256;
		f->r = realloc(f->r, f->cap * sizeof(*f->r));
		if (!f->r)
			abort();
	}
	f->r[f->n++] = (struct mrun){ ipa, s, pa, level, m };
}

static void run_str(const struct mrun *r, char *buf, size_t len)
{
	if (!r) {
		snprintf(buf, len, "(none)");
		return;
	}
	snprintf(buf, len, "IPA %#llx+%#llx L%d PA %#llx m=%#x", (unsigned long long)r->ipa,
		 (unsigned long long)r->size, r->level, (unsigned long long)r->pa, r->m);
}

int eng_full(struct eng *e)
{
	struct found f = { .e = e };
	struct tw_report rep;
	uint64_t page = a_page(&e->g), live = e->r.env.live_bytes;
	int rc = 0;

	e->st.full_checks++;
	tw_check(&e->tw, found_leaf, &f, &rep);
	if (rep.errs)
		rc = eng_fail(e, "structure: %s", rep.msg);
	if (rep.tables > e->st.tables_max)
		e->st.tables_max = rep.tables;
	if (rep.leaves > e->st.leaves_max)
		e->st.leaves_max = rep.leaves;
	/* Memory: what the library says it holds, what the environment
	   handed out, and what the walk reaches agree. */
	if (e->pgt.stats.table_bytes != live || e->pgt.stats.tables != rep.tables ||
	    live != e->root_live + (rep.tables - 1) * page)
		rc = eng_fail(e, "memory: stats %llu bytes %llu tables, env live %llu, walk %llu tables",
			      (unsigned long long)e->pgt.stats.table_bytes,
			      (unsigned long long)e->pgt.stats.tables, (unsigned long long)live,
			      (unsigned long long)rep.tables);
	model_normalize(&e->m);
	for (size_t i = 0; !rc && i < (f.n > e->m.n ? f.n : e->m.n); i++) {
		const struct mrun *x = i < f.n ? &f.r[i] : NULL, *y = i < e->m.n ? &e->m.r[i] : NULL;
		if (x && y && !memcmp(x, y, sizeof(*x)))
			continue;
		char a[128], b[128];
		run_str(x, a, sizeof(a));
		run_str(y, b, sizeof(b));
		rc = eng_fail(e, "leaves differ at run %zu: table has %s, model %s", i, a, b);
	}
	free(f.r);
	return f.bad ? -1 : rc;
}

int eng_fini(struct eng *e)
{
	struct s2_diag d;
	int rc = 0, r;
	uint64_t end = a_ipa_end(&e->g);

	e->ntl = 0;
	e->ncut = 0;
	r = s2_unmap(&e->pgt, s2_ipa(0), end, &d);
	if (r)
		rc = eng_fail(e, "unmap of the whole IPA space: %d %s", r, d.msg);
	model_unmap(&e->m, 0, end);
	if (!rc && eng_full(e) == 0 && e->pgt.stats.tables != 1)
		rc = eng_fail(e, "after unmapping everything %llu tables remain",
			      (unsigned long long)e->pgt.stats.tables);
	rc |= e->err[0] ? -1 : 0;
	renv_clear(&e->r);
	e->r.on_tlbi = NULL;
	s2_pgtable_destroy(&e->pgt);
	if (e->r.env.live_bytes != 0)
		rc = eng_fail(e, "destroy left %llu bytes", (unsigned long long)e->r.env.live_bytes);
	if (renv_count(&e->r, EV_TLBI_VMID) != 1 || e->r.n == 0 || e->r.log[0].k != EV_TLBI_VMID)
		rc = eng_fail(e, "destroy: expected one tlbi_vmid before freeing");
	model_free(&e->m);
	renv_fini(&e->r);
	free(e->tl);
	e->tl = NULL;
	return rc;
}

void eng_abort(struct eng *e)
{
	e->r.on_tlbi = NULL;
	if (e->pgt.root)
		s2_pgtable_destroy(&e->pgt);
	model_free(&e->m);
	renv_fini(&e->r);
	free(e->tl);
	e->tl = NULL;
}

void op_describe(const struct op *op, char *buf, size_t len)
{
	static const char *names[] = { "map", "unmap", "protect", "wrprotect", "mark_dirty",
				       "harvest", "mkold", "mkyoung", "split", "collapse",
				       "flush", "translate" };

	snprintf(buf, len, "%s ipa %#llx size %#llx pa %#llx prot %#x flags %#x fail_at %lld",
		 names[op->k], (unsigned long long)op->ipa, (unsigned long long)op->size,
		 (unsigned long long)op->pa, op->prot, op->flags, (long long)op->fail_at);
}
