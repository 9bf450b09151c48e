/* SPDX-License-Identifier: MIT */
/*
 * 52-bit output addresses, checked against descriptor values written
 * out here from the Arm ARM: 64K with FEAT_LPA keeps OA[51:48] in bits
 * [15:12]; 4K/16K with FEAT_LPA2 (DS=1) keep OA[49:page_shift] in place
 * and OA[51:50] in bits [9:8] (where SH would be). The same encoding for
 * table descriptors, with tables above 2^48. A PA beyond the PA size is
 * ERANGE and changes nothing: never a truncated descriptor.
 */
#include "ut.h"

#define AF       (1ULL << 10)
#define RW       (3ULL << 6)
#define NORMAL   (0xfULL << 2)
#define XN       (2ULL << 53)
#define SH_INNER (3ULL << 8)

static uint64_t *leaf(struct ut *t, uint64_t ipa, int level)
{
	uint64_t *e = ut_entry(t, ipa, level);
	CHECK(e != NULL, "walk to L%d for %#llx", level, (unsigned long long)ipa);
	return e ? e : (uint64_t *)&t->p.stats;   /* keep going on a failure */
}

/* What QEMU 7.2's MMU translated (AT S12E1R): 64K, 52-bit IPA, IPA
   0x000F123456785123 -> PA 0x000abcdef0125123. */
static void test_lpa_64k_page(void **state)
{
	struct ut t;
	struct s2_xlate x;

	(void)state;
	ut_init(&t, 16, 52, 52, false, S2_START_AUTO, 0, 0);
	CHECK_EQ(s2_map(&t.p, s2_ipa(0x000F123456780000), 0x10000, s2_pa(0x000abcdef0120000),
			S2_PROT_R | S2_PROT_W, 0, NULL), 0, "map");
	/* OA[47:16] in place, OA[51:48] = 0xa in [15:12], page type 0b11. */
	CHECK_EQ(*leaf(&t, 0x000F123456780000, 3),
		 0x0000bcdef0120000 | 0xaULL << 12 | XN | AF | SH_INNER | RW | NORMAL | 3, "page");
	s2_translate(&t.p, s2_ipa(0x000F123456785123), &x);
	CHECK_EQ(x.pa.v, 0x000abcdef0125123, "translate");
	CHECK_EQ(x.level, 3, "level");
	ut_fini(&t);
}

/* 64K LPA blocks: 512M at level 2 and 4T at level 1, above 2^48. */
static void test_lpa_64k_blocks(void **state)
{
	struct ut t;

	(void)state;
	ut_init(&t, 16, 52, 52, false, S2_START_AUTO, 0, 0);
	CHECK_EQ(s2_map(&t.p, s2_ipa(0x20000000), 0x20000000, s2_pa(0x000fedc3e0000000),
			S2_PROT_R, 0, NULL), 0, "512M");
	CHECK_EQ(*leaf(&t, 0x20000000, 2),
		 0x0000edc3e0000000 | 0xfULL << 12 | XN | AF | SH_INNER | (1ULL << 6) | NORMAL | 1,
		 "512M block");
	CHECK_EQ(s2_map(&t.p, s2_ipa(0x0008000000000000), 1ULL << 42, s2_pa(0x000ffc0000000000),
			S2_PROT_RWX, 0, NULL), 0, "4T");
	CHECK_EQ(*leaf(&t, 0x0008000000000000, 1),
		 0x0000fc0000000000 | 0xfULL << 12 | AF | SH_INNER | RW | NORMAL | 1, "4T block");
	ut_check_structure(&t, "lpa blocks");
	ut_fini(&t);
}

/* LPA2: 4K page and 512G level-0 block, 16K page and 64G level-1 block;
   no shareability bits (VTCR.SH0 applies), OA[51:50] in [9:8]. */
static void test_lpa2(void **state)
{
	struct ut t;
	struct s2_xlate x;

	(void)state;
	ut_init(&t, 12, 52, 52, true, S2_START_AUTO, 0, 0);
	CHECK_EQ(s2_map(&t.p, s2_ipa(0x000ffffffffff000), 0x1000, s2_pa(0x000f123456789000),
			S2_PROT_R | S2_PROT_W, 0, NULL), 0, "4K page");
	CHECK_EQ(*leaf(&t, 0x000ffffffffff000, 3),
		 0x0003123456789000 | 3ULL << 8 | XN | AF | RW | NORMAL | 3, "4K LPA2 page");
	CHECK_EQ(s2_map(&t.p, s2_ipa(0x0000008000000000), 1ULL << 39, s2_pa(0x000bff8000000000),
			S2_PROT_R, 0, NULL), 0, "512G");
	CHECK_EQ(*leaf(&t, 0x0000008000000000, 0),
		 0x0003ff8000000000 | 2ULL << 8 | XN | AF | (1ULL << 6) | NORMAL | 1, "512G block");
	s2_translate(&t.p, s2_ipa(0x0000008000000abc), &x);
	CHECK_EQ(x.pa.v, 0x000bff8000000abc, "translate in the 512G block");
	ut_check_structure(&t, "4K lpa2");
	ut_fini(&t);

	ut_init(&t, 14, 52, 52, true, S2_START_AUTO, 0, 0);
	CHECK_EQ(s2_map(&t.p, s2_ipa(0x4000), 0x4000, s2_pa(0x000e00000000c000), S2_PROT_R, 0,
			NULL), 0, "16K page");
	CHECK_EQ(*leaf(&t, 0x4000, 3),
		 0x000200000000c000 | 3ULL << 8 | XN | AF | (1ULL << 6) | NORMAL | 3, "16K LPA2 page");
	CHECK_EQ(s2_map(&t.p, s2_ipa(1ULL << 36), 1ULL << 36, s2_pa(0x0007fff000000000),
			S2_PROT_R, 0, NULL), 0, "64G");
	CHECK_EQ(*leaf(&t, 1ULL << 36, 1),
		 0x0003fff000000000 | 1ULL << 8 | XN | AF | (1ULL << 6) | NORMAL | 1, "64G block");
	ut_check_structure(&t, "16K lpa2");
	ut_fini(&t);
}

/* Tables placed above 2^48: every table descriptor's address field
   holds the PA the environment gave for it, high bits included. */
static void test_table_addresses(void **state)
{
	static const struct { unsigned shift; bool lpa2; int start; } c[] = {
		{ 16, false, S2_START_AUTO }, { 12, true, S2_START_AUTO }, { 12, true, -1 },
		{ 14, true, S2_START_AUTO },
	};
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(c); i++) {
		struct ut t;
		uint64_t base = (1ULL << 52) - (4ULL << 30);   /* PA bits 51:32 all set */
		ut_init(&t, c[i].shift, 52, 52, c[i].lpa2, c[i].start, 0, base);
		uint64_t page = a_page(&t.g), ipa = (1ULL << 52) - page;
		CHECK_EQ(t.p.root_pa.v, base, "case %zu: root at the arena's start", i);
		renv_clear(&t.r);
		CHECK_EQ(s2_map(&t.p, s2_ipa(ipa), page, s2_pa(0x100000), S2_PROT_R, 0, NULL), 0,
			 "case %zu", i);
		/* Each table descriptor names one of the pages the environment
		   handed out, encoded as the format says. */
		uint64_t *table = t.p.root;
		for (int l = t.g.start; l < 3 && table; l++) {
			uint64_t d = table[a_index(&t.g, l, ipa)], pa = 0;
			bool found = false;
			for (size_t a = 0; a < t.r.n && !found; a++) {
				if (t.r.log[a].k != EV_ALLOC)
					continue;
				pa = t.r.log[a].a;
				uint64_t want = c[i].shift == 16 ?
					(pa & A_MASK(47, 16)) | (pa >> 48) << 12 :
					(pa & A_MASK(49, c[i].shift)) | (pa >> 50) << 8;
				found = (d & ~(A_MASK(58, 51) | A_MASK(7, 2))) == (want | 3);
			}
			CHECK(found, "case %zu: L%d table descriptor %#llx encodes an allocated PA",
			      i, l, (unsigned long long)d);
			CHECK(pa >> 48 == 0xf, "case %zu: table PA %#llx above 2^48", i,
			      (unsigned long long)pa);
			table = found ? renv_va(&t.r, pa, page) : NULL;
		}
		CHECK(table != NULL, "case %zu: reached the last level", i);
		if (table)
			CHECK_EQ(table[a_index(&t.g, 3, ipa)] & 3, 3, "case %zu: the page", i);
		ut_check_structure(&t, "tables above 2^48");
		ut_fini(&t);
	}
}

/* PA beyond the PA size: ERANGE, nothing changed, nothing called. */
static void test_pa_beyond_ps(void **state)
{
	static const struct { unsigned shift, ipa, ps; bool lpa2; } c[] = {
		{ 12, 40, 40, false }, { 12, 48, 48, false }, { 12, 40, 52, false },  /* PS 52 acts as 48 */
		{ 14, 42, 44, false }, { 16, 48, 48, false }, { 16, 44, 52, false },
		{ 12, 52, 52, true }, { 14, 36, 36, false }, { 12, 32, 32, false },
	};
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(c); i++) {
		struct ut t;
		struct s2_diag d;
		ut_init(&t, c[i].shift, c[i].ipa, c[i].ps, c[i].lpa2, S2_START_AUTO, 0, 0);
		unsigned ps = c[i].ps > 48 && !c[i].lpa2 && c[i].shift != 16 ? 48 : c[i].ps;
		uint64_t page = a_page(&t.g), end = 1ULL << ps;
		struct snap before, after;
		char why[200];
		struct { uint64_t pa, size; } bad[] = {
			{ end, page }, { end - page, 2 * page }, { end + page, page },
			{ 1ULL << 52, page }, { end | 0x000f000000000000, page },
			{ ~0ULL - page + 1, page }, { ~0ULL - page + 1, 2 * page },
		};
		CHECK_EQ(s2_map(&t.p, s2_ipa(0), page, s2_pa(end - page), S2_PROT_R, 0, NULL), 0,
			 "case %zu: the last page of PA", i);
		tw_snapshot(&t.tw, &before);
		renv_clear(&t.r);
		for (size_t k = 0; k < ARRAY_LEN(bad); k++) {
			if (ps == 52 && bad[k].pa == (end | 0x000f000000000000))
				continue;
			int rc = s2_map(&t.p, s2_ipa(2 * page), bad[k].size, s2_pa(bad[k].pa), S2_PROT_R,
					0, &d);
			CHECK(rc == S2_ERANGE || (rc == S2_EINVAL && bad[k].pa + bad[k].size < bad[k].pa),
			      "case %zu PA %#llx size %#llx: rc %d", i, (unsigned long long)bad[k].pa,
			      (unsigned long long)bad[k].size, rc);
		}
		tw_snapshot(&t.tw, &after);
		CHECK(snap_equal(&before, &after, why, sizeof(why)), "case %zu: unchanged: %s", i, why);
		CHECK_EQ(t.r.n, 0, "case %zu: no environment calls", i);
		snap_free(&before);
		snap_free(&after);
		ut_fini(&t);
	}
}

/* A root the environment places beyond PS cannot be used: ERANGE, and
   the memory goes back. */
static void test_root_beyond_ps(void **state)
{
	struct s2_geom_req req = { S2_GRANULE_4K, 40, 40, false, S2_START_AUTO };
	struct s2_geometry g;
	struct s2_pgtable p;
	struct renv r;

	(void)state;
	CHECK_EQ(s2_geometry_init(&g, &req, NULL), 0, "geometry");
	CHECK_EQ(renv_init(&r, 1ULL << 40, 1ULL << 24), 0, "arena");
	CHECK_EQ(s2_pgtable_init(&p, &g, &renv_ops, &r, 1, 0, NULL), S2_ERANGE, "root at 2^40");
	CHECK_EQ(r.env.live_bytes, 0, "root freed");
	renv_fini(&r);
}

/* The one-page fault path (a page into an existing last-level table),
   as the descriptor formats say, with tables above 2^48: through the
   environment's phys_to_virt() and through its linear map, with FWB and
   without (then a clean of each page before it is mapped), exclusive
   (s2_map) and shared (s2_map_cached with S2_MAP_SHARED: the table's
   count becomes unknown, and the unmap at the end recounts it).
   Neighbours of a first page are faulted one by one with PAs whose top
   bits differ from page to page. */
static void unlinked_none(void *ctx, struct s2_pgtable *p, void *table, int level)
{
	(void)ctx; (void)p; (void)table; (void)level;
	fail_msg("a one-page fault into an existing table unlinked a table");
}

static void test_fault_path(void **state)
{
	static const struct { unsigned shift, ipa, ps; bool lpa2; } c[] = {
		{ 16, 52, 52, false }, { 12, 52, 52, true }, { 14, 52, 52, true },
		{ 12, 48, 48, false }, { 14, 48, 48, false }, { 16, 48, 48, false },
		{ 12, 40, 40, false },
	};
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(c); i++)
	for (unsigned linear = 0; linear < 2; linear++)
	for (unsigned fwb = 0; fwb < 2; fwb++)
	for (unsigned shared = 0; shared < 2; shared++) {
		struct ut t;
		struct s2_mm_ops ops = renv_ops;
		struct s2_page_cache cache = { 0 };
		uint64_t base = (1ULL << c[i].ps) - (4ULL << 30);
		ut_init(&t, c[i].shift, c[i].ipa, c[i].ps, c[i].lpa2, S2_START_AUTO,
			fwb ? 0 : S2_PGT_NO_FWB, base);
		/* The same environment, seen through its linear map. */
		ops.linear = linear;
		ops.linear_offset = linear ? t.r.env.ops.linear_offset : 0;
		ops.free_unlinked = unlinked_none;
		t.p.ops = &ops;
		uint64_t page = a_page(&t.g), ipa = (1ULL << c[i].ipa) - 64 * page;
		CHECK_EQ(s2_map(&t.p, s2_ipa(ipa), page, s2_pa(0x100000), S2_PROT_R, 0, NULL), 0,
			 "case %zu/%u/%u: first page", i, linear, fwb);
		uint64_t allocs = renv_count(&t.r, EV_ALLOC);
		renv_clear(&t.r);
		for (unsigned k = 1; k < 64; k++) {
			/* The PA's top four bits and PA[n:page] vary. */
			uint64_t top = (uint64_t)(k & 15) << (c[i].ps - 4);
			uint64_t pa = top | (uint64_t)k << 30 | (uint64_t)k * page;
			unsigned prot = k & 1 ? S2_PROT_R | S2_PROT_W : S2_PROT_RWX;
			int err = shared ?
				s2_map_cached(&t.p, s2_ipa(ipa + k * page), page, s2_pa(pa), prot,
					      S2_MAP_SHARED, &cache, NULL) :
				s2_map(&t.p, s2_ipa(ipa + k * page), page, s2_pa(pa), prot, 0, NULL);
			CHECK_EQ(err, 0, "case %zu/%u/%u/%u: page %u", i, linear, fwb, shared, k);
			uint64_t want = c[i].shift == 16 && c[i].ps == 52 ?
				(pa & A_MASK(47, 16)) | (pa >> 48) << 12 | SH_INNER :
				c[i].lpa2 ? (pa & A_MASK(49, c[i].shift)) | (pa >> 50) << 8 :
				pa | SH_INNER;
			want |= AF | NORMAL | 3 | (k & 1 ? RW | XN : RW);
			CHECK_EQ(*leaf(&t, ipa + k * page, 3), want, "case %zu/%u/%u: page %u",
				 i, linear, fwb, k);
			struct s2_xlate x;
			s2_translate(&t.p, s2_ipa(ipa + k * page + 8), &x);
			CHECK_EQ(x.pa.v, pa + 8, "case %zu/%u/%u: translate %u", i, linear, fwb, k);
		}
		CHECK_EQ(renv_count(&t.r, EV_ALLOC) + allocs, allocs, "case %zu/%u/%u: no table",
			 i, linear, fwb);
		CHECK_EQ(renv_count(&t.r, EV_DCACHE), fwb ? 0 : 63, "case %zu/%u/%u: cleans",
			 i, linear, fwb);
		CHECK_EQ(renv_count(&t.r, EV_ICACHE), fwb ? 0 : 31, "case %zu/%u/%u: icache",
			 i, linear, fwb);
		/* Shared faults leave the table's count unknown (the walk's
		   check wants it exact); the unmap recounts, and frees. */
		if (!shared)
			ut_check_structure(&t, "fault path");
		CHECK_EQ(s2_unmap(&t.p, s2_ipa(ipa), 64 * page, NULL), 0, "case %zu: unmap", i);
		s2_cache_free(&t.p, &cache);
		CHECK_EQ(t.r.env.live_bytes, t.root_live, "case %zu/%u/%u: tables freed", i, linear,
			 fwb);
		ut_fini(&t);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		UNIT_TEST(test_lpa_64k_page), UNIT_TEST(test_lpa_64k_blocks), UNIT_TEST(test_lpa2),
		UNIT_TEST(test_table_addresses), UNIT_TEST(test_pa_beyond_ps), UNIT_TEST(test_root_beyond_ps),
		UNIT_TEST(test_fault_path),
	};
	return unit_run("pgtable 52-bit output addresses", tests, ARRAY_LEN(tests));
}
