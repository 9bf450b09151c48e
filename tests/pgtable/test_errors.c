/* SPDX-License-Identifier: MIT */
/*
 * Malformed calls (include/s2/pgtable.h): EINVAL for size 0, an IPA,
 * size or PA not aligned to the granule, an overflowing range, bad
 * permissions or flags; ERANGE for a range beyond the IPA space. Every
 * refused call leaves the tables bit for bit as they were, calls nothing
 * in the environment and says why in the diagnostic.
 */
#include "ut.h"

enum { MAP, UNMAP, PROTECT, WRPROTECT, HARVEST, MKOLD, SPLIT, COLLAPSE, FLUSH, NOPS };
static const char *names[] = { "map", "unmap", "protect", "wrprotect", "harvest", "mkold",
			       "split", "collapse", "flush" };

static uint64_t bitmap[1 << 12];

static int64_t call(struct ut *t, int op, uint64_t ipa, uint64_t size, uint64_t pa,
		    unsigned prot, unsigned flags, struct s2_diag *d)
{
	s2_ipa_t i = s2_ipa(ipa);

	switch (op) {
	case MAP: return s2_map(&t->p, i, size, s2_pa(pa), prot, flags, d);
	case UNMAP: return s2_unmap(&t->p, i, size, d);
	case PROTECT: return s2_protect(&t->p, i, size, prot, d);
	case WRPROTECT: return s2_wrprotect(&t->p, i, size, d);
	case HARVEST: return s2_harvest_dirty(&t->p, i, size, bitmap, ARRAY_LEN(bitmap), d);
	case MKOLD: return s2_mkold(&t->p, i, size, d);
	case SPLIT: return s2_split(&t->p, i, size, d);
	case COLLAPSE: return s2_collapse(&t->p, i, size, d);
	default: return s2_flush(&t->p, i, size, d);
	}
}

/* Some blocks and pages, so there is something to damage. */
static void populate(struct ut *t)
{
	uint64_t b = a_lsize(&t->g, 2), page = a_page(&t->g);

	CHECK_EQ(s2_map(&t->p, s2_ipa(0), 4 * b, s2_pa(0), S2_PROT_RWX, 0, NULL), 0, "blocks");
	CHECK_EQ(s2_map(&t->p, s2_ipa(8 * b + page), 5 * page, s2_pa(b), S2_PROT_R, 0, NULL), 0, "pages");
	CHECK_EQ(s2_wrprotect(&t->p, s2_ipa(0), b, NULL), 0, "logging");
	CHECK_EQ(s2_mark_dirty(&t->p, s2_ipa(0)), 1, "dirty");
}

static void expect_refused(struct ut *t, const struct snap *before, int64_t rc, int64_t want,
			   const struct s2_diag *d, const char *what)
{
	struct snap after;
	char why[200];

	CHECK_EQ(rc, want, "%s", what);
	CHECK(d->msg[0] != 0, "%s: a diagnostic", what);
	CHECK_EQ(t->r.n, 0, "%s: no environment calls", what);
	tw_snapshot(&t->tw, &after);
	CHECK(snap_equal(before, &after, why, sizeof(why)), "%s: tables unchanged: %s", what, why);
	snap_free(&after);
}

static const struct { unsigned shift, ipa, ps; bool lpa2; } cfgs[] = {
	{ 12, 40, 0, false }, { 16, 52, 52, false }, { 14, 52, 52, true }, { 12, 52, 52, true },
};

static void test_ranges(void **state)
{
	(void)state;
	for (size_t c = 0; c < ARRAY_LEN(cfgs); c++) {
		struct ut t;
		struct snap before;
		char what[160];
		ut_init(&t, cfgs[c].shift, cfgs[c].ipa, cfgs[c].ps, cfgs[c].lpa2, S2_START_AUTO, 0, 0);
		uint64_t page = a_page(&t.g), end = a_ipa_end(&t.g);
		const struct { uint64_t ipa, size; int64_t err; } bad[] = {
			{ 0, 0, S2_EINVAL },                      /* size 0 */
			{ 1, page, S2_EINVAL },                   /* IPA not aligned */
			{ page / 2, page, S2_EINVAL },
			{ 0, page + 8, S2_EINVAL },               /* size not aligned */
			{ page, page - 1, S2_EINVAL },
			{ -page, 2 * page, S2_EINVAL },           /* wraps around */
			{ page, -page, S2_EINVAL },
			{ end - page, 2 * page, S2_ERANGE },      /* beyond the IPA space */
			{ end, page, S2_ERANGE },
			{ 0, end + page, S2_ERANGE },
			{ 1ULL << 63, page, S2_ERANGE },
		};
		populate(&t);
		tw_snapshot(&t.tw, &before);
		for (int op = 0; op < NOPS; op++)
		for (size_t k = 0; k < ARRAY_LEN(bad); k++) {
			struct s2_diag d = { "" };
			renv_clear(&t.r);
			int64_t rc = call(&t, op, bad[k].ipa, bad[k].size, 0, S2_PROT_R, 0, &d);
			snprintf(what, sizeof(what), "cfg %zu %s(%#llx, %#llx)", c, names[op],
				 (unsigned long long)bad[k].ipa, (unsigned long long)bad[k].size);
			expect_refused(&t, &before, rc, bad[k].err, &d, what);
		}
		snap_free(&before);
		ut_fini(&t);
	}
}

/* Permissions, PAs and flags of s2_map(), s2_protect(), a missing bitmap. */
static void test_arguments(void **state)
{
	(void)state;
	for (size_t c = 0; c < ARRAY_LEN(cfgs); c++) {
		struct ut t;
		struct snap before;
		char what[160];
		ut_init(&t, cfgs[c].shift, cfgs[c].ipa, cfgs[c].ps, cfgs[c].lpa2, S2_START_AUTO, 0, 0);
		uint64_t page = a_page(&t.g), ipa = 16 * a_lsize(&t.g, 2);
		const struct { int op; uint64_t pa; unsigned prot, flags; } bad[] = {
			{ MAP, 0x800, S2_PROT_R, 0 },              /* PA not aligned */
			{ MAP, page / 2, S2_PROT_R, 0 },
			{ MAP, 0, S2_PROT_R | 0x10, 0 },           /* unknown bits */
			{ MAP, 0, 0x80000000u, 0 },
			{ MAP, 0, S2_PROT_R | S2_PROT_X | S2_PROT_DEVICE, 0 },   /* executable device */
			{ MAP, 0, S2_PROT_X | S2_PROT_DEVICE, 0 },
			{ MAP, 0, S2_PROT_R, 0x2 },                /* unknown flags */
			{ MAP, 0, S2_PROT_R, 0x80000000u },
			{ PROTECT, 0, S2_PROT_R | S2_PROT_DEVICE, 0 },           /* not the memory type */
			{ PROTECT, 0, S2_PROT_R | 0x100, 0 },
		};
		populate(&t);
		tw_snapshot(&t.tw, &before);
		for (size_t k = 0; k < ARRAY_LEN(bad); k++) {
			struct s2_diag d = { "" };
			renv_clear(&t.r);
			int64_t rc = call(&t, bad[k].op, ipa, page, bad[k].pa, bad[k].prot, bad[k].flags, &d);
			snprintf(what, sizeof(what), "cfg %zu %s pa %#llx prot %#x flags %#x", c,
				 names[bad[k].op], (unsigned long long)bad[k].pa, bad[k].prot, bad[k].flags);
			expect_refused(&t, &before, rc, S2_EINVAL, &d, what);
		}
		struct s2_diag d = { "" };
		renv_clear(&t.r);
		expect_refused(&t, &before, s2_harvest_dirty(&t.p, s2_ipa(0), page, NULL, 1, &d),
			       S2_EINVAL, &d, "harvest without a bitmap");
		/* 65 pages need two words. */
		renv_clear(&t.r);
		expect_refused(&t, &before, s2_harvest_dirty(&t.p, s2_ipa(0), 65 * page, bitmap, 1, &d),
			       S2_EINVAL, &d, "harvest into a bitmap too short");
		CHECK(strstr(d.msg, "holds 64 pages") && strstr(d.msg, "(2 words)"), "message: %s", d.msg);
		snap_free(&before);
		ut_fini(&t);
	}
}

/* The single-address calls: ERANGE beyond the space, ENOENT where nothing
   is mapped; translate reports faults, and refuses NULL. */
static void test_single_address(void **state)
{
	(void)state;
	for (size_t c = 0; c < ARRAY_LEN(cfgs); c++) {
		struct ut t;
		struct s2_xlate x;
		ut_init(&t, cfgs[c].shift, cfgs[c].ipa, cfgs[c].ps, cfgs[c].lpa2, S2_START_AUTO, 0, 0);
		uint64_t end = a_ipa_end(&t.g), far = 16 * a_lsize(&t.g, 2);
		populate(&t);
		uint64_t at[] = { end, end + 1, 1ULL << 63, ~0ULL };
		for (size_t k = 0; k < ARRAY_LEN(at); k++) {
			CHECK_EQ(s2_mark_dirty(&t.p, s2_ipa(at[k])), S2_ERANGE, "cfg %zu mark_dirty %#llx", c,
				 (unsigned long long)at[k]);
			CHECK_EQ(s2_mkyoung(&t.p, s2_ipa(at[k])), S2_ERANGE, "cfg %zu mkyoung %#llx", c,
				 (unsigned long long)at[k]);
			CHECK_EQ(s2_translate(&t.p, s2_ipa(at[k]), &x), 0, "cfg %zu", c);
			CHECK(!x.valid && x.level == 0 && x.fsc == a_fsc(0) && x.desc == 0,
			      "cfg %zu translate %#llx: a level-0 translation fault", c,
			      (unsigned long long)at[k]);
		}
		CHECK_EQ(s2_mark_dirty(&t.p, s2_ipa(far)), S2_ENOENT, "cfg %zu mark_dirty unmapped", c);
		CHECK_EQ(s2_mkyoung(&t.p, s2_ipa(far)), S2_ENOENT, "cfg %zu mkyoung unmapped", c);
		CHECK_EQ(s2_translate(&t.p, s2_ipa(far), NULL), S2_EINVAL, "cfg %zu translate NULL", c);
		CHECK_EQ(s2_translate(NULL, s2_ipa(far), &x), S2_EINVAL, "cfg %zu translate NULL table", c);
		ut_fini(&t);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		UNIT_TEST(test_ranges), UNIT_TEST(test_arguments), UNIT_TEST(test_single_address),
	};
	return unit_run("pgtable errors", tests, ARRAY_LEN(tests));
}
