/* SPDX-License-Identifier: MIT */
/*
 * GICv3 ITS and redistributor base registers with 52-bit addresses
 * (GIC architecture spec IHI 0069, GITS_BASER<n>, GITS_CBASER,
 * GICR_PROPBASER, GICR_PENDBASER):
 *   GITS_BASER, Page_Size [9:8] = 64K: PA[47:16] in [47:16], PA[51:48] in
 *     [15:12]; 4K/16K pages: PA[47:12] in [47:12], nothing above 48 bits.
 *   GITS_CBASER, GICR_PROPBASER: PA[51:12] in place, 4 KiB aligned.
 *   GICR_PENDBASER: PA[51:16] in place, 64 KiB aligned.
 * Every other field of the register is left as it was.
 */
#include "unit.h"
#include <s2/gic.h>

#define MASK_47_12 0x0000fffffffff000ULL
#define MASK_47_16 0x0000ffffffff0000ULL
#define MASK_51_12 0x000ffffffffff000ULL
#define MASK_51_16 0x000fffffffff0000ULL
#define PAGE_SIZE_FIELD (3ULL << 8)

struct fmt {
	enum s2_gic_reg reg;
	unsigned page;         /* GITS_BASER Page_Size, else unused */
	const char *name;
	unsigned align_shift;  /* the address unit */
	unsigned top;          /* address bits the format holds */
	uint64_t field;        /* register bits that hold the address */
};

static const struct fmt fmts[] = {
	{ S2_GITS_BASER, S2_GITS_BASER_PAGE_4K, "GITS_BASER 4K", 12, 48, MASK_47_12 },
	{ S2_GITS_BASER, S2_GITS_BASER_PAGE_16K, "GITS_BASER 16K", 14, 48, MASK_47_12 },
	{ S2_GITS_BASER, S2_GITS_BASER_PAGE_64K, "GITS_BASER 64K", 16, 52, MASK_47_12 },
	{ S2_GITS_CBASER, 0, "GITS_CBASER", 12, 52, MASK_51_12 },
	{ S2_GICR_PROPBASER, 0, "GICR_PROPBASER", 12, 52, MASK_51_12 },
	{ S2_GICR_PENDBASER, 0, "GICR_PENDBASER", 16, 52, MASK_51_16 },
};

/* The register bits for @pa, written from the layouts above. */
static uint64_t encode_addr(const struct fmt *f, uint64_t pa)
{
	if (f->reg == S2_GITS_BASER && f->page == S2_GITS_BASER_PAGE_64K)
		return (pa & MASK_47_16) | ((pa >> 48) & 0xf) << 12;
	return pa & f->field;
}

/* A register value with every non-address field set (and the page size). */
static uint64_t other_fields(const struct fmt *f, uint64_t noise)
{
	uint64_t v = noise & ~f->field;

	if (f->reg == S2_GITS_BASER)
		v = (v & ~PAGE_SIZE_FIELD) | (uint64_t)f->page << S2_GITS_BASER_PAGE_SHIFT;
	return v;
}

static void test_gic_set_and_get(void **state)
{
	uint64_t seed = 0x61c;

	(void)state;
	for (unsigned i = 0; i < ARRAY_LEN(fmts); i++) {
		const struct fmt *f = &fmts[i];

		for (int n = 0; n < 2000; n++) {
			uint64_t noise = n == 0 ? ~0ULL : n == 1 ? 0 : unit_rand(&seed);
			uint64_t val = other_fields(f, noise) | (unit_rand(&seed) & f->field);
			uint64_t pa = n == 0 ? (1ULL << f->top) - (1ULL << f->align_shift) :
				      n == 1 ? 0 :
				      unit_rand(&seed) & ((1ULL << f->top) - 1) &
				      ~((1ULL << f->align_shift) - 1);
			uint64_t out = 0;
			int rc = s2_gic_base_set_pa(f->reg, val, s2_pa(pa), &out, NULL);

			if (!CHECK_EQ(rc, 0, "%s pa %#llx", f->name, (unsigned long long)pa))
				continue;
			CHECK_EQ(out, other_fields(f, noise) | encode_addr(f, pa), "%s pa %#llx val %#llx",
				 f->name, (unsigned long long)pa, (unsigned long long)val);
			CHECK_EQ(s2_gic_base_pa(f->reg, out).v, pa, "%s pa %#llx", f->name,
				 (unsigned long long)pa);
		}
	}
}

/* Addresses the format cannot hold, and misaligned ones. */
static void test_gic_errors(void **state)
{
	(void)state;
	for (unsigned i = 0; i < ARRAY_LEN(fmts); i++) {
		const struct fmt *f = &fmts[i];
		uint64_t val = other_fields(f, 0x0123456789abcdefULL), out = 0x5555;
		const uint64_t too_big[] = { 1ULL << f->top, 1ULL << 52, 0xfff0000000000000ULL,
					     (1ULL << f->top) | (1ULL << 16) };
		struct s2_diag d;

		for (unsigned j = 0; j < ARRAY_LEN(too_big); j++) {
			d.msg[0] = 0;
			CHECK_EQ(s2_gic_base_set_pa(f->reg, val, s2_pa(too_big[j]), &out, &d), S2_ERANGE,
				 "%s pa %#llx", f->name, (unsigned long long)too_big[j]);
			CHECK_EQ(out, 0x5555, "%s: output untouched", f->name);
			CHECK_MSG_HEX(d.msg, too_big[j], "%s", f->name);
			CHECK_MSG_HAS(d.msg, s2_gic_reg_name(f->reg), "%s", f->name);
		}
		for (unsigned s = 0; s < f->align_shift; s++) {
			uint64_t pa = (1ULL << 32) | (1ULL << s);
			d.msg[0] = 0;
			CHECK_EQ(s2_gic_base_set_pa(f->reg, val, s2_pa(pa), &out, &d), S2_EINVAL,
				 "%s pa %#llx", f->name, (unsigned long long)pa);
			CHECK_EQ(out, 0x5555, "%s: output untouched", f->name);
			CHECK_MSG_HEX(d.msg, pa, "%s", f->name);
		}
	}
	/* With 4K ITS pages the message points at 64K pages, which would fit. */
	struct s2_diag d = { "" };
	uint64_t out;
	CHECK_EQ(s2_gic_base_set_pa(S2_GITS_BASER, 0, s2_pa(1ULL << 48), &out, &d), S2_ERANGE, "4K");
	CHECK_MSG_HAS(d.msg, "64K", "4K ITS pages above 2^48");
}

/* A 64K-page ITS table at 0x000f123456780000: [15:12] = 0xf. The register
   keeps Valid, Type=Device (1), Entry_Size=7 (8 bytes), Size=0. */
static void test_gic_examples(void **state)
{
	const uint64_t val = S2_GITS_BASER_VALID | 1ULL << 56 | 7ULL << 48 |
			     (uint64_t)S2_GITS_BASER_PAGE_64K << 8;
	uint64_t out = 0;

	(void)state;
	CHECK_EQ(s2_gic_base_set_pa(S2_GITS_BASER, val, s2_pa(0x000f123456780000ULL), &out, NULL), 0,
		 "BASER 64K");
	CHECK_EQ(out, 0x810712345678f200ULL, "BASER 64K");
	CHECK_EQ(s2_gic_base_pa(S2_GITS_BASER, 0x810712345678f200ULL).v, 0x000f123456780000ULL,
		 "BASER 64K read back");
	/* The same register bits under 4K pages mean a 48-bit address: [15:12]
	   are address bits there. */
	CHECK_EQ(s2_gic_base_pa(S2_GITS_BASER, 0x000012345678f000ULL).v, 0x000012345678f000ULL,
		 "BASER 4K");
	CHECK_EQ(s2_gic_base_pa(S2_GICR_PENDBASER, 0x400f123456789abcULL).v, 0x000f123456780000ULL,
		 "PENDBASER [51:16]");
	CHECK_EQ(s2_gic_base_pa(S2_GICR_PROPBASER, 0x400f123456789abcULL).v, 0x000f123456789000ULL,
		 "PROPBASER [51:12]");
	CHECK_EQ(s2_gic_base_pa(S2_GITS_CBASER, 0x800f123456789abcULL).v, 0x000f123456789000ULL,
		 "CBASER [51:12]");
}

static void test_gic_names(void **state)
{
	(void)state;
	CHECK_STR(s2_gic_reg_name(S2_GITS_BASER), "GITS_BASER", "name");
	CHECK_STR(s2_gic_reg_name(S2_GITS_CBASER), "GITS_CBASER", "name");
	CHECK_STR(s2_gic_reg_name(S2_GICR_PROPBASER), "GICR_PROPBASER", "name");
	CHECK_STR(s2_gic_reg_name(S2_GICR_PENDBASER), "GICR_PENDBASER", "name");
}

/* A register value outside the enum has no format: set_pa refuses it
   (naming it) and leaves *out alone; base_pa reads no address from it. */
static void test_gic_bad_register(void **state)
{
	static const unsigned regs[] = { 4, 5, 100, 0x7fffffffu, 0xffffffffu };

	(void)state;
	for (unsigned i = 0; i < ARRAY_LEN(regs); i++) {
		struct s2_diag d = { "" };
		uint64_t out = 0x5a5a;

		CHECK_EQ(s2_gic_base_set_pa((enum s2_gic_reg)regs[i], 0x200, s2_pa(0x10000), &out, &d),
			 S2_EINVAL, "register %u", regs[i]);
		CHECK_EQ(out, 0x5a5a, "register %u: *out untouched", regs[i]);
		CHECK_MSG_DEC(d.msg, regs[i], "register %u", regs[i]);
		CHECK_EQ(s2_gic_base_pa((enum s2_gic_reg)regs[i], ~0ULL).v, 0, "register %u", regs[i]);
		CHECK_STR(s2_gic_reg_name((enum s2_gic_reg)regs[i]), "?", "register %u", regs[i]);
	}
}

static const struct CMUnitTest tests[] = {
	UNIT_TEST(test_gic_set_and_get),
	UNIT_TEST(test_gic_errors),
	UNIT_TEST(test_gic_examples),
	UNIT_TEST(test_gic_names),
	UNIT_TEST(test_gic_bad_register),
};

UNIT_MAIN("gic", tests)
