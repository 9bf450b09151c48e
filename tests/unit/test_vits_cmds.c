/* SPDX-License-Identifier: MIT */
/*
 * The emulated ITS's command queue: every command with valid arguments on
 * every table shape (flat and two-level device and collection tables,
 * 4K/16K/64K ITS pages, 40-, 48- and 52-bit VMs with tables above 2^48),
 * the entries it writes at the guest IPAs the layout says (Linux KVM's
 * table ABI: DTE [63] Valid [48:5] ITT[52:8] [4:0] bits-1; CTE [63] Valid
 * [51:16] RDbase [15:0] ICID; ITE [47:16] pINTID [15:0] ICID), and the LPIs
 * it reports.
 */
#include "vits_layout.h"

static const char *const place_name[] = { "40-bit", "48-bit", "52-bit" };

static uint64_t dte(uint64_t itt, unsigned bits)
{
	return 1ULL << 63 | (itt >> 8) << 5 | (bits - 1);
}

static uint64_t cte(unsigned rd, uint32_t icid)
{
	return 1ULL << 63 | (uint64_t)rd << 16 | icid;
}

static uint64_t ite(uint32_t intid, uint32_t icid)
{
	return (uint64_t)intid << 16 | icid;
}

static uint8_t prio(uint32_t intid)
{
	return (uint8_t)((intid * 4) & 0xfc);
}

static void test_vits_tables(void **state)
{
	(void)state;
	for (unsigned p = PLACE_40; p <= PLACE_52; p++)
	for (unsigned ps = PS_4K; ps <= PS_64K; ps++)
	for (unsigned di = 0; di < 2; di++)
	for (unsigned ci = 0; ci < 2; ci++) {
		struct layout l = layout_make(p, ps, di, ci);
		struct tguest g;
		uint32_t devA = 1, devB = ids_covered(&l, false) - 1, devC = (uint32_t)per_page(&l) + 2;
		uint32_t collX = ids_covered(&l, true) - 1;
		uint64_t ittA = l.itt, ittB = l.itt + 0x20000, ittC = l.itt + 0x1000;
		char name[80];

		snprintf(name, sizeof(name), "%s, %lluK pages, devices %s, collections %s",
			 place_name[p], (unsigned long long)ps_bytes(ps) >> 10,
			 di ? "two-level" : "flat", ci ? "two-level" : "flat");
		layout_setup(&g, &l);
		queue(&g, c_mapc(0, 0, true));
		queue(&g, c_mapc(1, 1, true));
		queue(&g, c_mapc(collX, 1, true));
		queue(&g, c_mapd(devA, 3, ittA, true));
		queue(&g, c_mapd(devB, 14, ittB, true));
		queue(&g, c_mapd(devC, 1, ittC, true));
		queue(&g, c_mapti(devA, 0, 8202, 0));
		queue(&g, c_mapti(devA, 7, 8492, 1));
		queue(&g, c_mapi(devB, 9000, collX));
		queue(&g, c_mapti(devC, 1, 65535, 1));
		queue(&g, c_sync(1));
		its_w(&g, GITS_CWRITER, g.cw, 8);
		CHECK_EQ(its_r(&g, GITS_CREADR, 8), g.cw, "%s: queue drained, not stalled", name);
		CHECK_EQ(g.its.stats.commands, 11, "%s", name);
		CHECK_EQ(g.its.stats.cmd_errors, 0, "%s: %s", name, vits_err_name(g.its.stats.last_error.kind));
		CHECK_EQ(its_r(&g, GITS_CTLR, 4), 1u << 31 | 1, "%s: enabled, quiescent", name);

		CHECK_EQ(fake_get64(&g.f, entry_ipa(&l, true, 0)), cte(0, 0), "%s: CTE 0", name);
		CHECK_EQ(fake_get64(&g.f, entry_ipa(&l, true, 1)), cte(1, 1), "%s: CTE 1", name);
		CHECK_EQ(fake_get64(&g.f, entry_ipa(&l, true, collX)), cte(1, collX), "%s: CTE %u", name, collX);
		CHECK_EQ(fake_get64(&g.f, entry_ipa(&l, false, devA)), dte(ittA, 3), "%s: DTE A", name);
		CHECK_EQ(fake_get64(&g.f, entry_ipa(&l, false, devB)), dte(ittB, 14), "%s: DTE B", name);
		CHECK_EQ(fake_get64(&g.f, entry_ipa(&l, false, devC)), dte(ittC, 1), "%s: DTE C", name);
		CHECK_EQ(fake_get64(&g.f, ittA), ite(8202, 0), "%s: ITE A0", name);
		CHECK_EQ(fake_get64(&g.f, ittA + 8), 0, "%s: ITE A1 unmapped", name);
		CHECK_EQ(fake_get64(&g.f, ittA + 7 * 8), ite(8492, 1), "%s: ITE A7", name);
		CHECK_EQ(fake_get64(&g.f, ittB + 9000 * 8), ite(9000, collX), "%s: ITE B9000", name);
		CHECK_EQ(fake_get64(&g.f, ittC + 8), ite(65535, 1), "%s: ITE C1", name);

		/* Four MSIs, four ways in; each LPI reported once. */
		send(&g, c_ev(OP_INT, devA, 0));
		CHECK_EQ(vits_signal(&g.its, devA, 7), 0, "%s", name);
		CHECK_EQ(vits_translater(&g.its, devB, 9000), 0, "%s", name);
		vits_set_translater_devid(&g.its, devC);
		its_w(&g, GITS_TRANSLATER, 1, 4);
		CHECK_EQ(g.f.nsig, 4, "%s: LPIs reported", name);
		CHECK_EQ(fake_count(&g.f, 0, 8202), 1, "%s: A0 on vCPU 0", name);
		CHECK_EQ(fake_count(&g.f, 1, 8492), 1, "%s: A7 on vCPU 1", name);
		CHECK_EQ(fake_count(&g.f, 1, 9000), 1, "%s: B9000 on vCPU 1", name);
		CHECK_EQ(fake_count(&g.f, 1, 65535), 1, "%s: C1 on vCPU 1", name);
		for (unsigned i = 0; i < g.f.nsig; i++)
			CHECK_EQ(g.f.sig[i].prio, prio(g.f.sig[i].intid), "%s: priority of %u", name,
				 g.f.sig[i].intid);
		CHECK(pend_bit(&g, &l, 0, 8202) && pend_bit(&g, &l, 1, 8492) &&
		      pend_bit(&g, &l, 1, 9000) && pend_bit(&g, &l, 1, 65535), "%s: pending bits", name);
		CHECK(!pend_bit(&g, &l, 1, 8202) && !pend_bit(&g, &l, 0, 8492), "%s: only there", name);

		/* A pending LPI absorbs another MSI; once taken, the next is new. */
		send(&g, c_ev(OP_INT, devA, 0));
		CHECK_EQ(fake_count(&g.f, 0, 8202), 1, "%s: merged while pending", name);
		vits_lpi_taken(&g.its, 0, 8202);
		CHECK(!pend_bit(&g, &l, 0, 8202), "%s: taken clears the bit", name);
		CHECK_EQ(vits_signal(&g.its, devA, 0), 0, "%s", name);
		CHECK_EQ(fake_count(&g.f, 0, 8202), 2, "%s: delivered again after taken", name);
		CHECK_EQ(g.its.stats.lpis_signalled, 5, "%s", name);
		CHECK_EQ(g.its.stats.lpis_taken, 1, "%s", name);

		/* Untranslatable MSIs are dropped, not command errors. */
		CHECK_EQ(vits_signal(&g.its, devA, 1), VITS_ERR_UNMAPPED_INTERRUPT, "%s", name);
		CHECK_EQ(vits_signal(&g.its, devA, 8), VITS_ERR_EVENT_OOR, "%s", name);
		CHECK_EQ(vits_signal(&g.its, devA + 1, 0), VITS_ERR_UNMAPPED_DEVICE, "%s", name);
		CHECK_EQ(vits_signal(&g.its, 0x10000, 0), VITS_ERR_DEVICE_OOR, "%s", name);
		CHECK_EQ(g.its.stats.msis_dropped, 4, "%s", name);
		vits_lpi_taken(&g.its, 1, 65535);
		its_w(&g, GITS_TRANSLATER, 0x10001, 2);   /* 16-bit write: EventID 1 */
		CHECK_EQ(fake_count(&g.f, 1, 65535), 2, "%s: 16-bit TRANSLATER write", name);
		CHECK_EQ(g.its.stats.cmd_errors, 0, "%s", name);
		CHECK(!stalled(&g), "%s", name);
		/* Every table the ITS used counts; the lowest here is the queue or
		   the device table (the level-1 one when two-level). */
		uint64_t low = 0, want = l.cq < l.dt ? l.cq : l.dt;
		CHECK_EQ(vits_lowest_table_ipa(&g.its, &low), 0, "%s", name);
		CHECK_EQ(low, want, "%s: lowest table IPA", name);
		if (p == PLACE_52 && ps == PS_64K)
			CHECK(low >= 1ULL << 48, "%s: every table above 2^48", name);
		CHECK_EQ(g.f.faults, 0, "%s: no access outside RAM", name);
		CHECK_EQ(g.f.bad_reports, 0, "%s", name);
		fake_free(&g.f);
	}
}

/* The base mappings of the error and state tests (64K pages, 52-bit VM):
   device 1 (8 events: 0 -> 8200 on collection 0), device 2 (4 events:
   0 -> 8300 on collection 9, never mapped). */
static void base_setup(struct tguest *g, struct layout *l, bool dev_ind)
{
	*l = layout_make(PLACE_52, PS_64K, dev_ind, false);
	layout_setup(g, l);
	send(g, c_mapc(0, 0, true));
	send(g, c_mapc(1, 1, true));
	send(g, c_mapd(1, 3, l->itt, true));
	send(g, c_mapti(1, 0, 8200, 0));
	send(g, c_mapd(2, 2, l->itt + 0x1000, true));
	send(g, c_mapti(2, 0, 8300, 9));
	assert_int_equal(g->its.stats.cmd_errors, 0);
	g->f.nsig = g->f.nclr = 0;
}

struct ecase {
	const char *name;
	struct cmd c;
	enum vits_err kind;
	uint32_t code;     /* the architecture's (Linux's E_ITS_*) */
	bool dev_ind;
};

#define HI_NOT_RAM ((1ULL << 52) - 0x800000)

static const struct ecase ecases[] = {
	{ "MAPD DeviceID beyond Devbits", { { 0x08 | 0x10000ULL << 32, 0, 1ULL << 63, 0 } },
	  VITS_ERR_DEVICE_OOR, 0x010801, false },
	{ "MAPD DeviceID beyond the flat table", { { 0x08 | 16384ULL << 32, 0, 1ULL << 63, 0 } },
	  VITS_ERR_DEVICE_OOR, 0x010801, false },
	{ "MAPD DeviceID behind an invalid level-1 entry", { { 0x08 | 16384ULL << 32, 0, 1ULL << 63, 0 } },
	  VITS_ERR_DEVICE_OOR, 0x010801, true },
	{ "MAPD 17 EventID bits", { { 0x08 | 3ULL << 32, 16, 1ULL << 63 | 0x000fffffffd00000ULL, 0 } },
	  VITS_ERR_ITTSIZE_OOR, 0x010802, false },
	{ "MAPD ITT outside RAM", { { 0x08 | 3ULL << 32, 3, 1ULL << 63 | HI_NOT_RAM, 0 } },
	  VITS_ERR_MEMORY, 0, false },
	{ "MAPC RDbase 2 of 2 vCPUs", { { 0x09, 0, 1ULL << 63 | 2ULL << 16 | 3, 0 } },
	  VITS_ERR_PROCNUM_OOR, 0x010902, false },
	{ "MAPC RDbase bit 51", { { 0x09, 0, 1ULL << 63 | 1ULL << 51 | 3, 0 } },
	  VITS_ERR_PROCNUM_OOR, 0x010902, false },
	{ "MAPC V=0 RDbase out of range", { { 0x09, 0, 5ULL << 16 | 3, 0 } },
	  VITS_ERR_PROCNUM_OOR, 0x010902, false },
	{ "MAPC ICID beyond the table", { { 0x09, 0, 1ULL << 63 | 0xffff, 0 } },
	  VITS_ERR_COLLECTION_OOR, 0x010903, false },
	{ "MAPTI unmapped device", { { 0x0a | 5ULL << 32, 8400ULL << 32, 0, 0 } },
	  VITS_ERR_UNMAPPED_DEVICE, 0x010a04, false },
	{ "MAPTI DeviceID beyond Devbits", { { 0x0a | 0x10000ULL << 32, 8400ULL << 32, 0, 0 } },
	  VITS_ERR_DEVICE_OOR, 0x010a04, false },
	{ "MAPTI device behind an invalid level-1 entry", { { 0x0a | 16384ULL << 32, 8400ULL << 32, 0, 0 } },
	  VITS_ERR_UNMAPPED_DEVICE, 0x010a04, true },
	{ "MAPTI EventID 8 of 8", { { 0x0a | 1ULL << 32, 8 | 8400ULL << 32, 0, 0 } },
	  VITS_ERR_EVENT_OOR, 0x010a05, false },
	{ "MAPTI pINTID 8191", { { 0x0a | 1ULL << 32, 1 | 8191ULL << 32, 0, 0 } },
	  VITS_ERR_PHYSICALID_OOR, 0x010a06, false },
	{ "MAPTI pINTID 65536", { { 0x0a | 1ULL << 32, 1 | 65536ULL << 32, 0, 0 } },
	  VITS_ERR_PHYSICALID_OOR, 0x010a06, false },
	{ "MAPTI ICID beyond the table", { { 0x0a | 1ULL << 32, 1 | 8400ULL << 32, 0xffff, 0 } },
	  VITS_ERR_COLLECTION_OOR, 0x010903, false },
	{ "MAPI EventID 5 is no LPI", { { 0x0b | 1ULL << 32, 5, 0, 0 } },
	  VITS_ERR_PHYSICALID_OOR, 0x010a06, false },
	{ "INT unmapped event", { { 0x03 | 1ULL << 32, 1, 0, 0 } },
	  VITS_ERR_UNMAPPED_INTERRUPT, 0x010307, false },
	{ "INT unmapped device", { { 0x03 | 5ULL << 32, 0, 0, 0 } },
	  VITS_ERR_UNMAPPED_DEVICE, 0x010307, false },
	{ "INT EventID out of range", { { 0x03 | 1ULL << 32, 8, 0, 0 } },
	  VITS_ERR_EVENT_OOR, 0x010307, false },
	{ "INT unmapped collection", { { 0x03 | 2ULL << 32, 0, 0, 0 } },
	  VITS_ERR_UNMAPPED_COLLECTION, 0x010307, false },
	{ "CLEAR unmapped event", { { 0x04 | 1ULL << 32, 1, 0, 0 } },
	  VITS_ERR_UNMAPPED_INTERRUPT, 0x010507, false },
	{ "DISCARD unmapped event", { { 0x0f | 1ULL << 32, 1, 0, 0 } },
	  VITS_ERR_UNMAPPED_INTERRUPT, 0x010f07, false },
	{ "DISCARD unmapped collection", { { 0x0f | 2ULL << 32, 0, 0, 0 } },
	  VITS_ERR_UNMAPPED_COLLECTION, 0x010f07, false },
	{ "INV unmapped event", { { 0x0c | 1ULL << 32, 1, 0, 0 } },
	  VITS_ERR_UNMAPPED_INTERRUPT, 0x010c07, false },
	{ "INVALL unmapped collection", { { 0x0d, 0, 9, 0 } },
	  VITS_ERR_UNMAPPED_COLLECTION, 0x010d09, false },
	{ "MOVI unmapped event", { { 0x01 | 1ULL << 32, 1, 0, 0 } },
	  VITS_ERR_UNMAPPED_INTERRUPT, 0x010107, false },
	{ "MOVI to an unmapped collection", { { 0x01 | 1ULL << 32, 0, 9, 0 } },
	  VITS_ERR_UNMAPPED_COLLECTION, 0x010109, false },
	{ "MOVI from an unmapped collection", { { 0x01 | 2ULL << 32, 0, 0, 0 } },
	  VITS_ERR_UNMAPPED_COLLECTION, 0x010109, false },
	{ "MOVALL RDbase2 out of range", { { 0x0e, 0, 0, 2ULL << 16 } },
	  VITS_ERR_PROCNUM_OOR, 0x010e01, false },
	{ "MOVALL RDbase1 out of range", { { 0x0e, 0, 7ULL << 16, 0 } },
	  VITS_ERR_PROCNUM_OOR, 0x010e01, false },
	{ "unknown command 0x20", { { 0x20, 0, 0, 0 } }, VITS_ERR_UNKNOWN_COMMAND, 0, false },
	{ "VMAPP (GICv4, not advertised)", { { 0x29, 0, 0, 0 } }, VITS_ERR_UNKNOWN_COMMAND, 0, false },
};

struct snap {
	uint8_t *mem[FAKE_REGIONS];
};

static void snap_take(struct snap *s, struct fake *f)
{
	for (unsigned i = 0; i < f->nr; i++) {
		s->mem[i] = malloc(f->r[i].size);
		assert_non_null(s->mem[i]);
		memcpy(s->mem[i], f->r[i].mem, f->r[i].size);
	}
}

/* Guest memory is as it was; frees the snapshot. */
static bool snap_same(struct snap *s, struct fake *f)
{
	bool same = true;

	for (unsigned i = 0; i < f->nr; i++) {
		same &= memcmp(s->mem[i], f->r[i].mem, f->r[i].size) == 0;
		free(s->mem[i]);
	}
	return same;
}

/*
 * Each bad command: recorded (kind, the architecture's code, its queue
 * offset), GITS_CREADR stalled at it, nothing written to guest memory,
 * nothing reported, the command behind it not run; Retry runs it again
 * (and fails again); a new queue (disable, CBASER) recovers.
 */
static void test_vits_command_errors(void **state)
{
	(void)state;
	for (unsigned i = 0; i < ARRAY_LEN(ecases); i++) {
		const struct ecase *e = &ecases[i];
		struct tguest g;
		struct layout l;
		struct snap s;
		uint64_t at;

		base_setup(&g, &l, e->dev_ind);
		at = g.cw;
		queue(&g, e->c);
		queue(&g, c_mapc(3, 1, true));
		snap_take(&s, &g.f);
		its_w(&g, GITS_CWRITER, g.cw, 8);
		CHECK_EQ(its_r(&g, GITS_CREADR, 8), at | 1, "%s: stalled at the command", e->name);
		CHECK_EQ(g.its.stats.cmd_errors, 1, "%s", e->name);
		CHECK_EQ(g.its.stats.cmd_errors_by[e->kind], 1, "%s", e->name);
		CHECK_EQ(g.its.stats.last_error.kind, e->kind, "%s: %s", e->name,
			 vits_err_name(g.its.stats.last_error.kind));
		CHECK_EQ(g.its.stats.last_error.code, e->code, "%s", e->name);
		CHECK_EQ(g.its.stats.last_error.cmd, e->c.dw[0] & 0xff, "%s", e->name);
		CHECK_EQ(g.its.stats.last_error.offset, at, "%s", e->name);
		CHECK_EQ(g.its.stats.last_error.devid, e->c.dw[0] >> 32, "%s", e->name);
		CHECK_EQ(g.its.stats.last_error.eventid, (uint32_t)e->c.dw[1], "%s", e->name);
		CHECK(snap_same(&s, &g.f), "%s: guest memory untouched", e->name);
		CHECK_EQ(g.f.nsig + g.f.nclr, 0, "%s: nothing reported", e->name);
		CHECK_EQ(its_r(&g, GITS_CTLR, 4), 1, "%s: enabled, not quiescent", e->name);

		/* More commands wait behind the stall. */
		send(&g, c_mapc(4, 1, true));
		CHECK_EQ(its_r(&g, GITS_CREADR, 8), at | 1, "%s: still stalled", e->name);
		CHECK_EQ(g.its.stats.cmd_errors, 1, "%s: not retried without Retry", e->name);
		its_w(&g, GITS_CWRITER, g.cw | 1, 8);
		CHECK_EQ(its_r(&g, GITS_CREADR, 8), at | 1, "%s: retried, stalled again", e->name);
		CHECK_EQ(g.its.stats.cmd_errors, 2, "%s: retried", e->name);
		CHECK_EQ(fake_get64(&g.f, entry_ipa(&l, true, 3)), 0, "%s: MAPC behind not run", e->name);

		/* Recovery: disable, a new queue, enable. */
		its_w(&g, GITS_CTLR, 0, 4);
		its_w(&g, GITS_CBASER, enc_cbaser(l.cq, g.cq_pages), 8);
		CHECK_EQ(its_r(&g, GITS_CREADR, 8), 0, "%s: new queue", e->name);
		its_w(&g, GITS_CTLR, 1, 4);
		g.cw = 0;
		send(&g, c_mapc(3, 1, true));
		send(&g, c_ev(OP_INT, 1, 0));
		CHECK_EQ(its_r(&g, GITS_CREADR, 8), 64, "%s: runs again", e->name);
		CHECK_EQ(fake_get64(&g.f, entry_ipa(&l, true, 3)), cte(1, 3), "%s: MAPC after", e->name);
		CHECK_EQ(fake_count(&g.f, 0, 8200), 1, "%s: INT after", e->name);
		CHECK_EQ(g.f.bad_reports, 0, "%s", e->name);
		fake_free(&g.f);
	}
}

/* A stalled command that the guest corrects in the queue goes on with Retry. */
static void test_vits_retry_fixed(void **state)
{
	struct tguest g;
	struct layout l;
	uint64_t at;

	(void)state;
	base_setup(&g, &l, false);
	at = g.cw;
	queue(&g, c_mapti(5, 1, 8400, 0));
	queue(&g, c_ev(OP_INT, 1, 1));
	its_w(&g, GITS_CWRITER, g.cw, 8);
	CHECK_EQ(its_r(&g, GITS_CREADR, 8), at | 1, "stalled on the unmapped device");
	for (int i = 0; i < 4; i++)
		fake_put64(&g.f, l.cq + at + 8 * i, c_mapti(1, 1, 8400, 0).dw[i]);
	its_w(&g, GITS_CWRITER, g.cw | 1, 8);
	CHECK_EQ(its_r(&g, GITS_CREADR, 8), g.cw, "retried and drained");
	CHECK_EQ(fake_count(&g.f, 0, 8400), 1, "the INT behind it ran");
	CHECK_EQ(g.its.stats.cmd_errors, 1, "one error");
	fake_free(&g.f);
}

/* Tables, queue and LPI tables outside the VM's RAM or IPA space. */
static void test_vits_memory_errors(void **state)
{
	struct tguest g;
	struct layout l;
	unsigned long faults;

	(void)state;
	/* The command queue is not RAM: the first command stalls. */
	base_setup(&g, &l, false);
	its_w(&g, GITS_CTLR, 0, 4);
	its_w(&g, GITS_CBASER, enc_cbaser(HI_NOT_RAM, 1), 8);
	its_w(&g, GITS_CTLR, 1, 4);
	its_w(&g, GITS_CWRITER, 32, 8);
	CHECK_EQ(its_r(&g, GITS_CREADR, 8), 1, "queue outside RAM: stalled at 0");
	CHECK_EQ(g.its.stats.last_error.kind, VITS_ERR_MEMORY, "queue outside RAM");
	fake_free(&g.f);

	/* The device table is not RAM. */
	base_setup(&g, &l, false);
	its_w(&g, GITS_CTLR, 0, 4);
	its_w(&g, GITS_BASER0, enc_baser(true, false, PS_64K, HI_NOT_RAM, 1), 8);
	its_w(&g, GITS_CTLR, 1, 4);
	send(&g, c_mapd(3, 2, l.itt + 0x2000, true));
	CHECK(stalled(&g), "device table outside RAM");
	CHECK_EQ(g.its.stats.last_error.kind, VITS_ERR_MEMORY, "device table outside RAM");
	CHECK_EQ(fake_get64(&g.f, l.itt + 0x2000), 0, "ITT untouched");
	fake_free(&g.f);

	/* A level-2 page outside RAM. */
	base_setup(&g, &l, true);
	fake_put64(&g.f, l.dt + 8, 1ULL << 63 | HI_NOT_RAM);
	send(&g, c_mapd((uint32_t)per_page(&l), 2, l.itt + 0x2000, true));
	CHECK_EQ(g.its.stats.last_error.kind, VITS_ERR_MEMORY, "level-2 page outside RAM");
	fake_free(&g.f);

	/* The collection table is not RAM. */
	base_setup(&g, &l, false);
	its_w(&g, GITS_CTLR, 0, 4);
	its_w(&g, GITS_BASER0 + 8, enc_baser(true, false, PS_64K, HI_NOT_RAM, 1), 8);
	its_w(&g, GITS_CTLR, 1, 4);
	send(&g, c_ev(OP_INT, 1, 0));
	CHECK_EQ(g.its.stats.last_error.kind, VITS_ERR_MEMORY, "collection table outside RAM");
	CHECK_EQ(g.f.nsig, 0, "no LPI");
	fake_free(&g.f);

	/* Property and pending tables not RAM: INT fails, nothing pending. */
	for (int t = 0; t < 2; t++) {
		base_setup(&g, &l, false);
		gicr_w(&g, 0, GICR_CTLR, 0, 4);
		if (t)
			gicr_w(&g, 0, GICR_PENDBASER, enc_pendbaser(HI_NOT_RAM, true), 8);
		else
			gicr_w(&g, 0, GICR_PROPBASER, enc_propbaser(HI_NOT_RAM, 16), 8);
		gicr_w(&g, 0, GICR_CTLR, 1, 4);
		send(&g, c_ev(OP_INT, 1, 0));
		CHECK_EQ(g.its.stats.last_error.kind, VITS_ERR_MEMORY, "%s outside RAM",
			 t ? "pending table" : "property table");
		CHECK_EQ(g.f.nsig, 0, "no LPI");
		CHECK(!pend_bit(&g, &l, 0, 8200), "not pending");
		fake_free(&g.f);
	}

	/* A 40-bit VM: a table beyond its IPA space is never even looked up. */
	l = layout_make(PLACE_40, PS_64K, false, false);
	layout_setup(&g, &l);
	its_w(&g, GITS_CTLR, 0, 4);
	its_w(&g, GITS_BASER0, enc_baser(true, false, PS_64K, 1ULL << 40, 1), 8);
	its_w(&g, GITS_CTLR, 1, 4);
	faults = g.f.faults;
	send(&g, c_mapd(1, 2, l.itt, true));
	CHECK_EQ(g.its.stats.last_error.kind, VITS_ERR_MEMORY, "device table beyond 40 bits");
	CHECK_EQ(g.f.faults, faults, "refused before asking for it");
	fake_free(&g.f);
}

static const struct CMUnitTest tests[] = {
	UNIT_TEST(test_vits_tables),
	UNIT_TEST(test_vits_command_errors),
	UNIT_TEST(test_vits_retry_fixed),
	UNIT_TEST(test_vits_memory_errors),
};

UNIT_MAIN("vits_cmds", tests)
