/* SPDX-License-Identifier: MIT */
/*
 * Stage-2 table geometry: everything about the shape of one VM's tables,
 * decided once per VM from (granule, IPA size, PA size, LPA2). All index
 * arithmetic in s2kit derives from this struct; concatenated start-level
 * tables are simply one wide root (root_entries > entries per page).
 *
 * Levels use Arm's numbering, -1..3; level 3 holds pages.
 */
#ifndef S2_GEOMETRY_H
#define S2_GEOMETRY_H

#include <s2/err.h>
#include <s2/types.h>

#define S2_LEVEL_MIN    (-1)
#define S2_LEVEL_MAX    3
#define S2_START_AUTO   127   /* s2_geom_req.start_level: Linux's choice */
#define S2_MAX_CONCAT   16
#define S2_PS_AUTO      0     /* s2_geom_req.ps_bits: the smallest PARange
				 size that holds ipa_bits */

struct s2_geom_req {
	enum s2_granule granule;
	unsigned ipa_bits;    /* 32..52 */
	unsigned ps_bits;     /* VTCR.PS in bits, or S2_PS_AUTO */
	bool lpa2;            /* LPA2 descriptors (VTCR.DS=1); 4K/16K only */
	int start_level;      /* S2_START_AUTO, or an explicit -1..3 */
};

struct s2_geometry {
	enum s2_granule granule;
	unsigned page_shift;  /* == granule */
	unsigned stride;      /* index bits per full table: page_shift - 3 */
	unsigned ipa_bits;
	unsigned ps_bits;     /* effective output size (VTCR.PS) */
	bool ds;              /* LPA2 format (4K/16K, 52-bit OA) */
	bool lpa;             /* 64K with 52-bit OA (FEAT_LPA, PS=52) */
	int start_level;      /* -1..2 */
	unsigned levels;      /* 3 - start_level + 1, >= 2 */
	unsigned root_bits;   /* index bits resolved at the start level */
	unsigned concat;      /* concatenated tables at the start level, 1..16 */
	uint64_t root_entries;
	uint64_t root_bytes;  /* root_entries * 8 */
	uint64_t root_align;  /* VTTBR alignment: max(root_bytes, 64) */
	unsigned block_levels;/* bit (level + 1): a block is legal there */
	uint64_t ipa_max;     /* last IPA: 2^ipa_bits - 1 */
	uint64_t oa_max;      /* last output address: 2^ps_bits - 1 */
};

/**
 * s2_geometry_init() - compute the geometry *@g that @req asks for.
 * @d: message on failure (may be NULL).
 *
 * Levels: ARM64_HW_PGTABLE_LEVELS(ipa - 4), at least 2, unless an explicit
 * start level is given. Start level -1 (4K with LPA2, VTCR.SL2=1) is used
 * only when asked for: S2_START_AUTO never picks it, as Linux does not.
 *
 * PS: with 4K/16K and no LPA2 a PS of 52 acts as 48 (the architecture
 * treats PS=0b110 as 48 bits when DS=0), so ps_bits is clamped to 48.
 *
 * Return: 0; S2_EINVAL (message names the value and the accepted range)
 * for: a granule other than 4K/16K/64K; IPA outside 32..52; IPA above 48
 * without LPA2 (4K/16K) or PS=52 (64K); LPA2 with 64K; a PS that is not a
 * PARange size or is smaller than the IPA; an explicit start level that
 * cannot resolve the IPA with at most 16 concatenated tables or that the
 * architecture forbids for the granule (4K level 0 needs PS >= 44, 16K
 * level 0 needs LPA2 and level 1 PS >= 42, 64K level 1 needs PS >= 44,
 * level -1 needs 4K with LPA2). @g is written only on success.
 */
int s2_geometry_init(struct s2_geometry *g, const struct s2_geom_req *req,
		     struct s2_diag *d);

/**
 * s2_level_shift() - number of input-address bits below the index at
 * @level of geometry @g: an entry there maps 2^shift bytes.
 */
S2_INLINE unsigned s2_level_shift(const struct s2_geometry *g, int level)
{
	return g->page_shift + (unsigned)(3 - level) * g->stride;
}

/** s2_level_size() - bytes one entry at @level of @g maps. */
S2_INLINE uint64_t s2_level_size(const struct s2_geometry *g, int level)
{
	return 1ULL << s2_level_shift(g, level);
}

/**
 * s2_level_entries() - entries in a table at @level of @g (the whole
 * concatenated root at the start level).
 */
S2_INLINE uint64_t s2_level_entries(const struct s2_geometry *g, int level)
{
	return level == g->start_level ? g->root_entries : 1ULL << g->stride;
}

/** s2_level_index() - index of @ipa in its table at @level of @g. */
S2_INLINE uint64_t s2_level_index(const struct s2_geometry *g, int level,
				      uint64_t ipa)
{
	return (ipa >> s2_level_shift(g, level)) & (s2_level_entries(g, level) - 1);
}

/**
 * s2_level_has_block() - true if a block (or, at level 3, page) descriptor
 * is legal at @level of @g.
 */
S2_INLINE bool s2_level_has_block(const struct s2_geometry *g, int level)
{
	return level >= g->start_level && level <= 3 &&
	       (g->block_levels >> (level + 1)) & 1;
}

/** s2_page_size() - bytes per table page of @g (one granule). */
S2_INLINE uint64_t s2_page_size(const struct s2_geometry *g)
{
	return 1ULL << g->page_shift;
}

#endif
