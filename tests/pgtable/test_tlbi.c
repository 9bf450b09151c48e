/* SPDX-License-Identifier: MIT */
/*
 * TLB maintenance (include/s2/pgtable.h): one range TLBI per range
 * operation that invalidates or changes entries, none when nothing
 * changed and none for mapping fresh memory; break-before-make with a
 * TLBI by IPA carrying the replaced entry's level when a live
 * mapping changes its output address, size or memory type (checked at
 * the moment of the TLBI: the entry is already invalid); tables freed
 * only after the TLBI that covers them; destroy invalidates the VMID
 * before freeing.
 */
#include "ut.h"

/* At each TLBI by IPA, the entry at the hinted level must be invalid. */
static unsigned long bbm_seen, bbm_bad;

static void on_tlbi(struct renv *r, const struct ev *e, void *arg)
{
	struct ut *t = arg;
	uint64_t d;
	int l;

	(void)r;
	if (e->k != EV_TLBI_IPA)
		return;
	bbm_seen++;
	if (!tw_lookup(&t->tw, e->a, &d, &l) || d != 0 || l != e->level) {
		bbm_bad++;
		print_error("tlbi_ipa(%#llx, L%d) while the entry is %#llx at L%d\n",
			    (unsigned long long)e->a, e->level, (unsigned long long)d, l);
	}
}

static const struct { unsigned shift, ipa, ps; bool lpa2; int start; } cfgs[] = {
	{ 12, 40, 0, false, S2_START_AUTO }, { 12, 48, 48, false, 0 }, { 12, 52, 52, true, -1 },
	{ 14, 52, 52, true, S2_START_AUTO }, { 16, 52, 52, false, S2_START_AUTO },
};

static void init(struct ut *t, size_t c, unsigned flags)
{
	ut_init(t, cfgs[c].shift, cfgs[c].ipa, cfgs[c].ps, cfgs[c].lpa2, cfgs[c].start, flags, 0);
	t->r.on_tlbi = on_tlbi;
	t->r.arg = t;
}

static size_t count(struct ut *t, enum ev_kind k) { return renv_count(&t->r, k); }

/* The first event of kind @k (or a zeroed one). */
static struct ev first(struct ut *t, enum ev_kind k)
{
	for (size_t i = 0; i < t->r.n; i++)
		if (t->r.log[i].k == k)
			return t->r.log[i];
	return (struct ev){ 0 };
}

/* Exactly one range TLBI, for exactly the operation's range. */
static void expect_one_range(struct ut *t, uint64_t ipa, uint64_t size, const char *what)
{
	CHECK_EQ(count(t, EV_TLBI_RANGE), 1, "%s: range TLBIs", what);
	CHECK_EQ(count(t, EV_TLBI_IPA) + count(t, EV_TLBI_VMID), 0, "%s: other TLBIs", what);
	for (size_t i = 0; i < t->r.n; i++)
		if (t->r.log[i].k == EV_TLBI_RANGE) {
			CHECK_EQ(t->r.log[i].a, ipa, "%s: range start", what);
			CHECK_EQ(t->r.log[i].b, size, "%s: range size", what);
			CHECK_EQ(t->r.log[i].vmid, t->p.vmid, "%s: VMID", what);
		}
}

static void expect_none(struct ut *t, const char *what)
{
	CHECK_EQ(count(t, EV_TLBI_RANGE) + count(t, EV_TLBI_IPA) + count(t, EV_TLBI_VMID), 0,
		 "%s: no TLBI", what);
}

static void test_range_ops(void **state)
{
	(void)state;
	for (size_t c = 0; c < ARRAY_LEN(cfgs); c++) {
		struct ut t;
		uint64_t bm[256];    /* a bit per page of a block: 64K has 8192 */
		init(&t, c, 0);
		uint64_t b = a_lsize(&t.g, 2), page = a_page(&t.g), lo = 4 * b, n = 2 * b;
		/* Blocks and pages in [lo, lo + n), nothing in [8b, 10b). */
		CHECK_EQ(s2_map(&t.p, s2_ipa(lo), b, s2_pa(lo), S2_PROT_R | S2_PROT_W, 0, NULL), 0, "map");
		CHECK_EQ(s2_map(&t.p, s2_ipa(lo + b), b, s2_pa(lo), S2_PROT_R | S2_PROT_W, S2_MAP_PAGES,
				NULL), 0, "map pages");

		renv_clear(&t.r);
		CHECK_EQ(s2_protect(&t.p, s2_ipa(lo), n, S2_PROT_R, NULL), 0, "protect");
		expect_one_range(&t, lo, n, "protect");
		renv_clear(&t.r);
		CHECK_EQ(s2_protect(&t.p, s2_ipa(lo), n, S2_PROT_R, NULL), 0, "protect");
		expect_none(&t, "protect to the same permissions");
		renv_clear(&t.r);
		CHECK_EQ(s2_protect(&t.p, s2_ipa(lo), n, S2_PROT_R | S2_PROT_W, NULL), 0, "protect");
		expect_one_range(&t, lo, n, "protect relaxing");

		renv_clear(&t.r);
		CHECK_EQ(s2_wrprotect(&t.p, s2_ipa(lo), n, NULL), 0, "wrprotect");
		expect_one_range(&t, lo, n, "wrprotect");
		renv_clear(&t.r);
		CHECK_EQ(s2_wrprotect(&t.p, s2_ipa(lo), n, NULL), 0, "wrprotect");
		expect_none(&t, "wrprotect of nothing writable");

		renv_clear(&t.r);
		memset(bm, 0, sizeof(bm));
		CHECK_EQ(s2_harvest_dirty(&t.p, s2_ipa(lo + b), b, bm, ARRAY_LEN(bm), NULL), 0, "harvest");
		expect_none(&t, "harvest of nothing dirty");
		CHECK_EQ(s2_mark_dirty(&t.p, s2_ipa(lo + b + page)), 1, "dirty");
		CHECK_EQ(s2_mkyoung(&t.p, s2_ipa(lo + b + page)), 0, "young");
		expect_none(&t, "fault paths (relaxing needs no TLBI)");
		renv_clear(&t.r);
		CHECK_EQ(s2_harvest_dirty(&t.p, s2_ipa(lo + b), b, bm, ARRAY_LEN(bm), NULL), 1, "harvest");
		expect_one_range(&t, lo + b, b, "harvest");

		renv_clear(&t.r);
		CHECK(s2_mkold(&t.p, s2_ipa(lo), n, NULL) > 0, "mkold");
		expect_one_range(&t, lo, n, "mkold");
		renv_clear(&t.r);
		CHECK_EQ(s2_mkold(&t.p, s2_ipa(lo), n, NULL), 0, "mkold");
		expect_none(&t, "mkold of nothing young");

		renv_clear(&t.r);
		CHECK_EQ(s2_unmap(&t.p, s2_ipa(8 * b), 2 * b, NULL), 0, "unmap");
		expect_none(&t, "unmap of nothing");
		renv_clear(&t.r);
		CHECK_EQ(s2_unmap(&t.p, s2_ipa(lo), n, NULL), 0, "unmap");
		expect_one_range(&t, lo, n, "unmap");
		ut_fini(&t);
	}
}

/* Mapping memory where nothing was mapped needs no TLBI at all. */
static void test_fresh_map(void **state)
{
	(void)state;
	for (size_t c = 0; c < ARRAY_LEN(cfgs); c++) {
		struct ut t;
		init(&t, c, 0);
		uint64_t b = a_lsize(&t.g, 2), page = a_page(&t.g);
		renv_clear(&t.r);
		CHECK_EQ(s2_map(&t.p, s2_ipa(b), b, s2_pa(b), S2_PROT_R, 0, NULL), 0, "block");
		CHECK_EQ(s2_map(&t.p, s2_ipa(3 * b - page), 3 * page, s2_pa(page), S2_PROT_R, 0, NULL), 0,
			 "pages across a table boundary");
		CHECK_EQ(s2_map(&t.p, s2_ipa(3 * b + 2 * page), page, s2_pa(page), S2_PROT_R, 0, NULL), 0,
			 "one more page in an existing table");
		expect_none(&t, "fresh maps");
		CHECK_EQ(count(&t, EV_FREE), 0, "fresh maps free nothing");
		renv_clear(&t.r);
		CHECK_EQ(s2_map(&t.p, s2_ipa(b), b, s2_pa(b), S2_PROT_R, 0, NULL), 0, "the same again");
		expect_none(&t, "an identical map");
		ut_fini(&t);
	}
}

/* Live mappings replaced: another PA, another memory type, a block over
   pages, pages over a block; permissions only need no break. */
static void test_break_before_make(void **state)
{
	(void)state;
	for (size_t c = 0; c < ARRAY_LEN(cfgs); c++) {
		struct ut t;
		init(&t, c, 0);
		uint64_t b = a_lsize(&t.g, 2), page = a_page(&t.g);
		CHECK_EQ(s2_map(&t.p, s2_ipa(b), b, s2_pa(b), S2_PROT_R, 0, NULL), 0, "block");
		CHECK_EQ(s2_map(&t.p, s2_ipa(4 * b), 2 * page, s2_pa(0), S2_PROT_R, 0, NULL), 0, "pages");
		bbm_seen = bbm_bad = 0;

		renv_clear(&t.r);
		CHECK_EQ(s2_map(&t.p, s2_ipa(b), b, s2_pa(2 * b), S2_PROT_R, 0, NULL), 0, "another PA");
		CHECK_EQ(count(&t, EV_TLBI_IPA), 1, "cfg %zu: one BBM", c);
		CHECK(first(&t, EV_TLBI_IPA).a == b && first(&t, EV_TLBI_IPA).level == 2,
		      "cfg %zu: tlbi_ipa(block, level 2)", c);
		CHECK_EQ(*ut_entry(&t, b, 2), a_leaf(&t.g, 2, 2 * b, M_R | M_AF), "cfg %zu: made", c);

		renv_clear(&t.r);
		CHECK_EQ(s2_map(&t.p, s2_ipa(b), b, s2_pa(2 * b), S2_PROT_R | S2_PROT_DEVICE, 0, NULL), 0,
			 "device");
		CHECK_EQ(count(&t, EV_TLBI_IPA), 1, "cfg %zu: memory type change breaks", c);

		renv_clear(&t.r);
		CHECK_EQ(s2_map(&t.p, s2_ipa(b), b, s2_pa(2 * b), S2_PROT_R | S2_PROT_W | S2_PROT_DEVICE,
				0, NULL), 0, "permissions");
		expect_one_range(&t, b, b, "permission change through map");

		renv_clear(&t.r);
		CHECK_EQ(s2_map(&t.p, s2_ipa(4 * b + page), page, s2_pa(b), S2_PROT_R, 0, NULL), 0, "page");
		CHECK(count(&t, EV_TLBI_IPA) == 1 && first(&t, EV_TLBI_IPA).a == 4 * b + page &&
		      first(&t, EV_TLBI_IPA).level == 3, "cfg %zu: tlbi_ipa(page, level 3)", c);

		/* A table of pages replaced by a block: the table's span is
		   invalidated while the entry is invalid, then the table freed. */
		uint64_t *e = ut_entry(&t, 4 * b, 2);
		uint64_t table_pa = a_dec_oa(&t.g, *e);
		renv_clear(&t.r);
		CHECK_EQ(s2_map(&t.p, s2_ipa(4 * b), b, s2_pa(4 * b), S2_PROT_R, 0, NULL), 0, "block over pages");
		size_t tlbi = SIZE_MAX, freed = SIZE_MAX;
		for (size_t i = 0; i < t.r.n; i++) {
			if (t.r.log[i].k == EV_TLBI_RANGE && t.r.log[i].a == 4 * b && t.r.log[i].b == b)
				tlbi = i;
			if (t.r.log[i].k == EV_FREE && t.r.log[i].a == table_pa)
				freed = i;
		}
		CHECK(tlbi != SIZE_MAX, "cfg %zu: the table's span invalidated", c);
		CHECK(freed != SIZE_MAX && freed > tlbi, "cfg %zu: the table freed after", c);

		/* A block replaced by pages (PA not block-aligned): one break. */
		renv_clear(&t.r);
		CHECK_EQ(s2_map(&t.p, s2_ipa(4 * b), b, s2_pa(page), S2_PROT_R, 0, NULL), 0, "pages over a block");
		CHECK(count(&t, EV_TLBI_IPA) == 1 && first(&t, EV_TLBI_IPA).a == 4 * b &&
		      first(&t, EV_TLBI_IPA).level == 2, "cfg %zu: break the block", c);
		CHECK_EQ(bbm_bad, 0, "cfg %zu: every tlbi_ipa found its entry invalid", c);
		CHECK(bbm_seen >= 4, "cfg %zu: BBM checked", c);
		ut_check_structure(&t, "bbm");
		ut_fini(&t);
	}
}

/*
 * Cutting a block (unmap, protect, wrprotect of part of it): no TLBI of
 * its own; the block is broken before the operation's one range TLBI,
 * which is widened to cover it; the replacement table is linked after.
 * s2_split() instead breaks each block with a TLBI by IPA at its level.
 */
static uint64_t cut_block_entry;
static bool cut_block_broken;

static void on_tlbi_cut(struct renv *r, const struct ev *e, void *arg)
{
	struct ut *t = arg;
	uint64_t d;
	int l;

	(void)r;
	if (e->a <= cut_block_entry && e->a + (e->k == EV_TLBI_IPA ? 1 : e->b) > cut_block_entry)
		cut_block_broken &= tw_lookup(&t->tw, cut_block_entry, &d, &l) && d == 0 && l == 2;
}

static void test_cut_block(void **state)
{
	(void)state;
	for (size_t c = 0; c < ARRAY_LEN(cfgs); c++)
	for (int op = 0; op < 3; op++) {
		struct ut t;
		init(&t, c, 0);
		t.r.on_tlbi = on_tlbi_cut;
		uint64_t b = a_lsize(&t.g, 2), page = a_page(&t.g);
		CHECK_EQ(s2_map(&t.p, s2_ipa(b), b, s2_pa(b), S2_PROT_R | S2_PROT_W, 0, NULL), 0, "block");
		renv_clear(&t.r);
		cut_block_entry = b;
		cut_block_broken = true;
		int rc = op == 0 ? s2_unmap(&t.p, s2_ipa(b + page), page, NULL) :
			 op == 1 ? s2_protect(&t.p, s2_ipa(b + page), page, S2_PROT_R, NULL) :
				   s2_wrprotect(&t.p, s2_ipa(b + page), page, NULL);
		CHECK_EQ(rc, 0, "cfg %zu op %d", c, op);
		CHECK_EQ(count(&t, EV_TLBI_RANGE), 1, "cfg %zu op %d: one range TLBI", c, op);
		struct ev range = first(&t, EV_TLBI_RANGE);
		CHECK_EQ(count(&t, EV_TLBI_IPA), 0, "cfg %zu op %d: no TLBI of the block's own", c, op);
		CHECK(range.a == b && range.b == b, "cfg %zu op %d: range [%#llx +%#llx) widened to the block",
		      c, op, (unsigned long long)range.a, (unsigned long long)range.b);
		CHECK(cut_block_broken, "cfg %zu op %d: block broken before its TLBI", c, op);
		CHECK(a_is_table(*ut_entry(&t, b, 2), 2), "cfg %zu op %d: then a table", c, op);
		CHECK_EQ(ut_check_structure(&t, "cut"), (1ULL << t.g.stride) - (op == 0), "cfg %zu op %d", c, op);
		ut_fini(&t);
	}
	for (size_t c = 0; c < ARRAY_LEN(cfgs); c++) {
		struct ut t;
		init(&t, c, 0);
		uint64_t b = a_lsize(&t.g, 2);
		CHECK_EQ(s2_map(&t.p, s2_ipa(b), 2 * b, s2_pa(b), S2_PROT_R, 0, NULL), 0, "blocks");
		renv_clear(&t.r);
		bbm_bad = 0;
		CHECK_EQ(s2_split(&t.p, s2_ipa(b), 2 * b, NULL), 0, "cfg %zu split", c);
		CHECK_EQ(count(&t, EV_TLBI_IPA), 2, "cfg %zu split: one TLBI per block", c);
		CHECK(first(&t, EV_TLBI_IPA).a == b && first(&t, EV_TLBI_IPA).level == 2, "cfg %zu: level 2", c);
		CHECK_EQ(count(&t, EV_TLBI_RANGE), 0, "cfg %zu split: no range", c);
		CHECK_EQ(bbm_bad, 0, "cfg %zu split: broken first", c);
		ut_fini(&t);
	}
}

/* Tables emptied by unmap are freed after the range TLBI; all of them. */
static void test_free_after_tlbi(void **state)
{
	(void)state;
	for (size_t c = 0; c < ARRAY_LEN(cfgs); c++) {
		struct ut t;
		struct snap s;
		init(&t, c, 0);
		uint64_t b = a_lsize(&t.g, 2), page = a_page(&t.g);
		CHECK_EQ(s2_map(&t.p, s2_ipa(b - page), 2 * page, s2_pa(0), S2_PROT_R, 0, NULL), 0, "map");
		tw_snapshot(&t.tw, &s);
		renv_clear(&t.r);
		CHECK_EQ(s2_unmap(&t.p, s2_ipa(0), 4 * b, NULL), 0, "unmap");
		size_t first_free = SIZE_MAX, last_tlbi = 0, frees = 0;
		for (size_t i = 0; i < t.r.n; i++) {
			if (t.r.log[i].k == EV_TLBI_RANGE)
				last_tlbi = i;
			if (t.r.log[i].k == EV_FREE) {
				frees++;
				if (first_free == SIZE_MAX)
					first_free = i;
				bool was_table = false;
				for (size_t k = 1; k < s.n; k++)
					was_table |= s.t[k].pa == t.r.log[i].a;
				CHECK(was_table, "cfg %zu: freed %#llx was a table", c, (unsigned long long)t.r.log[i].a);
			}
		}
		CHECK_EQ(frees, s.n - 1, "cfg %zu: every table but the root freed", c);
		CHECK(first_free > last_tlbi, "cfg %zu: after the TLBI", c);
		CHECK_EQ(t.p.stats.tables, 1, "cfg %zu: only the root", c);
		snap_free(&s);

		/* destroy: one VMID-wide TLBI, then every table. */
		CHECK_EQ(s2_map(&t.p, s2_ipa(b - page), 2 * page, s2_pa(0), S2_PROT_R, 0, NULL), 0, "map");
		uint64_t tables = t.p.stats.tables;
		renv_clear(&t.r);
		t.r.on_tlbi = NULL;
		s2_pgtable_destroy(&t.p);
		CHECK(t.r.n > 0 && t.r.log[0].k == EV_TLBI_VMID, "cfg %zu: destroy starts with tlbi_vmid", c);
		CHECK_EQ(count(&t, EV_TLBI_VMID), 1, "cfg %zu: one", c);
		CHECK_EQ(count(&t, EV_FREE), tables, "cfg %zu: all tables freed", c);
		CHECK_EQ(t.r.env.live_bytes, 0, "cfg %zu: nothing held", c);
		renv_fini(&t.r);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		UNIT_TEST(test_range_ops), UNIT_TEST(test_fresh_map), UNIT_TEST(test_break_before_make),
		UNIT_TEST(test_cut_block), UNIT_TEST(test_free_after_tlbi),
	};
	return unit_run("pgtable TLB maintenance", tests, ARRAY_LEN(tests));
}
