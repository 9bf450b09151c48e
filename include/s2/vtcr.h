/* SPDX-License-Identifier: MIT */
/*
 * VTCR_EL2 and VTTBR_EL2: composing them from a geometry, and decoding
 * any value back with the architecture's consistency rules.
 */
#ifndef S2_VTCR_H
#define S2_VTCR_H

#include <s2/err.h>
#include <s2/geometry.h>

/* VTCR_EL2 fields (Arm ARM D19, VTCR_EL2). */
#define S2_VTCR_T0SZ_SHIFT   0
#define S2_VTCR_SL0_SHIFT    6
#define S2_VTCR_IRGN0_SHIFT  8
#define S2_VTCR_ORGN0_SHIFT  10
#define S2_VTCR_SH0_SHIFT    12
#define S2_VTCR_TG0_SHIFT    14
#define S2_VTCR_PS_SHIFT     16
#define S2_VTCR_VS           S2_BIT(19)
#define S2_VTCR_HA           S2_BIT(21)
#define S2_VTCR_HD           S2_BIT(22)
#define S2_VTCR_RES1         S2_BIT(31)
#define S2_VTCR_DS           S2_BIT(32)
#define S2_VTCR_SL2          S2_BIT(33)

#define S2_VTCR_TG0_4K   0u
#define S2_VTCR_TG0_64K  1u
#define S2_VTCR_TG0_16K  2u
#define S2_VTCR_RGN_WBWA 1u
#define S2_VTCR_SH_INNER 3u

/* Flags for s2_vtcr_encode(). */
#define S2_VTCR_F_VMID16  (1u << 0)   /* set VS: 16-bit VMIDs */
#define S2_VTCR_F_HA      (1u << 1)   /* hardware Access flag update */
#define S2_VTCR_F_HD      (1u << 2)   /* hardware dirty state (implies HA) */

/**
 * s2_vtcr_encode() - VTCR_EL2 for geometry @g and @flags (S2_VTCR_F_*).
 * T0SZ = 64 - ipa_bits; SL0 (and SL2 for level -1) from the start level;
 * IRGN0/ORGN0 write-back write-allocate, SH0 inner shareable; TG0 from the
 * granule; PS from ps_bits; DS for LPA2; bit 31 (RES1).
 * Return: the register value (never fails for an initialised geometry).
 */
uint64_t s2_vtcr_encode(const struct s2_geometry *g, unsigned flags);

/** A decoded VTCR_EL2. */
struct s2_vtcr {
	unsigned t0sz, sl0, sl2, irgn0, orgn0, sh0, tg0, ps;
	bool vs, ha, hd, ds, res1;
	bool ipa_above_ps;         /* T0SZ selects more IPA bits than PS has
				      (valid: only outputs beyond PS fault) */
	struct s2_geometry geom;   /* the stage-2 geometry it selects; its
				      ps_bits/oa_max are PS's */
};

/**
 * s2_vtcr_decode() - decode and check @vtcr, a VTCR_EL2 value, into *@v.
 * @d: message on failure (may be NULL).
 *
 * Return: 0; S2_EINVAL (message names the field) for: TG0=0b11, a
 * reserved PS, DS with 64K, SL2 without DS/4K or with SL0 != 0, an SL0
 * encoding reserved for the granule, a T0SZ outside 12..32 (IPA sizes
 * 32..52, the message names T0SZ), a T0SZ the start level cannot
 * resolve with at most 16 concatenated tables, an IPA larger than 48 bits
 * without 52-bit support, or a start level the architecture forbids for
 * PS. An IPA larger than PS is not an error (the architecture bounds T0SZ
 * by the implemented PA size): the tables are decoded as on a CPU whose
 * PA size holds the IPA, and @v->ipa_above_ps says so.
 * @v is written only on success.
 */
int s2_vtcr_decode(uint64_t vtcr, struct s2_vtcr *v, struct s2_diag *d);

/* VTTBR_EL2 */
#define S2_VTTBR_CNP        S2_BIT(0)
#define S2_VTTBR_VMID_SHIFT 48

/**
 * s2_vttbr_encode() - VTTBR_EL2 for a root table and VMID.
 * @root: PA of the (concatenated) root; must be aligned to g->root_align
 *        and below 2^ps_bits. For a 52-bit PS, PA[51:48] go in bits [5:2].
 * @vmid: the VM's VMID; @vmid_bits: 8 or 16.
 * @g: the VM's geometry; @d: message on failure (may be NULL).
 * Return: 0 and *@vttbr; S2_EINVAL for a misaligned root, an over-wide
 * VMID or vmid_bits not 8/16; S2_ERANGE for a root beyond the PA size.
 */
int s2_vttbr_encode(const struct s2_geometry *g, s2_pa_t root, unsigned vmid,
		    unsigned vmid_bits, uint64_t *vttbr, struct s2_diag *d);

/**
 * s2_vttbr_root() - the root PA in @vttbr, a VTTBR_EL2 value; @pa52: the VM's PS
 * is 52 bits, so bits [5:2] hold BADDR[51:48].
 */
s2_pa_t s2_vttbr_root(uint64_t vttbr, bool pa52);

/** s2_vttbr_vmid() - the VMID field of @vttbr, a VTTBR_EL2 value. */
static inline unsigned s2_vttbr_vmid(uint64_t vttbr)
{
	return (unsigned)(vttbr >> S2_VTTBR_VMID_SHIFT);
}

#endif
