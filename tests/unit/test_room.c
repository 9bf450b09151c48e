/* SPDX-License-Identifier: MIT */
/*
 * An environment that says how much table memory it has left (s2_mm_ops
 * room()): an operation whose counted need is larger is refused before
 * anything is allocated, the message naming the need and the bound, and
 * the table stays as it was. The need is counted here by hand: 4K pages
 * over [0, 4G) take one level-2 table per GiB and one level-3 table per
 * 2 MiB (a 40-bit IPA starts at level 1, two concatenated root pages).
 */
#include "unit.h"
#include <s2/host_env.h>
#include <s2/pgtable.h>

static void test_refused_from_the_count(void **state)
{
	struct s2_geom_req req = { S2_GRANULE_4K, 40, 0, false, S2_START_AUTO };
	uint64_t need = 4 + 4 * 512, arena = 1ULL << 20;
	struct s2_geometry g;
	struct s2_host_env env;
	struct s2_pgtable p;
	struct s2_xlate x;
	struct s2_diag d = { "" };
	char want[64];

	(void)state;
	CHECK_EQ(s2_geometry_init(&g, &req, NULL), 0, "geometry");
	CHECK_EQ(s2_host_env_init(&env, s2_pa(0x40000000), arena), 0, "arena");
	CHECK_EQ(s2_pgtable_init(&p, &g, &env.ops, &env, 1, 0, NULL), 0, "init");
	uint64_t live = env.live_bytes, room = (arena - g.root_bytes) / 4096;

	CHECK_EQ(env.ops.room(&env, 4096), room, "room after the root");
	CHECK_EQ(s2_map(&p, s2_ipa(0), 4ULL << 30, s2_pa(0), S2_PROT_R, S2_MAP_PAGES, &d), S2_ENOMEM,
		 "4 GiB of pages in 1 MiB");
	CHECK_EQ(env.live_bytes, live, "nothing allocated");
	snprintf(want, sizeof(want), "needs %llu table pages", (unsigned long long)need);
	CHECK_MSG_HAS(d.msg, want, "message");
	snprintf(want, sizeof(want), "room for %llu", (unsigned long long)room);
	CHECK_MSG_HAS(d.msg, want, "message");
	CHECK_EQ(s2_translate(&p, s2_ipa(0), &x), 0, "translate");
	CHECK(!x.valid, "nothing mapped");
	/* What fits still maps, and frees give room back. */
	CHECK_EQ(s2_map(&p, s2_ipa(0), 2ULL << 20, s2_pa(0), S2_PROT_R, S2_MAP_PAGES, NULL), 0, "2 MiB");
	CHECK_EQ(env.ops.room(&env, 4096), room - 2, "two tables taken");
	CHECK_EQ(s2_unmap(&p, s2_ipa(0), 2ULL << 20, NULL), 0, "unmap");
	CHECK_EQ(env.ops.room(&env, 4096), room, "and given back");
	s2_pgtable_destroy(&p);
	s2_host_env_fini(&env);
}

static const struct CMUnitTest tests[] = {
	UNIT_TEST(test_refused_from_the_count),
};

UNIT_MAIN("room", tests)
