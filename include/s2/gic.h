/* SPDX-License-Identifier: MIT */
/*
 * GICv3 ITS and redistributor base registers with 52-bit addresses.
 *
 * GITS_BASER<n>: Physical_Address [47:12]; with 64K ITS pages
 *   (Page_Size=0b10) bits [15:12] hold PA[51:48] (the table is 64K
 *   aligned, so PA[15:12] are zero). With 4K/16K pages only 48-bit PAs
 *   are expressible.
 * GITS_CBASER: PA [51:12]. GICR_PROPBASER: PA [51:12].
 * GICR_PENDBASER: PA [51:16].
 */
#ifndef S2_GIC_H
#define S2_GIC_H

#include <s2/err.h>
#include <s2/types.h>

#define S2_GITS_BASER_PAGE_4K   0u
#define S2_GITS_BASER_PAGE_16K  1u
#define S2_GITS_BASER_PAGE_64K  2u
#define S2_GITS_BASER_PAGE_SHIFT 8
#define S2_GITS_BASER_VALID     S2_BIT(63)

enum s2_gic_reg {
	S2_GITS_BASER,
	S2_GITS_CBASER,
	S2_GICR_PROPBASER,
	S2_GICR_PENDBASER,
};

/**
 * s2_gic_base_pa() - the physical address held in @val, a value of the
 * base register @reg. For GITS_BASER the Page_Size field in @val selects the 52-bit format.
 * Return: the address; 0 for a @reg that is not an enum s2_gic_reg value.
 */
s2_pa_t s2_gic_base_pa(enum s2_gic_reg reg, uint64_t val);

/**
 * s2_gic_base_set_pa() - replace the address in a value of base register
 * @reg by @pa, into *@out.
 * @d:   message on failure (may be NULL).
 * @val: the register with its other fields (for GITS_BASER, Page_Size
 *       must already be set: it decides the format).
 * Return: 0 and *@out; S2_EINVAL for a @reg that is not an enum s2_gic_reg
 * value, for the reserved GITS_BASER Page_Size 3
 * (s2_gic_base_pa() reads it as 64K), or if @pa is not aligned to the register's
 * unit (the ITS page size, 4K, or 64K for PENDBASER); S2_ERANGE if @pa
 * needs more bits than the format holds (52, or 48 for GITS_BASER with
 * 4K/16K pages). The message says which format would fit.
 */
int s2_gic_base_set_pa(enum s2_gic_reg reg, uint64_t val, s2_pa_t pa,
		       uint64_t *out, struct s2_diag *d);

/** s2_gic_reg_name() - "GITS_BASER", ... for @reg ("?" for anything else). */
const char *s2_gic_reg_name(enum s2_gic_reg reg);

#endif
