/* SPDX-License-Identifier: MIT */
/*
 * Leaf attributes, field by field, with the bit positions written out
 * here (Arm ARM D8.3.2, stage 2): MemAttr [5:2] (0b1111 Normal
 * write-back, 0b0001 Device-nGnRE), S2AP [7:6], SH [9:8] inner unless
 * DS=1, AF [10], DBM [51], XN [54:53]; s2kit's dirty-logging software
 * bit [55]. Map, protect, wrprotect with and without VTCR.HD, the
 * write-fault path, harvesting, and aging.
 */
#include <stdlib.h>
#include "ut.h"

#define MEMATTR(d) (((d) >> 2) & 0xf)
#define S2AP(d)    (((d) >> 6) & 3)
#define SH(d)      (((d) >> 8) & 3)
#define AF(d)      (((d) >> 10) & 1)
#define DBM(d)     (((d) >> 51) & 1)
#define XN(d)      (((d) >> 53) & 3)
#define LOGGED(d)  (((d) >> 55) & 1)

static const struct { unsigned shift, ipa, ps; bool lpa2; } cfgs[] = {
	{ 12, 40, 0, false }, { 12, 52, 52, true }, { 16, 52, 52, false }, { 14, 47, 48, false },
};

static uint64_t entry(struct ut *t, uint64_t ipa)
{
	int l;
	uint64_t d;

	if (!tw_lookup(&t->tw, ipa, &d, &l))
		return 0;
	return d;
}

/* Every accepted permission and memory type, on a page and on a block. */
static void test_map_fields(void **state)
{
	static const unsigned prots[] = {
		0, S2_PROT_R, S2_PROT_R | S2_PROT_W, S2_PROT_R | S2_PROT_X, S2_PROT_RWX,
		S2_PROT_W, S2_PROT_X, S2_PROT_W | S2_PROT_X,          /* S2AP and XN are independent */
		S2_PROT_DEVICE, S2_PROT_R | S2_PROT_DEVICE, S2_PROT_R | S2_PROT_W | S2_PROT_DEVICE,
		S2_PROT_W | S2_PROT_DEVICE,
	};
	(void)state;
	for (size_t c = 0; c < ARRAY_LEN(cfgs); c++)
	for (size_t k = 0; k < ARRAY_LEN(prots); k++) {
		struct ut t;
		struct s2_xlate x;
		unsigned p = prots[k];
		ut_init(&t, cfgs[c].shift, cfgs[c].ipa, cfgs[c].ps, cfgs[c].lpa2, S2_START_AUTO, 0, 0);
		uint64_t page = a_page(&t.g), b = a_lsize(&t.g, 2);
		CHECK_EQ(s2_map(&t.p, s2_ipa(page), page, s2_pa(b), p, 0, NULL), 0, "cfg %zu prot %#x", c, p);
		CHECK_EQ(s2_map(&t.p, s2_ipa(b), b, s2_pa(2 * b), p, 0, NULL), 0, "cfg %zu prot %#x", c, p);
		for (int blk = 0; blk < 2; blk++) {
			uint64_t d = entry(&t, blk ? b : page);
			CHECK_EQ(d & 3, blk ? 1 : 3, "cfg %zu prot %#x %s: type", c, p, blk ? "block" : "page");
			CHECK_EQ(MEMATTR(d), p & S2_PROT_DEVICE ? 0x1 : 0xf, "cfg %zu prot %#x: MemAttr", c, p);
			CHECK_EQ(S2AP(d), (p & S2_PROT_R ? 1 : 0) | (p & S2_PROT_W ? 2 : 0),
				 "cfg %zu prot %#x: S2AP", c, p);
			CHECK_EQ(SH(d), cfgs[c].lpa2 ? 0 : 3, "cfg %zu prot %#x: SH", c, p);
			CHECK_EQ(AF(d), 1, "cfg %zu prot %#x: AF", c, p);
			CHECK_EQ(XN(d), p & S2_PROT_X ? 0 : 2, "cfg %zu prot %#x: XN", c, p);
			CHECK_EQ(DBM(d) | LOGGED(d), 0, "cfg %zu prot %#x: not logging", c, p);
			CHECK_EQ(d & A_MASK(63, 56), 0, "cfg %zu prot %#x: high bits", c, p);
			s2_translate(&t.p, s2_ipa(blk ? b : page), &x);
			CHECK(x.valid && x.prot == p && x.young && !x.dirty_log,
			      "cfg %zu prot %#x: translate prot %#x", c, p, x.prot);
		}
		ut_fini(&t);
	}
}

/* protect changes S2AP and XN only: output, memory type and AF stay. */
static void test_protect(void **state)
{
	(void)state;
	for (size_t c = 0; c < ARRAY_LEN(cfgs); c++)
	for (int dev = 0; dev < 2; dev++) {
		struct ut t;
		ut_init(&t, cfgs[c].shift, cfgs[c].ipa, cfgs[c].ps, cfgs[c].lpa2, S2_START_AUTO, 0, 0);
		uint64_t page = a_page(&t.g), b = a_lsize(&t.g, 2);
		unsigned base = dev ? S2_PROT_DEVICE : 0;
		CHECK_EQ(s2_map(&t.p, s2_ipa(b), b, s2_pa(3 * b), base | S2_PROT_R, 0, NULL), 0, "map");
		uint64_t d0 = entry(&t, b);
		s2_mkold(&t.p, s2_ipa(b), b, NULL);
		static const unsigned to[] = { S2_PROT_R | S2_PROT_W, 0, S2_PROT_R, S2_PROT_RWX,
					       S2_PROT_W, S2_PROT_X, S2_PROT_W | S2_PROT_X };
		for (size_t k = 0; k < ARRAY_LEN(to); k++) {
			if (dev && (to[k] & S2_PROT_X))
				continue;     /* see test_protect_device_exec */
			CHECK_EQ(s2_protect(&t.p, s2_ipa(b), b, to[k], NULL), 0, "cfg %zu dev %d to %#x", c, dev, to[k]);
			uint64_t d = entry(&t, b);
			CHECK_EQ(S2AP(d), (to[k] & S2_PROT_R ? 1 : 0) | (to[k] & S2_PROT_W ? 2 : 0),
				 "cfg %zu dev %d to %#x: S2AP", c, dev, to[k]);
			CHECK_EQ(XN(d), to[k] & S2_PROT_X ? 0 : 2, "cfg %zu dev %d to %#x: XN", c, dev, to[k]);
			CHECK_EQ(d & ~(A_MASK(7, 6) | A_MASK(54, 53)), (d0 & ~(A_MASK(7, 6) | A_MASK(54, 53) | A_BIT(10))),
				 "cfg %zu dev %d to %#x: the rest unchanged (aged)", c, dev, to[k]);
		}
		/* A protect that cuts the block: the rest keeps the old permissions. */
		CHECK_EQ(s2_protect(&t.p, s2_ipa(b), b, S2_PROT_R, NULL), 0, "read-only");
		CHECK_EQ(s2_protect(&t.p, s2_ipa(b), page, S2_PROT_R | S2_PROT_W, NULL), 0, "cut");
		CHECK_EQ(S2AP(entry(&t, b)), 3, "cfg %zu: first page writable", c);
		CHECK_EQ(S2AP(entry(&t, b + page)), 1, "cfg %zu: second page as before", c);
		ut_fini(&t);
	}
}

/*
 * s2_map() refuses executable device memory; s2_protect() must not make
 * a device mapping executable either (it may refuse, or leave XN set).
 */
static void test_protect_device_exec(void **state)
{
	(void)state;
	for (size_t c = 0; c < ARRAY_LEN(cfgs); c++) {
		struct ut t;
		struct s2_xlate x;
		ut_init(&t, cfgs[c].shift, cfgs[c].ipa, cfgs[c].ps, cfgs[c].lpa2, S2_START_AUTO, 0, 0);
		uint64_t page = a_page(&t.g);
		CHECK_EQ(s2_map(&t.p, s2_ipa(page), page, s2_pa(0x10000000), S2_PROT_R | S2_PROT_DEVICE,
				0, NULL), 0, "map device");
		int rc = s2_protect(&t.p, s2_ipa(page), page, S2_PROT_RWX, NULL);
		s2_translate(&t.p, s2_ipa(page), &x);
		bool exec = x.valid && (x.prot & S2_PROT_X);
		CHECK(rc == S2_EINVAL || rc == 0, "cfg %zu: rc %d", c, rc);
		CHECK(!exec, "cfg %zu: device memory made executable (XN %llu)", c,
		      (unsigned long long)XN(entry(&t, page)));
		ut_fini(&t);
	}
}

/* Dirty logging: wrprotect clears S2AP.W and sets the logging bit (and
   DBM with VTCR.HD); the write fault makes it writable again; harvest
   reports and re-protects; protect ends logging. */
static void test_dirty_logging(void **state)
{
	(void)state;
	for (size_t c = 0; c < ARRAY_LEN(cfgs); c++)
	for (int hd = 0; hd < 2; hd++) {
		struct ut t;
		struct s2_xlate x;
		uint64_t bm[1] = { 0 };
		ut_init(&t, cfgs[c].shift, cfgs[c].ipa, cfgs[c].ps, cfgs[c].lpa2, S2_START_AUTO,
			hd ? S2_PGT_HD : 0, 0);
		uint64_t page = a_page(&t.g);
		CHECK_EQ(s2_map(&t.p, s2_ipa(0), 4 * page, s2_pa(0x10000000), S2_PROT_R | S2_PROT_W, 0, NULL), 0, "rw");
		CHECK_EQ(s2_map(&t.p, s2_ipa(4 * page), page, s2_pa(0x20000000), S2_PROT_R, 0, NULL), 0, "ro");
		uint64_t d0 = entry(&t, 0);
		CHECK_EQ(s2_wrprotect(&t.p, s2_ipa(0), 5 * page, NULL), 0, "wrprotect");
		uint64_t d = entry(&t, 0);
		CHECK_EQ(S2AP(d), 1, "cfg %zu hd %d: not writable", c, hd);
		CHECK_EQ(LOGGED(d), 1, "cfg %zu hd %d: logging bit", c, hd);
		CHECK_EQ(DBM(d), (uint64_t)hd, "cfg %zu hd %d: DBM", c, hd);
		CHECK_EQ(d & ~(A_BIT(7) | A_BIT(51) | A_BIT(55)), d0 & ~A_BIT(7), "cfg %zu hd %d: the rest", c, hd);
		CHECK_EQ(entry(&t, 4 * page), a_leaf(&t.g, 3, 0x20000000, M_R | M_AF), "cfg %zu: read-only untouched", c);
		s2_translate(&t.p, s2_ipa(page), &x);
		CHECK(x.dirty_log && !(x.prot & S2_PROT_W), "cfg %zu hd %d: translate", c, hd);
		CHECK_EQ(s2_mark_dirty(&t.p, s2_ipa(page + 5)), 1, "cfg %zu hd %d: logging fault", c, hd);
		CHECK_EQ(s2_mark_dirty(&t.p, s2_ipa(page)), 1, "cfg %zu hd %d: again (already writable)", c, hd);
		CHECK_EQ(s2_mark_dirty(&t.p, s2_ipa(4 * page)), 0, "cfg %zu hd %d: a real permission fault", c, hd);
		CHECK_EQ(S2AP(entry(&t, page)), 3, "cfg %zu hd %d: writable", c, hd);
		CHECK_EQ(s2_mark_dirty(&t.p, s2_ipa(3 * page)), 1, "cfg %zu", c);
		CHECK_EQ(s2_harvest_dirty(&t.p, s2_ipa(0), 5 * page, bm, 1, NULL), 2, "cfg %zu hd %d: harvest", c, hd);
		CHECK_EQ(bm[0], 0xa, "cfg %zu hd %d: pages 1 and 3", c, hd);
		CHECK_EQ(S2AP(entry(&t, page)), 1, "cfg %zu: protected again", c);
		bm[0] = 0;
		CHECK_EQ(s2_harvest_dirty(&t.p, s2_ipa(0), 5 * page, bm, 1, NULL), 0, "cfg %zu: nothing new", c);
		CHECK_EQ(s2_protect(&t.p, s2_ipa(0), 4 * page, S2_PROT_R | S2_PROT_W, NULL), 0, "end logging");
		d = entry(&t, page);
		CHECK_EQ(LOGGED(d) | DBM(d), 0, "cfg %zu hd %d: logging ended", c, hd);
		CHECK_EQ(s2_mark_dirty(&t.p, s2_ipa(page)), 0, "cfg %zu: no longer logging", c);
		ut_fini(&t);
	}
}

/* Aging: mkold clears AF (and counts young leaves), mkyoung sets it. */
static void test_aging(void **state)
{
	(void)state;
	for (size_t c = 0; c < ARRAY_LEN(cfgs); c++) {
		struct ut t;
		struct s2_xlate x;
		ut_init(&t, cfgs[c].shift, cfgs[c].ipa, cfgs[c].ps, cfgs[c].lpa2, S2_START_AUTO, 0, 0);
		uint64_t page = a_page(&t.g), b = a_lsize(&t.g, 2);
		CHECK_EQ(s2_map(&t.p, s2_ipa(b - 2 * page), b + 2 * page, s2_pa(2 * b - 2 * page),
				S2_PROT_R, 0, NULL), 0, "map");
		CHECK_EQ(s2_mkold(&t.p, s2_ipa(0), 4 * b, NULL), 3, "cfg %zu: two pages and a block", c);
		CHECK_EQ(AF(entry(&t, b)), 0, "cfg %zu: block old", c);
		s2_translate(&t.p, s2_ipa(b - page), &x);
		CHECK(x.valid && !x.young, "cfg %zu: translate old", c);
		CHECK_EQ(s2_mkold(&t.p, s2_ipa(0), 4 * b, NULL), 0, "cfg %zu: none young", c);
		CHECK_EQ(s2_mkyoung(&t.p, s2_ipa(b + 3 * page)), 1, "cfg %zu: access flag fault", c);
		CHECK_EQ(s2_mkyoung(&t.p, s2_ipa(b + 5 * page)), 0, "cfg %zu: already young", c);
		CHECK_EQ(AF(entry(&t, b)), 1, "cfg %zu: the whole block young", c);
		/* mkold on part of a block ages the whole block, unsplit. */
		CHECK_EQ(s2_mkold(&t.p, s2_ipa(b + page), page, NULL), 1, "cfg %zu: part of the block", c);
		CHECK_EQ(entry(&t, b) & 3, 1, "cfg %zu: still a block", c);
		CHECK_EQ(AF(entry(&t, b)), 0, "cfg %zu: block aged", c);
		ut_fini(&t);
	}
}

/* Dirty logging over whole last-level tables (written in one pass):
   three tables of pages with holes and read-only pages among them, the
   range starting and ending inside the tables around them, with VTCR.HD,
   HA, or neither. Every writable page ends write-protected and logged,
   the rest bit for bit as before; each write fault is then taken by
   s2_mark_dirty() and harvested once. */
static void test_wrprotect_whole_tables(void **state)
{
	static const unsigned flags[] = { 0, S2_PGT_HD, S2_PGT_HA };

	(void)state;
	for (size_t c = 0; c < ARRAY_LEN(cfgs); c++)
	for (size_t f = 0; f < ARRAY_LEN(flags); f++) {
		struct ut t;
		ut_init(&t, cfgs[c].shift, cfgs[c].ipa, cfgs[c].ps, cfgs[c].lpa2, S2_START_AUTO,
			flags[f], 0);
		uint64_t page = a_page(&t.g), span = a_lsize(&t.g, 2), n = 5 * span / page;
		uint64_t start = span, pa = 0x40000000;
		CHECK_EQ(s2_map(&t.p, s2_ipa(start), 5 * span, s2_pa(pa), S2_PROT_R | S2_PROT_W,
				S2_MAP_PAGES, NULL), 0, "cfg %zu/%zu: map", c, f);
		/* Every 7th page unmapped, every 5th read-only. */
		for (uint64_t i = 0; i < n; i++) {
			if (i % 7 == 3)
				CHECK_EQ(s2_unmap(&t.p, s2_ipa(start + i * page), page, NULL), 0, "hole");
			else if (i % 5 == 1)
				CHECK_EQ(s2_protect(&t.p, s2_ipa(start + i * page), page, S2_PROT_R,
						    NULL), 0, "read-only");
		}
		uint64_t *before = malloc(n * sizeof(*before));
		for (uint64_t i = 0; i < n; i++)
			before[i] = entry(&t, start + i * page);
		/* From inside the first table to inside the last. */
		uint64_t lo = start + span - 3 * page, hi = start + 4 * span + 2 * page;
		CHECK_EQ(s2_wrprotect(&t.p, s2_ipa(lo), hi - lo, NULL), 0, "cfg %zu/%zu: wrprotect",
			 c, f);
		unsigned bad = 0, logged = 0;
		for (uint64_t i = 0; i < n; i++) {
			uint64_t a = start + i * page, d = entry(&t, a), d0 = before[i];
			bool in = a >= lo && a < hi, w = (d0 & 1) && S2AP(d0) == 3;
			uint64_t want = d0;
			if (in && w) {
				want = (d0 & ~A_BIT(7)) | A_BIT(55) |
				       (flags[f] & S2_PGT_HD ? A_BIT(51) : 0);
				logged++;
			}
			if (d != want && bad++ < 4)
				CHECK_EQ(d, want, "cfg %zu/%zu: page %llu", c, f, (unsigned long long)i);
		}
		CHECK_EQ(bad, 0, "cfg %zu/%zu: entries unlike the rule", c, f);
		size_t words = (size_t)((hi - lo) / page + 63) / 64;
		uint64_t *bm = calloc(words, sizeof(*bm));
		unsigned faults = 0;
		for (uint64_t a = lo; a < hi; a += page)
			faults += s2_mark_dirty(&t.p, s2_ipa(a)) == 1;
		CHECK_EQ(faults, logged, "cfg %zu/%zu: write faults taken", c, f);
		CHECK_EQ(s2_harvest_dirty(&t.p, s2_ipa(lo), hi - lo, bm, words, NULL), (int64_t)logged,
			 "cfg %zu/%zu: harvested", c, f);
		ut_check_structure(&t, "wrprotect whole tables");
		free(bm);
		free(before);
		ut_fini(&t);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		UNIT_TEST(test_map_fields), UNIT_TEST(test_protect), UNIT_TEST(test_protect_device_exec),
		UNIT_TEST(test_dirty_logging), UNIT_TEST(test_aging),
		UNIT_TEST(test_wrprotect_whole_tables),
	};
	return unit_run("pgtable attributes", tests, ARRAY_LEN(tests));
}
