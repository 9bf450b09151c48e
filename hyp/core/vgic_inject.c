/* SPDX-License-Identifier: MIT */
/*
 * Where a VM's interrupts come from: SGIs its vCPU sends through the
 * trapped ICC_SGI1R_EL1 (IHI 0069 12.2.22), SPI inputs an emulated device
 * drives, LPIs its ITS makes pending. Each becomes pending in the virtual
 * GIC's software state; vgic_flush() takes it to a list register.
 */
#include "vgic.h"
#include "vm.h"

static struct vgic_irq *irq_of(struct vm *vm, uint32_t intid)
{
	return intid < VGIC_NR_IRQS ? &vm->vgic.irq[intid] : NULL;
}

/* Make @q pending as an edge does: nothing if it is pending already. */
static void edge(struct vm *vm, struct vgic_irq *q)
{
	if (q->lr >= 0 && (vm->vgic.lr[q->lr] & ICH_LR_PENDING))
		return;
	q->latch = true;
}

int vgic_set_level(struct vm *vm, uint32_t intid, bool level)
{
	struct vgic_irq *q = irq_of(vm, intid);

	if (!q || intid < GIC_NR_PRIVATE)
		return S2_EINVAL;
	if (q->edge && level && !q->line)
		edge(vm, q);
	q->line = level;
	return 0;
}

void vgic_queue_lpi(struct vm *vm, uint32_t intid, uint8_t priority)
{
	struct vgic *g = &vm->vgic;

	for (unsigned j = 0; j < g->nr_lpiq; j++)
		if (g->lpiq[j].intid == intid)
			return;
	for (unsigned n = 0; n < vgic_nr_lrs(); n++)
		if ((g->lr[n] & ICH_LR_PENDING) && ICH_LR_INTID(g->lr[n]) == intid)
			return;
	if (g->nr_lpiq == VGIC_LPI_QUEUE) {
		g->st.lpi_dropped++;
		return;
	}
	g->lpiq[g->nr_lpiq++] = (typeof(g->lpiq[0])){ intid, priority };
}

void vgic_drop_lpi(struct vm *vm, uint32_t intid)
{
	struct vgic *g = &vm->vgic;

	for (unsigned j = 0; j < g->nr_lpiq; j++)
		if (g->lpiq[j].intid == intid) {
			g->lpiq[j] = g->lpiq[--g->nr_lpiq];
			break;
		}
	for (unsigned n = 0; n < vgic_nr_lrs(); n++)
		if ((g->lr[n] & ICH_LR_STATE) == ICH_LR_PENDING && ICH_LR_INTID(g->lr[n]) == intid)
			g->lr[n] = 0;
}

/*
 * ICC_SGI1R_EL1, ICC_ASGI1R_EL1 and ICC_SGI0R_EL1 writes trap to EL2 with
 * HCR_EL2.IMO/FMO set (ESR_EL2 EC 0x18: Op0 [21:20], Op2 [19:17], Op1
 * [16:14], CRn [13:10], Rt [9:5], CRm [4:1], Direction [0]). The only PE
 * has affinity 0.0.0.0: it is a target when IRM is 0, Aff3.Aff2.Aff1 and
 * RS are 0 and TargetList bit 0 is set; with IRM 1 ("all but self") there
 * is none. As Linux's vgic_v3_dispatch_sgi(): a Group 0 register only
 * generates Group 0 SGIs, ICC_SGI1R_EL1 SGIs of either group.
 */
bool vgic_sysreg(struct vm *vm, uint64_t iss)
{
	unsigned op0 = (iss >> 20) & 3, op2 = (iss >> 17) & 7, op1 = (iss >> 14) & 7;
	unsigned crn = (iss >> 10) & 0xf, rt = (iss >> 5) & 0x1f, crm = (iss >> 1) & 0xf;
	uint64_t v;
	struct vgic_irq *q;

	if (op0 != 3 || op1 != 0 || crn != 12 || crm != 11 || op2 < 5 || (iss & 1))
		return false;
	v = rt == 31 ? 0 : vm->regs.x[rt];
	q = &vm->vgic.irq[ICC_SGIR_INTID(v)];
	if (!(v & ICC_SGIR_IRM) && (v & 0x00fff0ff00ff0000ULL) == 0 && (v & 1) &&
	    (op2 == 5 || !q->group1))
		edge(vm, q);
	vm->regs.elr += 4;
	return true;
}
