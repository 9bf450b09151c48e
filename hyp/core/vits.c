/* SPDX-License-Identifier: MIT */
/*
 * Emulated GICv3 ITS and the LPI half of the redistributors (GIC
 * architecture spec IHI 0069, chapters "Locality-specific Peripheral
 * Interrupts and the ITS" and "ITS commands"). The guest-visible
 * behaviour follows Linux KVM's vgic-its.c where the architecture leaves
 * a choice, except for command errors: KVM skips a failing command, this
 * ITS takes the architecture's other option and stalls (GITS_CREADR.
 * Stalled) until the guest retries or resets the queue, so that a
 * misprogrammed guest is seen.
 *
 * Nothing is cached: each command and each MSI walks the guest's tables
 * through the ops, which the architecture allows (software must not rely
 * on a table being cached or not, and must INV after a property change).
 *
 * This file: the registers (the GITS frame, the redistributors' LPI
 * registers) and set-up; vits_table.c, vits_lpi.c and vits_cmd.c the rest.
 */
#include "vits_priv.h"

/* GITS_TYPER: Physical, ITT_entry_size-1 [7:4], ID_bits-1 [12:8],
   Devbits-1 [17:13]; SEIS, PTA, HCC, CIL and the GICv4 bits are 0. */
#define TYPER_VALUE   (1ULL | (uint64_t)(VITS_ENTRY_SIZE - 1) << 4 | \
		       (uint64_t)(VITS_EVENTBITS - 1) << 8 | (uint64_t)(VITS_DEVBITS - 1) << 13)
/* GITS_IIDR: Implementer Arm (0x43b), ProductID 'S'. */
#define IIDR_VALUE    (0x53u << 24 | 0x43bu)

const char *vits_err_name(enum vits_err e)
{
	static const char *const names[VITS_ERR_NR] = {
		"NONE", "DEVICE_OOR", "ITTSIZE_OOR", "EVENT_OOR", "COLLECTION_OOR",
		"PROCNUM_OOR", "PHYSICALID_OOR", "UNMAPPED_DEVICE", "UNMAPPED_INTERRUPT",
		"UNMAPPED_COLLECTION", "MEMORY", "UNKNOWN_COMMAND", "LPIS_DISABLED",
		"ITS_DISABLED",
	};
	return (unsigned)e < VITS_ERR_NR ? names[e] : "?";
}

/* ---- registers ---- */

static int access_ok(uint64_t offset, unsigned size)
{
	return (size == 4 || size == 8) && !(offset & (size - 1));
}

/* A 64-bit register read or written whole or by 32-bit halves. */
static uint64_t reg_read(uint64_t reg, uint64_t offset, unsigned size)
{
	return size == 8 ? reg : (reg >> (8 * (offset & 4))) & 0xffffffffULL;
}

static uint64_t reg_write(uint64_t reg, uint64_t offset, unsigned size, uint64_t val)
{
	unsigned shift = 8 * (unsigned)(offset & 4);

	if (size == 8)
		return val;
	return (reg & ~(0xffffffffULL << shift)) | (val & 0xffffffffULL) << shift;
}

static uint64_t baser_reset(unsigned n)
{
	uint64_t type = n == DEV_TABLE ? BASER_TYPE_DEVICE : BASER_TYPE_COLL;

	return type << BASER_TYPE_SHIFT | (uint64_t)(VITS_ENTRY_SIZE - 1) << BASER_ESZ_SHIFT |
	       (uint64_t)S2_GITS_BASER_PAGE_64K << S2_GITS_BASER_PAGE_SHIFT;
}

static void write_baser(struct vits *its, unsigned n, uint64_t offset, unsigned size, uint64_t val)
{
	uint64_t old = its->baser[n], v;

	if (its->enabled) {
		its->stats.reg_ignored++;
		return;
	}
	v = reg_write(old, offset, size, val);
	v = (v & ~BASER_RO) | (baser_reset(n) & BASER_RO);
	/* Page_Size 0b11 is reserved: the field keeps its value. */
	if ((v & BASER_PAGE_MASK) == BASER_PAGE_MASK) {
		v = (v & ~BASER_PAGE_MASK) | (old & BASER_PAGE_MASK);
		its->stats.reg_ignored++;
	}
	its->baser[n] = v;
}

static void write_ctlr(struct vits *its, uint64_t val)
{
	bool enable = val & VITS_GITS_CTLR_ENABLED;

	/* Enabling without a valid queue and tables is UNPREDICTABLE; Linux
	   KVM ignores it. */
	if (enable && !its->enabled &&
	    (!(its->cbaser & CBASER_VALID) || !(its->baser[DEV_TABLE] & BASER_VALID) ||
	     !(its->baser[COLL_TABLE] & BASER_VALID))) {
		its->stats.reg_ignored++;
		return;
	}
	its->enabled = enable;
	vits_process(its);
}

static void write_cbaser(struct vits *its, uint64_t offset, unsigned size, uint64_t val)
{
	if (its->enabled) {
		its->stats.reg_ignored++;
		return;
	}
	its->cbaser = reg_write(its->cbaser, offset, size, val) & ~CBASER_RES0;
	/* A new queue starts empty (GITS_CREADR resets to 0 when CBASER is
	   written; Linux KVM resets CWRITER too) and unstalled. */
	its->creadr = its->cwriter = 0;
	its->stalled = false;
}

static void write_cwriter(struct vits *its, uint64_t offset, unsigned size, uint64_t val)
{
	uint64_t v = reg_write(its->cwriter, offset, size, val);

	if ((v & CMD_OFFSET_MASK) >= vits_queue_size(its)) {
		its->stats.reg_ignored++;
		return;
	}
	its->cwriter = v & CMD_OFFSET_MASK;
	if ((v & VITS_GITS_CWRITER_RETRY) && its->stalled)
		its->stalled = false;
	vits_process(its);
}

static uint32_t id_reg(uint64_t offset)
{
	switch (offset) {
	case 0xffd0: return 0x40;   /* PIDR4: one 64K page of registers */
	case 0xffe0: return 0x92;   /* PIDR0/1: part number */
	case 0xffe4: return 0xb4;
	case VITS_GITS_PIDR2: return 0x3b;  /* ArchRev 3: GICv3 */
	case 0xfff0: return 0x0d;   /* CIDR0..3: the component preamble */
	case 0xfff4: return 0xf0;
	case 0xfff8: return 0x05;
	case 0xfffc: return 0xb1;
	}
	return 0;
}

int vits_mmio(struct vits *its, uint64_t offset, bool write, uint64_t *val, unsigned size)
{
	uint64_t reg = offset & ~7ULL;

	if (offset >= VITS_FRAME_SIZE)
		return S2_ERANGE;
	/* GITS_TRANSLATER also takes 16-bit writes (MSI data of PCI's
	   16-bit format). */
	if (offset == VITS_GITS_TRANSLATER && size == 2 && write) {
		vits_translater(its, its->translater_devid, (uint16_t)*val);
		return 0;
	}
	if (!access_ok(offset, size))
		return S2_EINVAL;
	/* 32-bit registers: 32-bit accesses only. */
	if (size == 8 && (offset < VITS_GITS_TYPER || (offset >= 0xffd0 && offset < 0x10000) ||
			  offset == VITS_GITS_TRANSLATER))
		return S2_EINVAL;

	if (!write) {
		uint64_t v = 0;

		if (offset == VITS_GITS_CTLR)
			v = (its->enabled ? VITS_GITS_CTLR_ENABLED : 0) |
			    (its->creadr == its->cwriter ? VITS_GITS_CTLR_QUIESCENT : 0);
		else if (offset == VITS_GITS_IIDR)
			v = IIDR_VALUE;
		else if (reg == VITS_GITS_TYPER)
			v = reg_read(TYPER_VALUE, offset, size);
		else if (reg == VITS_GITS_CBASER)
			v = reg_read(its->cbaser, offset, size);
		else if (reg == VITS_GITS_CWRITER)
			v = reg_read(its->cwriter, offset, size);
		else if (reg == VITS_GITS_CREADR)
			v = reg_read(its->creadr | (its->stalled ? VITS_GITS_CREADR_STALLED : 0),
				     offset, size);
		else if (reg >= VITS_GITS_BASER(0) && reg < VITS_GITS_BASER(2))
			v = reg_read(its->baser[(reg - VITS_GITS_BASER(0)) / 8], offset, size);
		else if (offset >= 0xffd0 && offset < 0x10000)
			v = id_reg(offset);
		*val = v;
		return 0;
	}

	if (offset == VITS_GITS_CTLR)
		write_ctlr(its, *val);
	else if (reg == VITS_GITS_CBASER)
		write_cbaser(its, offset, size, *val);
	else if (reg == VITS_GITS_CWRITER)
		write_cwriter(its, offset, size, *val);
	else if (reg >= VITS_GITS_BASER(0) && reg < VITS_GITS_BASER(2))
		write_baser(its, (unsigned)(reg - VITS_GITS_BASER(0)) / 8, offset, size, *val);
	else if (offset == VITS_GITS_TRANSLATER)
		vits_translater(its, its->translater_devid, (uint32_t)*val);
	return 0;
}

int vits_gicr_mmio(struct vits *its, unsigned vcpu, uint64_t offset, bool write,
		   uint64_t *val, unsigned size)
{
	struct vits_rd *rd;
	uint64_t reg = offset & ~7ULL;

	if (vcpu >= its->nr_vcpus || !access_ok(offset, size) ||
	    (offset < 8 && size == 8))
		return S2_EINVAL;
	rd = &its->rd[vcpu];
	if (!write) {
		if (offset == VITS_GICR_CTLR)
			*val = rd->lpis_enabled ? VITS_GICR_CTLR_ENABLE_LPIS : 0;
		else if (reg == VITS_GICR_PROPBASER)
			*val = reg_read(its->propbaser, offset, size);
		else if (reg == VITS_GICR_PENDBASER)
			*val = reg_read(rd->pendbaser & ~PENDBASER_PTZ, offset, size);
		else
			*val = 0;
		return 0;
	}
	if (offset == VITS_GICR_CTLR) {
		vits_set_enable_lpis(its, vcpu, *val & VITS_GICR_CTLR_ENABLE_LPIS);
	} else if (reg == VITS_GICR_PROPBASER || reg == VITS_GICR_PENDBASER) {
		/* UNPREDICTABLE while EnableLPIs is 1: ignored, as Linux KVM does. */
		if (rd->lpis_enabled)
			its->stats.reg_ignored++;
		else if (reg == VITS_GICR_PROPBASER)
			its->propbaser = reg_write(its->propbaser, offset, size, *val) & ~PROPBASER_RES0;
		else
			rd->pendbaser = reg_write(rd->pendbaser, offset, size, *val) & ~PENDBASER_RES0;
	}
	return 0;
}

int vits_init(struct vits *its, const struct vits_ops *ops, void *ctx,
	      unsigned nr_vcpus, unsigned ipa_bits)
{
	if (!its || !ops || !ops->read || !ops->write || !ops->lpi_pending ||
	    nr_vcpus < 1 || nr_vcpus > VITS_MAX_VCPUS || ipa_bits < 32 || ipa_bits > 52)
		return S2_EINVAL;
	*its = (struct vits){ .ops = ops, .ctx = ctx, .nr_vcpus = nr_vcpus, .ipa_bits = ipa_bits,
			      .lowest_table = ~0ULL };
	its->baser[DEV_TABLE] = baser_reset(DEV_TABLE);
	its->baser[COLL_TABLE] = baser_reset(COLL_TABLE);
	return 0;
}
