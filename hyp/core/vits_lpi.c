/* SPDX-License-Identifier: MIT */
/*
 * The LPI half of the emulated redistributors (GIC architecture spec
 * IHI 0069, "LPI Configuration tables", "LPI Pending tables"): one
 * property table for all (GICR_PROPBASER), a pending table each
 * (GICR_PENDBASER), both in guest memory and used at each event. A
 * pending LPI is reported to the vCPU interface once enabled; it stays
 * pending in the table until the vCPU takes it.
 */
#include "vits_priv.h"

/* ---- LPI property and pending tables ---- */

static uint32_t lpi_limit(const struct vits *its)
{
	unsigned bits = (unsigned)(its->propbaser & 0x1f) + 1;

	return 1u << (bits < VITS_LPI_IDBITS ? bits : VITS_LPI_IDBITS);
}

bool vits_lpi_in_range(const struct vits *its, uint32_t intid)
{
	return intid >= VITS_LPI_BASE && intid < lpi_limit(its);
}

static int prop_get(struct vits *its, uint32_t intid, uint8_t *prop)
{
	uint64_t base = s2_gic_base_pa(S2_GICR_PROPBASER, its->propbaser).v;

	if (vits_mem_read(its, base + intid - VITS_LPI_BASE, prop, 1))
		return VITS_EFAULT;
	vits_note_table(its, base);
	return 0;
}

static uint64_t pend_base(const struct vits *its, unsigned vcpu)
{
	return s2_gic_base_pa(S2_GICR_PENDBASER, its->rd[vcpu].pendbaser).v;
}

int vits_pend_test(struct vits *its, unsigned vcpu, uint32_t intid, bool *set)
{
	uint8_t b;

	if (vits_mem_read(its, pend_base(its, vcpu) + intid / 8, &b, 1))
		return VITS_EFAULT;
	vits_note_table(its, pend_base(its, vcpu));
	*set = b & (1u << (intid % 8));
	return 0;
}

/* Set or clear @intid's pending bit; *@was gets the old state. */
int vits_pend_update(struct vits *its, unsigned vcpu, uint32_t intid, bool set, bool *was)
{
	uint64_t a = pend_base(its, vcpu) + intid / 8;
	uint8_t b, bit = (uint8_t)(1u << (intid % 8)), nb;

	if (vits_mem_read(its, a, &b, 1))
		return VITS_EFAULT;
	vits_note_table(its, pend_base(its, vcpu));
	*was = b & bit;
	nb = set ? (uint8_t)(b | bit) : (uint8_t)(b & ~bit);
	if (nb != b && vits_mem_write(its, a, &nb, 1))
		return VITS_EFAULT;
	return 0;
}

void vits_notify_cleared(struct vits *its, unsigned vcpu, uint32_t intid)
{
	if (its->ops->lpi_cleared)
		its->ops->lpi_cleared(its->ctx, vcpu, intid);
}

/*
 * Make @intid pending on @vcpu: reported if enabled in the property table
 * and not pending already (pending LPIs merge, as edge interrupts do).
 */
enum vits_err vits_make_pending(struct vits *its, unsigned vcpu, uint32_t intid)
{
	uint8_t prop;
	bool was;

	if (!its->rd[vcpu].lpis_enabled)
		return VITS_ERR_LPIS_DISABLED;
	if (!vits_lpi_in_range(its, intid))
		return VITS_ERR_UNMAPPED_INTERRUPT;
	if (prop_get(its, intid, &prop) || vits_pend_update(its, vcpu, intid, true, &was))
		return VITS_ERR_MEMORY;
	if (!was && (prop & LPI_PROP_ENABLE)) {
		its->stats.lpis_signalled++;
		its->ops->lpi_pending(its->ctx, vcpu, intid, prop & LPI_PROP_PRIO);
	}
	return VITS_ERR_NONE;
}

/* Drop @intid's pending state on @vcpu (nothing to do if LPIs are off:
   the redistributor does not own its pending table then). */
enum vits_err vits_clear_pending(struct vits *its, unsigned vcpu, uint32_t intid)
{
	bool was;

	if (!its->rd[vcpu].lpis_enabled || !vits_lpi_in_range(its, intid))
		return VITS_ERR_NONE;
	if (vits_pend_update(its, vcpu, intid, false, &was))
		return VITS_ERR_MEMORY;
	if (was)
		vits_notify_cleared(its, vcpu, intid);
	return VITS_ERR_NONE;
}

/* Re-read @intid's configuration (INV, INVALL, EnableLPIs): a pending LPI
   is reported if enabled, dropped if not. */
enum vits_err vits_refresh(struct vits *its, unsigned vcpu, uint32_t intid, bool pending)
{
	uint8_t prop;

	if (!pending)
		return VITS_ERR_NONE;
	if (prop_get(its, intid, &prop))
		return VITS_ERR_MEMORY;
	if (prop & LPI_PROP_ENABLE) {
		its->stats.lpis_signalled++;
		its->ops->lpi_pending(its->ctx, vcpu, intid, prop & LPI_PROP_PRIO);
	} else {
		vits_notify_cleared(its, vcpu, intid);
	}
	return VITS_ERR_NONE;
}


/*
 * Visit every pending LPI in @vcpu's pending table (INTIDs 8192 up to
 * what GICR_PROPBASER.IDbits covers), 64 bytes of the table at a time.
 * SCAN_MOVE moves each to @to (MOVALL).
 */
enum vits_err vits_scan_pending(struct vits *its, unsigned vcpu, enum scan_op op, unsigned to)
{
	uint64_t base = pend_base(its, vcpu);
	uint32_t limit = lpi_limit(its);
	uint8_t chunk[64];

	for (uint32_t id0 = VITS_LPI_BASE; id0 < limit; id0 += 8 * sizeof(chunk)) {
		uint32_t n = (limit - id0) / 8 < sizeof(chunk) ? (limit - id0) / 8 : sizeof(chunk);

		if (vits_mem_read(its, base + id0 / 8, chunk, n))
			return VITS_ERR_MEMORY;
		vits_note_table(its, base);
		for (uint32_t i = 0; i < n * 8; i++) {
			uint32_t intid = id0 + i;
			enum vits_err r = VITS_ERR_NONE;

			if (!(chunk[i / 8] & (1u << (i % 8))))
				continue;
			if (op == SCAN_REFRESH) {
				r = vits_refresh(its, vcpu, intid, true);
			} else if (op == SCAN_DROP) {
				vits_notify_cleared(its, vcpu, intid);
			} else {
				r = vits_clear_pending(its, vcpu, intid);
				if (!r)
					r = vits_make_pending(its, to, intid);
				if (r == VITS_ERR_LPIS_DISABLED)
					r = VITS_ERR_NONE;
			}
			if (r)
				return r;
		}
	}
	return VITS_ERR_NONE;
}

void vits_lpi_taken(struct vits *its, unsigned vcpu, uint32_t intid)
{
	bool was;

	if (vcpu >= its->nr_vcpus || !its->rd[vcpu].lpis_enabled || !vits_lpi_in_range(its, intid))
		return;
	if (vits_pend_update(its, vcpu, intid, false, &was))
		its->stats.table_faults++;
	else if (was)
		its->stats.lpis_taken++;
}


void vits_set_enable_lpis(struct vits *its, unsigned vcpu, bool on)
{
	struct vits_rd *rd = &its->rd[vcpu];

	if (on == rd->lpis_enabled)
		return;
	if (on) {
		rd->lpis_enabled = true;
		/* Pending LPIs left in the table are delivered, unless the
		   guest said the table is zero (PTZ), as Linux KVM does. */
		if (!(rd->pendbaser & PENDBASER_PTZ) && vits_scan_pending(its, vcpu, SCAN_REFRESH, 0))
			its->stats.table_faults++;
	} else {
		/* The pending bits stay in the table for the next enable;
		   the vCPU interface forgets them. */
		if (its->ops->lpi_cleared && vits_scan_pending(its, vcpu, SCAN_DROP, 0))
			its->stats.table_faults++;
		rd->lpis_enabled = false;
	}
}
