/* SPDX-License-Identifier: MIT */
/*
 * One stage-2 translation context at EL2: a libs2 table plus the VTCR_EL2
 * and VTTBR_EL2 values that select it. The table's environment (struct
 * s2_mm_ops) is the hypervisor's: pages from the buddy allocator, PA ==
 * VA (identity map), DC CIVAC, and TLB maintenance on behalf of this
 * context whether or not it is the one loaded.
 */
#ifndef HYP_STAGE2_H
#define HYP_STAGE2_H

#include <s2/pgtable.h>
#include <s2/vtcr.h>

struct stage2 {
	struct s2_pgtable pgt;
	uint64_t vtcr, vttbr;
	uint64_t live_bytes;      /* allocator bytes this table holds */
	/* TLB maintenance issued for this context, and how many of those
	   had to load it first because another context was current. */
	uint64_t tlbi_ops, tlbi_loads;
	/* VTTBR/VTCR in force when the last TLBI instruction ran (a test
	   checks the switch really happened). */
	uint64_t tlbi_seen_vttbr, tlbi_seen_vtcr;
};

extern const struct s2_mm_ops hyp_mm_ops;

/* Host features the environment uses (set once from the ID registers). */
struct hyp_features {
	unsigned vmid_bits;
	bool ttl;                 /* FEAT_TTL: level hints in TLBI by IPA */
	bool lpa2;                /* FEAT_LPA2 (TTL level-0/1 encodings) */
};
extern struct hyp_features hyp_feat;

/**
 * stage2_init() - a table for geometry @g and VMID @vmid, with VTCR/VTTBR
 * computed by libs2. @flags: S2_PGT_*; @vtcr_flags: S2_VTCR_F_*.
 * Return: 0 or the library's error (message in @d).
 */
int stage2_init(struct stage2 *s, const struct s2_geometry *g, unsigned vmid,
		unsigned flags, unsigned vtcr_flags, const struct s2_mm_ops *ops,
		struct s2_diag *d);
/* Free the table; returns the bytes it failed to give back (a leak). */
uint64_t stage2_destroy(struct stage2 *s);

/*
 * Drop this CPU's TLB entries for @ipa of @s, which must be the stage 2
 * loaded here: after a permission fault whose entry another CPU already
 * relaxed, so a stale stricter entry does not fault again.
 */
void stage2_tlbi_ipa_local(const struct stage2 *s, uint64_t ipa);

/* Make @s the current stage 2 (VTCR_EL2 then VTTBR_EL2, ISB). */
void stage2_load(const struct stage2 *s);

#endif
