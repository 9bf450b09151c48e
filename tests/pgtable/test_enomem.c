/* SPDX-License-Identifier: MIT */
/*
 * Allocation failure: for every operation that allocates table pages
 * (map fresh and over blocks, unmap/protect/wrprotect cutting blocks,
 * split), fail the k-th allocation for every k from 1 to the number the
 * operation makes: the call returns ENOMEM, the tables are bit for bit
 * what they were (every reachable table page, its place and its
 * contents), no memory leaks, no TLB or cache maintenance happened;
 * then, with memory, the same call succeeds and gives the same leaves as
 * a run that never failed.
 */
#include "ut.h"

static const struct { unsigned shift, ipa, ps; bool lpa2; int start; } cfgs[] = {
	{ 12, 40, 0, false, S2_START_AUTO }, { 12, 48, 48, false, S2_START_AUTO },
	{ 12, 52, 52, true, -1 }, { 14, 47, 48, false, S2_START_AUTO },
	{ 14, 52, 52, true, S2_START_AUTO }, { 16, 42, 0, false, S2_START_AUTO },
	{ 16, 52, 52, false, S2_START_AUTO },
};

enum { MAP_FRESH, MAP_CUT, MAP_OVER_BLOCK, MAP_WIDE, UNMAP_CUT, PROTECT_CUT, WRPROTECT_CUT,
       SPLIT, NSCEN };
static const char *scen_name[] = { "map fresh", "map cutting a block", "map pages over a block",
				   "map over tables and blocks", "unmap cutting blocks",
				   "protect cutting blocks", "wrprotect cutting blocks", "split" };

/* The biggest block level of the geometry (a block one level up from
   level 2 where there is one). */
static int big_level(const struct ageom *g)
{
	return a_block_ok(g, 1) && a_lsize(g, 1) <= a_ipa_end(g) / 8 ? 1 : 2;
}

static void setup(struct ut *t, size_t c)
{
	ut_init(t, cfgs[c].shift, cfgs[c].ipa, cfgs[c].ps, cfgs[c].lpa2, cfgs[c].start, 0, 0);
	uint64_t big = a_lsize(&t->g, big_level(&t->g)), b = a_lsize(&t->g, 2);
	/* Two big blocks at [2 big, 4 big), pages at [4 big + b, 4 big + 3b). */
	CHECK_EQ(s2_map(&t->p, s2_ipa(2 * big), 2 * big, s2_pa(2 * big), S2_PROT_R | S2_PROT_W, 0,
			NULL), 0, "setup blocks");
	CHECK_EQ(s2_map(&t->p, s2_ipa(4 * big + b), 2 * b, s2_pa(b + a_page(&t->g)), S2_PROT_R, 0,
			NULL), 0, "setup pages");
}

static int64_t run(struct ut *t, int s)
{
	uint64_t big = a_lsize(&t->g, big_level(&t->g)), b = a_lsize(&t->g, 2), page = a_page(&t->g);

	switch (s) {
	case MAP_FRESH:      /* pages across two L2 spans, high in the space */
		return s2_map(&t->p, s2_ipa(a_ipa_end(&t->g) - b - 2 * page), b, s2_pa(page),
			      S2_PROT_R, 0, NULL);
	case MAP_CUT:        /* a page in the middle of a big block */
		return s2_map(&t->p, s2_ipa(2 * big + b + page), page, s2_pa(0), S2_PROT_R, 0, NULL);
	case MAP_OVER_BLOCK: /* a whole big block, PA not aligned: pages only */
		return s2_map(&t->p, s2_ipa(3 * big), big > 16 * b ? 2 * b : big, s2_pa(page),
			      S2_PROT_R, 0, NULL);
	case MAP_WIDE:       /* from a block's end over empty space and the pages */
		return s2_map(&t->p, s2_ipa(4 * big - b - page), 5 * b, s2_pa(page),
			      S2_PROT_R, 0, NULL);
	case UNMAP_CUT:
		return s2_unmap(&t->p, s2_ipa(2 * big + page), big, NULL);
	case PROTECT_CUT:
		return s2_protect(&t->p, s2_ipa(2 * big + page), big, S2_PROT_R, NULL);
	case WRPROTECT_CUT:
		return s2_wrprotect(&t->p, s2_ipa(3 * big - b - page), 2 * b, NULL);
	default:
		return s2_split(&t->p, s2_ipa(3 * big - page), 2 * page, NULL);
	}
}

struct leaves { uint64_t *v; size_t n, cap; };

static void collect(void *arg, uint64_t ipa, int level, uint64_t desc)
{
	struct leaves *l = arg;

	if (l->n + 3 > l->cap) {
		l->cap = 2 * l->cap + 300;
		l->v = realloc(l->v, l->cap * 8);
	}
	l->v[l->n++] = ipa;
	l->v[l->n++] = (uint64_t)level;
	l->v[l->n++] = desc;
}

static void leaves_of(struct ut *t, struct leaves *l)
{
	struct tw_report rep;

	l->n = 0;
	tw_check(&t->tw, collect, l, &rep);
}

static void test_fail_every_allocation(void **state)
{
	unsigned long cases = 0;

	(void)state;
	for (size_t c = 0; c < ARRAY_LEN(cfgs); c++)
	for (int s = 0; s < NSCEN; s++) {
		struct ut t;
		struct leaves want = { 0 }, got = { 0 };
		uint64_t n;

		/* A run that never fails: how many allocations, what result. */
		setup(&t, c);
		renv_clear(&t.r);
		CHECK_EQ(run(&t, s), 0, "cfg %zu %s", c, scen_name[s]);
		n = renv_count(&t.r, EV_ALLOC);
		CHECK(n > 0, "cfg %zu %s allocates", c, scen_name[s]);
		leaves_of(&t, &want);
		ut_fini(&t);

		for (uint64_t k = 1; k <= n + 1; k++) {
			struct snap before, after;
			char why[200];
			setup(&t, c);
			uint64_t live = t.r.env.live_bytes;
			tw_snapshot(&t.tw, &before);
			renv_clear(&t.r);
			s2_host_env_fail_at(&t.r.env, (int64_t)k);
			int64_t rc = run(&t, s);
			s2_host_env_fail_at(&t.r.env, 0);
			cases++;
			if (k <= n) {
				CHECK_EQ(rc, S2_ENOMEM, "cfg %zu %s k %llu", c, scen_name[s], (unsigned long long)k);
				tw_snapshot(&t.tw, &after);
				CHECK(snap_equal(&before, &after, why, sizeof(why)), "cfg %zu %s k %llu: %s",
				      c, scen_name[s], (unsigned long long)k, why);
				snap_free(&after);
				CHECK_EQ(t.r.env.live_bytes, live, "cfg %zu %s k %llu: leak", c, scen_name[s],
					 (unsigned long long)k);
				CHECK_EQ(renv_count(&t.r, EV_ALLOC), k - 1, "cfg %zu %s k %llu: allocations",
					 c, scen_name[s], (unsigned long long)k);
				CHECK_EQ(t.r.n, 2 * (k - 1), "cfg %zu %s k %llu: only allocations and frees",
					 c, scen_name[s], (unsigned long long)k);
				rc = run(&t, s);
			}
			CHECK_EQ(rc, 0, "cfg %zu %s k %llu: with memory", c, scen_name[s], (unsigned long long)k);
			leaves_of(&t, &got);
			CHECK(got.n == want.n && !memcmp(got.v, want.v, got.n * 8),
			      "cfg %zu %s k %llu: same leaves as without failure", c, scen_name[s],
			      (unsigned long long)k);
			ut_check_structure(&t, scen_name[s]);
			snap_free(&before);
			ut_fini(&t);
		}
		free(want.v);
		free(got.v);
	}
	printf("test_enomem: %lu failed-allocation cases over %zu configurations and %d operations\n",
	       cases, ARRAY_LEN(cfgs), NSCEN);
}

/* The root itself. */
static void test_init(void **state)
{
	struct s2_geom_req req = { S2_GRANULE_4K, 52, 52, true, S2_START_AUTO };
	struct s2_geometry g;
	struct s2_pgtable p;
	struct renv r;

	(void)state;
	CHECK_EQ(s2_geometry_init(&g, &req, NULL), 0, "geometry");
	CHECK_EQ(renv_init(&r, 1ULL << 31, 1ULL << 24), 0, "arena");
	s2_host_env_fail_at(&r.env, 1);
	CHECK_EQ(s2_pgtable_init(&p, &g, &renv_ops, &r, 1, 0, NULL), S2_ENOMEM, "root");
	CHECK_EQ(r.env.live_bytes, 0, "nothing held");
	CHECK_EQ(s2_pgtable_init(&p, &g, &renv_ops, &r, 1, 0, NULL), 0, "then it works");
	s2_pgtable_destroy(&p);
	CHECK_EQ(r.env.live_bytes, 0, "destroyed");
	renv_fini(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		UNIT_TEST(test_fail_every_allocation), UNIT_TEST(test_init),
	};
	return unit_run("pgtable allocation failure", tests, ARRAY_LEN(tests));
}
