/* SPDX-License-Identifier: MIT */
/*
 * The LPI test: the guest programs its ITS (its.c) with every table in
 * its RAM, at the top of its IPA space (above 2^48 where the IPA size
 * allows), maps PROTO_ITS_NDEV devices of PROTO_ITS_NEV events each and
 * raises every event once, with IRQs masked so that more LPIs are
 * pending than list registers hold: by its own GITS_TRANSLATER writes,
 * through the test device (MSIs an emulated device sends) and by an INT
 * command. Each LPI must arrive exactly once with its INTID (guest/proto.h);
 * MSIs for an unmapped event or device must be dropped. The misbehaving
 * VM first issues commands that must fail, and goes on after recovering.
 */
#include "guest.h"
#include "its.h"

static uint32_t lpis_seen(const struct gic *c)
{
	uint32_t n = 0;

	for (unsigned i = 0; i < PROTO_NR_LPIS; i++)
		n += ((const volatile uint32_t *)c->seen.lpi)[i];
	return n;
}

void lpi_test(struct genv *g, struct gic *c, struct its_guest *its)
{
	const uint32_t last = PROTO_ITS_DEVID(PROTO_ITS_NDEV - 1);
	int rc;

	rc = its_guest_init(its, g->gic_base + GUEST_GITS, g->gic_base + GUEST_GICR,
			    g->ram + GUEST_ITS_MEM, GUEST_ARENA - GUEST_ITS_MEM, g->page);
	c->seen.its_status = rc;
	expect(g, rc == 0, 0x870);
	if (rc)
		return;
	if (g->mode == MODE_BAD_ITS) {
		expect(g, its_guest_misbehave(its) == ITS_GUEST_MISBEHAVIOURS, 0x871);
		c->seen.its_stalls = (int32_t)its->stalls;
	}
	for (uint32_t d = 0; d < PROTO_ITS_NDEV; d++) {
		rc = its_guest_map(its, PROTO_ITS_DEVID(d), PROTO_ITS_NEV, PROTO_LPI(d, 0));
		expect(g, rc == 0, 0x872);
		if (rc)
			c->seen.its_status = rc;
	}
	for (uint32_t e = 0; e < PROTO_ITS_NEV; e++)
		its_guest_msi(its, e);
	for (uint32_t d = 1; d < PROTO_ITS_NDEV; d++)
		for (uint32_t e = 0; e < PROTO_ITS_NEV; e++) {
			uint64_t devid = PROTO_ITS_DEVID(d);
			if (devid == last && e == PROTO_ITS_NEV - 1) {
				expect(g, its_guest_int(its, (uint32_t)devid, e) == 0, 0x873);
				continue;
			}
			cmd(g, CMD_MSI, devid << 32 | e);
			expect(g, result(g) == 0, 0x874);
		}
	/* Dropped: an event beyond the device's ITT, a device never mapped. */
	cmd(g, CMD_MSI, (uint64_t)last << 32 | (PROTO_ITS_NEV + 1));
	expect(g, result(g) != 0, 0x875);
	cmd(g, CMD_MSI, 0x7777ULL << 32);
	expect(g, result(g) != 0, 0x876);

	__asm__ volatile("msr daifclr, #2\n\tisb" ::: "memory");
	for (unsigned n = 0; n < 100000 && lpis_seen(c) < PROTO_ITS_NDEV * PROTO_ITS_NEV; n++)
		__asm__ volatile("wfi" ::: "memory");
	__asm__ volatile("msr daifset, #2\n\tisb" ::: "memory");
	for (uint32_t d = 0; d < PROTO_ITS_NDEV; d++)
		for (uint32_t e = 0; e < PROTO_ITS_NEV; e++)
			expect(g, c->seen.lpi[PROTO_LPI(d, e) - PROTO_LPI_BASE] == 1, 0x880 + 16 * d + e);
}
