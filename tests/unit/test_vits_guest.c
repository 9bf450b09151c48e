/* SPDX-License-Identifier: MIT */
/*
 * The guest's ITS driver (hyp/guest/its.c, built for the host with its
 * MMIO going to the emulated ITS) against the emulated ITS: two
 * independent readings of the architecture that must agree. The guest's
 * "RAM" is a host buffer whose addresses serve as IPAs; the ITS frame and
 * the redistributor sit at addresses that are not RAM.
 */
#include "unit.h"
#include "vits.h"
#include "its.h"

#define GITS_IPA 0x000fff0000000000ULL
#define GICR_IPA 0x000fff0100000000ULL
#define MEM_SIZE 0x100000ULL

static struct {
	struct vits its;
	uint8_t *mem;
	struct { unsigned vcpu; uint32_t intid; uint8_t prio; } sig[64], clr[64];
	unsigned nsig, nclr;
	bool only_64k;      /* GITS_BASER Page_Size fixed at 64K, as in Linux KVM */
} w;

static uint8_t *ram(uint64_t ipa, size_t len)
{
	uint64_t base = (uint64_t)(uintptr_t)w.mem;

	if (ipa < base || len > MEM_SIZE || ipa - base > MEM_SIZE - len)
		return NULL;
	return w.mem + (ipa - base);
}

static int w_read(void *ctx, uint64_t ipa, void *buf, size_t len)
{
	uint8_t *p = ram(ipa, len);

	(void)ctx;
	if (!p)
		return VITS_EFAULT;
	memcpy(buf, p, len);
	return 0;
}

static int w_write(void *ctx, uint64_t ipa, const void *buf, size_t len)
{
	uint8_t *p = ram(ipa, len);

	(void)ctx;
	if (!p)
		return VITS_EFAULT;
	memcpy(p, buf, len);
	return 0;
}

static void w_pending(void *ctx, unsigned vcpu, uint32_t intid, uint8_t prio)
{
	(void)ctx;
	if (w.nsig < ARRAY_LEN(w.sig))
		w.sig[w.nsig].vcpu = vcpu, w.sig[w.nsig].intid = intid, w.sig[w.nsig++].prio = prio;
}

static void w_cleared(void *ctx, unsigned vcpu, uint32_t intid)
{
	(void)ctx;
	if (w.nclr < ARRAY_LEN(w.clr))
		w.clr[w.nclr].vcpu = vcpu, w.clr[w.nclr++].intid = intid;
}

static const struct vits_ops w_ops = { w_read, w_write, w_pending, w_cleared };

/* The guest's MMIO: the ITS frame and RD_base go to the emulation; the
   redistributor's GICR_TYPER is the vGIC's (PLPIS, Processor_Number 0). */
static uint64_t w_mmio(uint64_t a, bool write, uint64_t v, unsigned size)
{
	if (w.only_64k && write && size == 8 && (a == GITS_IPA + 0x100 || a == GITS_IPA + 0x108))
		v = (v & ~(3ULL << 8)) | 2ULL << 8;
	if (a >= GITS_IPA && a < GITS_IPA + VITS_FRAME_SIZE)
		assert_int_equal(vits_mmio(&w.its, a - GITS_IPA, write, &v, size), 0);
	else if (a == GICR_IPA + 8)
		v = write ? v : 1;
	else if (a >= GICR_IPA && a < GICR_IPA + 0x10000)
		assert_int_equal(vits_gicr_mmio(&w.its, 0, a - GICR_IPA, write, &v, size), 0);
	else
		fail_msg("MMIO at %#llx", (unsigned long long)a);
	return v;
}

void mmio_w64(uint64_t a, uint64_t v) { w_mmio(a, true, v, 8); }
void mmio_w32(uint64_t a, uint32_t v) { w_mmio(a, true, v, 4); }
uint64_t mmio_r64(uint64_t a) { return w_mmio(a, false, 0, 8); }
uint64_t mmio_r32(uint64_t a) { return w_mmio(a, false, 0, 4); }

static uint64_t mem_ipa(void)
{
	return (uint64_t)(uintptr_t)w.mem;
}

static void world_up(void)
{
	memset(&w, 0, sizeof(w));
	w.mem = aligned_alloc(0x10000, MEM_SIZE);
	assert_non_null(w.mem);
	memset(w.mem, 0xa5, MEM_SIZE);     /* the driver zeroes what it uses */
	assert_true(mem_ipa() + MEM_SIZE < 1ULL << 48);
	assert_int_equal(vits_init(&w.its, &w_ops, NULL, 1, 48), 0);
	vits_set_translater_devid(&w.its, 5);
}

static uint64_t get64(uint64_t ipa)
{
	uint64_t v;

	assert_non_null(ram(ipa, 8));
	memcpy(&v, ram(ipa, 8), 8);
	return v;
}

static unsigned count(uint32_t intid)
{
	unsigned n = 0;

	for (unsigned i = 0; i < w.nsig; i++)
		n += w.sig[i].intid == intid;
	return n;
}

/* Bring-up, a device, MSIs both ways, with each ITS page size. */
static void test_guest_driver_pages(void **state)
{
	(void)state;
	for (uint64_t page = 0x1000; page <= 0x10000; page <<= 2) {
		struct its_guest g;
		uint64_t baser, l2, low = 0;

		world_up();
		CHECK_EQ(its_guest_init(&g, GITS_IPA, GICR_IPA, mem_ipa(), 0xc0000, page), 0, "page %#llx",
			 (unsigned long long)page);
		CHECK_EQ(g.its_page, page, "ITS page = VM page below 2^48");
		baser = w.its.baser[0];
		CHECK_EQ(baser >> 62, 3, "device table valid, two-level");
		CHECK_EQ(((baser >> 8) & 3), page == 0x1000 ? 0 : page == 0x4000 ? 1 : 2, "Page_Size");
		CHECK_EQ(its_guest_map(&g, 5, 4, 8200), 0, "map");
		l2 = get64(g.dt);
		CHECK_EQ(l2 >> 63, 1, "level-1 entry valid");
		l2 &= ~(1ULL << 63);
		CHECK_EQ(get64(l2 + 5 * 8), 1ULL << 63 | ((g.itt_next - 256) >> 8) << 5 | 1,
			 "DTE: ITT, 2 event bits");
		its_guest_msi(&g, 2);
		CHECK_EQ(its_guest_int(&g, 5, 3), 0, "INT");
		CHECK_EQ(w.nsig, 2, "two LPIs");
		CHECK_EQ(count(8202), 1, "MSI -> 8202");
		CHECK_EQ(count(8203), 1, "INT -> 8203");
		CHECK_EQ(w.sig[0].prio, ITS_GUEST_PRIO, "priority from the property table");
		CHECK_EQ(w.its.stats.cmd_errors, 0, "no command error");
		CHECK_EQ(vits_lowest_table_ipa(&w.its, &low), 0, "tables used");
		CHECK_EQ(low, its_guest_lowest_table(&g), "the ITS used the tables where the driver put them");
		CHECK_EQ(low, mem_ipa(), "the queue first");
		free(w.mem);
	}
}

/* An ITS with only 64K pages (Linux KVM's): the driver falls back. */
static void test_guest_driver_page_fallback(void **state)
{
	struct its_guest g;

	(void)state;
	world_up();
	w.only_64k = true;
	CHECK_EQ(its_guest_init(&g, GITS_IPA, GICR_IPA, mem_ipa(), 0xc0000, 0x1000), 0, "init");
	CHECK_EQ(g.its_page, 0x10000, "fell back to 64K ITS pages");
	CHECK_EQ((w.its.baser[0] >> 8) & 3, 2, "device table: 64K");
	CHECK_EQ((w.its.baser[1] >> 8) & 3, 2, "collection table: 64K");
	CHECK_EQ(its_guest_map(&g, 700, 2, 8192), 0, "map");
	CHECK_EQ(its_guest_int(&g, 700, 1), 0, "INT");
	CHECK_EQ(count(8193), 1, "delivered");
	free(w.mem);
}

/* The other commands, as a guest uses them. */
static void test_guest_driver_commands(void **state)
{
	struct its_guest g;

	(void)state;
	world_up();
	assert_int_equal(its_guest_init(&g, GITS_IPA, GICR_IPA, mem_ipa(), MEM_SIZE, 0x10000), 0);
	assert_int_equal(its_guest_map(&g, 5, 8, 8300), 0);
	CHECK_EQ(its_guest_int(&g, 5, 0), 0, "INT");
	CHECK_EQ(its_guest_clear(&g, 5, 0), 0, "CLEAR");
	CHECK_EQ(w.nclr, 1, "cleared");
	/* Disabled in the property table: pending but not reported until
	   enabled and invalidated. */
	its_guest_lpi_config(&g, 8301, 0x40, false);
	CHECK_EQ(its_guest_inv(&g, 5, 1), 0, "INV");
	CHECK_EQ(its_guest_int(&g, 5, 1), 0, "INT");
	CHECK_EQ(count(8301), 0, "disabled LPI not reported");
	its_guest_lpi_config(&g, 8301, 0x40, true);
	CHECK_EQ(its_guest_invall(&g, 0), 0, "INVALL");
	CHECK_EQ(count(8301), 1, "reported once enabled");
	CHECK_EQ(w.sig[w.nsig - 1].prio, 0x40, "with its new priority");
	CHECK_EQ(its_guest_movi(&g, 5, 2, 0), 0, "MOVI");
	CHECK_EQ(its_guest_movall(&g, 0, 0), 0, "MOVALL");
	CHECK_EQ(its_guest_discard(&g, 5, 3), 0, "DISCARD");
	CHECK_EQ(its_guest_int(&g, 5, 3), ITS_GUEST_STALLED, "INT of a discarded event");
	CHECK_EQ(w.its.stats.last_error.kind, VITS_ERR_UNMAPPED_INTERRUPT, "kind");
	CHECK_EQ(its_guest_recover(&g), 0, "recover");
	CHECK_EQ(its_guest_int(&g, 5, 4), 0, "INT after recovery");
	CHECK_EQ(count(8304), 1, "delivered");
	/* Arguments the driver refuses itself. */
	CHECK_EQ(its_guest_map(&g, 6, 0, 8400), ITS_GUEST_BADARG, "no events");
	CHECK_EQ(its_guest_map(&g, 6, 2, 8191), ITS_GUEST_BADARG, "not an LPI");
	CHECK_EQ(its_guest_map(&g, 6, 2, 8192 + ITS_GUEST_LPIS - 1), ITS_GUEST_BADARG, "past the LPIs");
	CHECK_EQ(its_guest_map(&g, 1u << 16, 2, 8400), ITS_GUEST_BADARG, "DeviceID beyond Devbits");
	free(w.mem);

	world_up();
	CHECK_EQ(its_guest_init(&g, GITS_IPA, GICR_IPA, mem_ipa(), 0x80000, 0x1000), ITS_GUEST_NOMEM,
		 "table block too small");
	CHECK_EQ(its_guest_init(&g, GITS_IPA, GICR_IPA, mem_ipa() + 0x1000, 0xc0000, 0x1000),
		 ITS_GUEST_NOMEM, "table block not 64K aligned");
	free(w.mem);
}

/* The misbehaving guest: every error refused and counted, then it works. */
static void test_guest_driver_misbehave(void **state)
{
	struct its_guest g;

	(void)state;
	world_up();
	assert_int_equal(its_guest_init(&g, GITS_IPA, GICR_IPA, mem_ipa(), MEM_SIZE, 0x1000), 0);
	CHECK_EQ(its_guest_misbehave(&g), ITS_GUEST_MISBEHAVIOURS, "all refused");
	CHECK_EQ(w.its.stats.cmd_errors, 6, "six command errors");
	CHECK_EQ(w.its.stats.cmd_errors_by[VITS_ERR_DEVICE_OOR], 1, "DeviceID");
	CHECK_EQ(w.its.stats.cmd_errors_by[VITS_ERR_EVENT_OOR], 1, "EventID");
	CHECK_EQ(w.its.stats.cmd_errors_by[VITS_ERR_PHYSICALID_OOR], 1, "INTID");
	CHECK_EQ(w.its.stats.cmd_errors_by[VITS_ERR_MEMORY], 1, "ITT not RAM");
	CHECK_EQ(w.its.stats.cmd_errors_by[VITS_ERR_PROCNUM_OOR], 1, "RDbase");
	CHECK_EQ(w.its.stats.cmd_errors_by[VITS_ERR_UNMAPPED_DEVICE], 1, "INT unmapped");
	CHECK_EQ(w.its.stats.reg_ignored, 1, "reserved Page_Size");
	CHECK_EQ(g.stalls, 6, "the driver saw six stalls");
	CHECK_EQ(w.its.stats.commands > 0 && !(mmio_r64(GITS_IPA + 0x90) & 1), 1, "not stalled");
	CHECK_EQ(its_guest_map(&g, 9, 2, 8500), 0, "works afterwards");
	its_guest_msi(&g, 0);
	vits_set_translater_devid(&w.its, 9);
	its_guest_msi(&g, 1);
	CHECK_EQ(count(8501), 1, "MSI afterwards");
	CHECK_EQ(w.its.stats.msis_dropped, 1, "the MSI from device 5 (unmapped) dropped");
	free(w.mem);
}

static const struct CMUnitTest tests[] = {
	UNIT_TEST(test_guest_driver_pages),
	UNIT_TEST(test_guest_driver_page_fallback),
	UNIT_TEST(test_guest_driver_commands),
	UNIT_TEST(test_guest_driver_misbehave),
};

UNIT_MAIN("vits_guest", tests)
