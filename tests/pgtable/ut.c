/* SPDX-License-Identifier: MIT */
#include "ut.h"

#define ARENA (1ULL << 30)

void ut_init(struct ut *t, unsigned shift, unsigned ipa, unsigned ps, bool lpa2, int start,
	     unsigned flags, uint64_t pa_base)
{
	struct s2_geom_req req = { (enum s2_granule)shift, ipa, ps, lpa2, start };
	struct s2_geometry g;
	struct s2_diag d = { "" };

	memset(t, 0, sizeof(*t));
	if (s2_geometry_init(&g, &req, &d))
		fail_msg("geometry %u/%u/%u/%d/%d refused: %s", shift, ipa, ps, lpa2, start, d.msg);
	if (renv_init(&t->r, pa_base ? pa_base : 1ULL << 31, ARENA))
		fail_msg("no arena");
	if (s2_pgtable_init(&t->p, &g, &renv_ops, &t->r, 5, flags, &d))
		fail_msg("s2_pgtable_init: %s", d.msg);
	/* Index arithmetic from the tests' own statement of the
	   architecture; only the start level comes from the geometry. */
	a_geom(&t->g, shift, ipa, g.ps_bits, lpa2, g.start_level);
	t->tw = (struct tw){ &t->g, &t->r, t->p.root, false };
	t->root_live = t->r.env.live_bytes;
}

void ut_fini(struct ut *t)
{
	s2_pgtable_destroy(&t->p);
	CHECK_EQ(t->r.env.live_bytes, 0, "destroy returns all memory");
	renv_fini(&t->r);
}

uint64_t *ut_entry(struct ut *t, uint64_t ipa, int level)
{
	uint64_t *table = t->p.root;

	for (int l = t->g.start;; l++) {
		uint64_t *e = &table[a_index(&t->g, l, ipa)];
		if (l == level)
			return e;
		if (!a_is_table(*e, l))
			return NULL;
		table = renv_va(&t->r, a_dec_oa(&t->g, *e), a_page(&t->g));
		if (!table)
			return NULL;
	}
}

uint64_t ut_check_structure(struct ut *t, const char *ctx)
{
	struct tw_report rep;

	tw_check(&t->tw, NULL, NULL, &rep);
	CHECK_EQ(rep.errs, 0, "%s: structure: %s", ctx, rep.msg);
	CHECK_EQ(t->p.stats.tables, rep.tables, "%s: stats.tables", ctx);
	CHECK_EQ(t->p.stats.table_bytes, t->r.env.live_bytes, "%s: stats.table_bytes", ctx);
	CHECK_EQ(t->r.env.live_bytes, t->root_live + (rep.tables - 1) * a_page(&t->g),
		 "%s: memory held = root + tables reached", ctx);
	return rep.leaves;
}
