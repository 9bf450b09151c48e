/* SPDX-License-Identifier: MIT */
/*
 * Cache maintenance: s2_flush() makes one clean+invalidate call per
 * mapped normal-memory leaf in the range, with the leaf's PA and size cut
 * to the range, at every level the table has (3, 4 and 5 levels: a walk
 * written for a fixed depth misses the leaves of the extra levels), none
 * for device memory;
 * and with S2_PGT_NO_FWB newly mapped normal memory is cleaned exactly
 * once (its I-cache invalidated too when executable).
 */
#include "ut.h"

static const struct { unsigned shift, ipa, ps; bool lpa2; int start; const char *name; } cfgs[] = {
	{ 12, 39, 0, false, S2_START_AUTO, "4K 3 levels" },
	{ 12, 48, 48, false, 0, "4K 4 levels" },
	{ 12, 52, 52, true, -1, "4K LPA2 5 levels" },
	{ 12, 52, 52, true, S2_START_AUTO, "4K LPA2 4 levels" },
	{ 14, 47, 48, false, S2_START_AUTO, "16K" },
	{ 14, 52, 52, true, 0, "16K LPA2 4 levels" },
	{ 16, 52, 52, false, S2_START_AUTO, "64K LPA" },
};

struct call { uint64_t pa, size; };

static int biggest(const struct ageom *g)
{
	for (int l = g->start; l < 3; l++)
		if (a_block_ok(g, l))
			return l;
	return 2;
}

static void test_flush_leaves(void **state)
{
	(void)state;
	for (size_t c = 0; c < ARRAY_LEN(cfgs); c++) {
		struct ut t;
		ut_init(&t, cfgs[c].shift, cfgs[c].ipa, cfgs[c].ps, cfgs[c].lpa2, cfgs[c].start, 0, 0);
		const struct ageom *g = &t.g;
		uint64_t page = a_page(g), b = a_lsize(g, 2), big = a_lsize(g, biggest(g));
		uint64_t pa_big = (a_oa_max(g) + 1) / 2, lo = big + big / 2;
		/* A biggest block at [big, 2 big), a level-2 block right after,
		   three pages, a device page, a hole, a page. */
		CHECK_EQ(s2_map(&t.p, s2_ipa(big), big, s2_pa(pa_big), S2_PROT_R, 0, NULL), 0, "%s", cfgs[c].name);
		CHECK_EQ(s2_map(&t.p, s2_ipa(2 * big), b, s2_pa(3 * b), S2_PROT_RWX, 0, NULL), 0, "L2");
		CHECK_EQ(s2_map(&t.p, s2_ipa(2 * big + b), 3 * page, s2_pa(7 * page), S2_PROT_R, 0, NULL), 0, "pages");
		CHECK_EQ(s2_map(&t.p, s2_ipa(2 * big + b + 3 * page), page, s2_pa(0x1000000),
				S2_PROT_R | S2_PROT_DEVICE, 0, NULL), 0, "device");
		CHECK_EQ(s2_map(&t.p, s2_ipa(2 * big + b + 5 * page), page, s2_pa(0), S2_PROT_R, 0, NULL), 0, "page");
		const struct call want[] = {
			{ pa_big + big / 2, big / 2 },          /* the big block, cut to the range */
			{ 3 * b, b },
			{ 7 * page, page }, { 8 * page, page }, { 9 * page, page },
			{ 0, page },
		};
		uint64_t hi = 2 * big + b + 6 * page;
		renv_clear(&t.r);
		int64_t n = s2_flush(&t.p, s2_ipa(lo), hi - lo, NULL);
		CHECK_EQ(n, ARRAY_LEN(want), "%s: calls returned", cfgs[c].name);
		CHECK_EQ(t.r.n, ARRAY_LEN(want), "%s: calls made", cfgs[c].name);
		for (size_t i = 0; i < ARRAY_LEN(want) && i < t.r.n; i++) {
			CHECK_EQ(t.r.log[i].k, EV_DCACHE, "%s call %zu", cfgs[c].name, i);
			CHECK_EQ(t.r.log[i].a, want[i].pa, "%s call %zu: PA", cfgs[c].name, i);
			CHECK_EQ(t.r.log[i].b, want[i].size, "%s call %zu: size", cfgs[c].name, i);
		}
		/* Only the device page: nothing to clean. */
		renv_clear(&t.r);
		CHECK_EQ(s2_flush(&t.p, s2_ipa(2 * big + b + 3 * page), page, NULL), 0, "%s: device", cfgs[c].name);
		CHECK_EQ(s2_flush(&t.p, s2_ipa(4 * big), page, NULL), 0, "%s: hole", cfgs[c].name);
		CHECK_EQ(t.r.n, 0, "%s: no calls", cfgs[c].name);
		/* The top page of the space, under the last index of every level. */
		uint64_t top = a_ipa_end(g) - page;
		CHECK_EQ(s2_map(&t.p, s2_ipa(top), page, s2_pa(5 * page), S2_PROT_R, 0, NULL), 0, "top");
		renv_clear(&t.r);
		CHECK_EQ(s2_flush(&t.p, s2_ipa(top - 4 * page), 5 * page, NULL), 1, "%s: top", cfgs[c].name);
		CHECK(t.r.n == 1 && t.r.log[0].a == 5 * page && t.r.log[0].b == page, "%s: top page", cfgs[c].name);
		ut_fini(&t);
	}
}

/* Without a dcache callback (FWB: coherent) flush does nothing. */
static void test_flush_coherent(void **state)
{
	struct s2_mm_ops ops = renv_ops;
	struct s2_geom_req req = { S2_GRANULE_4K, 40, 0, false, S2_START_AUTO };
	struct s2_geometry g;
	struct s2_pgtable p;
	struct renv r;

	(void)state;
	ops.dcache_clean_inval = NULL;
	ops.icache_inval = NULL;
	s2_geometry_init(&g, &req, NULL);
	renv_init(&r, 1ULL << 31, 1ULL << 24);
	CHECK_EQ(s2_pgtable_init(&p, &g, &ops, &r, 1, S2_PGT_NO_FWB, NULL), 0, "init");
	CHECK_EQ(s2_map(&p, s2_ipa(0), 0x200000, s2_pa(0), S2_PROT_RWX, 0, NULL), 0, "map");
	CHECK_EQ(s2_flush(&p, s2_ipa(0), 0x200000, NULL), 0, "flush");
	s2_pgtable_destroy(&p);
	CHECK_EQ(r.env.live_bytes, 0, "freed");
	renv_fini(&r);
}

/* Sum and union of the CMO calls of kind @k: each byte cleaned once. */
static void cmo_cover(struct ut *t, enum ev_kind k, uint64_t *lo, uint64_t *hi, uint64_t *sum)
{
	*lo = ~0ULL;
	*hi = 0;
	*sum = 0;
	for (size_t i = 0; i < t->r.n; i++) {
		const struct ev *e = &t->r.log[i];
		if (e->k != k)
			continue;
		*lo = e->a < *lo ? e->a : *lo;
		*hi = e->a + e->b > *hi ? e->a + e->b : *hi;
		*sum += e->b;
	}
}

static void test_no_fwb_map(void **state)
{
	(void)state;
	for (size_t c = 0; c < ARRAY_LEN(cfgs); c++) {
		struct ut t;
		uint64_t lo, hi, sum;
		ut_init(&t, cfgs[c].shift, cfgs[c].ipa, cfgs[c].ps, cfgs[c].lpa2, cfgs[c].start,
			S2_PGT_NO_FWB, 0);
		uint64_t page = a_page(&t.g), b = a_lsize(&t.g, 2), pa = 16 * b - page;
		/* Pages, a block, pages: the cleaned bytes are the mapped PA
		   range exactly, each once. */
		renv_clear(&t.r);
		CHECK_EQ(s2_map(&t.p, s2_ipa(2 * b - page), b + 2 * page, s2_pa(pa), S2_PROT_RWX, 0, NULL),
			 0, "%s", cfgs[c].name);
		cmo_cover(&t, EV_DCACHE, &lo, &hi, &sum);
		CHECK(lo == pa && hi == pa + b + 2 * page && sum == hi - lo, "%s: dcache covers the new memory once",
		      cfgs[c].name);
		cmo_cover(&t, EV_ICACHE, &lo, &hi, &sum);
		CHECK(lo == pa && hi == pa + b + 2 * page && sum == hi - lo, "%s: executable: icache too",
		      cfgs[c].name);
		renv_clear(&t.r);
		CHECK_EQ(s2_map(&t.p, s2_ipa(2 * b - page), b + 2 * page, s2_pa(pa), S2_PROT_RWX, 0, NULL),
			 0, "%s: again", cfgs[c].name);
		CHECK_EQ(renv_count(&t.r, EV_DCACHE) + renv_count(&t.r, EV_ICACHE), 0,
			 "%s: the same mapping again: nothing new", cfgs[c].name);
		CHECK_EQ(s2_map(&t.p, s2_ipa(2 * b - page), page, s2_pa(pa), S2_PROT_R, 0, NULL),
			 0, "%s: permissions", cfgs[c].name);
		CHECK_EQ(renv_count(&t.r, EV_DCACHE) + renv_count(&t.r, EV_ICACHE), 0,
			 "%s: a permission change: nothing new", cfgs[c].name);
		renv_clear(&t.r);
		CHECK_EQ(s2_map(&t.p, s2_ipa(8 * b), b, s2_pa(pa), S2_PROT_R | S2_PROT_W, 0, NULL), 0, "rw");
		CHECK_EQ(renv_count(&t.r, EV_DCACHE), 1, "%s: normal, not executable: one clean", cfgs[c].name);
		CHECK_EQ(renv_count(&t.r, EV_ICACHE), 0, "%s: no icache", cfgs[c].name);
		renv_clear(&t.r);
		CHECK_EQ(s2_map(&t.p, s2_ipa(10 * b), b, s2_pa(pa), S2_PROT_R | S2_PROT_DEVICE, 0, NULL), 0, "dev");
		CHECK_EQ(t.r.n - renv_count(&t.r, EV_ALLOC), 0, "%s: device memory: no CMO", cfgs[c].name);
		ut_fini(&t);

		/* With FWB (no flag) mapping cleans nothing. */
		ut_init(&t, cfgs[c].shift, cfgs[c].ipa, cfgs[c].ps, cfgs[c].lpa2, cfgs[c].start, 0, 0);
		renv_clear(&t.r);
		CHECK_EQ(s2_map(&t.p, s2_ipa(b), b, s2_pa(b), S2_PROT_RWX, 0, NULL), 0, "fwb");
		CHECK_EQ(renv_count(&t.r, EV_DCACHE) + renv_count(&t.r, EV_ICACHE), 0, "%s: FWB: none", cfgs[c].name);
		ut_fini(&t);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		UNIT_TEST(test_flush_leaves), UNIT_TEST(test_flush_coherent), UNIT_TEST(test_no_fwb_map),
	};
	return unit_run("pgtable cache maintenance", tests, ARRAY_LEN(tests));
}
