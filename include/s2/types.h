/* SPDX-License-Identifier: MIT */
/*
 * Basic types. Guest-physical (IPA) and host-physical (PA) addresses are
 * distinct struct types: passing one where the other is expected does not
 * compile, which is the point.
 */
#ifndef S2_TYPES_H
#define S2_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct s2_diag;

typedef struct { uint64_t v; } s2_ipa_t;   /* intermediate physical address */
typedef struct { uint64_t v; } s2_pa_t;    /* (host) physical address */

/** s2_ipa() - the IPA @v, typed. */
static inline s2_ipa_t s2_ipa(uint64_t v) { return (s2_ipa_t){ v }; }
/** s2_pa() - the PA @v, typed. */
static inline s2_pa_t s2_pa(uint64_t v) { return (s2_pa_t){ v }; }

/* "No level" (outside Arm's -1..3): a TLBI without a TTL hint, a fault
   status code without a level. */
#define S2_LEVEL_NONE      99

/* For the one-line descriptor and geometry helpers: inlined wherever they
   are used, never emitted once per file and called from a walk's loop. */
#define S2_INLINE          static inline __attribute__((always_inline))

#define S2_BIT(n)          (1ULL << (n))
/* Bits h..l inclusive set, as Linux's GENMASK_ULL. */
#define S2_GENMASK(h, l)   ((~0ULL >> (63 - (h))) & (~0ULL << (l)))

/* Stage-2 translation granule; the value is the page shift. */
enum s2_granule {
	S2_GRANULE_4K = 12,
	S2_GRANULE_16K = 14,
	S2_GRANULE_64K = 16,
};

/**
 * s2_granule_valid() - true if @g is one of the three architectural
 * granules (an enum s2_granule value).
 */
static inline bool s2_granule_valid(unsigned g)
{
	return g == S2_GRANULE_4K || g == S2_GRANULE_16K || g == S2_GRANULE_64K;
}

/**
 * s2_granule_name() - "4K", "16K" or "64K" for @g ("?" for anything else).
 */
const char *s2_granule_name(enum s2_granule g);

/**
 * s2_granule_parse() - parse @s: "4k", "4K", "4096", "16k", "64k", ... .
 * @g: the granule, written only on success.
 * @d: message on failure (may be NULL).
 * Return: 0 and *@g set, or S2_EINVAL with a message listing the accepted
 * spellings.
 */
int s2_granule_parse(const char *s, enum s2_granule *g, struct s2_diag *d);

#endif
