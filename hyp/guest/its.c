/* SPDX-License-Identifier: MIT */
/*
 * The guest's ITS driver (GIC architecture spec IHI 0069: GITS_* and
 * GICR_* LPI registers, the ITS command formats; Linux's
 * irq-gic-v3-its.c for the order of programming). The register and
 * command layouts are written here from the architecture, independently
 * of the hypervisor's emulation.
 *
 * The guest runs with its MMU off: its stores reach RAM as Device
 * accesses, so every table write is one aligned store.
 */
#include "its.h"
#include "mmio.h"

/* Stores to RAM (the tables) before the MMIO write that hands them over.
   A host build of the driver supplies its own. */
#ifndef guest_dsb
#define guest_dsb() __asm__ volatile("dsb sy" ::: "memory")
#endif

#define GITS_CTLR       0x0000
#define GITS_TYPER      0x0008
#define GITS_CBASER     0x0080
#define GITS_CWRITER    0x0088
#define GITS_CREADR     0x0090
#define GITS_BASER(n)   (0x0100 + 8 * (n))
#define GITS_PIDR2      0xffe8
#define GITS_TRANSLATER 0x10040
#define GICR_CTLR       0x0000
#define GICR_TYPER      0x0008
#define GICR_PROPBASER  0x0070
#define GICR_PENDBASER  0x0078

#define BIT(n)          (1ULL << (n))
#define MASK(h, l)      ((~0ULL >> (63 - (h))) & (~0ULL << (l)))
#define VALID           BIT(63)
#define INDIRECT        BIT(62)
/* Inner read/write-allocate write-back, inner shareable (what Linux asks
   for; the emulation keeps whatever the guest writes). */
#define BASER_CACHE     (7ULL << 59 | 1ULL << 10)
#define GICR_CACHE      (7ULL << 7 | 1ULL << 10)
#define PENDBASER_PTZ   BIT(62)

/* Table block layout (offsets from mem). */
#define OFF_CQ    0x00000ULL      /* 64 KiB: 16 pages of 4K */
#define OFF_DT    0x10000ULL      /* device table, level 1: one ITS page */
#define OFF_CT    0x20000ULL      /* collection table: one ITS page */
#define OFF_PEND  0x30000ULL      /* pending table (64K aligned) */
#define OFF_PROP  0x40000ULL      /* property table */
#define OFF_L2    0x50000ULL      /* two level-2 device table pages */
#define OFF_ITT   0x70000ULL      /* ITTs, to the end of the block */
#define L2_PAGES  2

static void wr64(uint64_t a, uint64_t v)
{
	*(volatile uint64_t *)a = v;
}

static void zero(uint64_t a, uint64_t len)
{
	for (uint64_t o = 0; o < len; o += 8)
		wr64(a + o, 0);
}

static unsigned page_code(uint64_t page)
{
	return page == 0x1000 ? 0 : page == 0x4000 ? 1 : 2;
}

/* GITS_BASER's address field: [47:12], or with 64K pages [47:16] and
   PA[51:48] in [15:12]. */
static uint64_t baser_addr(uint64_t pa, uint64_t page)
{
	if (page == 0x10000)
		return (pa & MASK(47, 16)) | ((pa >> 48) & 0xf) << 12;
	return pa & MASK(47, 12);
}

static uint64_t baser_pa(uint64_t v, uint64_t page)
{
	if (page == 0x10000)
		return (v & MASK(47, 16)) | ((v >> 12) & 0xf) << 48;
	return v & MASK(47, 12);
}

/* ---- the command queue ---- */

static void put_cmd(uint64_t slot, uint64_t d0, uint64_t d1, uint64_t d2, uint64_t d3)
{
	wr64(slot, d0);
	wr64(slot + 8, d1);
	wr64(slot + 16, d2);
	wr64(slot + 24, d3);
	guest_dsb();
}

/* Hand the queue up to the driver's CWRITER to the ITS (@retry: restart
   a stalled queue at its failed command). The ITS reads the queue
   asynchronously on hardware: poll until it caught up or stalled (an
   emulation is done by now). */
static int run_queue(struct its_guest *g, bool retry)
{
	uint64_t r;

	mmio_w64(g->gits + GITS_CWRITER, g->cw | retry);
	for (unsigned i = 0; i < 1000000; i++) {
		r = mmio_r64(g->gits + GITS_CREADR);
		if (r & 1) {
			g->stalls++;
			g->stall_offset = r & MASK(19, 5);
			return ITS_GUEST_STALLED;
		}
		if ((r & MASK(19, 5)) == g->cw)
			return 0;
	}
	return ITS_GUEST_STALLED;
}

static int cmd4(struct its_guest *g, uint64_t d0, uint64_t d1, uint64_t d2, uint64_t d3)
{
	put_cmd(g->cq + g->cw, d0, d1, d2, d3);
	g->cw = (g->cw + 32) % g->cq_size;
	return run_queue(g, false);
}

int its_guest_mapd(struct its_guest *g, uint32_t devid, unsigned eventbits, uint64_t itt, bool valid)
{
	return cmd4(g, 0x08 | (uint64_t)devid << 32, (eventbits - 1) & 0x1f,
		    (valid ? VALID : 0) | (itt & MASK(51, 8)), 0);
}

int its_guest_mapc(struct its_guest *g, uint32_t icid, uint32_t rd, bool valid)
{
	return cmd4(g, 0x09, 0, (valid ? VALID : 0) | ((uint64_t)rd << 16 & MASK(51, 16)) | (icid & 0xffff), 0);
}

int its_guest_mapti(struct its_guest *g, uint32_t devid, uint32_t ev, uint32_t intid, uint32_t icid)
{
	return cmd4(g, 0x0a | (uint64_t)devid << 32, ev | (uint64_t)intid << 32, icid & 0xffff, 0);
}

int its_guest_mapi(struct its_guest *g, uint32_t devid, uint32_t ev, uint32_t icid)
{
	return cmd4(g, 0x0b | (uint64_t)devid << 32, ev, icid & 0xffff, 0);
}

static int ev_cmd(struct its_guest *g, unsigned op, uint32_t devid, uint32_t ev)
{
	return cmd4(g, op | (uint64_t)devid << 32, ev, 0, 0);
}

int its_guest_int(struct its_guest *g, uint32_t devid, uint32_t ev) { return ev_cmd(g, 0x03, devid, ev); }
int its_guest_clear(struct its_guest *g, uint32_t devid, uint32_t ev) { return ev_cmd(g, 0x04, devid, ev); }
int its_guest_inv(struct its_guest *g, uint32_t devid, uint32_t ev) { return ev_cmd(g, 0x0c, devid, ev); }
int its_guest_discard(struct its_guest *g, uint32_t devid, uint32_t ev) { return ev_cmd(g, 0x0f, devid, ev); }

int its_guest_invall(struct its_guest *g, uint32_t icid)
{
	return cmd4(g, 0x0d, 0, icid & 0xffff, 0);
}

int its_guest_movi(struct its_guest *g, uint32_t devid, uint32_t ev, uint32_t icid)
{
	return cmd4(g, 0x01 | (uint64_t)devid << 32, ev, icid & 0xffff, 0);
}

int its_guest_movall(struct its_guest *g, uint32_t rd1, uint32_t rd2)
{
	return cmd4(g, 0x0e, 0, (uint64_t)rd1 << 16 & MASK(51, 16), (uint64_t)rd2 << 16 & MASK(51, 16));
}

int its_guest_sync(struct its_guest *g, uint32_t rd)
{
	return cmd4(g, 0x05, 0, (uint64_t)rd << 16 & MASK(51, 16), 0);
}

void its_guest_msi(struct its_guest *g, uint32_t eventid)
{
	guest_dsb();
	mmio_w32(g->gits + GITS_TRANSLATER, eventid);
}

void its_guest_lpi_config(struct its_guest *g, uint32_t intid, uint8_t prio, bool enable)
{
	if (intid >= 8192 && intid - 8192 < ITS_GUEST_LPIS)
		*(volatile uint8_t *)(g->prop + intid - 8192) = (uint8_t)((prio & 0xfc) | enable);
}

/* ---- set-up ---- */

static void note(struct its_guest *g, uint64_t ipa)
{
	if (ipa < g->lowest)
		g->lowest = ipa;
}

uint64_t its_guest_lowest_table(const struct its_guest *g)
{
	return g->lowest;
}

/* Program GITS_BASER<n> for one page at @pa; the page size falls back to
   64K if the ITS does not take ours. */
static int setup_baser(struct its_guest *g, unsigned n, uint64_t pa, bool indirect, unsigned type)
{
	for (int attempt = 0; attempt < 2; attempt++) {
		uint64_t ps = page_code(g->its_page), v, rb;

		v = VALID | (indirect ? INDIRECT : 0) | BASER_CACHE | ps << 8 | baser_addr(pa, g->its_page);
		mmio_w64(g->gits + GITS_BASER(n), v);
		rb = mmio_r64(g->gits + GITS_BASER(n));
		if (((rb >> 56) & 7) != type || ((rb >> 48) & 0x1f) + 1 != 8)
			return ITS_GUEST_NO_ITS;
		if (((rb >> 8) & 3) != ps) {
			g->its_page = 0x10000;
			continue;
		}
		if (!(rb & VALID) || baser_pa(rb, g->its_page) != pa || (indirect && !(rb & INDIRECT)))
			return ITS_GUEST_REFUSED;
		note(g, pa);
		return 0;
	}
	return ITS_GUEST_REFUSED;
}

static int setup_queue(struct its_guest *g)
{
	uint64_t v = VALID | BASER_CACHE | (g->cq & MASK(51, 12)) | (g->cq_size / 0x1000 - 1);

	mmio_w64(g->gits + GITS_CBASER, v);
	if ((mmio_r64(g->gits + GITS_CBASER) & MASK(51, 12)) != g->cq)
		return ITS_GUEST_REFUSED;
	g->cw = 0;
	mmio_w64(g->gits + GITS_CWRITER, 0);
	note(g, g->cq);
	return 0;
}

static int enable_its(struct its_guest *g)
{
	mmio_w32(g->gits + GITS_CTLR, 1);
	return (mmio_r32(g->gits + GITS_CTLR) & 1) ? 0 : ITS_GUEST_REFUSED;
}

int its_guest_init(struct its_guest *g, uint64_t gits_ipa, uint64_t gicr_ipa,
		   uint64_t mem_ipa, uint64_t mem_size, uint64_t page)
{
	uint64_t typer, rtyper, rd;
	int r;

	*g = (struct its_guest){ .gits = gits_ipa, .gicr = gicr_ipa, .mem = mem_ipa,
				 .mem_size = mem_size, .lowest = ~0ULL };
	if (mem_size < ITS_GUEST_MEM_MIN || (mem_ipa & 0xffff))
		return ITS_GUEST_NOMEM;
	typer = mmio_r64(gits_ipa + GITS_TYPER);
	rtyper = mmio_r64(gicr_ipa + GICR_TYPER);
	if (((mmio_r32(gits_ipa + GITS_PIDR2) >> 4) & 0xf) < 3 || !(typer & 1) || !(rtyper & 1))
		return ITS_GUEST_NO_ITS;
	g->ite_size = (unsigned)((typer >> 4) & 0xf) + 1;
	g->devbits = (unsigned)((typer >> 13) & 0x1f) + 1;
	rd = (rtyper >> 8) & 0xffff;   /* GITS_TYPER.PTA=0: RDbase = Processor_Number */
	if ((typer >> 19) & 1)
		return ITS_GUEST_NO_ITS;
	g->cq = mem_ipa + OFF_CQ;
	g->cq_size = 0x10000;
	g->dt = mem_ipa + OFF_DT;
	g->ct = mem_ipa + OFF_CT;
	g->pend = mem_ipa + OFF_PEND;
	g->prop = mem_ipa + OFF_PROP;
	g->l2 = mem_ipa + OFF_L2;
	g->itt_next = mem_ipa + OFF_ITT;
	/* Above 2^48 only 64K ITS pages can say where the tables are. */
	g->its_page = mem_ipa + mem_size > BIT(48) ? 0x10000 : page;

	mmio_w32(gits_ipa + GITS_CTLR, 0);
	zero(mem_ipa, OFF_ITT);
	r = setup_baser(g, 0, g->dt, true, 1);
	if (!r)
		r = setup_baser(g, 1, g->ct, false, 4);
	if (!r)
		r = setup_queue(g);
	if (r)
		return r;

	for (uint32_t i = 0; i < ITS_GUEST_LPIS; i++)
		*(volatile uint8_t *)(g->prop + i) = ITS_GUEST_PRIO | 1;
	mmio_w32(gicr_ipa + GICR_CTLR, (uint32_t)mmio_r32(gicr_ipa + GICR_CTLR) & ~1u);
	mmio_w64(gicr_ipa + GICR_PROPBASER, g->prop | GICR_CACHE | (ITS_GUEST_IDBITS - 1));
	mmio_w64(gicr_ipa + GICR_PENDBASER, g->pend | GICR_CACHE | PENDBASER_PTZ);
	if ((mmio_r64(gicr_ipa + GICR_PROPBASER) & MASK(51, 12)) != g->prop ||
	    (mmio_r64(gicr_ipa + GICR_PENDBASER) & (MASK(51, 16) | PENDBASER_PTZ)) != g->pend)
		return ITS_GUEST_REFUSED;
	note(g, g->prop);
	note(g, g->pend);
	guest_dsb();
	mmio_w32(gicr_ipa + GICR_CTLR, (uint32_t)mmio_r32(gicr_ipa + GICR_CTLR) | 1);
	if (!(mmio_r32(gicr_ipa + GICR_CTLR) & 1))
		return ITS_GUEST_REFUSED;

	r = enable_its(g);
	if (!r)
		r = its_guest_mapc(g, 0, (uint32_t)rd, true);
	if (!r)
		r = its_guest_sync(g, (uint32_t)rd);
	return r;
}

/* The level-1 entry covering @devid points at a zeroed level-2 page. */
static int l2_for(struct its_guest *g, uint32_t devid)
{
	uint64_t per = g->its_page / 8, l1 = g->dt + (devid / per) * 8;

	if (devid / per >= g->its_page / 8)
		return ITS_GUEST_BADARG;
	if (*(volatile uint64_t *)l1 & VALID)
		return 0;
	if (g->l2_used == L2_PAGES || g->its_page > 0x10000)
		return ITS_GUEST_NOMEM;
	uint64_t page = g->l2 + (uint64_t)g->l2_used++ * 0x10000;
	zero(page, g->its_page);
	wr64(l1, VALID | page);
	note(g, page);
	return 0;
}

int its_guest_map(struct its_guest *g, uint32_t devid, uint32_t nevents, uint32_t lpi_base)
{
	unsigned bits = 1;
	uint64_t itt, size;
	int r;

	if (nevents == 0 || lpi_base < 8192 || lpi_base - 8192 + (uint64_t)nevents > ITS_GUEST_LPIS ||
	    devid >> g->devbits)
		return ITS_GUEST_BADARG;
	while ((1u << bits) < nevents)
		bits++;
	size = (((uint64_t)g->ite_size << bits) + 255) & ~255ULL;
	itt = g->itt_next;
	if (itt + size > g->mem + g->mem_size)
		return ITS_GUEST_NOMEM;
	r = l2_for(g, devid);
	if (r)
		return r;
	g->itt_next += size;
	note(g, itt);
	r = its_guest_mapd(g, devid, bits, itt, true);
	for (uint32_t e = 0; !r && e < nevents; e++)
		r = its_guest_mapti(g, devid, e, lpi_base + e, 0);
	if (!r)
		r = its_guest_sync(g, 0);
	return r;
}

int its_guest_recover(struct its_guest *g)
{
	int r;

	mmio_w32(g->gits + GITS_CTLR, 0);
	r = setup_queue(g);
	return r ? r : enable_its(g);
}

/* One misbehaviour: refused if the ITS stalled on it, at its offset. */
static int refused(struct its_guest *g, int r, uint64_t at)
{
	int ok = r == ITS_GUEST_STALLED && g->stall_offset == at;

	return its_guest_recover(g) ? 0 : ok;
}

int its_guest_misbehave(struct its_guest *g)
{
	int n = 0;
	uint64_t v, old, at;

	at = g->cw;
	n += refused(g, its_guest_mapd(g, 1u << g->devbits, 1, g->itt_next, true), at);
	/* A device with two events to misuse (collection 0). */
	if (its_guest_map(g, 0x7fe, 2, 8192 + ITS_GUEST_LPIS - 2))
		return n;
	/* EventID 5 of 2; corrected in the queue to a SYNC and retried
	   (GITS_CWRITER.Retry): the queue goes on from there. */
	at = g->cw;
	if (its_guest_mapti(g, 0x7fe, 5, 8192, 0) == ITS_GUEST_STALLED && g->stall_offset == at) {
		put_cmd(g->cq + at, 0x05, 0, 0, 0);
		n += run_queue(g, true) == 0;
	}
	at = g->cw;
	n += refused(g, its_guest_mapi(g, 0x7fe, 1, 0), at);             /* INTID 1: no LPI */
	at = g->cw;
	n += refused(g, its_guest_mapd(g, 0x7fd, 1, g->gits, true), at); /* the ITT is MMIO */
	at = g->cw;
	n += refused(g, its_guest_mapc(g, 1, 0xffff, true), at);         /* no such vCPU */
	at = g->cw;
	n += refused(g, its_guest_int(g, 0x7fd, 0), at);                 /* unmapped device */
	/* Page_Size 0b11 is reserved: the ITS keeps the size it had. */
	mmio_w32(g->gits + GITS_CTLR, 0);
	old = mmio_r64(g->gits + GITS_BASER(1));
	mmio_w64(g->gits + GITS_BASER(1), old | 3ULL << 8);
	v = mmio_r64(g->gits + GITS_BASER(1));
	n += ((v >> 8) & 3) == ((old >> 8) & 3);
	mmio_w64(g->gits + GITS_BASER(1), old);
	enable_its(g);
	return n;
}
