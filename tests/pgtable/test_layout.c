/* SPDX-License-Identifier: MIT */
/*
 * Descriptor layout, read back raw with the tests' own index arithmetic:
 * the largest legal leaf for aligned IPA, PA and size at every level of
 * every granule (and the next level's leaves where the granule has no
 * block), pages for misaligned PAs and with S2_MAP_PAGES, concatenated
 * root indices, and the entry at the very top of the IPA space.
 */
#include "ut.h"

struct cfg {
	unsigned shift, ipa, ps;
	bool lpa2;
	int start;
};

/* Every granule, with and without the 52-bit formats, each start level
   kind: concatenated roots (4K/40, 16K/40, 4K/52 LPA2), 4 levels (4K/48),
   5 levels (start -1). */
static const struct cfg cfgs[] = {
	{ 12, 32, 0, false, S2_START_AUTO }, { 12, 40, 0, false, S2_START_AUTO },
	{ 12, 48, 48, false, S2_START_AUTO }, { 12, 52, 52, true, S2_START_AUTO },
	{ 12, 52, 52, true, -1 }, { 12, 44, 52, true, 0 },
	{ 14, 40, 0, false, S2_START_AUTO }, { 14, 47, 48, false, S2_START_AUTO },
	{ 14, 52, 52, true, S2_START_AUTO }, { 14, 51, 52, true, 1 },
	{ 16, 42, 0, false, S2_START_AUTO }, { 16, 48, 48, false, S2_START_AUTO },
	{ 16, 52, 52, false, S2_START_AUTO },
};

#define RW (M_R | M_W | M_AF)

static void init(struct ut *t, const struct cfg *c)
{
	ut_init(t, c->shift, c->ipa, c->ps, c->lpa2, c->start, 0, 0);
}

/* A PA for @size bytes aligned to @align, high in the PA space. */
static uint64_t high_pa(const struct ut *t, uint64_t size, uint64_t align)
{
	uint64_t end = a_oa_max(&t->g) + 1;
	return (end - 2 * size - align) & ~(align - 1);
}

/* Aligned IPA, PA and size of one entry at @level: one leaf there if the
   granule has blocks at that level, else a table of next-level leaves. */
static void test_largest_leaf(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cfgs); i++)
	for (int l = -1; l <= 3; l++) {
		struct ut t;
		init(&t, &cfgs[i]);
		const struct ageom *g = &t.g;
		uint64_t s = l < g->start ? 0 : a_lsize(g, l), ipa, pa;
		if (!s || s > a_ipa_end(g) / 2 || s > a_oa_max(g) / 4) {
			ut_fini(&t);
			continue;
		}
		ipa = a_ipa_end(g) / 2 + s;   /* an odd-numbered entry in the upper half */
		pa = high_pa(&t, s, s);
		CHECK_EQ(s2_map(&t.p, s2_ipa(ipa), s, s2_pa(pa), S2_PROT_R | S2_PROT_W, 0, NULL), 0,
			 "cfg %zu L%d", i, l);
		int leaf = l;
		while (!a_block_ok(g, leaf))
			leaf++;
		uint64_t ls = a_lsize(g, leaf);
		for (uint64_t a = ipa; a < ipa + s; a += ls) {
			uint64_t *e = ut_entry(&t, a, leaf);
			CHECK(e != NULL, "cfg %zu L%d: walk reaches L%d for %#llx", i, l, leaf,
			      (unsigned long long)a);
			if (e)
				CHECK_EQ(*e, a_leaf(g, leaf, pa + (a - ipa), RW),
					 "cfg %zu L%d leaf L%d at %#llx", i, l, leaf, (unsigned long long)a);
			if (s / ls > 4 && a == ipa + ls)
				a = ipa + s - 2 * ls;   /* first two and last: enough */
		}
		if (leaf > l) {
			/* The entry at l is a table whose children are all leaves. */
			uint64_t *e = ut_entry(&t, ipa, l);
			CHECK(e && a_is_table(*e, l), "cfg %zu L%d is a table", i, l);
		}
		CHECK_EQ(ut_check_structure(&t, "largest leaf"), s / ls, "cfg %zu L%d leaves", i, l);
		ut_fini(&t);
	}
}

/* A PA one page off block alignment allows nothing but pages; so does
   S2_MAP_PAGES with everything aligned. */
static void test_pages(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cfgs); i++)
	for (int how = 0; how < 2; how++) {
		struct ut t;
		init(&t, &cfgs[i]);
		const struct ageom *g = &t.g;
		uint64_t s = a_lsize(g, 2), page = a_page(g), ipa = s * 3;
		uint64_t pa = high_pa(&t, s, s) + (how ? 0 : page);
		CHECK_EQ(s2_map(&t.p, s2_ipa(ipa), s, s2_pa(pa), S2_PROT_R, how ? S2_MAP_PAGES : 0,
				NULL), 0, "cfg %zu how %d", i, how);
		uint64_t *l2 = ut_entry(&t, ipa, 2);
		CHECK(l2 && a_is_table(*l2, 2), "cfg %zu how %d: a table at L2", i, how);
		for (uint64_t a = ipa; a < ipa + s; a += page) {
			uint64_t *e = ut_entry(&t, a, 3);
			if (!CHECK(e != NULL, "cfg %zu page %#llx", i, (unsigned long long)a))
				break;
			CHECK_EQ(*e, a_leaf(g, 3, pa + (a - ipa), M_R | M_AF), "cfg %zu how %d page %#llx",
				 i, how, (unsigned long long)a);
		}
		CHECK_EQ(ut_check_structure(&t, "pages"), s / page, "cfg %zu how %d", i, how);
		ut_fini(&t);
	}
}

/* Largest first, then smaller at the unaligned ends: a range of one big
   block plus one page on each side. */
static void test_mixed_sizes(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cfgs); i++) {
		struct ut t;
		init(&t, &cfgs[i]);
		const struct ageom *g = &t.g;
		uint64_t b = a_lsize(g, 2), page = a_page(g);
		uint64_t ipa = 4 * b - page, pa = high_pa(&t, 4 * b, b) - page;
		CHECK_EQ(s2_map(&t.p, s2_ipa(ipa), b + 2 * page, s2_pa(pa), S2_PROT_RWX, 0, NULL), 0,
			 "cfg %zu", i);
		uint64_t *e = ut_entry(&t, ipa, 3);
		CHECK(e && *e == a_leaf(g, 3, pa, RW | M_X), "cfg %zu first page", i);
		e = ut_entry(&t, 4 * b, 2);
		CHECK(e && *e == a_leaf(g, 2, pa + page, RW | M_X), "cfg %zu the block", i);
		e = ut_entry(&t, 5 * b, 3);
		CHECK(e && *e == a_leaf(g, 3, pa + page + b, RW | M_X), "cfg %zu last page", i);
		CHECK_EQ(ut_check_structure(&t, "mixed"), 3, "cfg %zu leaves", i);
		ut_fini(&t);
	}
}

/* Concatenated start-level tables are one wide root: IPA bit 39 selects
   the second 512-entry table of a 4K/40-bit root (index 512 + n). */
static void test_concatenated_root(void **state)
{
	static const struct { unsigned shift, ipa; bool lpa2; uint64_t entries; } c[] = {
		{ 12, 40, false, 1024 },   /* 2 tables at level 1 */
		{ 12, 43, false, 8192 },   /* 16 at level 1 */
		{ 14, 40, false, 32768 },  /* 16 at level 2 */
		{ 12, 52, true, 8192 },    /* 16 at level 0 with LPA2 */
		{ 16, 46, false, 131072 }, /* 16 at level 2 (Linux: 2 levels) */
		{ 16, 36, false, 128 },    /* one table, 128 of its 8192 entries */
	};
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(c); i++) {
		struct ut t;
		ut_init(&t, c[i].shift, c[i].ipa, c[i].lpa2 ? 52 : 0, c[i].lpa2, S2_START_AUTO, 0, 0);
		const struct ageom *g = &t.g;
		uint64_t page = a_page(g), top = a_lshift(g, g->start);
		CHECK_EQ(g->root_entries, c[i].entries, "case %zu: root entries", i);
		CHECK_EQ(t.p.geom.root_entries, c[i].entries, "case %zu: library's root", i);
		/* One page at the start of each root entry's span, for a few
		   indices either side of the table boundaries. */
		uint64_t idx[] = { 0, 1, 511, 512, 513, c[i].entries / 2, c[i].entries - 1 };
		for (size_t k = 0; k < ARRAY_LEN(idx); k++) {
			if (idx[k] >= c[i].entries)
				continue;
			uint64_t ipa = idx[k] << top;
			CHECK_EQ(s2_map(&t.p, s2_ipa(ipa), page, s2_pa(ipa & a_oa_max(g)), S2_PROT_R, 0,
					NULL), 0, "case %zu idx %llu", i, (unsigned long long)idx[k]);
		}
		for (uint64_t n = 0; n < c[i].entries; n++) {
			bool want = false;
			for (size_t k = 0; k < ARRAY_LEN(idx); k++)
				want |= idx[k] == n;
			CHECK_EQ(a_is_table(t.p.root[n], g->start), want, "case %zu root[%llu] = %#llx",
				 i, (unsigned long long)n, (unsigned long long)t.p.root[n]);
		}
		ut_check_structure(&t, "concat");
		ut_fini(&t);
	}
}

/* The last page of the IPA space sits at the last index of every level;
   one page more is beyond the space. */
static void test_top_of_ipa_space(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cfgs); i++) {
		struct ut t;
		init(&t, &cfgs[i]);
		const struct ageom *g = &t.g;
		uint64_t page = a_page(g), last = a_ipa_end(g) - page, pa = high_pa(&t, page, page);
		struct s2_xlate x;
		struct s2_diag d;

		CHECK_EQ(s2_map(&t.p, s2_ipa(last), page, s2_pa(pa), S2_PROT_R | S2_PROT_W, 0, NULL), 0,
			 "cfg %zu", i);
		CHECK(a_is_table(t.p.root[g->root_entries - 1], g->start), "cfg %zu: last root entry", i);
		for (int l = g->start; l <= 3; l++)
			CHECK_EQ(a_index(g, l, last), a_entries(g, l) - 1, "cfg %zu L%d index", i, l);
		uint64_t *e = ut_entry(&t, last, 3);
		CHECK(e && *e == a_leaf(g, 3, pa, RW), "cfg %zu: last page", i);
		CHECK_EQ(s2_translate(&t.p, s2_ipa(a_ipa_end(g) - 1), &x), 0, "cfg %zu", i);
		CHECK(x.valid && x.pa.v == pa + page - 1 && x.level == 3, "cfg %zu: last byte", i);
		s2_translate(&t.p, s2_ipa(a_ipa_end(g)), &x);
		CHECK(!x.valid && x.level == 0 && x.fsc == a_fsc(0), "cfg %zu: beyond is a level-0 fault", i);
		CHECK_EQ(s2_map(&t.p, s2_ipa(last), 2 * page, s2_pa(pa), S2_PROT_R, 0, &d), S2_ERANGE,
			 "cfg %zu: a page beyond", i);
		CHECK_EQ(s2_unmap(&t.p, s2_ipa(last), page, NULL), 0, "cfg %zu", i);
		CHECK_EQ(t.p.stats.tables, 1, "cfg %zu: only the root after unmap", i);
		ut_fini(&t);
	}
}

/* A table descriptor sets nothing but its address, bits [1:0] and the
   IGNORED fields ([58:52], [11:2] less the address bits [9:8] with DS),
   whatever the number of entries in the table below (the library keeps
   that count in the descriptor). */
static void test_table_descriptor_bits(void **state)
{
	static const struct { unsigned shift, ipa; bool lpa2; } c[] = {
		{ 12, 40, false }, { 12, 52, true }, { 14, 47, false }, { 16, 52, false },
	};
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(c); i++) {
		struct ut t;
		ut_init(&t, c[i].shift, c[i].ipa, c[i].lpa2 ? 52 : 0, c[i].lpa2, S2_START_AUTO, 0, 0);
		uint64_t page = a_page(&t.g), n = 1ULL << t.g.stride, mapped = 0;
		uint64_t counts[] = { 1, 63, 64, 65, 127, 128, 200, 511, 512, n - 1, n };
		for (size_t k = 0; k < ARRAY_LEN(counts) && counts[k] <= n; k++) {
			if (counts[k] <= mapped)
				continue;
			/* Grow the last-level table under IPA 0 to counts[k] pages. */
			CHECK_EQ(s2_map(&t.p, s2_ipa(mapped * page), (counts[k] - mapped) * page,
					s2_pa(0x40000000), S2_PROT_R, S2_MAP_PAGES, NULL), 0,
				 "case %zu: %llu pages", i, (unsigned long long)counts[k]);
			mapped = counts[k];
			uint64_t d = *ut_entry(&t, 0, 2);
			uint64_t stray = d & ~(a_oa_field(&t.g) | 3 | a_tbl_ignored(&t.g));
			CHECK_EQ(stray, 0, "case %zu: %llu entries: descriptor %#llx", i,
				 (unsigned long long)counts[k], (unsigned long long)d);
		}
		ut_fini(&t);
	}
}

/* Unmapping part of a last-level table, every shape of cut: inside it
   only, from its start or to its end, more or less than half of it, the
   whole of it, across two tables. Each entry inside the range ends zero,
   each outside keeps its value; the counts the library keeps equal the
   valid entries (the walk checks each table), a table left empty is
   freed. Pages with holes (every 5th unmapped), so that counts and
   entries differ. */
static void test_unmap_parts_of_tables(void **state)
{
	(void)state;
	for (size_t c = 0; c < ARRAY_LEN(cfgs); c++) {
		struct ut t;
		ut_init(&t, cfgs[c].shift, cfgs[c].ipa, cfgs[c].ps, cfgs[c].lpa2, cfgs[c].start, 0, 0);
		uint64_t page = a_page(&t.g), span = a_lsize(&t.g, 2), n = span / page;
		uint64_t base = 2 * span, all = 3 * n;
		const uint64_t cuts[][2] = {
			{ 1, 3 }, { 0, n / 4 }, { n / 4, n / 2 + 1 }, { 1, n - 1 }, { 0, n - 2 },
			{ 2, n }, { 0, n }, { n - 3, n + 5 }, { n / 3, 2 * n + n / 3 }, { n + 1, 3 * n - 1 },
		};
		for (size_t k = 0; k < ARRAY_LEN(cuts); k++) {
			uint64_t lo = cuts[k][0], hi = cuts[k][1];
			CHECK_EQ(s2_map(&t.p, s2_ipa(base), all * page, s2_pa(0x40000000), S2_PROT_R,
					S2_MAP_PAGES, NULL), 0, "cfg %zu cut %zu: map", c, k);
			for (uint64_t i = 2; i < all; i += 5)
				CHECK_EQ(s2_unmap(&t.p, s2_ipa(base + i * page), page, NULL), 0, "hole");
			CHECK_EQ(s2_unmap(&t.p, s2_ipa(base + lo * page), (hi - lo) * page, NULL), 0,
				 "cfg %zu cut %zu: unmap", c, k);
			unsigned bad = 0;
			for (uint64_t i = 0; i < all; i++) {
				uint64_t *e = ut_entry(&t, base + i * page, 3), d = e ? *e : 0;
				uint64_t want = i >= lo && i < hi ? 0 : i % 5 == 2 ? 0 :
						a_leaf(&t.g, 3, 0x40000000 + i * page, M_R | M_AF);
				if (d != want && bad++ < 3)
					CHECK_EQ(d, want, "cfg %zu cut %zu: page %llu", c, k,
						 (unsigned long long)i);
			}
			ut_check_structure(&t, "after a partial unmap");
			CHECK_EQ(s2_unmap(&t.p, s2_ipa(base), all * page, NULL), 0, "unmap all");
			CHECK_EQ(t.r.env.live_bytes, t.root_live, "cfg %zu cut %zu: all freed", c, k);
		}
		ut_fini(&t);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		UNIT_TEST(test_largest_leaf), UNIT_TEST(test_pages), UNIT_TEST(test_mixed_sizes),
		UNIT_TEST(test_concatenated_root), UNIT_TEST(test_top_of_ipa_space),
		UNIT_TEST(test_table_descriptor_bits),
		UNIT_TEST(test_unmap_parts_of_tables),
	};
	return unit_run("pgtable layout", tests, ARRAY_LEN(tests));
}
