/* SPDX-License-Identifier: MIT */
/*
 * Stage-2 fault addresses and syndromes: PAR_EL1 -> HPFAR_EL2, HPFAR+FAR ->
 * IPA, fault status codes, ESR_EL2 abort decoding and PAR_EL1 decoding.
 * Layouts from the Arm ARM (D19: ESR_ELx ISS for Data/Instruction Aborts,
 * HPFAR_EL2, PAR_EL1); measured values from QEMU 7.2's MMU (-cpu max).
 */
#include "unit.h"
#include <s2/fault.h>

#define PA_51_12 0x000ffffffffff000ULL   /* GENMASK(51, 12) */

struct fsc_want { enum s2_fault_kind kind; int level; };

/*
 * DFSC/IFSC/PAR.FST, written out from the Arm ARM's encoding list. Level -1
 * codes come with FEAT_LPA2 (and level 0 access flag / permission faults).
 * The FEAT_D128 level -2 codes (0x12, 0x22, 0x2a, 0x2c) are outside s2kit's
 * 64-bit descriptors and read as "other", like every reserved code.
 */
static struct fsc_want fsc_table[64];

static void fill_fsc_table(void)
{
	for (int i = 0; i < 64; i++)
		fsc_table[i] = (struct fsc_want){ S2_FAULT_OTHER, S2_FSC_NO_LEVEL };
	for (int l = 0; l <= 3; l++) {
		fsc_table[0x00 + l] = (struct fsc_want){ S2_FAULT_ADDR_SIZE, l };
		fsc_table[0x04 + l] = (struct fsc_want){ S2_FAULT_TRANSLATION, l };
		fsc_table[0x08 + l] = (struct fsc_want){ S2_FAULT_ACCESS, l };
		fsc_table[0x0c + l] = (struct fsc_want){ S2_FAULT_PERMISSION, l };
		fsc_table[0x14 + l] = (struct fsc_want){ S2_FAULT_EXTERNAL_WALK, l };
		fsc_table[0x1c + l] = (struct fsc_want){ S2_FAULT_ECC_WALK, l };
		fsc_table[0x24 + l] = (struct fsc_want){ S2_FAULT_GRANULE_PROT_WALK, l };
	}
	fsc_table[0x29] = (struct fsc_want){ S2_FAULT_ADDR_SIZE, -1 };
	fsc_table[0x2b] = (struct fsc_want){ S2_FAULT_TRANSLATION, -1 };
	fsc_table[0x13] = (struct fsc_want){ S2_FAULT_EXTERNAL_WALK, -1 };
	fsc_table[0x1b] = (struct fsc_want){ S2_FAULT_ECC_WALK, -1 };
	fsc_table[0x23] = (struct fsc_want){ S2_FAULT_GRANULE_PROT_WALK, -1 };
	fsc_table[0x10] = (struct fsc_want){ S2_FAULT_EXTERNAL, S2_FSC_NO_LEVEL };
	fsc_table[0x11] = (struct fsc_want){ S2_FAULT_TAG_CHECK, S2_FSC_NO_LEVEL };
	fsc_table[0x18] = (struct fsc_want){ S2_FAULT_ECC, S2_FSC_NO_LEVEL };
	fsc_table[0x21] = (struct fsc_want){ S2_FAULT_ALIGNMENT, S2_FSC_NO_LEVEL };
	fsc_table[0x28] = (struct fsc_want){ S2_FAULT_GRANULE_PROT, S2_FSC_NO_LEVEL };
	fsc_table[0x30] = (struct fsc_want){ S2_FAULT_TLB_CONFLICT, S2_FSC_NO_LEVEL };
	fsc_table[0x31] = (struct fsc_want){ S2_FAULT_ATOMIC_HW_UPDATE, S2_FSC_NO_LEVEL };
	fsc_table[0x34] = (struct fsc_want){ S2_FAULT_IMPDEF, S2_FSC_NO_LEVEL };
	fsc_table[0x35] = (struct fsc_want){ S2_FAULT_IMPDEF, S2_FSC_NO_LEVEL };
}

static void test_fsc_every_code(void **state)
{
	(void)state;
	fill_fsc_table();
	for (unsigned fsc = 0; fsc < 64; fsc++) {
		int level = 1234;

		CHECK_EQ(s2_fsc_decode(fsc, &level), fsc_table[fsc].kind, "FSC %#x", fsc);
		CHECK_EQ(level, fsc_table[fsc].level, "FSC %#x", fsc);
		CHECK_EQ(s2_fsc_decode(fsc, NULL), fsc_table[fsc].kind, "FSC %#x, no level", fsc);
	}
	/* QEMU 7.2 reported a level -1 translation fault as 0x2b (4K, LPA2). */
	int level = 0;
	CHECK_EQ(s2_fsc_decode(0x2b, &level), S2_FAULT_TRANSLATION, "0x2b");
	CHECK_EQ(level, -1, "0x2b");
}

static void test_fault_kind_names(void **state)
{
	const char *names[S2_FAULT_OTHER + 1];

	(void)state;
	for (int k = 0; k <= S2_FAULT_OTHER; k++) {
		names[k] = s2_fault_kind_name((enum s2_fault_kind)k);
		CHECK(names[k] != NULL && names[k][0] != 0, "kind %d", k);
		for (int j = 0; j < k; j++)
			CHECK(strcmp(names[j], names[k]) != 0, "kinds %d and %d share a name", j, k);
	}
	CHECK_STR(s2_fault_kind_name(S2_FAULT_TRANSLATION), "translation", "translation");
	CHECK_STR(s2_fault_kind_name(S2_FAULT_PERMISSION), "permission", "permission");
}

/* HPFAR_EL2.FIPA [43:4] holds IPA[51:12]: (par & GENMASK(51, 12)) >> 8. */
static void test_par_to_hpfar(void **state)
{
	uint64_t seed = 42;

	(void)state;
	/* The 64K/52 translation QEMU did: PA 0x000abcdef0125123. */
	CHECK_EQ(s2_par_to_hpfar(0xff0abcdef0125180ULL), 0x00000abcdef01250ULL, "QEMU 64K/52 PA");
	CHECK_EQ(s2_par_to_hpfar(~0ULL), 0x00000ffffffffff0ULL, "all ones: FIPA [43:4]");
	CHECK_EQ(s2_par_to_hpfar(0xfffULL), 0, "offset bits only");
	for (int i = 0; i < 4000; i++) {
		uint64_t par = unit_rand(&seed);
		uint64_t far = unit_rand(&seed);
		uint64_t hpfar = s2_par_to_hpfar(par);

		CHECK_EQ(hpfar, (par & PA_51_12) >> 8, "par %#llx", (unsigned long long)par);
		/* And HPFAR + FAR give the address back. */
		CHECK_EQ(s2_fault_ipa(hpfar, far).v, (par & PA_51_12) | (far & 0xfff),
			 "par %#llx far %#llx", (unsigned long long)par, (unsigned long long)far);
		CHECK_EQ(s2_par_pa(par, far).v, (par & PA_51_12) | (far & 0xfff),
			 "par %#llx", (unsigned long long)par);
	}
}

/* Measured under QEMU 7.2 (64K, 52-bit IPA): HPFAR_EL2 0x00000edcba987600
   for IPA 0x000edcba98760000 (above 2^48); FAR_EL2 supplies the low 12
   bits. NS (bit 63) and the RES0 bits [3:0] and [62:44] do not leak into
   the address. */
static void test_fault_ipa_measured(void **state)
{
	(void)state;
	CHECK_EQ(s2_fault_ipa(0x00000edcba987600ULL, 0).v, 0x000edcba98760000ULL, "measured");
	CHECK_EQ(s2_fault_ipa(0x00000edcba987600ULL, 0xffff000000000abcULL).v,
		 0x000edcba98760abcULL, "with FAR");
	CHECK_EQ(s2_fault_ipa(0x80000edcba98760fULL, 0x123).v, 0x000edcba98760123ULL, "NS and [3:0]");
	CHECK_EQ(s2_fault_ipa(0x7ffff00000000000ULL, 0).v, 0, "bits [62:44]");
	CHECK_EQ(s2_fault_ipa(0x00000ffffffffff0ULL, 0xfff).v, 0x000fffffffffffffULL, "top IPA");
}

static uint64_t bits(uint64_t v, unsigned hi, unsigned lo)
{
	return (v >> lo) & ((1ULL << (hi - lo + 1)) - 1);
}

static void check_esr(uint64_t esr, const char *ctx)
{
	struct s2_esr e;
	unsigned ec = (unsigned)bits(esr, 31, 26);
	bool data = ec == 0x24 || ec == 0x25;
	bool isv = data && bits(esr, 24, 24);

	memset(&e, 0xee, sizeof(e));
	if (!CHECK_EQ(s2_esr_decode(esr, &e, NULL), 0, "%s", ctx))
		return;
	CHECK_EQ(e.ec, ec, "%s EC", ctx);
	CHECK_EQ(e.il, bits(esr, 25, 25), "%s IL", ctx);
	CHECK_EQ(e.is_data, data, "%s", ctx);
	CHECK_EQ(e.lower_el, ec == 0x20 || ec == 0x24, "%s", ctx);
	CHECK_EQ(e.isv, isv, "%s ISV", ctx);
	if (isv) {
		CHECK_EQ(e.sas, bits(esr, 23, 22), "%s SAS", ctx);
		CHECK_EQ(e.sse, bits(esr, 21, 21), "%s SSE", ctx);
		CHECK_EQ(e.srt, bits(esr, 20, 16), "%s SRT", ctx);
		CHECK_EQ(e.sf, bits(esr, 15, 15), "%s SF", ctx);
		CHECK_EQ(e.ar, bits(esr, 14, 14), "%s AR", ctx);
	}
	CHECK_EQ(e.fnv, bits(esr, 10, 10), "%s FnV", ctx);
	CHECK_EQ(e.ea, bits(esr, 9, 9), "%s EA", ctx);
	CHECK_EQ(e.cm, data ? bits(esr, 8, 8) : 0, "%s CM", ctx);
	CHECK_EQ(e.s1ptw, bits(esr, 7, 7), "%s S1PTW", ctx);
	CHECK_EQ(e.wnr, data ? bits(esr, 6, 6) : 0, "%s WnR", ctx);
	CHECK_EQ(e.fsc, bits(esr, 5, 0), "%s FSC", ctx);
	CHECK_EQ(e.kind, fsc_table[bits(esr, 5, 0)].kind, "%s kind", ctx);
	CHECK_EQ(e.level, fsc_table[bits(esr, 5, 0)].level, "%s level", ctx);
	if (!data) {
		/* An instruction abort has no access syndrome. */
		CHECK(!e.sas && !e.sse && !e.srt && !e.sf && !e.ar, "%s data fields zero", ctx);
	}
}

static void test_esr_aborts(void **state)
{
	static const unsigned ecs[] = { 0x20, 0x21, 0x24, 0x25 };
	uint64_t seed = 7;
	char ctx[48];

	(void)state;
	fill_fsc_table();
	for (unsigned i = 0; i < ARRAY_LEN(ecs); i++) {
		/* Each ISS bit alone, then random syndromes (ISS2 [36:32] too). */
		for (unsigned b = 0; b <= 25; b++) {
			uint64_t esr = (uint64_t)ecs[i] << 26 | 1ULL << b;
			snprintf(ctx, sizeof(ctx), "ESR %#llx", (unsigned long long)esr);
			check_esr(esr, ctx);
		}
		for (int n = 0; n < 3000; n++) {
			uint64_t r = unit_rand(&seed);
			uint64_t esr = (uint64_t)ecs[i] << 26 | (r & (S2_GENMASK(25, 0) | S2_GENMASK(36, 32)));
			snprintf(ctx, sizeof(ctx), "ESR %#llx", (unsigned long long)esr);
			check_esr(esr, ctx);
		}
		for (unsigned fsc = 0; fsc < 64; fsc++) {
			uint64_t esr = (uint64_t)ecs[i] << 26 | 1ULL << 25 | fsc;
			snprintf(ctx, sizeof(ctx), "ESR %#llx", (unsigned long long)esr);
			check_esr(esr, ctx);
		}
	}
}

/* Hand-built syndromes of the loads and stores an MMIO trap sees. */
static void test_esr_examples(void **state)
{
	struct s2_esr e;

	(void)state;
	/* ldr w1, [x0] from EL1, translation fault level 1: EC 0x24, IL, ISV,
	   SAS=2 (word), SRT=1, SF=0, WnR=0, DFSC=0x05. */
	CHECK_EQ(s2_esr_decode(0x93810005ULL, &e, NULL), 0, "ldr w1");
	CHECK(e.is_data && e.lower_el && e.isv && e.il, "ldr w1");
	CHECK_EQ(e.sas, 2, "ldr w1");
	CHECK_EQ(e.srt, 1, "ldr w1");
	CHECK(!e.sf && !e.wnr, "ldr w1");
	CHECK_EQ(e.kind, S2_FAULT_TRANSLATION, "ldr w1");
	CHECK_EQ(e.level, 1, "ldr w1");
	/* str x2, [x0], level 3: SAS=3, SRT=2, SF=1, WnR=1, DFSC=0x07. */
	CHECK_EQ(s2_esr_decode(0x93c28047ULL, &e, NULL), 0, "str x2");
	CHECK_EQ(e.sas, 3, "str x2");
	CHECK_EQ(e.srt, 2, "str x2");
	CHECK(e.sf && e.wnr, "str x2");
	CHECK_EQ(e.level, 3, "str x2");
	/* A level -1 translation fault (LPA2, start level -1), no ISV. */
	CHECK_EQ(s2_esr_decode(0x9200002bULL, &e, NULL), 0, "level -1");
	CHECK_EQ(e.kind, S2_FAULT_TRANSLATION, "level -1");
	CHECK_EQ(e.level, -1, "level -1");
	CHECK(!e.isv, "level -1");
}

/* Every other exception class is not an abort: EINVAL naming the ESR. */
static void test_esr_not_abort(void **state)
{
	(void)state;
	for (unsigned ec = 0; ec < 64; ec++) {
		struct s2_esr e, before;
		struct s2_diag d = { "" };
		uint64_t esr = (uint64_t)ec << 26 | 1ULL << 25 | 0x45;

		if (ec == 0x20 || ec == 0x21 || ec == 0x24 || ec == 0x25)
			continue;
		memset(&e, 0x33, sizeof(e));
		before = e;
		CHECK_EQ(s2_esr_decode(esr, &e, &d), S2_EINVAL, "EC %#x", ec);
		CHECK(memcmp(&e, &before, sizeof(e)) == 0, "EC %#x: output untouched", ec);
		CHECK_MSG_HEX(d.msg, esr, "EC %#x", ec);
		if (ec)
			CHECK_MSG_HEX(d.msg, ec, "EC %#x", ec);
	}
}

/* PAR_EL1, 64-bit format: F=0 gives PA[51:12], SH [8:7], ATTR [63:56];
   F=1 gives FST [6:1], PTW (bit 8) and S (bit 9, stage 2). */
static void test_par_decode(void **state)
{
	uint64_t seed = 99;

	(void)state;
	fill_fsc_table();
	for (int n = 0; n < 4000; n++) {
		uint64_t par = unit_rand(&seed);
		struct s2_par p;

		s2_par_decode(par, &p);
		CHECK_EQ(p.f, par & 1, "PAR %#llx", (unsigned long long)par);
		if (par & 1) {
			CHECK_EQ(p.fst, bits(par, 6, 1), "PAR %#llx", (unsigned long long)par);
			CHECK_EQ(p.ptw, bits(par, 8, 8), "PAR %#llx", (unsigned long long)par);
			CHECK_EQ(p.s2, bits(par, 9, 9), "PAR %#llx", (unsigned long long)par);
			CHECK_EQ(p.kind, fsc_table[bits(par, 6, 1)].kind, "PAR %#llx",
				 (unsigned long long)par);
			CHECK_EQ(p.level, fsc_table[bits(par, 6, 1)].level, "PAR %#llx",
				 (unsigned long long)par);
		} else {
			CHECK_EQ(p.pa.v, par & PA_51_12, "PAR %#llx", (unsigned long long)par);
			CHECK_EQ(p.sh, bits(par, 8, 7), "PAR %#llx", (unsigned long long)par);
			CHECK_EQ(p.attr, bits(par, 63, 56), "PAR %#llx", (unsigned long long)par);
		}
	}
}

/* Measured under QEMU 7.2: AT S12E1R faults read back as F=1, S=1, FST 0x04+N
   (translation) or 0x00+N (address size), 0x2b at level -1. */
static void test_par_measured(void **state)
{
	struct s2_par p;

	(void)state;
	for (int l = 0; l <= 3; l++) {
		s2_par_decode(1 | (uint64_t)(0x04 + l) << 1 | 1ULL << 9, &p);
		CHECK(p.f && p.s2 && !p.ptw, "translation level %d", l);
		CHECK_EQ(p.kind, S2_FAULT_TRANSLATION, "level %d", l);
		CHECK_EQ(p.level, l, "translation level %d", l);
		s2_par_decode(1 | (uint64_t)l << 1 | 1ULL << 9, &p);
		CHECK_EQ(p.kind, S2_FAULT_ADDR_SIZE, "level %d", l);
		CHECK_EQ(p.level, l, "address size level %d", l);
	}
	s2_par_decode(1 | 0x2bULL << 1 | 1ULL << 9, &p);
	CHECK_EQ(p.kind, S2_FAULT_TRANSLATION, "level -1");
	CHECK_EQ(p.level, -1, "level -1");
	/* 64K/52: IPA 0x000F123456785123 -> PA 0x000abcdef0125123. */
	s2_par_decode(0xff0abcdef0125180ULL, &p);
	CHECK(!p.f, "success");
	CHECK_EQ(p.pa.v, 0x000abcdef0125000ULL, "PA above 2^48");
	CHECK_EQ(s2_par_pa(0xff0abcdef0125180ULL, 0x000F123456785123ULL).v, 0x000abcdef0125123ULL,
		 "PA with offset");
}

static const struct CMUnitTest tests[] = {
	UNIT_TEST(test_fsc_every_code),
	UNIT_TEST(test_fault_kind_names),
	UNIT_TEST(test_par_to_hpfar),
	UNIT_TEST(test_fault_ipa_measured),
	UNIT_TEST(test_esr_aborts),
	UNIT_TEST(test_esr_examples),
	UNIT_TEST(test_esr_not_abort),
	UNIT_TEST(test_par_decode),
	UNIT_TEST(test_par_measured),
};

UNIT_MAIN("fault", tests)
