/* SPDX-License-Identifier: MIT */
/*
 * The test suite's own statement of the VMSAv8-64 stage-2 descriptor
 * format and index arithmetic, written from the Arm ARM (D8.3 descriptor
 * formats, D8.2 granules, AArch64.BlockDescSupported), independent of
 * lib/ and include/s2/desc.h. Every expectation in tests/pgtable is
 * computed from here, never by calling the code under test.
 *
 *   bits[1:0]   0b11 table (levels < 3) / page (level 3), 0b01 block
 *   [5:2]       MemAttr (FWB=0): 0b1111 Normal WB, 0b0001 Device-nGnRE
 *   [7:6]       S2AP: [6] read, [7] write
 *   [9:8]       SH, 0b11 inner; with DS=1 OA[51:50] instead
 *   [10]        AF
 *   [51]        DBM   [54:53] XN (0b10: not executable)
 *   [58:55]     software use (s2kit keeps "dirty-logged" in [55], its
 *               documented choice in include/s2/desc.h)
 *   OA          [47:page_shift]; 64K with 52-bit PA (FEAT_LPA): OA[51:48]
 *               in [15:12]; DS=1 (FEAT_LPA2): OA[49:page_shift] in place
 *               and OA[51:50] in [9:8]
 *
 * Table descriptors: next-level address in the same format, [1:0]=0b11;
 * IGNORED (free for software) are [58:52] and [11:2] (less [9:8] with DS,
 * which hold the address); the rest, among them [51:48] (less the address
 * bits [49:48] with DS), [63:59] at stage 2 and the bits between the
 * address and bit 12, are RES0.
 */
#ifndef PGT_ARCH_H
#define PGT_ARCH_H

#include <stdbool.h>
#include <stdint.h>

#define A_BIT(n)        (1ULL << (n))
#define A_MASK(h, l)    ((~0ULL >> (63 - (h))) & (~0ULL << (l)))

#define A_VALID         A_BIT(0)
#define A_TYPE          A_BIT(1)
#define A_MEMATTR(d)    (((d) >> 2) & 0xf)
#define A_MA_NORMAL_WB  0xfULL
#define A_MA_DEVICE     0x1ULL
#define A_S2AP_R        A_BIT(6)
#define A_S2AP_W        A_BIT(7)
#define A_SH_INNER      (3ULL << 8)
#define A_AF            A_BIT(10)
#define A_DBM           A_BIT(51)
#define A_XN            (2ULL << 53)
#define A_SW_LOGGED     A_BIT(55)

/* Leaf attribute state as the model keeps it (not the library's flags). */
#define M_R       (1u << 0)
#define M_W       (1u << 1)
#define M_X       (1u << 2)
#define M_DEV     (1u << 3)
#define M_AF      (1u << 4)
#define M_LOG     (1u << 5)
#define M_DBM     (1u << 6)

/* A table geometry as the tests see it: what index arithmetic needs. */
struct ageom {
	unsigned shift;        /* page shift: 12, 14, 16 */
	unsigned stride;       /* shift - 3 */
	unsigned ipa_bits, ps_bits;
	bool ds, lpa;
	int start;             /* start level -1..2 */
	uint64_t root_entries; /* 2^(ipa_bits - level_shift(start)) */
	unsigned blocks;       /* bit (level + 1): block legal there */
};

static inline unsigned a_lshift(const struct ageom *g, int level)
{
	return g->shift + (unsigned)(3 - level) * g->stride;
}

static inline uint64_t a_lsize(const struct ageom *g, int level)
{
	return 1ULL << a_lshift(g, level);
}

static inline uint64_t a_entries(const struct ageom *g, int level)
{
	return level == g->start ? g->root_entries : 1ULL << g->stride;
}

/* index at level L = (ipa >> (page_shift + (3-L)*(page_shift-3))) & (entries-1);
   a concatenated root is one wide table. */
static inline uint64_t a_index(const struct ageom *g, int level, uint64_t ipa)
{
	return (ipa >> a_lshift(g, level)) & (a_entries(g, level) - 1);
}

static inline uint64_t a_page(const struct ageom *g) { return 1ULL << g->shift; }
static inline uint64_t a_ipa_end(const struct ageom *g) { return 1ULL << g->ipa_bits; }
static inline uint64_t a_oa_max(const struct ageom *g) { return (1ULL << g->ps_bits) - 1; }

static inline bool a_block_ok(const struct ageom *g, int level)
{
	return level >= g->start && level <= 3 && (g->blocks >> (level + 1)) & 1;
}

/*
 * AArch64.BlockDescSupported: 4K blocks at levels 1 and 2, and 0 with
 * DS=1; 16K at 2, and 1 with DS=1; 64K at 2, and 1 with 52-bit PA.
 * Level 3 always holds pages. Nothing above the start level exists.
 */
static inline void a_geom(struct ageom *g, unsigned shift, unsigned ipa_bits,
			  unsigned ps_bits, bool ds, int start)
{
	g->shift = shift;
	g->stride = shift - 3;
	g->ipa_bits = ipa_bits;
	g->ps_bits = ps_bits;
	g->ds = ds;
	g->lpa = shift == 16 && ps_bits == 52;
	g->start = start;
	g->root_entries = 1ULL << (ipa_bits - a_lshift(g, start));
	g->blocks = 1u << 4 | 1u << 3;
	if (shift == 12)
		g->blocks |= 1u << 2 | (ds ? 1u << 1 : 0);
	else if (shift == 14)
		g->blocks |= ds ? 1u << 2 : 0;
	else
		g->blocks |= g->lpa ? 1u << 2 : 0;
	g->blocks &= ~((1u << (start + 1)) - 1);
}

/* Output (or next-level table) address bits of a descriptor. */
static inline uint64_t a_oa_field(const struct ageom *g)
{
	if (g->ds)
		return A_MASK(49, g->shift) | A_MASK(9, 8);
	if (g->lpa)
		return A_MASK(47, g->shift) | A_MASK(15, 12);
	return A_MASK(47, g->shift);
}

static inline uint64_t a_enc_oa(const struct ageom *g, uint64_t pa)
{
	if (g->ds)
		return (pa & A_MASK(49, g->shift)) | ((pa >> 50) & 3) << 8;
	if (g->lpa)
		return (pa & A_MASK(47, g->shift)) | ((pa >> 48) & 0xf) << 12;
	return pa & A_MASK(47, g->shift);
}

static inline uint64_t a_dec_oa(const struct ageom *g, uint64_t d)
{
	if (g->ds)
		return (d & A_MASK(49, g->shift)) | ((d >> 8) & 3) << 50;
	if (g->lpa)
		return (d & A_MASK(47, g->shift)) | ((d >> 12) & 0xf) << 48;
	return d & A_MASK(47, g->shift);
}

/* Bits a stage-2 table descriptor may have set besides its address and
   [1:0]: the IGNORED fields. */
static inline uint64_t a_tbl_ignored(const struct ageom *g)
{
	return A_MASK(58, 52) | (A_MASK(11, 2) & ~(g->ds ? A_MASK(9, 8) : 0));
}

static inline bool a_is_table(uint64_t d, int level)
{
	return level < 3 && (d & 3) == 3;
}

static inline bool a_is_leaf(uint64_t d, int level)
{
	return level == 3 ? (d & 3) == 3 : (d & 3) == 1;
}

/* The exact leaf descriptor for model state @m at @level mapping @pa. */
static inline uint64_t a_leaf(const struct ageom *g, int level, uint64_t pa, unsigned m)
{
	uint64_t d = a_enc_oa(g, pa) | (level == 3 ? 3 : 1);

	d |= (m & M_DEV ? A_MA_DEVICE : A_MA_NORMAL_WB) << 2;
	d |= m & M_R ? A_S2AP_R : 0;
	d |= m & M_W ? A_S2AP_W : 0;
	d |= g->ds ? 0 : A_SH_INNER;
	d |= m & M_AF ? A_AF : 0;
	d |= m & M_DBM ? A_DBM : 0;
	d |= m & M_X ? 0 : A_XN;
	d |= m & M_LOG ? A_SW_LOGGED : 0;
	return d;
}

/* The fault status code of a translation fault at @level (ESR DFSC):
   0b0001LL for levels 0..3, 0b101011 for level -1. */
static inline unsigned a_fsc(int level)
{
	return level < 0 ? 0x2b : 0x04 + (unsigned)level;
}

#endif
