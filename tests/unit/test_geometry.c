/* SPDX-License-Identifier: MIT */
/*
 * Stage-2 geometry: every granule x IPA x PA size x LPA2 x start level
 * against the model in geom_oracle.h, the layouts QEMU 7.2's MMU walked,
 * and the block sizes the Arm ARM gives per granule.
 */
#include "unit.h"
#include "geom_oracle.h"
#include <s2/geometry.h>

static const unsigned shifts[] = { 12, 14, 16, 13, 15, 0 };
static const unsigned ps_reqs[] = { 0, 32, 36, 40, 42, 44, 48, 52, 33, 47, 50, 56, 64 };
static const int starts[] = { S2_START_AUTO, -2, -1, 0, 1, 2, 3, 4 };

static void check_geom(const struct s2_geometry *g, const struct oracle_geom *o, const char *ctx)
{
	CHECK_EQ(g->granule, o->shift, "%s", ctx);
	CHECK_EQ(g->page_shift, o->shift, "%s", ctx);
	CHECK_EQ(g->stride, o->stride, "%s", ctx);
	CHECK_EQ(g->ipa_bits, o->ipa, "%s", ctx);
	CHECK_EQ(g->ps_bits, o->ps, "%s", ctx);
	CHECK_EQ(g->ds, o->ds, "%s", ctx);
	CHECK_EQ(g->lpa, o->lpa, "%s", ctx);
	CHECK_EQ(g->start_level, o->start, "%s", ctx);
	CHECK_EQ(g->levels, o->levels, "%s", ctx);
	CHECK_EQ(g->root_bits, o->root_bits, "%s", ctx);
	CHECK_EQ(g->concat, o->concat, "%s", ctx);
	CHECK_EQ(g->root_entries, o->root_entries, "%s", ctx);
	CHECK_EQ(g->root_bytes, o->root_bytes, "%s", ctx);
	CHECK_EQ(g->root_align, o->root_align, "%s", ctx);
	CHECK_EQ(g->block_levels, o->block_levels, "%s", ctx);
	CHECK_EQ(g->ipa_max, o->ipa_max, "%s", ctx);
	CHECK_EQ(g->oa_max, o->oa_max, "%s", ctx);
}

/* Every combination, valid or not. */
static void test_geometry_exhaustive(void **state)
{
	unsigned valid = 0;

	(void)state;
	for (unsigned si = 0; si < ARRAY_LEN(shifts); si++)
	for (unsigned ipa = 28; ipa <= 56; ipa++)
	for (unsigned pi = 0; pi < ARRAY_LEN(ps_reqs); pi++)
	for (int lpa2 = 0; lpa2 <= 1; lpa2++)
	for (unsigned st = 0; st < ARRAY_LEN(starts); st++) {
		struct s2_geom_req req = { (enum s2_granule)shifts[si], ipa, ps_reqs[pi], lpa2,
					   starts[st] };
		struct oracle_geom o = oracle_geometry(shifts[si], ipa, ps_reqs[pi], lpa2, starts[st]);
		struct s2_geometry g, before;
		struct s2_diag d = { "" };
		char ctx[96];
		int rc;

		snprintf(ctx, sizeof(ctx), "granule 2^%u ipa %u ps %u lpa2 %d start %d", shifts[si],
			 ipa, ps_reqs[pi], lpa2, starts[st]);
		memset(&g, 0x5a, sizeof(g));
		before = g;
		rc = s2_geometry_init(&g, &req, &d);
		CHECK_EQ(rc, o.err, "%s", ctx);
		if (o.err) {
			/* @g is written only on success; every error says why. */
			CHECK(memcmp(&g, &before, sizeof(g)) == 0, "%s: output untouched", ctx);
			CHECK(d.msg[0] != 0, "%s: message", ctx);
			continue;
		}
		if (rc)
			continue;
		valid++;
		check_geom(&g, &o, ctx);
		CHECK_EQ(s2_geometry_init(&g, &req, NULL), 0, "%s, no diag", ctx);
	}
	/* The model must accept a real share of the space, or it proves little. */
	CHECK(valid > 1000, "valid geometries: %u", valid);
}

/* Linux's choice: max(2, (ipa - 8) / stride) levels, concatenating up to 16
   tables at the start level, never level -1. */
static void test_geometry_auto_levels(void **state)
{
	(void)state;
	for (unsigned si = 0; si < 3; si++)
	for (unsigned ipa = 32; ipa <= 52; ipa++)
	for (int lpa2 = 0; lpa2 <= (si < 2); lpa2++) {
		struct s2_geom_req req = { (enum s2_granule)shifts[si], ipa, 0, lpa2, S2_START_AUTO };
		struct s2_geometry g;
		unsigned stride = shifts[si] - 3;
		unsigned lv = (ipa - 8) / stride < 2 ? 2 : (ipa - 8) / stride;

		if (ipa > 48 && !lpa2 && si < 2)
			continue;
		CHECK_EQ(s2_geometry_init(&g, &req, NULL), 0, "2^%u ipa %u", shifts[si], ipa);
		CHECK_EQ(g.levels, lv, "2^%u ipa %u lpa2 %d", shifts[si], ipa, lpa2);
		CHECK(g.start_level >= 0, "2^%u ipa %u lpa2 %d: no level -1 unless asked",
		      shifts[si], ipa, lpa2);
		CHECK(g.concat >= 1 && g.concat <= 16, "2^%u ipa %u", shifts[si], ipa);
	}
}

struct known {
	const char *what;
	enum s2_granule gr;
	unsigned ipa, ps;
	bool lpa2;
	int req_start;
	int start;
	unsigned levels, concat;
	uint64_t root_entries, root_bytes;
	unsigned ps_bits;
};

/* The layouts QEMU 7.2's MMU walked, and Linux's 4K/40 default. */
static const struct known known[] = {
	{ "4K/40 (QEMU: start level 1, 2 tables)", S2_GRANULE_4K, 40, 0, false, S2_START_AUTO,
	  1, 3, 2, 1024, 8192, 40 },
	{ "64K/52 (QEMU: start level 1)", S2_GRANULE_64K, 52, 52, false, S2_START_AUTO,
	  1, 3, 1, 1024, 8192, 52 },
	{ "4K LPA2/52 (QEMU: start level 0, 16 tables, 64 KiB root)", S2_GRANULE_4K, 52, 52, true,
	  S2_START_AUTO, 0, 4, 16, 8192, 65536, 52 },
	{ "4K LPA2/52 start -1 (QEMU: 16-entry root)", S2_GRANULE_4K, 52, 52, true, -1,
	  -1, 5, 1, 16, 128, 52 },
	{ "16K DS/51 (QEMU: start level 1, 16 tables)", S2_GRANULE_16K, 51, 52, true, S2_START_AUTO,
	  1, 3, 16, 32768, 262144, 52 },
	{ "16K DS/52 start level 0 (valid; QEMU 7.2 rejects it)", S2_GRANULE_16K, 52, 52, true,
	  S2_START_AUTO, 0, 4, 1, 32, 256, 52 },
	{ "64K/42 (2 levels)", S2_GRANULE_64K, 42, 0, false, S2_START_AUTO, 2, 2, 1, 8192, 65536, 42 },
	{ "4K/32 (2 levels, 4 tables)", S2_GRANULE_4K, 32, 0, false, S2_START_AUTO,
	  2, 2, 4, 2048, 16384, 32 },
	{ "64K/32 (8-entry root, 64-byte aligned)", S2_GRANULE_64K, 32, 0, false, S2_START_AUTO,
	  2, 2, 1, 8, 64, 32 },
	{ "4K/48 (4 levels)", S2_GRANULE_4K, 48, 0, false, S2_START_AUTO, 0, 4, 1, 512, 4096, 48 },
	{ "4K/40 with PS 52 and no LPA2: PS acts as 48", S2_GRANULE_4K, 40, 52, false, S2_START_AUTO,
	  1, 3, 2, 1024, 8192, 48 },
};

static void test_geometry_known(void **state)
{
	(void)state;
	for (unsigned i = 0; i < ARRAY_LEN(known); i++) {
		const struct known *k = &known[i];
		struct s2_geom_req req = { k->gr, k->ipa, k->ps, k->lpa2, k->req_start };
		struct s2_geometry g;

		CHECK_EQ(s2_geometry_init(&g, &req, NULL), 0, "%s", k->what);
		CHECK_EQ(g.start_level, k->start, "%s", k->what);
		CHECK_EQ(g.levels, k->levels, "%s", k->what);
		CHECK_EQ(g.concat, k->concat, "%s", k->what);
		CHECK_EQ(g.root_entries, k->root_entries, "%s", k->what);
		CHECK_EQ(g.root_bytes, k->root_bytes, "%s", k->what);
		CHECK_EQ(g.root_align, k->root_bytes < 64 ? 64 : k->root_bytes, "%s", k->what);
		CHECK_EQ(g.ps_bits, k->ps_bits, "%s", k->what);
	}
}

/* Level -1 only on request, only for 4K with LPA2, only for IPAs above 48
   bits (a level -1 entry maps 2^48 bytes). */
static void test_geometry_level_minus1(void **state)
{
	(void)state;
	for (unsigned si = 0; si < 3; si++)
	for (unsigned ipa = 32; ipa <= 52; ipa++)
	for (int lpa2 = 0; lpa2 <= 1; lpa2++) {
		struct s2_geom_req req = { (enum s2_granule)shifts[si], ipa, 52, lpa2, -1 };
		struct s2_geometry g;
		bool ok = si == 0 && lpa2 && ipa >= 49;
		int rc = s2_geometry_init(&g, &req, NULL);

		CHECK_EQ(rc, ok ? 0 : S2_EINVAL, "2^%u ipa %u lpa2 %d", shifts[si], ipa, lpa2);
		if (ok && rc == 0) {
			CHECK_EQ(g.root_entries, 1ULL << (ipa - 48), "4K ipa %u", ipa);
			CHECK_EQ(g.levels, 5, "4K ipa %u", ipa);
		}
	}
}

/* Block (and page) sizes per granule and level (Arm ARM D8.3): the size an
   entry maps and whether a block may sit there. */
static void test_geometry_block_sizes(void **state)
{
	static const struct {
		enum s2_granule gr; unsigned ipa; bool lpa2; unsigned ps;
		uint64_t size[5];      /* levels -1..3, 0 = below the start level */
		bool block[5];
	} rows[] = {
		{ S2_GRANULE_4K, 48, false, 48, { 0, 512ULL << 30, 1ULL << 30, 2ULL << 20, 4096 },
		  { 0, 0, 1, 1, 1 } },
		{ S2_GRANULE_4K, 52, true, 52, { 0, 512ULL << 30, 1ULL << 30, 2ULL << 20, 4096 },
		  { 0, 1, 1, 1, 1 } },
		{ S2_GRANULE_16K, 47, false, 48, { 0, 0, 64ULL << 30, 32ULL << 20, 16384 },
		  { 0, 0, 0, 1, 1 } },
		{ S2_GRANULE_16K, 51, true, 52, { 0, 0, 64ULL << 30, 32ULL << 20, 16384 },
		  { 0, 0, 1, 1, 1 } },
		{ S2_GRANULE_64K, 48, false, 48, { 0, 0, 4ULL << 40, 512ULL << 20, 65536 },
		  { 0, 0, 0, 1, 1 } },
		{ S2_GRANULE_64K, 52, false, 52, { 0, 0, 4ULL << 40, 512ULL << 20, 65536 },
		  { 0, 0, 1, 1, 1 } },
		{ S2_GRANULE_64K, 47, false, 52, { 0, 0, 4ULL << 40, 512ULL << 20, 65536 },
		  { 0, 0, 1, 1, 1 } },
	};

	(void)state;
	for (unsigned i = 0; i < ARRAY_LEN(rows); i++) {
		struct s2_geom_req req = { rows[i].gr, rows[i].ipa, rows[i].ps, rows[i].lpa2,
					   S2_START_AUTO };
		struct s2_geometry g;

		CHECK_EQ(s2_geometry_init(&g, &req, NULL), 0, "row %u", i);
		for (int l = g.start_level; l <= 3; l++) {
			CHECK_EQ(s2_level_size(&g, l), rows[i].size[l + 1], "row %u level %d", i, l);
			CHECK_EQ(s2_level_has_block(&g, l), rows[i].block[l + 1], "row %u level %d", i, l);
			CHECK_EQ(s2_page_size(&g), 1ULL << rows[i].gr, "row %u", i);
		}
		CHECK_EQ(s2_level_has_block(&g, g.start_level - 1), false, "row %u above start", i);
	}
}

/* Entries per level: the whole (concatenated) root at the start level, one
   page of descriptors below; and the index of one IPA at each level,
   worked out by hand from its bits. */
static void test_geometry_entries_and_index(void **state)
{
	static const struct {
		enum s2_granule gr; unsigned ipa; bool lpa2; int start; uint64_t addr;
		uint64_t idx[5];       /* levels -1..3 */
	} rows[] = {
		/* The IPA QEMU translated at 64K/52: [51:42], [41:29], [28:16]. */
		{ S2_GRANULE_64K, 52, false, S2_START_AUTO, 0x000F123456785123ULL,
		  { 0, 0, 0x3c4, 0x11a2, 0x1678 } },
		/* 4K LPA2/52 from level 0 (16 tables): [51:39], [38:30], [29:21], [20:12]. */
		{ S2_GRANULE_4K, 52, true, S2_START_AUTO, 0x000FEDCBA9876543ULL,
		  { 0, 0x1fdb, 0x12e, 0x14c, 0x76 } },
		/* The same from level -1: [51:48], [47:39], ... */
		{ S2_GRANULE_4K, 52, true, -1, 0x000FEDCBA9876543ULL,
		  { 0xf, 0x1db, 0x12e, 0x14c, 0x76 } },
	};

	(void)state;
	for (unsigned i = 0; i < ARRAY_LEN(rows); i++) {
		struct s2_geom_req req = { rows[i].gr, rows[i].ipa, 52, rows[i].lpa2, rows[i].start };
		struct s2_geometry g;

		CHECK_EQ(s2_geometry_init(&g, &req, NULL), 0, "row %u", i);
		for (int l = g.start_level; l <= 3; l++) {
			CHECK_EQ(s2_level_index(&g, l, rows[i].addr), rows[i].idx[l + 1],
				 "row %u level %d", i, l);
			CHECK_EQ(s2_level_entries(&g, l),
				 l == g.start_level ? g.root_entries : 1ULL << (rows[i].gr - 3),
				 "row %u level %d", i, l);
		}
	}
}

/* Error messages name the offending value. */
static void test_geometry_messages(void **state)
{
	static const struct { struct s2_geom_req req; const char *word; } bad[] = {
		{ { S2_GRANULE_4K, 53, 0, false, S2_START_AUTO }, "53" },
		{ { S2_GRANULE_4K, 31, 0, false, S2_START_AUTO }, "31" },
		{ { (enum s2_granule)13, 40, 0, false, S2_START_AUTO }, "13" },
		{ { S2_GRANULE_4K, 40, 50, false, S2_START_AUTO }, "50" },
		{ { S2_GRANULE_4K, 44, 42, false, S2_START_AUTO }, "44" },
		{ { S2_GRANULE_4K, 49, 52, false, S2_START_AUTO }, "LPA2" },
		{ { S2_GRANULE_64K, 40, 0, true, S2_START_AUTO }, "LPA2" },
		{ { S2_GRANULE_16K, 48, 48, false, 0 }, "LPA2" },
		{ { S2_GRANULE_64K, 40, 0, false, 0 }, "64K" },
		{ { S2_GRANULE_4K, 40, 0, false, 2 }, "40" },
	};

	(void)state;
	for (unsigned i = 0; i < ARRAY_LEN(bad); i++) {
		struct s2_geometry g;
		struct s2_diag d = { "" };

		CHECK_EQ(s2_geometry_init(&g, &bad[i].req, &d), S2_EINVAL, "case %u", i);
		CHECK_MSG_WORD(d.msg, bad[i].word, "case %u", i);
	}
}

static const struct CMUnitTest tests[] = {
	UNIT_TEST(test_geometry_exhaustive),
	UNIT_TEST(test_geometry_auto_levels),
	UNIT_TEST(test_geometry_known),
	UNIT_TEST(test_geometry_level_minus1),
	UNIT_TEST(test_geometry_block_sizes),
	UNIT_TEST(test_geometry_entries_and_index),
	UNIT_TEST(test_geometry_messages),
};

UNIT_MAIN("geometry", tests)
