/* SPDX-License-Identifier: MIT */
/*
 * The virtual GIC's list-register management and the vCPU interface's
 * world switch (IHI 0069, 6.3 "Virtual CPU interface", ICH_LR<n>_EL2).
 *
 * Before each entry (vgic_flush) the pending interrupts are put in the
 * list registers the active ones leave free, highest priority (lowest
 * value) first, as KVM's vgic_flush_lr_state() does; any that do not fit
 * set ICH_HCR_EL2.UIE, so the underflow maintenance interrupt brings the
 * CPU back when the vCPU has consumed them. After each exit (vgic_sync)
 * the list registers are read back: one that left the Pending state was
 * acknowledged by the vCPU, one in state Invalid was completed and is
 * free. Level-sensitive interrupts carry ICH_LR.EOI, so their completion
 * is a maintenance interrupt and their input is sampled again at once.
 */
#include "irq.h"
#include "sysreg.h"
#include "vgic.h"
#include "vm.h"

static unsigned nr_lrs, nr_aprs;
static uint8_t prio_mask = 0xf8;
static uint64_t vmcr_reset;

#define LR_RD(n) case n: return read_sysreg(ich_lr##n##_el2)
#define LR_WR(n) case n: write_sysreg(v, ich_lr##n##_el2); return

static uint64_t lr_read(unsigned n)
{
	switch (n) {
	LR_RD(0); LR_RD(1); LR_RD(2); LR_RD(3); LR_RD(4); LR_RD(5); LR_RD(6); LR_RD(7);
	LR_RD(8); LR_RD(9); LR_RD(10); LR_RD(11); LR_RD(12); LR_RD(13); LR_RD(14); LR_RD(15);
	}
	return 0;
}

static void lr_write(unsigned n, uint64_t v)
{
	switch (n) {
	LR_WR(0); LR_WR(1); LR_WR(2); LR_WR(3); LR_WR(4); LR_WR(5); LR_WR(6); LR_WR(7);
	LR_WR(8); LR_WR(9); LR_WR(10); LR_WR(11); LR_WR(12); LR_WR(13); LR_WR(14); LR_WR(15);
	}
}

#define APR_CASE(n, v0, v1)                                         \
	case n:                                                     \
		if (save) {                                         \
			v0 = read_sysreg(ich_ap0r##n##_el2);        \
			v1 = read_sysreg(ich_ap1r##n##_el2);        \
		} else {                                            \
			write_sysreg(v0, ich_ap0r##n##_el2);        \
			write_sysreg(v1, ich_ap1r##n##_el2);        \
		}                                                   \
		break

/* The active-priority registers ICH_AP0R<n>/AP1R<n>: one per 32 priority
   levels the virtual interface implements (ICH_VTR_EL2.PREbits). */
static void aprs(struct vgic *g, bool save)
{
	for (unsigned n = 0; n < nr_aprs; n++) {
		switch (n) {
		APR_CASE(0, g->ap0r[0], g->ap1r[0]);
		APR_CASE(1, g->ap0r[1], g->ap1r[1]);
		APR_CASE(2, g->ap0r[2], g->ap1r[2]);
		APR_CASE(3, g->ap0r[3], g->ap1r[3]);
		}
	}
}

void vgic_probe(void)
{
	uint64_t vtr = read_sysreg(ich_vtr_el2);
	unsigned pre = ICH_VTR_PREBITS(vtr);

	nr_lrs = ICH_VTR_LISTREGS(vtr);
	prio_mask = (uint8_t)(0xff00u >> ICH_VTR_PRIBITS(vtr));
	if (nr_lrs > ICH_MAX_LRS)
		nr_lrs = ICH_MAX_LRS;
	nr_aprs = pre >= 5 ? 1u << (pre - 5) : 1;
	/* The binary points at their minimum (7 - PREbits for group 0, one
	   more for group 1): every priority level preempts, as after a
	   reset of the CPU interface. */
	vmcr_reset = (uint64_t)(7 - pre) << ICH_VMCR_VBPR0_SHIFT |
		     (uint64_t)(8 - pre) << ICH_VMCR_VBPR1_SHIFT;
}

unsigned vgic_nr_lrs(void)
{
	return nr_lrs;
}

uint8_t vgic_prio_mask(void)
{
	return prio_mask;
}

static struct vgic_irq *irq_of(struct vm *vm, uint32_t intid)
{
	return intid < VGIC_NR_IRQS ? &vm->vgic.irq[intid] : NULL;
}

/* An SPI goes to the vCPU if its route names it (affinity 0.0.0.0) or
   lets the distributor choose (IRM): there is no other PE. */
static bool routed_here(const struct vgic_irq *q, uint32_t intid)
{
	return intid < GIC_NR_PRIVATE || (q->route & GICD_IROUTER_IRM) ||
	       (q->route & 0xff00ffffffULL) == 0;
}

static bool pending(const struct vgic_irq *q)
{
	return q->latch || (!q->edge && q->line);
}

/* Could go to a list register now (pending or active, enabled, its
   group enabled in the distributor, routed to the vCPU). */
static bool deliverable(const struct vm *vm, const struct vgic_irq *q, uint32_t intid)
{
	return (pending(q) || q->active) && q->enabled && q->group1 &&
	       (vm->vgic.gicd_ctlr & GICD_CTLR_GRP1) && routed_here(q, intid);
}

int vgic_init(struct vm *vm, struct s2_diag *d)
{
	struct vgic *g = &vm->vgic;

	*g = (struct vgic){ .base = vm_ipa_top(vm) - VM_GIC_TOP, .vmcr = vmcr_reset };
	int rc = vgic_mmio_init(vm, d);

	return rc ? rc : vgic_its_init(vm, d);
}

void vgic_load(struct vm *vm)
{
	struct vgic *g = &vm->vgic;

	/* The vCPU's MPIDR_EL1: affinity 0.0.0.0, bit 31 RES1. */
	write_sysreg(1ULL << 31, vmpidr_el2);
	write_sysreg(g->vmcr, ich_vmcr_el2);
	aprs(g, false);
	vtimer_load(vm);
}

void vgic_put(struct vm *vm)
{
	struct vgic *g = &vm->vgic;

	g->vmcr = read_sysreg(ich_vmcr_el2);
	aprs(g, true);
	/* No maintenance interrupts for a VM that is not running. */
	write_sysreg(0, ich_hcr_el2);
	vtimer_put(vm);
}

/* The list register holding @intid (after reclaim(): an active one), or -1. */
static int lr_holding(const struct vgic *g, uint32_t intid)
{
	for (unsigned n = 0; n < nr_lrs; n++)
		if ((g->lr[n] & ICH_LR_STATE) && ICH_LR_INTID(g->lr[n]) == intid)
			return (int)n;
	return -1;
}

/*
 * An interrupt pending again while the vCPU still has it active cannot
 * take a second list register (two entries with one vINTID are
 * UNPREDICTABLE, IHI 0069 "ICH_LR<n>_EL2"): its entry asks for the EOI
 * maintenance interrupt, so its completion brings the CPU back to EL2 to
 * deliver it again.
 */
static void ask_eoi(struct vm *vm)
{
	struct vgic *g = &vm->vgic;

	for (unsigned n = 0; n < nr_lrs; n++) {
		uint32_t intid = ICH_LR_INTID(g->lr[n]);
		const struct vgic_irq *q = irq_of(vm, intid);
		bool again = false;

		if (!(g->lr[n] & ICH_LR_ACTIVE))
			continue;
		if (q)
			again = q->latch;
		for (unsigned j = 0; !q && j < g->nr_lpiq; j++)
			again |= g->lpiq[j].intid == intid;
		if (again)
			g->lr[n] |= ICH_LR_EOI;
	}
}

struct cand {
	uint32_t intid;
	uint8_t priority;
};

static uint64_t make_lr(const struct vm *vm, uint32_t intid, uint8_t prio, bool pend, bool act)
{
	uint64_t lr = (uint64_t)intid | (uint64_t)prio << ICH_LR_PRIO_SHIFT;
	const struct vgic_irq *q = intid < VGIC_NR_IRQS ? &vm->vgic.irq[intid] : NULL;

	if (!q || q->group1)
		lr |= ICH_LR_GROUP;
	if (q && !q->edge)
		lr |= ICH_LR_EOI;
	if (pend)
		lr |= ICH_LR_PENDING;
	if (act)
		lr |= ICH_LR_ACTIVE;
	return lr;
}

/*
 * Every entry the vCPU has not acknowledged yet goes back to the
 * software state before the list registers are filled again, as KVM
 * folds them back (vgic_fold_lr_state()): so the registers always hold
 * the highest-priority pending interrupts, and one that can no longer be
 * delivered (disabled, moved to another group, its level input gone low,
 * the distributor disabled) leaves them. Active entries stay: only the
 * vCPU can complete them.
 */
static void reclaim(struct vm *vm)
{
	struct vgic *g = &vm->vgic;

	for (unsigned n = 0; n < nr_lrs; n++) {
		uint32_t intid = ICH_LR_INTID(g->lr[n]);
		struct vgic_irq *q = irq_of(vm, intid);

		if ((g->lr[n] & ICH_LR_STATE) != ICH_LR_PENDING)
			continue;
		if (q) {
			q->latch = q->lr_latched;
			q->lr = -1;
		} else if (g->nr_lpiq < VGIC_LPI_QUEUE) {
			g->lpiq[g->nr_lpiq++] = (typeof(g->lpiq[0])){
				intid, (uint8_t)(g->lr[n] >> ICH_LR_PRIO_SHIFT) };
		} else {
			continue;
		}
		g->lr[n] = 0;
	}
}

void vgic_flush(struct vm *vm)
{
	struct vgic *g = &vm->vgic;
	struct cand c[VGIC_NR_IRQS + VGIC_LPI_QUEUE];
	unsigned nc = 0, used = 0;
	uint64_t hcr = ICH_HCR_EN;

	g->irq[INTID_VTIMER].line = vtimer_sample(vm);
	reclaim(vm);
	for (uint32_t i = 0; i < VGIC_NR_IRQS; i++)
		if (g->irq[i].lr < 0 && deliverable(vm, &g->irq[i], i))
			c[nc++] = (struct cand){ i, g->irq[i].priority };
	if (g->gicd_ctlr & GICD_CTLR_GRP1)
		for (unsigned j = 0; j < g->nr_lpiq; j++)
			if (lr_holding(g, g->lpiq[j].intid) < 0)
				c[nc++] = (struct cand){ g->lpiq[j].intid, g->lpiq[j].priority };
	ask_eoi(vm);
	/* Highest priority first; equal priorities keep INTID order. */
	for (unsigned i = 1; i < nc; i++)
		for (unsigned j = i; j > 0 && c[j].priority < c[j - 1].priority; j--) {
			struct cand t = c[j];
			c[j] = c[j - 1];
			c[j - 1] = t;
		}
	for (unsigned n = 0; n < nr_lrs && used < nc; n++) {
		struct cand *k = &c[used];
		struct vgic_irq *q = irq_of(vm, k->intid);

		if (g->lr[n] & ICH_LR_STATE)
			continue;
		if (q) {
			g->lr[n] = make_lr(vm, k->intid, k->priority, pending(q), q->active);
			q->lr = (int8_t)n;
			q->lr_latched = q->latch;
			q->latch = false;
			q->active = false;
		} else {
			g->lr[n] = make_lr(vm, k->intid, k->priority, true, false);
			for (unsigned j = 0; j < g->nr_lpiq; j++)
				if (g->lpiq[j].intid == k->intid) {
					g->lpiq[j] = g->lpiq[--g->nr_lpiq];
					break;
				}
		}
		used++;
	}
	if (used < nc) {
		hcr |= ICH_HCR_UIE;
		g->st.overflows++;
	}
	for (unsigned n = 0; n < nr_lrs; n++)
		lr_write(n, g->lr[n]);
	write_sysreg(hcr, ich_hcr_el2);
	isb();
}

static void count_taken(struct vm *vm, uint32_t intid)
{
	struct vgic_stats *s = &vm->vgic.st;

	if (intid < GIC_NR_SGIS)
		s->sgis++;
	else if (intid == INTID_VTIMER)
		s->vtimer++;
	else if (intid >= GIC_NR_PRIVATE && intid < VGIC_NR_IRQS)
		s->spis++;
	else if (intid >= GIC_LPI_BASE) {
		s->lpis++;
		vgic_lpi_taken(vm, intid);
	}
}

void vgic_sync(struct vm *vm)
{
	struct vgic *g = &vm->vgic;

	g->misr = read_sysreg(ich_misr_el2);
	for (unsigned n = 0; n < nr_lrs; n++) {
		uint64_t old = g->lr[n], now = lr_read(n);
		uint32_t intid = ICH_LR_INTID(old);
		struct vgic_irq *q = irq_of(vm, intid);

		if (!(old & ICH_LR_STATE))
			continue;
		if ((old & ICH_LR_PENDING) && !(now & ICH_LR_PENDING))
			count_taken(vm, intid);
		if (now & ICH_LR_STATE) {
			g->lr[n] = now;
			continue;
		}
		/* Completed: the list register is free. */
		g->lr[n] = 0;
		if (q)
			q->lr = -1;
	}
}

void vgic_irq(struct vm *vm, unsigned intid)
{
	struct vgic *g = &vm->vgic;

	if (intid != INTID_MAINT)
		return;        /* the timer: vtimer_sample() at the next entry */
	g->st.maint++;
	if (g->misr & ICH_MISR_U)
		g->st.underflows++;
	if (g->misr & ICH_MISR_EOI)
		g->st.eois++;
}

/*
 * What can wake a WFI: an interrupt the virtual CPU interface would
 * signal, that is pending, its group enabled (ICH_VMCR_EL2.VENG1) and its
 * priority above the mask (VPMR), IHI 0069 "CanSignalVirtualInterrupt".
 * The vCPU is loaded: ICH_VMCR_EL2 holds its current value.
 */
bool vgic_pending(const struct vm *vm)
{
	const struct vgic *g = &vm->vgic;
	uint64_t vmcr = read_sysreg(ich_vmcr_el2);
	unsigned vpmr = (unsigned)(vmcr >> ICH_VMCR_VPMR_SHIFT) & 0xff;

	if (!(vmcr & ICH_VMCR_VENG1))
		return false;
	for (uint32_t i = 0; i < VGIC_NR_IRQS; i++)
		if (g->irq[i].lr < 0 && deliverable(vm, &g->irq[i], i) && pending(&g->irq[i]) &&
		    g->irq[i].priority < vpmr)
			return true;
	for (unsigned n = 0; n < nr_lrs; n++)
		if ((g->lr[n] & ICH_LR_PENDING) &&
		    ((g->lr[n] >> ICH_LR_PRIO_SHIFT) & 0xff) < vpmr)
			return true;
	if (!(g->gicd_ctlr & GICD_CTLR_GRP1))
		return false;
	for (unsigned j = 0; j < g->nr_lpiq; j++)
		if (g->lpiq[j].priority < vpmr)
			return true;
	return false;
}
