/* SPDX-License-Identifier: MIT */
/*
 * Stage-2 descriptor formats, in one place (Arm ARM D8.3, "Translation
 * table descriptor formats", VMSAv8-64 stage 2):
 *
 *   bits[1:0]  0b11 table (levels < 3) or page (level 3); 0b01 block
 *   [5:2]      MemAttr (FWB=0): 0b1111 Normal WB, 0b0001 Device-nGnRE
 *   [7:6]      S2AP: bit 6 read, bit 7 write
 *   [9:8]      SH (inner = 0b11); with DS=1: OA[51:50]
 *   [10]       AF
 *   [51]       DBM   [52] Contiguous   [54:53] XN (0b10: never executable)
 *   [58:55]    software use
 *   OA         [47:page_shift]; 64K with 52-bit PA (LPA): OA[51:48] in
 *              [15:12]; DS=1 (LPA2): OA[49:page_shift] and OA[51:50] in [9:8]
 *
 * Table descriptors carry the next-level table address in the same
 * format. Their IGNORED bits [58:52], [11] and [7:2] hold s2kit's count
 * of valid entries in the table they point to (14 bits: a 64K table has
 * 8192 entries), or S2_TBL_COUNT_UNKNOWN once shared calls (which do not
 * keep counts: see s2/pgtable.h) added entries to that table; the next
 * exclusive call that needs the count recounts the table. The hardware
 * never reads these bits. (Bits [51:48] of a table
 * descriptor are RES0 or address bits, and bit 10 is the table AF with
 * FEAT_HAFT, so neither is used.)
 */
#ifndef S2_DESC_H
#define S2_DESC_H

#include <s2/geometry.h>
#include <s2/prot.h>

#define S2_DESC_VALID       S2_BIT(0)
#define S2_DESC_TYPE_TABLE  S2_BIT(1)     /* also "page" at level 3 */
#define S2_DESC_MEMATTR_SHIFT 2
#define S2_DESC_MEMATTR     S2_GENMASK(5, 2)
#define S2_MEMATTR_NORMAL_WB 0xfULL
#define S2_MEMATTR_DEVICE_nGnRE 0x1ULL
#define S2_DESC_S2AP_R      S2_BIT(6)
#define S2_DESC_S2AP_W      S2_BIT(7)
#define S2_DESC_SH          S2_GENMASK(9, 8)
#define S2_DESC_SH_INNER    (3ULL << 8)
#define S2_DESC_AF          S2_BIT(10)
#define S2_DESC_DBM         S2_BIT(51)
#define S2_DESC_CONT        S2_BIT(52)
#define S2_DESC_XN          S2_BIT(54)
#define S2_DESC_SW_LOGGED   S2_BIT(55)    /* writable, write-protected for dirty logging */
#define S2_DESC_SW_MASK     S2_GENMASK(58, 55)

#define S2_TBL_COUNT_LO     S2_GENMASK(7, 2)     /* count bits [5:0] */
#define S2_TBL_COUNT_MID    S2_BIT(11)           /* count bit 6 */
#define S2_TBL_COUNT_HI     S2_GENMASK(58, 52)   /* count bits [13:7] */

/** s2_desc_valid() - @d is valid (a table, block or page). */
S2_INLINE bool s2_desc_valid(uint64_t d) { return d & S2_DESC_VALID; }

/** s2_desc_is_table() - @d, an entry at @level, points to a next-level table. */
S2_INLINE bool s2_desc_is_table(uint64_t d, int level)
{
	return level < 3 && (d & 3) == 3;
}

/** s2_desc_is_leaf() - @d, an entry at @level, is a valid block (levels < 3) or page (level 3). */
S2_INLINE bool s2_desc_is_leaf(uint64_t d, int level)
{
	return level == 3 ? (d & 3) == 3 : (d & 3) == 1;
}

/**
 * s2_desc_oa_bits() - mask of the descriptor bits that hold the
 * output/next-level address in geometry @g's format.
 */
S2_INLINE uint64_t s2_desc_oa_bits(const struct s2_geometry *g)
{
	uint64_t m = S2_GENMASK(g->ds ? 49 : 47, g->page_shift);

	if (g->ds)
		m |= S2_DESC_SH;
	else if (g->lpa)
		m |= S2_GENMASK(15, 12);
	return m;
}

/** s2_desc_oa() - the output (or next-level table) address descriptor @d of @g holds. */
S2_INLINE uint64_t s2_desc_oa(const struct s2_geometry *g, uint64_t d)
{
	if (g->ds)
		return (d & S2_GENMASK(49, g->page_shift)) | ((d >> 8) & 3) << 50;
	if (g->lpa)
		return (d & S2_GENMASK(47, g->page_shift)) | ((d >> 12) & 0xf) << 48;
	return d & S2_GENMASK(47, g->page_shift);
}

/**
 * s2_desc_encode_oa() - encode @pa (granule-aligned, within oa_max) into
 * the descriptor bits of geometry @g's format.
 */
S2_INLINE uint64_t s2_desc_encode_oa(const struct s2_geometry *g, uint64_t pa)
{
	if (g->ds)
		return (pa & S2_GENMASK(49, g->page_shift)) | ((pa >> 50) & 3) << 8;
	if (g->lpa)
		return (pa & S2_GENMASK(47, g->page_shift)) | ((pa >> 48) & 0xf) << 12;
	return pa & S2_GENMASK(47, g->page_shift);
}

/* The count of a table that shared calls added entries to: more than any
   table holds, so never a real count. */
#define S2_TBL_COUNT_UNKNOWN 0x3fffu

/** s2_tbl_count() - number of valid entries recorded in table descriptor @d,
 * or S2_TBL_COUNT_UNKNOWN. */
S2_INLINE unsigned s2_tbl_count(uint64_t d)
{
	return (unsigned)(((d >> 2) & 0x3f) | ((d >> 11) & 1) << 6 | ((d >> 52) & 0x7f) << 7);
}

/** s2_tbl_set_count() - the table descriptor @d with valid-entry count @n. */
S2_INLINE uint64_t s2_tbl_set_count(uint64_t d, unsigned n)
{
	d &= ~(S2_TBL_COUNT_LO | S2_TBL_COUNT_MID | S2_TBL_COUNT_HI);
	return d | (uint64_t)(n & 0x3f) << 2 | (uint64_t)((n >> 6) & 1) << 11 |
	       (uint64_t)(n >> 7) << 52;
}

/** s2_desc_table() - a table descriptor of @g for a next-level table at @pa, with count @n. */
S2_INLINE uint64_t s2_desc_table(const struct s2_geometry *g, uint64_t pa, unsigned n)
{
	return s2_tbl_set_count(s2_desc_encode_oa(g, pa) | 3, n);
}

/**
 * s2_desc_attrs() - the attribute bits of a leaf of geometry @g for @prot,
 * S2_PROT_* (s2/prot.h): MemAttr, S2AP, XN, SH (not with DS: then SH comes from
 * VTCR.SH0 and the bits hold OA[51:50]) and AF.
 */
S2_INLINE uint64_t s2_desc_attrs(const struct s2_geometry *g, unsigned prot)
{
	uint64_t a = S2_DESC_AF;

	a |= (prot & S2_PROT_DEVICE ? S2_MEMATTR_DEVICE_nGnRE : S2_MEMATTR_NORMAL_WB)
	     << S2_DESC_MEMATTR_SHIFT;
	if (prot & S2_PROT_R)
		a |= S2_DESC_S2AP_R;
	if (prot & S2_PROT_W)
		a |= S2_DESC_S2AP_W;
	/* XN=0b10: not executable at EL1 or EL0 (without FEAT_XNX, XN[0] is
	   ignored). */
	if (!(prot & S2_PROT_X))
		a |= S2_DESC_XN;
	/* With DS=1 the SH bits hold OA[51:50]; shareability is VTCR.SH0. */
	if (!g->ds)
		a |= S2_DESC_SH_INNER;
	return a;
}

/** s2_desc_prot() - the S2_PROT_* leaf descriptor @d grants. */
S2_INLINE unsigned s2_desc_prot(uint64_t d)
{
	unsigned p = 0;

	if (d & S2_DESC_S2AP_R)
		p |= S2_PROT_R;
	if (d & S2_DESC_S2AP_W)
		p |= S2_PROT_W;
	if (!(d & S2_DESC_XN))
		p |= S2_PROT_X;
	/* MemAttr[3:2] (outer) = 0b00: Device memory. */
	if (!((d >> (S2_DESC_MEMATTR_SHIFT + 2)) & 3))
		p |= S2_PROT_DEVICE;
	return p;
}

/**
 * s2_desc_leaf_attrs() - leaf descriptor @d's attribute bits: everything
 * but its address (in @g's format) and type bits.
 */
S2_INLINE uint64_t s2_desc_leaf_attrs(const struct s2_geometry *g, uint64_t d)
{
	return d & ~(s2_desc_oa_bits(g) | 3);
}

/**
 * s2_desc_leaf() - a leaf (block or page) of @g at @level for @pa with
 * attribute bits @attrs.
 */
S2_INLINE uint64_t s2_desc_leaf(const struct s2_geometry *g, int level,
				    uint64_t pa, uint64_t attrs)
{
	return s2_desc_encode_oa(g, pa) | attrs | (level == 3 ? 3 : 1);
}

#endif
