/* SPDX-License-Identifier: MIT */
/*
 * Minimal GICv3 bring-up, the distributor once and each CPU's own
 * redistributor and CPU interface as it comes up (Arm GICv3 architecture
 * specification, IHI 0069: 12.9 GICD_CTLR, 12.11 GICR_WAKER, 12.9
 * GICR_ISENABLER0 / IGROUPR0 / IPRIORITYR) with the CPU interface in
 * system-register mode (ICC_SRE_EL2.SRE). QEMU's virt machine without
 * EL3 has a GIC with a single security state, so group 1 interrupts are
 * plain IRQs. With HCR_EL2.IMO=1 a physical IRQ taken while a guest runs
 * goes to EL2 whatever the guest's PSTATE.I; the hypervisor itself runs
 * with IRQs masked and only sees the interrupt as a guest exit.
 *
 * Three PPIs are forwarded: the EL2 timer (preemption), the maintenance
 * interrupt of the virtualization interface and the EL1 virtual timer
 * (both for the virtual GIC).
 */
#include "irq.h"
#include "panic.h"
#include "smp.h"
#include "sysreg.h"

#define GICD_BASE   0x08000000UL
#define GICR_BASE   0x080a0000UL          /* the first redistributor */
#define GICR_VLPIS  (1ULL << 1)           /* GICR_TYPER: four 64K frames */

/* Each CPU's redistributor (RD_base), found by its affinity. */
static uintptr_t rdist[NR_CPUS];


static volatile uint32_t *reg32(uintptr_t a)
{
	return (volatile uint32_t *)a;
}

static void wait_clear(uintptr_t a, uint32_t bit, const char *what)
{
	for (unsigned i = 0; i < 1000000; i++)
		if (!(*reg32(a) & bit))
			return;
	panic("GICv3: %s did not clear", what);
}

/*
 * This CPU's redistributor: the one whose GICR_TYPER.Affinity_Value
 * (bits [63:32]: Aff3.Aff2.Aff1.Aff0) is this CPU's MPIDR, walking the
 * contiguous frames until GICR_TYPER.Last (IHI 0069, 9.6 and 12.11.37).
 */
static uintptr_t find_rdist(void)
{
	uint64_t m = read_sysreg(mpidr_el1);
	uint64_t aff = (m & 0xffffff) | ((m >> 8) & 0xff000000ULL);

	for (uintptr_t rd = GICR_BASE;;) {
		uint64_t typer = *(volatile uint64_t *)(rd + GICR_TYPER);

		if (typer >> 32 == aff)
			return rd;
		if (typer & GICR_TYPER_LAST)
			break;
		rd += typer & GICR_VLPIS ? 4 * GICR_FRAME : GICR_SIZE;
	}
	panic("GICv3: no redistributor for MPIDR %#llx", (unsigned long long)m);
}

static uintptr_t sgi_frame(void)
{
	return rdist[this_cpu()->id] + GICR_FRAME;
}

void irq_cpu_init(void)
{
	uintptr_t rd = find_rdist(), sgi = rd + GICR_FRAME;

	rdist[this_cpu()->id] = rd;
	/* ICC_SRE_EL2: SRE (system registers), DFB, DIB, Enable (lower ELs
	   may use SRE too). */
	write_sysreg(0xfULL, icc_sre_el2);
	isb();
	*reg32(rd + GICR_WAKER) &= ~GICR_WAKER_PSLEEP;
	wait_clear(rd + GICR_WAKER, GICR_WAKER_CASLEEP, "GICR_WAKER.ChildrenAsleep");

	static const unsigned ppis[] = { INTID_HYP_TIMER, INTID_MAINT, INTID_VTIMER };
	for (unsigned i = 0; i < sizeof(ppis) / sizeof(ppis[0]); i++) {
		*reg32(sgi + GICR_IGROUPR0) |= 1u << ppis[i];
		((volatile uint8_t *)(sgi + GICR_IPRIORITYR0))[ppis[i]] = 0xa0;
		*reg32(sgi + GICR_ISENABLER0) = 1u << ppis[i];
	}

	write_sysreg(0xffULL, icc_pmr_el1);
	write_sysreg(0ULL, icc_bpr1_el1);
	write_sysreg(1ULL, icc_igrpen1_el1);
	isb();
}

void irq_init(void)
{
	*reg32(GICD_BASE + GICD_CTLR) = GICD_CTLR_ARE;
	wait_clear(GICD_BASE + GICD_CTLR, GICD_CTLR_RWP, "GICD_CTLR.RWP");
	*reg32(GICD_BASE + GICD_CTLR) = GICD_CTLR_ARE | GICD_CTLR_GRP1;
	wait_clear(GICD_BASE + GICD_CTLR, GICD_CTLR_RWP, "GICD_CTLR.RWP");
	irq_cpu_init();
}

unsigned irq_ack(void)
{
	unsigned id = (unsigned)read_sysreg(icc_iar1_el1) & 0xffffff;

	/* Acknowledge before reading device state (GICv3 spec 4.1). */
	dsb_sy();
	return id;
}

void irq_eoi(unsigned intid)
{
	write_sysreg((uint64_t)intid, icc_eoir1_el1);
	isb();
}

void irq_ppi_enable(unsigned intid, bool on)
{
	*reg32(sgi_frame() + (on ? GICR_ISENABLER0 : GICR_ICENABLER0)) = 1u << intid;
	dsb_sy();
}

void timer_arm_us(uint64_t us)
{
	uint64_t ticks = read_sysreg(cntfrq_el0) * us / 1000000;

	write_sysreg(ticks ? ticks : 1, cnthp_tval_el2);
	write_sysreg(1ULL, cnthp_ctl_el2);   /* ENABLE, not masked */
	isb();
}

void timer_disarm(void)
{
	write_sysreg(0ULL, cnthp_ctl_el2);
	isb();
}
