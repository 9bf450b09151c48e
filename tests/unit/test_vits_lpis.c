/* SPDX-License-Identifier: MIT */
/*
 * LPI states through the emulated ITS and the redistributors' tables
 * (GIC architecture spec IHI 0069, "LPI Configuration tables", "LPI
 * Pending tables", the INV/INVALL/CLEAR/DISCARD/MOVI/MOVALL commands):
 *   property byte: [7:2] priority, [0] enable;
 *   pending table: bit (INTID % 8) of byte INTID / 8.
 * A pending LPI is reported when enabled, once per pending episode; a
 * disabled one stays pending in the table until enabled and invalidated.
 */
#include "vits_layout.h"

#define DEV 1

/* Device 1 with 8 events: event e -> LPI 8192 + e on collection e % 2
   (collection c on vCPU c). 64K pages, 52-bit VM, tables above 2^48. */
static void lpi_setup(struct tguest *g, struct layout *l)
{
	*l = layout_make(PLACE_52, PS_64K, false, false);
	layout_setup(g, l);
	send(g, c_mapc(0, 0, true));
	send(g, c_mapc(1, 1, true));
	send(g, c_mapd(DEV, 3, l->itt, true));
	for (uint32_t e = 0; e < 8; e++)
		send(g, c_mapti(DEV, e, 8192 + e, e % 2));
	assert_int_equal(g->its.stats.cmd_errors, 0);
}

static void set_prop(struct tguest *g, const struct layout *l, uint32_t intid, uint8_t prio, bool en)
{
	fake_put8(&g->f, l->prop + intid - 8192, (uint8_t)(prio | en));
}

static void test_vits_disabled_lpi(void **state)
{
	struct tguest g;
	struct layout l;

	(void)state;
	lpi_setup(&g, &l);
	set_prop(&g, &l, 8192, 0x80, false);
	send(&g, c_ev(OP_INT, DEV, 0));
	CHECK_EQ(fake_count(&g.f, 0, 8192), 0, "disabled: not reported");
	CHECK(pend_bit(&g, &l, 0, 8192), "but pending in the table");
	set_prop(&g, &l, 8192, 0x80, true);
	send(&g, c_ev(OP_INT, DEV, 0));
	CHECK_EQ(fake_count(&g.f, 0, 8192), 0, "already pending: merged, config not reloaded");
	send(&g, c_ev(OP_INV, DEV, 0));
	CHECK_EQ(fake_count(&g.f, 0, 8192), 1, "INV reloads the enable");
	CHECK_EQ(g.f.sig[g.f.nsig - 1].prio, 0x80, "with the priority");
	vits_lpi_taken(&g.its, 0, 8192);
	send(&g, c_ev(OP_INV, DEV, 0));
	CHECK_EQ(fake_count(&g.f, 0, 8192), 1, "taken: INV has nothing to report");
	/* Disabling a pending LPI drops it from the vCPU interface. */
	send(&g, c_ev(OP_INT, DEV, 0));
	set_prop(&g, &l, 8192, 0x80, false);
	send(&g, c_ev(OP_INV, DEV, 0));
	CHECK_EQ(fake_cleared_count(&g.f, 0, 8192), 1, "disabled while pending: dropped");
	CHECK(pend_bit(&g, &l, 0, 8192), "still pending in the table");
	CHECK_EQ(g.its.stats.cmd_errors, 0, "no error");
	CHECK_EQ(g.f.bad_reports, 0, "sane reports");
	fake_free(&g.f);
}

static void test_vits_invall(void **state)
{
	struct tguest g;
	struct layout l;

	(void)state;
	lpi_setup(&g, &l);
	for (uint32_t e = 0; e < 8; e++)
		set_prop(&g, &l, 8192 + e, 0x10, false);
	for (uint32_t e = 0; e < 8; e++)
		send(&g, c_ev(OP_INT, DEV, e));
	CHECK_EQ(g.f.nsig, 0, "all disabled");
	for (uint32_t e = 0; e < 8; e++)
		set_prop(&g, &l, 8192 + e, 0x20, true);
	send(&g, c_invall(1));
	CHECK_EQ(g.f.nsig, 4, "INVALL of collection 1: vCPU 1's four");
	for (uint32_t e = 1; e < 8; e += 2)
		CHECK_EQ(fake_count(&g.f, 1, 8192 + e), 1, "event %u", e);
	send(&g, c_invall(0));
	CHECK_EQ(g.f.nsig, 8, "then vCPU 0's");
	fake_free(&g.f);
}

static void test_vits_clear_discard(void **state)
{
	struct tguest g;
	struct layout l;

	(void)state;
	lpi_setup(&g, &l);
	send(&g, c_ev(OP_INT, DEV, 2));
	CHECK_EQ(fake_count(&g.f, 0, 8194), 1, "INT");
	send(&g, c_ev(OP_CLEAR, DEV, 2));
	CHECK_EQ(fake_cleared_count(&g.f, 0, 8194), 1, "CLEAR drops it");
	CHECK(!pend_bit(&g, &l, 0, 8194), "CLEAR clears the bit");
	send(&g, c_ev(OP_CLEAR, DEV, 2));
	CHECK_EQ(fake_cleared_count(&g.f, 0, 8194), 1, "CLEAR of a non-pending LPI: nothing");
	send(&g, c_ev(OP_INT, DEV, 2));
	CHECK_EQ(fake_count(&g.f, 0, 8194), 2, "pending again");
	send(&g, c_ev(OP_DISCARD, DEV, 2));
	CHECK_EQ(fake_cleared_count(&g.f, 0, 8194), 2, "DISCARD drops the pending state");
	CHECK_EQ(fake_get64(&g.f, l.itt + 2 * 8), 0, "and the ITE");
	CHECK_EQ(vits_signal(&g.its, DEV, 2), VITS_ERR_UNMAPPED_INTERRUPT, "no translation any more");
	send(&g, c_mapti(DEV, 2, 8300, 1));
	CHECK_EQ(g.its.stats.cmd_errors, 0, "the event can be mapped again");
	CHECK_EQ(vits_signal(&g.its, DEV, 2), 0, "to another LPI");
	CHECK_EQ(fake_count(&g.f, 1, 8300), 1, "delivered there");
	fake_free(&g.f);
}

static void test_vits_movi_movall(void **state)
{
	struct tguest g;
	struct layout l;

	(void)state;
	lpi_setup(&g, &l);
	send(&g, c_ev(OP_INT, DEV, 3));
	CHECK_EQ(fake_count(&g.f, 1, 8195), 1, "event 3 on vCPU 1");
	send(&g, c_movi(DEV, 3, 0));
	CHECK_EQ(fake_cleared_count(&g.f, 1, 8195), 1, "left vCPU 1");
	CHECK_EQ(fake_count(&g.f, 0, 8195), 1, "pending on vCPU 0");
	CHECK(!pend_bit(&g, &l, 1, 8195) && pend_bit(&g, &l, 0, 8195), "the bit moved");
	CHECK_EQ(fake_get64(&g.f, l.itt + 3 * 8), 8195ULL << 16 | 0, "ITE on collection 0");
	vits_lpi_taken(&g.its, 0, 8195);
	CHECK_EQ(vits_signal(&g.its, DEV, 3), 0, "MSI");
	CHECK_EQ(fake_count(&g.f, 0, 8195), 2, "now to vCPU 0");
	/* MOVI of a non-pending LPI only retargets it. */
	send(&g, c_movi(DEV, 5, 0));
	CHECK_EQ(fake_cleared_count(&g.f, 1, 8197), 0, "nothing to move");
	/* MOVALL: everything pending on vCPU 1 goes to vCPU 0. */
	send(&g, c_ev(OP_INT, DEV, 1));
	send(&g, c_ev(OP_INT, DEV, 7));
	send(&g, c_movall(1, 0));
	CHECK(pend_bit(&g, &l, 0, 8193) && pend_bit(&g, &l, 0, 8199), "moved to vCPU 0");
	CHECK(!pend_bit(&g, &l, 1, 8193) && !pend_bit(&g, &l, 1, 8199), "none left on vCPU 1");
	CHECK_EQ(fake_count(&g.f, 0, 8193) + fake_count(&g.f, 0, 8199), 2, "reported on vCPU 0");
	send(&g, c_movall(0, 0));
	CHECK_EQ(g.its.stats.cmd_errors, 0, "MOVALL to itself: nothing, no error");
	fake_free(&g.f);
}

static void test_vits_enable_lpis(void **state)
{
	struct tguest g;
	struct layout l;

	(void)state;
	lpi_setup(&g, &l);
	/* LPIs off on vCPU 1: INT is accepted and dropped (as Linux KVM). */
	gicr_w(&g, 1, GICR_CTLR, 0, 4);
	send(&g, c_ev(OP_INT, DEV, 1));
	CHECK(!stalled(&g), "no command error");
	CHECK_EQ(g.f.nsig, 0, "nothing reported");
	CHECK_EQ(vits_signal(&g.its, DEV, 1), VITS_ERR_LPIS_DISABLED, "MSI dropped");
	/* Re-enabled without PTZ: the pending table is read. */
	fake_put8(&g.f, l.pend[1] + 8193 / 8, 1u << (8193 % 8));
	fake_put8(&g.f, l.pend[1] + 9000 / 8, 1u << (9000 % 8));
	set_prop(&g, &l, 9000, 0x30, false);
	gicr_w(&g, 1, GICR_PENDBASER, enc_pendbaser(l.pend[1], false), 8);
	gicr_w(&g, 1, GICR_CTLR, 1, 4);
	CHECK_EQ(fake_count(&g.f, 1, 8193), 1, "pending LPI from the table");
	CHECK_EQ(fake_count(&g.f, 1, 9000), 0, "a disabled one is not reported");
	/* Disabling drops what the vCPU interface has. */
	gicr_w(&g, 1, GICR_CTLR, 0, 4);
	CHECK_EQ(fake_cleared_count(&g.f, 1, 8193), 1, "dropped on disable");
	/* With PTZ the table is taken as zero. */
	gicr_w(&g, 1, GICR_PENDBASER, enc_pendbaser(l.pend[1], true), 8);
	gicr_w(&g, 1, GICR_CTLR, 1, 4);
	CHECK_EQ(fake_count(&g.f, 1, 8193), 1, "PTZ: not read");
	/* The ITS disabled: MSIs dropped; commands wait for it. */
	its_w(&g, GITS_CTLR, 0, 4);
	CHECK_EQ(vits_signal(&g.its, DEV, 0), VITS_ERR_ITS_DISABLED, "ITS disabled");
	send(&g, c_ev(OP_INT, DEV, 4));
	CHECK_EQ(fake_count(&g.f, 0, 8196), 0, "queued, not run");
	its_w(&g, GITS_CTLR, 1, 4);
	CHECK_EQ(fake_count(&g.f, 0, 8196), 1, "run on enable");
	CHECK_EQ(g.its.stats.cmd_errors, 0, "no error");
	fake_free(&g.f);
}

/* Mapping semantics Linux KVM defines where the architecture does not. */
static void test_vits_remap(void **state)
{
	struct tguest g;
	struct layout l;

	(void)state;
	lpi_setup(&g, &l);
	send(&g, c_mapti(DEV, 0, 9999, 1));
	CHECK_EQ(g.its.stats.cmd_errors, 0, "MAPTI over a mapping: accepted");
	CHECK_EQ(fake_get64(&g.f, l.itt), 8192ULL << 16, "and the old mapping kept");
	/* MAPC moves a collection; V=0 unmaps it. */
	send(&g, c_mapc(0, 1, true));
	CHECK_EQ(vits_signal(&g.its, DEV, 0), 0, "MSI");
	CHECK_EQ(fake_count(&g.f, 1, 8192), 1, "to collection 0's new vCPU");
	send(&g, c_mapc(0, 0, false));
	CHECK_EQ(vits_signal(&g.its, DEV, 2), VITS_ERR_UNMAPPED_COLLECTION, "collection unmapped");
	/* MAPD again: the device's events are forgotten; V=0 unmaps it. */
	send(&g, c_mapd(DEV, 3, l.itt, true));
	CHECK_EQ(vits_signal(&g.its, DEV, 1), VITS_ERR_UNMAPPED_INTERRUPT, "remapped: no events");
	send(&g, c_mapd(DEV, 3, l.itt, false));
	CHECK_EQ(fake_get64(&g.f, l.dt + DEV * 8), 0, "DTE invalid");
	CHECK_EQ(vits_signal(&g.its, DEV, 1), VITS_ERR_UNMAPPED_DEVICE, "unmapped device");
	CHECK_EQ(g.its.stats.cmd_errors, 0, "none of this is an error");
	/* A guest writing garbage into its tables gets nothing out of them. */
	send(&g, c_mapd(DEV, 3, l.itt, true));
	send(&g, c_mapc(0, 0, true));
	send(&g, c_mapti(DEV, 0, 8192, 0));
	fake_put64(&g.f, l.ct, 1ULL << 63 | 0xfffULL << 16);          /* RDbase 4095 */
	CHECK_EQ(vits_signal(&g.its, DEV, 0), VITS_ERR_UNMAPPED_COLLECTION, "bad CTE");
	fake_put64(&g.f, l.ct, 1ULL << 63);
	fake_put64(&g.f, l.itt, 0xffffffffULL << 16);                  /* pINTID 2^32-1 */
	CHECK_EQ(vits_signal(&g.its, DEV, 0), VITS_ERR_UNMAPPED_INTERRUPT, "bad ITE");
	fake_put64(&g.f, l.dt + DEV * 8, 1ULL << 63 | 31);             /* 32 event bits */
	CHECK_EQ(vits_signal(&g.its, DEV, 0), VITS_ERR_UNMAPPED_DEVICE, "bad DTE");
	CHECK_EQ(g.f.bad_reports, 0, "nothing impossible reported");
	fake_free(&g.f);
}

static const struct CMUnitTest tests[] = {
	UNIT_TEST(test_vits_disabled_lpi),
	UNIT_TEST(test_vits_invall),
	UNIT_TEST(test_vits_clear_discard),
	UNIT_TEST(test_vits_movi_movall),
	UNIT_TEST(test_vits_enable_lpis),
	UNIT_TEST(test_vits_remap),
};

UNIT_MAIN("vits_lpis", tests)
