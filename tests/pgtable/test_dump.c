/* SPDX-License-Identifier: MIT */
/*
 * s2_dump(): a header line, then one line per valid entry (tables and
 * leaves), indented by level, each naming its first IPA; every leaf's
 * output address appears. Counted against the tests' own walk.
 */
#include "ut.h"

struct lines { char text[64][200]; unsigned n; };

static void out(void *arg, const char *line)
{
	struct lines *l = arg;

	if (l->n < 64)
		snprintf(l->text[l->n], sizeof(l->text[0]), "%s", line);
	l->n++;
}

static bool has(const struct lines *l, const char *s)
{
	for (unsigned i = 0; i < l->n && i < 64; i++)
		if (strstr(l->text[i], s))
			return true;
	return false;
}

static void test_dump(void **state)
{
	static const struct { unsigned shift, ipa, ps; bool lpa2; int start; } c[] = {
		{ 12, 40, 0, false, S2_START_AUTO }, { 12, 52, 52, true, -1 }, { 16, 52, 52, false, S2_START_AUTO },
	};
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(c); i++) {
		struct ut t;
		struct lines l = { .n = 0 };
		char want[64];
		ut_init(&t, c[i].shift, c[i].ipa, c[i].ps, c[i].lpa2, c[i].start, 0, 0);
		uint64_t page = a_page(&t.g), b = a_lsize(&t.g, 2);
		CHECK_EQ(s2_map(&t.p, s2_ipa(b), b, s2_pa(0x40000000), S2_PROT_R, 0, NULL), 0, "block");
		CHECK_EQ(s2_map(&t.p, s2_ipa(a_ipa_end(&t.g) - page), page, s2_pa(0x7650000), S2_PROT_R,
			 0, NULL), 0, "top page");
		uint64_t leaves = ut_check_structure(&t, "dump");
		s2_dump(&t.p, out, &l);
		CHECK_EQ(l.n, 1 + leaves + t.p.stats.tables - 1, "case %zu: header + entries", i);
		snprintf(want, sizeof(want), "%#llx", (unsigned long long)b);
		CHECK(has(&l, want), "case %zu: the block's IPA", i);
		CHECK(has(&l, "0x40000000"), "case %zu: the block's PA", i);
		CHECK(has(&l, "0x7650000"), "case %zu: the page's PA", i);
		snprintf(want, sizeof(want), "%#llx", (unsigned long long)(a_ipa_end(&t.g) - 1));
		CHECK(has(&l, want), "case %zu: the last IPA", i);
		ut_fini(&t);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = { UNIT_TEST(test_dump) };
	return unit_run("pgtable dump", tests, ARRAY_LEN(tests));
}
