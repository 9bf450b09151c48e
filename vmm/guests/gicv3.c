/* SPDX-License-Identifier: MIT */
/*
 * Register offsets and command layouts from the GICv3/v4 architecture
 * specification (Arm IHI 0069): chapter 12 for GICD/GICR/GITS, 5.3 for
 * the ITS commands. The guest runs with the MMU off, so the tables it
 * hands the GIC are at their physical addresses and KVM reads them from
 * guest memory.
 */
#include "gicv3.h"
#include "gio.h"

#define GICD_CTLR        0x0000
#define GICD_CTLR_RWP    (1u << 31)
#define GICR_CTLR        0x0000
#define GICR_TYPER       0x0008
#define GICR_WAKER       0x0014
#define GICR_PROPBASER   0x0070
#define GICR_PENDBASER   0x0078
#define GICR_SGI         0x10000          /* SGI and PPI frame */
#define GICR_IGROUPR0    (GICR_SGI + 0x0080)
#define GICR_ISENABLER0  (GICR_SGI + 0x0100)
#define GICR_IPRIORITYR  (GICR_SGI + 0x0400)
#define GICR_STRIDE      0x20000
#define GITS_CTLR        0x0000
#define GITS_TYPER       0x0008
#define GITS_CBASER      0x0080
#define GITS_CWRITER     0x0088
#define GITS_CREADR      0x0090
#define GITS_BASER       0x0100

#define ICC_PMR_EL1     "S3_0_C4_C6_0"
#define ICC_IAR1_EL1    "S3_0_C12_C12_0"
#define ICC_EOIR1_EL1   "S3_0_C12_C12_1"
#define ICC_SRE_EL1     "S3_0_C12_C12_5"
#define ICC_IGRPEN1_EL1 "S3_0_C12_C12_7"

#define LPI_ID_BITS 14
#define PRIO        0xa0

static uint8_t lpi_props[(1u << LPI_ID_BITS) - LPI_BASE] __attribute__((aligned(4096)));
static uint8_t lpi_pending[(1u << LPI_ID_BITS) / 8] __attribute__((aligned(65536)));
static uint8_t its_devices[65536] __attribute__((aligned(65536)));
static uint8_t its_collections[65536] __attribute__((aligned(65536)));
static uint64_t its_cmdq[4096 / 8] __attribute__((aligned(65536)));
static uint8_t its_itt[4096] __attribute__((aligned(256)));
static unsigned cmd_next;

static uint64_t pa(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

static uint64_t rd(const struct gic *g, unsigned cpu)
{
	return g->gicr + (uint64_t)cpu * GICR_STRIDE;
}

bool gic_find(const void *fdt, struct gic *g)
{
	uint32_t len = 0;
	const uint8_t *r = dt_prop(fdt, "intc@", "reg", &len);

	if (!r || len < 32)
		return false;
	g->gicd = be64(r);
	g->gicr = be64(r + 16);
	r = dt_prop(fdt, "msic@", "reg", 0);
	g->its = r ? be64(r) : 0;
	return true;
}

void gic_init_cpu(const struct gic *g, unsigned cpu)
{
	uint64_t r = rd(g, cpu);
	uint64_t t0 = now();

	/* KVM's GICv3 has one security state (DS=1): ARE and group 1. */
	w32(g->gicd + GICD_CTLR, (1u << 4) | (1u << 1));
	while (r32(g->gicd + GICD_CTLR) & GICD_CTLR_RWP)
		;
	/* Clear ProcessorSleep, wait for ChildrenAsleep to follow. */
	w32(r + GICR_WAKER, r32(r + GICR_WAKER) & ~2u);
	while ((r32(r + GICR_WAKER) & 4u) && now() - t0 < ticks_per_sec())
		;
	w32(r + GICR_IGROUPR0, 0xffffffffu);
	SYSREG_WRITE(ICC_SRE_EL1, SYSREG_READ(ICC_SRE_EL1) | 1);
	ISB();
	SYSREG_WRITE(ICC_PMR_EL1, 0xff);
	SYSREG_WRITE(ICC_IGRPEN1_EL1, 1);
	ISB();
}

void gic_enable_ppi(const struct gic *g, unsigned cpu, unsigned intid)
{
	uint64_t r = rd(g, cpu);
	uint64_t prio = r + GICR_IPRIORITYR + (intid & ~3u);
	unsigned shift = (intid & 3) * 8;

	w32(prio, (r32(prio) & ~(0xffu << shift)) | (uint32_t)PRIO << shift);
	w32(r + GICR_ISENABLER0, 1u << intid);
	DSB();
}

unsigned gic_ack(unsigned ms)
{
	uint64_t t0 = now(), limit = ticks_per_sec() / 1000 * ms;

	do {
		unsigned id = (unsigned)SYSREG_READ(ICC_IAR1_EL1) & 0xffffff;

		if (id != INTID_SPURIOUS) {
			SYSREG_WRITE(ICC_EOIR1_EL1, id);
			ISB();
			return id;
		}
	} while (now() - t0 < limit);
	return INTID_SPURIOUS;
}

static bool cmd(const struct gic *g, uint64_t d0, uint64_t d1, uint64_t d2)
{
	uint64_t *c = &its_cmdq[(cmd_next % 128) * 4];
	uint64_t t0 = now();

	c[0] = d0;
	c[1] = d1;
	c[2] = d2;
	c[3] = 0;
	DSB();
	cmd_next++;
	w64_write(g->its + GITS_CWRITER, (cmd_next % 128) * 32);
	while (w64_read(g->its + GITS_CREADR) != (cmd_next % 128) * 32)
		if (now() - t0 > ticks_per_sec()) {
			puts_("s2vmm-guest: ITS command ");
			puthex(d0 & 0xff);
			puts_(" not consumed, GITS_CREADR ");
			puthex(w64_read(g->its + GITS_CREADR));
			putln("");
			return false;
		}
	return true;
}

/* Program the GITS_BASER<n> of table type @type (1 devices, 4
   collections) with one 64 KiB page at @table. */
static bool its_baser(const struct gic *g, unsigned type, void *table)
{
	for (unsigned n = 0; n < 8; n++) {
		uint64_t a = g->its + GITS_BASER + n * 8, v = w64_read(a);

		if ((v >> 56 & 7) != type)
			continue;
		w64_write(a, 1ULL << 63 | pa(table) | 2ULL << 8);
		v = w64_read(a);
		if (!(v >> 63) || (v & 0xfffffffff000ULL) != pa(table)) {
			puts_("s2vmm-guest: GITS_BASER");
			putdec(n);
			puts_(" did not take the table: ");
			puthex(v);
			putln("");
			return false;
		}
		return true;
	}
	puts_("s2vmm-guest: no GITS_BASER of type ");
	putdec(type);
	putln("");
	return false;
}

bool its_setup(const struct gic *g, unsigned cpu)
{
	uint64_t r = rd(g, cpu);

	if (!(r32(r + GICR_TYPER) & 1)) {
		putln("s2vmm-guest: GICR_TYPER.PLPIS is 0: no LPIs");
		return false;
	}
	w64_write(r + GICR_PROPBASER, pa(lpi_props) | (LPI_ID_BITS - 1));
	w64_write(r + GICR_PENDBASER, pa(lpi_pending));
	w32(r + GICR_CTLR, 1);                       /* EnableLPIs */
	if (!its_baser(g, 1, its_devices) || !its_baser(g, 4, its_collections))
		return false;
	w64_write(g->its + GITS_CBASER, 1ULL << 63 | pa(its_cmdq));
	w64_write(g->its + GITS_CWRITER, 0);
	w32(g->its + GITS_CTLR, 1);
	return (r32(g->its + GITS_CTLR) & 1) != 0;
}

/* MAPC's target: a processor number, or the redistributor's address
   when GITS_TYPER.PTA says so. */
static uint64_t rdbase(const struct gic *g, unsigned cpu)
{
	if (w64_read(g->its + GITS_TYPER) >> 19 & 1)
		return rd(g, cpu) >> 16;
	return (uint64_t)(r32(rd(g, cpu) + GICR_TYPER) >> 8 & 0xffff);
}

bool its_map_device(const struct gic *g, unsigned cpu, uint32_t dev)
{
	uint64_t target = rdbase(g, cpu) << 16;

	return cmd(g, 0x08 | (uint64_t)dev << 32, 4 - 1, 1ULL << 63 | pa(its_itt)) &&   /* MAPD */
	       cmd(g, 0x09, 0, 1ULL << 63 | target | 0);                             /* MAPC */
}

bool its_map_event(const struct gic *g, unsigned cpu, uint32_t dev, uint32_t event, uint32_t intid)
{
	lpi_props[intid - LPI_BASE] = PRIO | 1;
	DSB();
	return cmd(g, 0x0a | (uint64_t)dev << 32, event | (uint64_t)intid << 32, 0) &&  /* MAPTI */
	       cmd(g, 0x05, 0, rdbase(g, cpu) << 16);                                  /* SYNC */
}

bool its_map(const struct gic *g, unsigned cpu, uint32_t dev, uint32_t event, uint32_t intid)
{
	return its_map_device(g, cpu, dev) && its_map_event(g, cpu, dev, event, intid);
}

uint64_t its_translater(const struct gic *g)
{
	return g->its + 0x10040;
}

bool its_int(const struct gic *g, uint32_t dev, uint32_t event)
{
	return cmd(g, 0x03 | (uint64_t)dev << 32, event, 0);
}
