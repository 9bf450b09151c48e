/* SPDX-License-Identifier: MIT */
/*
 * The emulated distributor (GICD) and redistributor (GICR) frames, as
 * IHI 0069 chapter 12 lays them out, with affinity routing always on
 * (GICD_CTLR.ARE RAO/WI, as KVM's GICv3 model has it) and one security
 * state (GICD_CTLR.DS RAO/WI): the SGI/PPI registers live in the
 * redistributor's SGI_base frame and their GICD copies are RAZ/WI.
 *
 * Access sizes follow 12.1.3: 32-bit for every register, also 8-bit for
 * GICD_IPRIORITYR<n>/GICR_IPRIORITYR<n>, 64-bit (or either 32-bit half)
 * for GICD_IROUTER<n> and GICR_TYPER. Anything else, and reserved
 * offsets, read as zero and ignore writes; a wrong size is counted.
 */
#include "mmio.h"
#include "vgic.h"
#include "vm.h"

#define GIC_IIDR 0x00000000u     /* no JEP106 implementer claimed */

enum bitreg { R_GROUP, R_SENABLE, R_CENABLE, R_SPEND, R_CPEND, R_SACTIVE, R_CACTIVE };

static bool lr_has(const struct vm *vm, const struct vgic_irq *q, uint64_t bit)
{
	return q->lr >= 0 && (vm->vgic.lr[q->lr] & bit);
}

/* Clear @bit of the list register holding @q (state of an interrupt the
   vCPU does not run: it was read back at the exit); free it if empty. */
static void lr_clear(struct vm *vm, struct vgic_irq *q, uint64_t bit)
{
	uint64_t *lr = &vm->vgic.lr[q->lr];

	*lr &= ~bit;
	if (!(*lr & ICH_LR_STATE)) {
		*lr = 0;
		q->lr = -1;
	}
}

static uint32_t bits_read(struct vm *vm, uint32_t first, enum bitreg r)
{
	uint32_t v = 0;

	for (uint32_t i = 0; i < 32 && first + i < VGIC_NR_IRQS; i++) {
		const struct vgic_irq *q = &vm->vgic.irq[first + i];
		bool b = false;

		switch (r) {
		case R_GROUP: b = q->group1; break;
		case R_SENABLE: case R_CENABLE: b = q->enabled; break;
		case R_SPEND: case R_CPEND:
			b = q->latch || (!q->edge && q->line) || lr_has(vm, q, ICH_LR_PENDING);
			break;
		case R_SACTIVE: case R_CACTIVE:
			b = q->active || lr_has(vm, q, ICH_LR_ACTIVE);
			break;
		}
		v |= (uint32_t)b << i;
	}
	return v;
}

static void bits_write(struct vm *vm, uint32_t first, enum bitreg r, uint32_t v)
{
	for (uint32_t i = 0; i < 32 && first + i < VGIC_NR_IRQS; i++) {
		struct vgic_irq *q = &vm->vgic.irq[first + i];
		bool b = (v >> i) & 1;

		if (r == R_GROUP) {
			q->group1 = b;
			continue;
		}
		if (!b)
			continue;
		switch (r) {
		case R_SENABLE: q->enabled = true; break;
		case R_CENABLE: q->enabled = false; break;
		case R_SPEND:
			if (!lr_has(vm, q, ICH_LR_PENDING))
				q->latch = true;
			break;
		case R_CPEND:
			q->latch = false;
			if (lr_has(vm, q, ICH_LR_PENDING))
				lr_clear(vm, q, ICH_LR_PENDING);
			break;
		case R_SACTIVE:
			if (q->lr >= 0)
				vm->vgic.lr[q->lr] |= ICH_LR_ACTIVE;
			else
				q->active = true;
			break;
		case R_CACTIVE:
			q->active = false;
			if (lr_has(vm, q, ICH_LR_ACTIVE))
				lr_clear(vm, q, ICH_LR_ACTIVE);
			break;
		default:
			break;
		}
	}
}

/*
 * The per-interrupt registers, shared by the distributor (@first_reg 1:
 * SPIs) and the SGI_base frame (@first_reg 0 and only 0: SGIs and PPIs).
 * Return: true if @off is one of them.
 */
static bool irq_regs(struct vm *vm, uint64_t off, bool write, uint64_t *val, unsigned len,
		     bool private)
{
	static const struct { uint32_t base; enum bitreg r; } bitregs[] = {
		{ GICD_IGROUPR, R_GROUP }, { GICD_ISENABLER, R_SENABLE },
		{ GICD_ICENABLER, R_CENABLE }, { GICD_ISPENDR, R_SPEND },
		{ GICD_ICPENDR, R_CPEND }, { GICD_ISACTIVER, R_SACTIVE },
		{ GICD_ICACTIVER, R_CACTIVE },
	};
	uint32_t limit = private ? GIC_NR_PRIVATE : VGIC_NR_IRQS;

	for (unsigned k = 0; k < sizeof(bitregs) / sizeof(bitregs[0]); k++) {
		uint32_t first = (uint32_t)(off - bitregs[k].base) * 8;

		if (off < bitregs[k].base || off >= bitregs[k].base + 0x80)
			continue;
		if (len != 4 || (first < GIC_NR_PRIVATE) != private || first >= limit)
			return false;
		if (write)
			bits_write(vm, first, bitregs[k].r, (uint32_t)*val);
		else
			*val = bits_read(vm, first, bitregs[k].r);
		return true;
	}
	if (off >= GICD_IPRIORITYR && off < GICD_IPRIORITYR + 0x400) {
		uint32_t first = (uint32_t)(off - GICD_IPRIORITYR);

		if ((len != 1 && len != 4) || (first < GIC_NR_PRIVATE) != private ||
		    first + len > limit)
			return false;
		if (!write)
			*val = 0;
		for (unsigned b = 0; b < len; b++) {
			struct vgic_irq *q = &vm->vgic.irq[first + b];
			if (write)
				q->priority = (uint8_t)(*val >> (8 * b)) & vgic_prio_mask();
			else
				*val |= (uint64_t)q->priority << (8 * b);
		}
		return true;
	}
	if (off >= GICD_ICFGR && off < GICD_ICFGR + 0x100) {
		/* Two bits per interrupt, bit 1 of each set for edge. SGIs
		   are always edge-triggered (read-only). */
		uint32_t first = (uint32_t)(off - GICD_ICFGR) * 4;

		if (len != 4 || (first < GIC_NR_PRIVATE) != private || first >= limit)
			return false;
		if (!write)
			*val = 0;
		for (uint32_t i = 0; i < 16 && first + i < VGIC_NR_IRQS; i++) {
			struct vgic_irq *q = &vm->vgic.irq[first + i];
			if (!write)
				*val |= (uint64_t)q->edge << (2 * i + 1);
			else if (first + i >= GIC_NR_SGIS)
				q->edge = (*val >> (2 * i + 1)) & 1;
		}
		return true;
	}
	return false;
}

/* A read-only register: reads give @v, writes are ignored. */
static int ro(bool write, uint64_t *val, uint64_t v)
{
	if (!write)
		*val = v;
	return 0;
}

/* Read as zero, writes ignored; @bad: an access size the register does
   not have (counted). */
static int raz_wi(struct vm *vm, bool write, uint64_t *val, bool bad)
{
	vm->vgic.st.bad_mmio += bad;
	return ro(write, val, 0);
}

static int gicd_access(struct vm *vm, void *ctx, uint64_t off, bool write, uint64_t *val,
		       unsigned len)
{
	struct vgic *g = &vm->vgic;

	(void)ctx;
	if (off >= GICD_IROUTER + 8 * GIC_NR_PRIVATE && off < GICD_IROUTER + 8 * VGIC_NR_IRQS &&
	    (len == 8 || len == 4)) {
		struct vgic_irq *q = &g->irq[(off - GICD_IROUTER) / 8];
		unsigned sh = (off & 4) ? 32 : 0;
		uint64_t mask = (len == 8 ? ~0ULL : 0xffffffffULL << sh) & 0xff80ffffffULL;

		if (len == 8 && (off & 4))
			goto bad;
		if (write)
			q->route = (q->route & ~mask) | ((*val << (len == 8 ? 0 : sh)) & mask);
		else
			*val = len == 8 ? q->route : (q->route >> sh) & 0xffffffffULL;
		return 0;
	}
	if (irq_regs(vm, off, write, val, len, false))
		return 0;
	if (len != 4)
		goto bad;
	switch (off) {
	case GICD_CTLR:
		if (write)
			g->gicd_ctlr = GICD_CTLR_ARE | GICD_CTLR_DS |
				       ((uint32_t)*val & (GICD_CTLR_GRP0 | GICD_CTLR_GRP1));
		else
			*val = g->gicd_ctlr;
		return 0;
	case GICD_TYPER:
		/* ITLinesNumber [4:0], LPIS [17], IDbits [23:19] (the ITS's
		   INTID width - 1), No1N [25]. */
		return ro(write, val, (VGIC_NR_IRQS / 32 - 1) | (1u << 17) |
			  ((VITS_LPI_IDBITS - 1u) << 19) | (1u << 25));
	case GICD_IIDR:
		return ro(write, val, GIC_IIDR);
	case GICD_PIDR2:
		return ro(write, val, GIC_PIDR2_V3);
	}
	/* Reserved, RAZ/WI with affinity routing, or not implemented. */
	return raz_wi(vm, write, val, false);
bad:
	return raz_wi(vm, write, val, true);
}

static int gicr_access(struct vm *vm, void *ctx, uint64_t off, bool write, uint64_t *val,
		       unsigned len)
{
	struct vgic *g = &vm->vgic;

	(void)ctx;
	if (off >= GICR_FRAME) {
		if (irq_regs(vm, off - GICR_FRAME, write, val, len, true))
			return 0;
		if (len != 4)
			goto bad;
		return ro(write, val, 0);
	}
	if (vgic_its_gicr(vm, off, write, val, len))
		return 0;
	if (off == GICR_TYPER || off == GICR_TYPER + 4) {
		/* PLPIS [0]: LPIs through the ITS; Last [4]: the only
		   redistributor; Processor_Number 0, affinity 0.0.0.0. */
		uint64_t typer = GICR_TYPER_PLPIS | GICR_TYPER_LAST;

		if ((len != 8 && len != 4) || (len == 8 && off != GICR_TYPER))
			goto bad;
		return ro(write, val, len == 8 ? typer :
			  off == GICR_TYPER ? (uint32_t)typer : typer >> 32);
	}
	if (len != 4)
		goto bad;
	switch (off) {
	case GICR_IIDR:
		return ro(write, val, GIC_IIDR);
	case GICR_WAKER:
		/* ChildrenAsleep follows ProcessorSleep at once. */
		if (write)
			g->gicr_waker = (*val & GICR_WAKER_PSLEEP) ?
					GICR_WAKER_PSLEEP | GICR_WAKER_CASLEEP : 0;
		else
			*val = g->gicr_waker;
		return 0;
	case GICR_PIDR2:
		return ro(write, val, GIC_PIDR2_V3);
	}
	return raz_wi(vm, write, val, false);
bad:
	return raz_wi(vm, write, val, true);
}

int vgic_mmio_init(struct vm *vm, struct s2_diag *d)
{
	struct vgic *g = &vm->vgic;
	const struct mmio_region gicd = {
		.base = vm->vgic.base + VGIC_GICD_OFF, .size = GICR_FRAME,
		.name = "GIC distributor", .access = gicd_access,
	};
	const struct mmio_region gicr = {
		.base = vm->vgic.base + VGIC_GICR_OFF, .size = GICR_SIZE,
		.name = "GIC redistributor", .access = gicr_access,
	};
	int rc;

	/* Reset: the distributor disabled, the redistributor asleep; every
	   interrupt Group 1 (as KVM's GICv3 model resets them), disabled,
	   priority 0, SGIs edge-triggered and the rest level-sensitive. */
	g->gicd_ctlr = GICD_CTLR_ARE | GICD_CTLR_DS;
	g->gicr_waker = GICR_WAKER_PSLEEP | GICR_WAKER_CASLEEP;
	for (uint32_t i = 0; i < VGIC_NR_IRQS; i++)
		g->irq[i] = (struct vgic_irq){ .lr = -1, .group1 = true, .edge = i < GIC_NR_SGIS };
	rc = vm_mmio_register(vm, &gicd, d);
	return rc ? rc : vm_mmio_register(vm, &gicr, d);
}
