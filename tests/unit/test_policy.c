/* SPDX-License-Identifier: MIT */
/*
 * The two level policies and the support matrix of the capped one.
 *
 * The capped policy gives stage 2 no more levels than the host's stage 1
 * has for its VA size and page size (stage-2 tables walked with the host's
 * own stage-1 accessors), and knows 52 bits only through 64K pages: "n/a"
 * is S2_ENOTSUP, no 52-bit support for 4K/16K at all. The matrix below is
 * written out from that rule, host by host.
 */
#include "unit.h"
#include <s2/host.h>

enum { N = 0, Y = 1, NA = S2_ENOTSUP };

static const unsigned cols[] = { 40, 42, 44, 48, 52 };

static const struct {
	const char *host;
	enum s2_granule g;
	unsigned va;
	int cell[5];
} capped_matrix[] = {
	{ "39bit-4K",  S2_GRANULE_4K,  39, { Y, Y, N, N, NA } },
	{ "48bit-4K",  S2_GRANULE_4K,  48, { Y, Y, Y, Y, NA } },
	{ "36bit-16K", S2_GRANULE_16K, 36, { Y, N, N, N, NA } },
	{ "47bit-16K", S2_GRANULE_16K, 47, { Y, Y, Y, Y, NA } },
	{ "42bit-64K", S2_GRANULE_64K, 42, { Y, Y, Y, N, N } },
	{ "48bit-64K", S2_GRANULE_64K, 48, { Y, Y, Y, Y, Y } },
};

static void test_matrix_capped(void **state)
{
	(void)state;
	for (unsigned r = 0; r < ARRAY_LEN(capped_matrix); r++)
	for (unsigned c = 0; c < ARRAY_LEN(cols); c++)
		CHECK_EQ(s2_policy_allows(S2_POLICY_CAPPED, capped_matrix[r].g, capped_matrix[r].va,
					  cols[c]),
			 capped_matrix[r].cell[c], "%s host, %u-bit IPA", capped_matrix[r].host, cols[c]);
}

/*
 * Linux 6.12: the IPA alone decides the levels; beyond 48 bits 4K and 16K
 * need LPA2 (kvm_set_ipa_limit()), built only into 52-bit-PA kernels, and
 * ARM64_PA_BITS_52 "depends on ARM64_64K_PAGES || ARM64_VA_BITS_52"
 * (arch/arm64/Kconfig). The capped matrix's hosts, then the 52-bit-VA
 * hosts, then the whole space.
 */
static void test_matrix_independent(void **state)
{
	static const struct { enum s2_granule g; unsigned va; int cell[5]; } va52[] = {
		{ S2_GRANULE_4K,  52, { Y, Y, Y, Y, Y } },
		{ S2_GRANULE_16K, 52, { Y, Y, Y, Y, Y } },
		{ S2_GRANULE_64K, 52, { Y, Y, Y, Y, Y } },
	};
	(void)state;
	for (unsigned r = 0; r < ARRAY_LEN(capped_matrix); r++)
	for (unsigned c = 0; c < ARRAY_LEN(cols); c++)
		CHECK_EQ(s2_policy_allows(S2_POLICY_INDEPENDENT, capped_matrix[r].g, capped_matrix[r].va,
					  cols[c]),
			 cols[c] <= 48 || capped_matrix[r].g == S2_GRANULE_64K ? Y : N,
			 "%s host, %u-bit IPA", capped_matrix[r].host, cols[c]);
	for (unsigned r = 0; r < ARRAY_LEN(va52); r++)
	for (unsigned c = 0; c < ARRAY_LEN(cols); c++)
		CHECK_EQ(s2_policy_allows(S2_POLICY_INDEPENDENT, va52[r].g, va52[r].va, cols[c]),
			 va52[r].cell[c], "52-bit VA 2^%u host, %u-bit IPA", va52[r].g, cols[c]);
	for (unsigned gs = 12; gs <= 16; gs += 2)
	for (unsigned va = 36; va <= 52; va++)
	for (unsigned ipa = 32; ipa <= 52; ipa++)
		CHECK_EQ(s2_policy_allows(S2_POLICY_INDEPENDENT, (enum s2_granule)gs, va, ipa),
			 ipa <= 48 || gs == 16 || va == 52 ? Y : N, "2^%u va %u ipa %u", gs, va, ipa);
}

/* Linux's ARM64_HW_PGTABLE_LEVELS(va) = (va - 4) / (PAGE_SHIFT - 3). */
static unsigned hw_levels(unsigned shift, unsigned va)
{
	return (va - 4) / (shift - 3);
}

/* The capped rule over the whole space: stage-2 levels max(2, levels of
   ipa - 4) must not exceed the host's stage-1 levels; 52 bits only with 64K. */
static void test_policy_capped_exhaustive(void **state)
{
	(void)state;
	for (unsigned gs = 12; gs <= 16; gs += 2)
	for (unsigned va = 36; va <= 52; va++)
	for (unsigned ipa = 32; ipa <= 52; ipa++) {
		unsigned s2 = hw_levels(gs, ipa - 4) < 2 ? 2 : hw_levels(gs, ipa - 4);
		int want = ipa > 48 && gs != 16 ? NA : s2 <= hw_levels(gs, va) ? Y : N;

		CHECK_EQ(s2_policy_allows(S2_POLICY_CAPPED, (enum s2_granule)gs, va, ipa), want,
			 "2^%u va %u ipa %u", gs, va, ipa);
	}
}

/* The level counts themselves, from Linux's formula and from a few hosts
   written out: 4K/39 = 3, 4K/48 = 4, 16K/36 = 2, 16K/47 = 3, 16K/48 = 4,
   64K/42 = 2, 64K/48 = 3, 64K/52 = 3. */
static void test_stage_levels(void **state)
{
	static const struct { enum s2_granule g; unsigned va, levels; } s1[] = {
		{ S2_GRANULE_4K, 39, 3 }, { S2_GRANULE_4K, 48, 4 }, { S2_GRANULE_16K, 36, 2 },
		{ S2_GRANULE_16K, 47, 3 }, { S2_GRANULE_16K, 48, 4 }, { S2_GRANULE_64K, 42, 2 },
		{ S2_GRANULE_64K, 48, 3 }, { S2_GRANULE_64K, 52, 3 },
	};

	(void)state;
	for (unsigned i = 0; i < ARRAY_LEN(s1); i++)
		CHECK_EQ(s2_stage1_levels(s1[i].g, s1[i].va), s1[i].levels, "2^%u va %u", s1[i].g,
			 s1[i].va);
	for (unsigned gs = 12; gs <= 16; gs += 2)
	for (unsigned bits = 32; bits <= 52; bits++) {
		unsigned s2 = hw_levels(gs, bits - 4);
		CHECK_EQ(s2_stage1_levels((enum s2_granule)gs, bits), hw_levels(gs, bits),
			 "2^%u va %u", gs, bits);
		CHECK_EQ(s2_stage2_levels((enum s2_granule)gs, bits), s2 < 2 ? 2 : s2,
			 "2^%u ipa %u", gs, bits);
	}
}

static void test_policy_bad_arguments(void **state)
{
	(void)state;
	for (int p = 0; p <= 1; p++) {
		CHECK_EQ(s2_policy_allows((enum s2_policy)p, S2_GRANULE_4K, 48, 31), S2_EINVAL, "ipa 31");
		CHECK_EQ(s2_policy_allows((enum s2_policy)p, S2_GRANULE_4K, 48, 53), S2_EINVAL, "ipa 53");
		CHECK_EQ(s2_policy_allows((enum s2_policy)p, (enum s2_granule)13, 48, 40), S2_EINVAL,
			 "granule 13");
	}
	for (int p = 0; p <= 1; p++) {
		CHECK_EQ(s2_policy_allows((enum s2_policy)p, S2_GRANULE_4K, 35, 40), S2_EINVAL, "va 35");
		CHECK_EQ(s2_policy_allows((enum s2_policy)p, S2_GRANULE_4K, 53, 40), S2_EINVAL, "va 53");
	}
	CHECK_EQ(s2_policy_allows((enum s2_policy)2, S2_GRANULE_4K, 48, 40), S2_EINVAL, "policy 2");
}

static void test_policy_names(void **state)
{
	enum s2_policy p = S2_POLICY_INDEPENDENT;
	struct s2_diag d = { "" };

	(void)state;
	CHECK_EQ(s2_policy_parse("capped", &p, NULL), 0, "capped");
	CHECK_EQ(p, S2_POLICY_CAPPED, "capped");
	CHECK_EQ(s2_policy_parse("independent", &p, NULL), 0, "independent");
	CHECK_EQ(p, S2_POLICY_INDEPENDENT, "independent");
	CHECK_STR(s2_policy_name(S2_POLICY_CAPPED), "capped", "name");
	CHECK_STR(s2_policy_name(S2_POLICY_INDEPENDENT), "independent", "name");
	static const char *const bad[] = { "", "cap", "cappedx", "Capped", "independen", "none" };
	for (unsigned i = 0; i < ARRAY_LEN(bad); i++) {
		for (int keep = 0; keep <= 1; keep++) {
			p = (enum s2_policy)keep;
			CHECK_EQ(s2_policy_parse(bad[i], &p, &d), S2_EINVAL, "'%s'", bad[i]);
			CHECK_EQ(p, keep, "'%s' leaves the output alone", bad[i]);
		}
		CHECK_MSG_HAS(d.msg, "capped", "'%s'", bad[i]);
		CHECK_MSG_HAS(d.msg, "independent", "'%s'", bad[i]);
	}
}

/* Arguments outside the functions' domains: 0 levels, never a division by
   zero (a granule value whose shift is 3) or a wrapped subtraction. */
static void test_stage_levels_bad_arguments(void **state)
{
	(void)state;
	for (unsigned g = 0; g <= 20; g++) {
		bool gok = g == 12 || g == 14 || g == 16;

		for (unsigned bits = 0; bits <= 70; bits++) {
			unsigned want1 = gok && bits >= 12 && bits <= 64 ? hw_levels(g, bits) : 0;
			unsigned l2 = gok ? hw_levels(g, bits - 4) : 0;
			unsigned want2 = gok && bits >= 32 && bits <= 52 ? (l2 < 2 ? 2 : l2) : 0;

			CHECK_EQ(s2_stage1_levels((enum s2_granule)g, bits), want1, "2^%u va %u", g, bits);
			CHECK_EQ(s2_stage2_levels((enum s2_granule)g, bits), want2, "2^%u ipa %u", g, bits);
		}
	}
	CHECK_EQ(s2_stage1_levels((enum s2_granule)0xffffffffu, 48), 0, "granule ~0");
	CHECK_EQ(s2_stage2_levels(S2_GRANULE_4K, 0xffffffffu), 0, "ipa ~0");
}

static const struct CMUnitTest tests[] = {
	UNIT_TEST(test_matrix_capped),
	UNIT_TEST(test_matrix_independent),
	UNIT_TEST(test_policy_capped_exhaustive),
	UNIT_TEST(test_stage_levels),
	UNIT_TEST(test_policy_bad_arguments),
	UNIT_TEST(test_policy_names),
	UNIT_TEST(test_stage_levels_bad_arguments),
};

UNIT_MAIN("policy", tests)
