/* SPDX-License-Identifier: MIT */
/*
 * The guest's GICv3 driver and interrupt test. Bring-up follows the
 * architecture's sequence (IHI 0069, 4.8 and 12.11 GICR_WAKER): the
 * distributor with affinity routing and Group 1 enabled, the
 * redistributor woken, the CPU interface in system-register mode with a
 * priority mask and Group 1 enabled. The vCPU's ICC_* accesses reach the
 * virtual CPU interface; only the SGI registers trap to the hypervisor.
 *
 * The test (each result also checked by the hypervisor from the report):
 *   - 16 SGIs sent at once with IRQs masked, more than the list registers
 *     hold: each arrives once, highest priority first; three SGIs aimed at
 *     other PEs (IRM, another TargetList bit, another Aff1) never arrive;
 *   - the virtual timer fires PROTO_TIMER_TICKS times, never early;
 *   - SPIs pulsed by the device arrive once each; one raised while
 *     disabled arrives when enabled; one routed to an absent PE stays
 *     pending and can be cleared; a level-sensitive one is taken again
 *     while the device holds its input high;
 *   - LPIs through the ITS (lpi.c);
 *   - accesses of a size a register does not have are ignored.
 */
#include "gic.h"
#include "guest.h"
#include "mmio.h"

#define sysreg_w(r, v) __asm__ volatile("msr " #r ", %0" :: "r"((uint64_t)(v)) : "memory")
#define sysreg_r(r) ({ uint64_t __v; __asm__ volatile("mrs %0, " #r : "=r"(__v) :: "memory"); __v; })

/* Register offsets (IHI 0069 chapter 12). */
#define GICD_CTLR       0x0000
#define GICD_TYPER      0x0004
#define GICD_IGROUPR    0x0080
#define GICD_ISENABLER  0x0100
#define GICD_ISPENDR    0x0200
#define GICD_ICPENDR    0x0280
#define GICD_IPRIORITYR 0x0400
#define GICD_ICFGR      0x0c00
#define GICD_IROUTER    0x6000
#define GIC_PIDR2       0xffe8
#define GICR_TYPER      0x0008
#define GICR_WAKER      0x0014
#define GICR_IGROUPR0   0x0080
#define GICR_ISENABLER0 0x0100
#define GICR_IPRIO0     0x0400
#define GICR_ICFGR1     0x0c04

#define INTID_VTIMER    27

static void isb(void)
{
	__asm__ volatile("isb" ::: "memory");
}

static void irqs_on(void)
{
	__asm__ volatile("msr daifclr, #2\n\tisb" ::: "memory");
}

static void irqs_off(void)
{
	__asm__ volatile("msr daifset, #2\n\tisb" ::: "memory");
}

/* Wait (WFI) until *@count reaches @want, IRQs unmasked meanwhile. The
   hypervisor stops a vCPU that waits with nothing to come, so a lost
   interrupt ends the VM with a report rather than a hang. */
static void wait_for(const volatile uint32_t *count, uint32_t want)
{
	irqs_on();
	for (unsigned n = 0; n < 100000 && *count < want; n++)
		__asm__ volatile("wfi" ::: "memory");
	irqs_off();
}

void gic_init(struct genv *g, struct gic *c, uint64_t base)
{
	uint32_t spis = 0;

	*c = (struct gic){ .gicd = base + GUEST_GICD, .gicr = base + GUEST_GICR, .dev = g->dev };
	c->sgi = c->gicr + 0x10000;

	/* Distributor: ARE (bit 4) and EnableGrp1 (bit 1); DS (bit 6) reads
	   as one, as a GIC with one security state has it. */
	mmio_w32(c->gicd + GICD_CTLR, 0x12);
	expect(g, mmio_r32(c->gicd + GICD_CTLR) == 0x52, 0x800);
	expect(g, ((mmio_r32(c->gicd + GIC_PIDR2) >> 4) & 0xf) == 3, 0x801);
	expect(g, ((mmio_r32(c->gicd + GICD_TYPER) & 0x1f) + 1) * 32 >=
		  PROTO_SPI_BASE + PROTO_NR_SPIS, 0x802);

	/* Redistributor: the last (and only) one; wake it. */
	expect(g, (mmio_r64(c->gicr + GICR_TYPER) >> 4) & 1, 0x803);
	mmio_w32(c->gicr + GICR_WAKER, (uint32_t)mmio_r32(c->gicr + GICR_WAKER) & ~2u);
	for (unsigned n = 0; n < 1000 && (mmio_r32(c->gicr + GICR_WAKER) & 4); n++)
		;
	expect(g, !(mmio_r32(c->gicr + GICR_WAKER) & 4), 0x804);

	/* SGIs and PPIs: Group 1, SGI i at priority (15 - i) * 8, the
	   timer's PPI level-sensitive. */
	mmio_w32(c->sgi + GICR_IGROUPR0, ~0u);
	for (unsigned i = 0; i < 16; i++)
		mmio_w8(c->sgi + GICR_IPRIO0 + i, (uint8_t)((15 - i) * 8));
	mmio_w8(c->sgi + GICR_IPRIO0 + INTID_VTIMER, 0x40);
	mmio_w32(c->sgi + GICR_ICFGR1, 0);
	mmio_w32(c->sgi + GICR_ISENABLER0, 0xffffu | 1u << INTID_VTIMER);
	expect(g, mmio_r32(c->sgi + GICR_ISENABLER0) == (0xffffu | 1u << INTID_VTIMER), 0x805);
	expect(g, mmio_r8(c->sgi + GICR_IPRIO0 + 3) == 12 * 8, 0x806);

	/* SPIs: Group 1, edge-triggered, routed to this PE (affinity 0)
	   except PROTO_SPI_ELSEWHERE, enabled except PROTO_SPI_DISABLED. */
	mmio_w32(c->gicd + GICD_IGROUPR + 4, ~0u);
	mmio_w32(c->gicd + GICD_ICFGR + 8, 0xaaaaaaaau & ~(2u << 2 * (PROTO_SPI_LEVEL - 32)));
	mmio_w8(c->gicd + GICD_IPRIORITYR + PROTO_SPI_LEVEL, 0x50);
	spis |= 1u << (PROTO_SPI_LEVEL - 32);
	for (unsigned s = PROTO_SPI_BASE; s < PROTO_SPI_BASE + PROTO_NR_SPIS; s++) {
		mmio_w8(c->gicd + GICD_IPRIORITYR + s, 0x50);
		mmio_w64(c->gicd + GICD_IROUTER + 8 * s, s == PROTO_SPI_ELSEWHERE ? 1u << 8 : 0);
		if (s != PROTO_SPI_DISABLED)
			spis |= 1u << (s - 32);
	}
	mmio_w32(c->gicd + GICD_ISENABLER + 4, spis);
	expect(g, mmio_r64(c->gicd + GICD_IROUTER + 8 * PROTO_SPI_ELSEWHERE) == 1u << 8, 0x807);

	/* CPU interface: system registers, all priorities unmasked, no
	   subpriority, Group 1 on. */
	sysreg_w(icc_sre_el1, 7);
	isb();
	expect(g, sysreg_r(icc_sre_el1) & 1, 0x808);
	sysreg_w(icc_pmr_el1, 0xff);
	sysreg_w(icc_bpr1_el1, 0);
	sysreg_w(icc_igrpen1_el1, 1);
	isb();
}

/* Accesses the registers do not have (IHI 0069 12.1.3: 32-bit, bytes for
   the priorities, 64-bit for IROUTER and GICR_TYPER) read as zero and
   change nothing; reserved offsets read as zero. */
static void test_registers(struct genv *g, struct gic *c)
{
	expect(g, mmio_r64(c->gicd + GICD_CTLR) == 0, 0x868);
	mmio_w8(c->gicd + GICD_CTLR, 0);
	expect(g, mmio_r32(c->gicd + GICD_CTLR) == 0x52, 0x869);
	expect(g, mmio_r16(c->gicr + GICR_WAKER) == 0, 0x86a);
	expect(g, mmio_r32(c->gicd + 0x8000) == 0, 0x86b);
	/* GICR_TYPER in halves: PLPIS and Last; affinity 0.0.0.0. */
	expect(g, mmio_r32(c->gicr + GICR_TYPER) == 0x11 && mmio_r32(c->gicr + GICR_TYPER + 4) == 0,
	       0x86c);
}

static void record(struct gic *c, uint32_t id)
{
	struct proto_gic *s = &c->seen;

	if (id < 16) {
		s->sgi[id]++;
		if (c->burst && s->norder < 16)
			s->order[s->norder++] = id;
	} else if (id == INTID_VTIMER) {
		s->vtimer++;
		if (sysreg_r(cntvct_el0) < c->timer_cval)
			s->timer_early++;
		/* The line stays high until the timer is stopped. */
		sysreg_w(cntv_ctl_el0, 0);
		isb();
	} else if (id >= PROTO_SPI_BASE && id < PROTO_SPI_BASE + PROTO_NR_SPIS) {
		s->spi[id - PROTO_SPI_BASE]++;
	} else if (id == PROTO_SPI_LEVEL) {
		/* A device's level interrupt: quiesce the device before the
		   EOI, or the interrupt is taken again. */
		if (++s->spi_level == c->level_lower_at) {
			mmio_w64(c->dev + DEV_ARG, PROTO_SPI_LEVEL);
			mmio_w64(c->dev + DEV_CMD, CMD_SPI_LEVEL);
		}
	} else if (id >= PROTO_LPI_BASE && id < PROTO_LPI_BASE + PROTO_NR_LPIS) {
		s->lpi[id - PROTO_LPI_BASE]++;
	} else {
		s->unexpected++;
		s->last_unexpected = id;
	}
}

void gic_handle(struct gic *c)
{
	for (unsigned n = 0;; n++) {
		uint32_t id = (uint32_t)sysreg_r(icc_iar1_el1) & 0xffffff;

		if (id >= 1020 && id <= 1023) {      /* special INTIDs */
			c->seen.spurious += n == 0;
			return;
		}
		record(c, id);
		sysreg_w(icc_eoir1_el1, id);
		isb();
	}
}

static void test_sgis(struct genv *g, struct gic *c)
{
	c->burst = 1;
	for (uint64_t i = 0; i < 16; i++)
		sysreg_w(icc_sgi1r_el1, i << 24 | 1);
	/* Not for this PE: IRM (all but self), TargetList bit 1, Aff1 1. */
	sysreg_w(icc_sgi1r_el1, 3ULL << 24 | 1ULL << 40);
	sysreg_w(icc_sgi1r_el1, 4ULL << 24 | 2);
	sysreg_w(icc_sgi1r_el1, 5ULL << 24 | 1ULL << 16 | 1);
	isb();
	wait_for(&c->seen.norder, 16);
	c->burst = 0;
	for (unsigned i = 0; i < 16; i++) {
		expect(g, c->seen.sgi[i] == 1, 0x810 + i);
		expect(g, c->seen.order[i] == 15 - i, 0x820 + i);
	}
}

static void test_timer(struct genv *g, struct gic *c)
{
	uint64_t freq = sysreg_r(cntfrq_el0);

	for (uint32_t k = 1; k <= PROTO_TIMER_TICKS; k++) {
		c->timer_cval = sysreg_r(cntvct_el0) + freq / 1000;
		sysreg_w(cntv_cval_el0, c->timer_cval);
		sysreg_w(cntv_ctl_el0, 1);
		isb();
		wait_for(&c->seen.vtimer, k);
	}
	expect(g, c->seen.vtimer == PROTO_TIMER_TICKS, 0x830);
	expect(g, c->seen.timer_early == 0, 0x831);
}

static uint32_t spis_seen(const struct gic *c)
{
	uint32_t n = 0;

	for (unsigned i = 0; i < PROTO_NR_SPIS; i++)
		n += ((const volatile uint32_t *)c->seen.spi)[i];
	return n;
}

static void test_spis(struct genv *g, struct gic *c)
{
	uint32_t elsewhere = 1u << (PROTO_SPI_ELSEWHERE - 32);

	for (uint32_t s = PROTO_SPI_BASE; s < PROTO_SPI_BASE + PROTO_NR_SPIS; s++) {
		cmd(g, CMD_SPI, s);
		expect(g, result(g) == 0, 0x840);
	}
	/* All but the disabled one and the one routed elsewhere. */
	irqs_on();
	for (unsigned n = 0; n < 100000 && spis_seen(c) < PROTO_NR_SPIS - 2; n++)
		__asm__ volatile("wfi" ::: "memory");
	irqs_off();
	expect(g, c->seen.spi[PROTO_SPI_DISABLED - PROTO_SPI_BASE] == 0, 0x841);
	mmio_w32(c->gicd + GICD_ISENABLER + 4, 1u << (PROTO_SPI_DISABLED - 32));
	wait_for(&c->seen.spi[PROTO_SPI_DISABLED - PROTO_SPI_BASE], 1);
	for (unsigned i = 0; i < PROTO_NR_SPIS; i++)
		expect(g, c->seen.spi[i] == (PROTO_SPI_BASE + i != PROTO_SPI_ELSEWHERE), 0x850 + i);
	/* Pending, for no PE: visible in GICD_ISPENDR, cleared by ICPENDR. */
	expect(g, mmio_r32(c->gicd + GICD_ISPENDR + 4) & elsewhere, 0x842);
	mmio_w32(c->gicd + GICD_ICPENDR + 4, elsewhere);
	expect(g, !(mmio_r32(c->gicd + GICD_ISPENDR + 4) & elsewhere), 0x843);
}

/* PROTO_SPI_LEVEL: taken once when lowered at once, again while high. */
static void test_level_spi(struct genv *g, struct gic *c)
{
	const uint32_t bit = 1u << (PROTO_SPI_LEVEL - 32);

	c->level_lower_at = 1;
	cmd(g, CMD_SPI_LEVEL, PROTO_SPI_LEVEL | 1u << 16);
	expect(g, result(g) == 0, 0x844);
	expect(g, mmio_r32(c->gicd + GICD_ISPENDR + 4) & bit, 0x845);
	wait_for(&c->seen.spi_level, 1);
	expect(g, c->seen.spi_level == 1, 0x846);
	c->level_lower_at = PROTO_SPI_LEVEL_TAKEN;
	cmd(g, CMD_SPI_LEVEL, PROTO_SPI_LEVEL | 1u << 16);
	wait_for(&c->seen.spi_level, PROTO_SPI_LEVEL_TAKEN);
	expect(g, c->seen.spi_level == PROTO_SPI_LEVEL_TAKEN, 0x847);
	expect(g, !(mmio_r32(c->gicd + GICD_ISPENDR + 4) & bit), 0x848);
}

void gic_test(struct genv *g, struct gic *c)
{
	test_registers(g, c);
	test_sgis(g, c);
	test_timer(g, c);
	test_spis(g, c);
	test_level_spi(g, c);
	lpi_test(g, c, &g->its);
	expect(g, c->seen.unexpected == 0, 0x860);
	cmd(g, CMD_GIC_REPORT, (uint64_t)&c->seen);
	expect(g, result(g) == 1, 0x861);
}
