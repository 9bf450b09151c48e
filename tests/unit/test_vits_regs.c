/* SPDX-License-Identifier: MIT */
/*
 * The emulated ITS's registers against the GICv3 architecture's layouts
 * (IHI 0069; the layouts are written out in vits_guest.h and here):
 *   GITS_CTLR   [31] Quiescent (RO) [0] Enabled
 *   GITS_TYPER  [0] Physical [1] Virtual [7:4] ITT_entry_size-1
 *               [12:8] ID_bits-1 [17:13] Devbits-1 [18] SEIS [19] PTA
 *               [31:24] HCC [35:32] CIDbits [36] CIL
 *   GITS_IIDR   [11:0] Implementer [31:24] ProductID
 *   GITS_PIDR2  [7:4] ArchRev (3: GICv3)
 *   GITS_BASER  Type 1: Devices, 4: Interrupt Collections; Type and
 *               Entry_Size are read-only; Page_Size 0b11 is reserved.
 */
#include "vits_guest.h"

static void setup_guest(struct tguest *g, unsigned nr_vcpus, unsigned ipa_bits)
{
	memset(g, 0, sizeof(*g));
	g->f.nr_vcpus = nr_vcpus;
	assert_int_equal(vits_init(&g->its, &fake_ops, &g->f, nr_vcpus, ipa_bits), 0);
}

static void test_vits_init_args(void **state)
{
	struct vits its;
	struct fake f = { .nr_vcpus = 1 };
	struct vits_ops no_pending = fake_ops, no_read = fake_ops, no_cleared = fake_ops;

	(void)state;
	no_pending.lpi_pending = NULL;
	no_read.read = NULL;
	no_cleared.lpi_cleared = NULL;
	CHECK_EQ(vits_init(&its, NULL, &f, 1, 48), -22, "no ops");
	CHECK_EQ(vits_init(&its, &no_pending, &f, 1, 48), -22, "no lpi_pending");
	CHECK_EQ(vits_init(&its, &no_read, &f, 1, 48), -22, "no read");
	CHECK_EQ(vits_init(&its, &fake_ops, &f, 0, 48), -22, "0 vCPUs");
	CHECK_EQ(vits_init(&its, &fake_ops, &f, VITS_MAX_VCPUS + 1, 48), -22, "too many vCPUs");
	CHECK_EQ(vits_init(&its, &fake_ops, &f, 1, 31), -22, "31-bit IPA");
	CHECK_EQ(vits_init(&its, &fake_ops, &f, 1, 53), -22, "53-bit IPA");
	CHECK_EQ(vits_init(&its, &no_cleared, &f, VITS_MAX_VCPUS, 52), 0, "lpi_cleared is optional");
	CHECK_EQ(vits_init(&its, &fake_ops, &f, 1, 32), 0, "32-bit IPA");
	uint64_t low = 0x1234;
	CHECK_EQ(vits_lowest_table_ipa(&its, &low), -2, "no table used yet");
	CHECK_EQ(low, 0x1234, "untouched");
}

static void test_vits_id_registers(void **state)
{
	struct tguest g;
	uint64_t typer, v;

	(void)state;
	setup_guest(&g, 2, 52);
	typer = its_r(&g, GITS_TYPER, 8);
	CHECK_EQ(typer & 1, 1, "TYPER.Physical");
	CHECK_EQ((typer >> 1) & 1, 0, "TYPER.Virtual");
	CHECK_EQ(((typer >> 4) & 0xf) + 1, 8, "TYPER.ITT_entry_size: 8 bytes");
	CHECK_EQ(((typer >> 8) & 0x1f) + 1, 16, "TYPER.ID_bits: 16 EventID bits");
	CHECK_EQ(((typer >> 13) & 0x1f) + 1, 16, "TYPER.Devbits: 16 DeviceID bits");
	CHECK_EQ((typer >> 18) & 1, 0, "TYPER.SEIS");
	CHECK_EQ((typer >> 19) & 1, 0, "TYPER.PTA: RDbase is a processor number");
	CHECK_EQ((typer >> 24) & 0xff, 0, "TYPER.HCC: no hardware collections");
	CHECK_EQ((typer >> 36) & 1, 0, "TYPER.CIL: 16-bit ICIDs");
	CHECK_EQ(its_r(&g, GITS_TYPER, 4), typer & 0xffffffff, "TYPER low half");
	CHECK_EQ(its_r(&g, GITS_TYPER + 4, 4), typer >> 32, "TYPER high half");
	CHECK_EQ(its_r(&g, GITS_IIDR, 4) & 0xfff, 0x43b, "IIDR.Implementer: Arm");
	CHECK_EQ((its_r(&g, 0xffe8, 4) >> 4) & 0xf, 3, "PIDR2.ArchRev: GICv3");
	/* Reset: disabled, nothing queued, so quiescent. */
	CHECK_EQ(its_r(&g, GITS_CTLR, 4), 1u << 31, "CTLR at reset");
	CHECK_EQ(its_r(&g, GITS_CREADR, 8), 0, "CREADR at reset");
	v = its_r(&g, GITS_BASER0, 8);
	CHECK_EQ((v >> 56) & 7, 1, "BASER0.Type: Devices");
	CHECK_EQ(((v >> 48) & 0x1f) + 1, 8, "BASER0.Entry_Size");
	CHECK_EQ(v >> 63, 0, "BASER0 invalid at reset");
	v = its_r(&g, GITS_BASER0 + 8, 8);
	CHECK_EQ((v >> 56) & 7, 4, "BASER1.Type: Interrupt Collections");
	CHECK_EQ(((v >> 48) & 0x1f) + 1, 8, "BASER1.Entry_Size");
	for (unsigned n = 2; n < 8; n++) {
		its_w(&g, GITS_BASER0 + 8 * n, ~0ULL, 8);
		CHECK_EQ(its_r(&g, GITS_BASER0 + 8 * n, 8), 0, "BASER%u unimplemented (Type 0)", n);
	}
	/* Read-only registers ignore writes. */
	its_w(&g, GITS_TYPER, 0, 8);
	its_w(&g, GITS_CREADR, 0x40, 8);
	CHECK_EQ(its_r(&g, GITS_TYPER, 8), typer, "TYPER is read-only");
	CHECK_EQ(its_r(&g, GITS_CREADR, 8), 0, "CREADR is read-only");
	/* Unknown offsets read as zero. */
	CHECK_EQ(its_r(&g, 0x2000, 4), 0, "RAZ");
	CHECK_EQ(its_r(&g, GITS_TRANSLATER, 4), 0, "TRANSLATER reads as zero");
}

static void test_vits_access_sizes(void **state)
{
	struct tguest g;
	uint64_t v = 0;

	(void)state;
	setup_guest(&g, 1, 48);
	CHECK_EQ(vits_mmio(&g.its, GITS_CTLR, false, &v, 8), -22, "CTLR is 32-bit");
	CHECK_EQ(vits_mmio(&g.its, GITS_TYPER + 2, false, &v, 4), -22, "misaligned");
	CHECK_EQ(vits_mmio(&g.its, GITS_TYPER, false, &v, 2), -22, "16-bit");
	CHECK_EQ(vits_mmio(&g.its, GITS_TYPER, false, &v, 1), -22, "8-bit");
	CHECK_EQ(vits_mmio(&g.its, 0x20000, false, &v, 4), -34, "beyond the two frames");
	CHECK_EQ(vits_mmio(&g.its, GITS_TRANSLATER, true, &v, 8), -22, "TRANSLATER is 32-bit");
	CHECK_EQ(vits_gicr_mmio(&g.its, 1, GICR_CTLR, false, &v, 4), -22, "no vCPU 1");
	CHECK_EQ(vits_gicr_mmio(&g.its, 0, GICR_CTLR, false, &v, 8), -22, "GICR_CTLR is 32-bit");
	CHECK_EQ(vits_gicr_mmio(&g.its, 0, GICR_PROPBASER + 1, false, &v, 4), -22, "misaligned");
}

static void test_vits_baser(void **state)
{
	struct tguest g;
	uint64_t v, want;

	(void)state;
	setup_guest(&g, 1, 52);
	for (unsigned n = 0; n < 2; n++) {
		uint64_t off = GITS_BASER0 + 8 * n, type = n ? 4 : 1;

		for (unsigned ps = 0; ps < 3; ps++) {
			/* Every field the guest may write, with 7 pages, indirect. */
			want = enc_baser(true, true, ps, 0x0000123456780000ULL, 7) |
			       5ULL << 59 | 3ULL << 53 | 1ULL << 10;
			its_w(&g, off, want | 0x1fULL << 48 | 7ULL << 56, 8);
			v = its_r(&g, off, 8);
			CHECK_EQ(v, want | type << 56 | 7ULL << 48, "BASER%u Page_Size %u", n, ps);
		}
		/* 64K pages hold PA[51:48] in [15:12]. */
		want = enc_baser(true, false, PS_64K, 0x000fabcd12340000ULL, 1);
		CHECK_EQ(want & 0xf000, 0xf000, "encoding");
		its_w(&g, off, want, 8);
		CHECK_EQ(its_r(&g, off, 8), want | type << 56 | 7ULL << 48, "BASER%u 52-bit", n);
		/* Reserved Page_Size 0b11 is refused: the field keeps 64K. */
		its_w(&g, off, (want & ~(3ULL << 8)) | 3ULL << 8, 8);
		CHECK_EQ((its_r(&g, off, 8) >> 8) & 3, PS_64K, "BASER%u Page_Size 3 refused", n);
		CHECK_EQ(g.its.stats.reg_ignored, 1 + n, "counted");
		/* 32-bit halves. */
		its_w(&g, off + 4, 0x80000000u, 4);
		its_w(&g, off, 0x00001000u | PS_16K << 8, 4);
		v = its_r(&g, off, 8);
		CHECK_EQ(v >> 63, 1, "BASER%u high half", n);
		CHECK_EQ((v >> 8) & 3, PS_16K, "BASER%u low half", n);
		CHECK_EQ(v & MASK(47, 12), 0x1000, "BASER%u address by halves", n);
		CHECK_EQ(its_r(&g, off + 4, 4), v >> 32, "BASER%u read high half", n);
	}
}

/* CBASER, CWRITER, CREADR and enabling. */
static void test_vits_queue_registers(void **state)
{
	struct tguest g;
	uint64_t cb = enc_cbaser(0x000f000000010000ULL, 4) | 1ULL << 10 | 7ULL << 59 | 7ULL << 53;

	(void)state;
	setup_guest(&g, 1, 52);
	its_w(&g, GITS_CBASER, cb | 1ULL << 62 | 7ULL << 56 | 1ULL << 52 | 3ULL << 8, 8);
	CHECK_EQ(its_r(&g, GITS_CBASER, 8), cb, "CBASER keeps its fields, RES0 bits clear");
	its_w(&g, GITS_CWRITER, 0x4000, 8);
	CHECK_EQ(its_r(&g, GITS_CWRITER, 8), 0, "CWRITER beyond a 16K queue ignored");
	its_w(&g, GITS_CWRITER, 0x3fe0 | 0x1f, 8);
	CHECK_EQ(its_r(&g, GITS_CWRITER, 8), 0x3fe0, "CWRITER [19:5]");
	CHECK_EQ(its_r(&g, GITS_CTLR, 4), 0, "disabled, commands queued: not quiescent");
	its_w(&g, GITS_CBASER, cb, 8);
	CHECK_EQ(its_r(&g, GITS_CWRITER, 8), 0, "CBASER write empties the queue");
	CHECK_EQ(its_r(&g, GITS_CREADR, 8), 0, "CBASER write resets CREADR");
	/* Enabling needs a valid queue and both tables. */
	its_w(&g, GITS_CTLR, 1, 4);
	CHECK_EQ(its_r(&g, GITS_CTLR, 4) & 1, 0, "no valid tables: not enabled");
	its_w(&g, GITS_BASER0, enc_baser(true, false, PS_64K, 0x10000, 1), 8);
	its_w(&g, GITS_CTLR, 1, 4);
	CHECK_EQ(its_r(&g, GITS_CTLR, 4) & 1, 0, "no collection table: not enabled");
	its_w(&g, GITS_BASER0 + 8, enc_baser(true, false, PS_64K, 0x20000, 1), 8);
	its_w(&g, GITS_CTLR, 1, 4);
	CHECK_EQ(its_r(&g, GITS_CTLR, 4), 1u << 31 | 1, "enabled and quiescent");
	/* While enabled, CBASER and BASER ignore writes. */
	its_w(&g, GITS_CBASER, 0, 8);
	its_w(&g, GITS_BASER0, 0, 8);
	CHECK_EQ(its_r(&g, GITS_CBASER, 8), cb, "CBASER while enabled");
	CHECK_EQ(its_r(&g, GITS_BASER0, 8) >> 63, 1, "BASER while enabled");
	its_w(&g, GITS_CTLR, 0, 4);
	CHECK_EQ(its_r(&g, GITS_CTLR, 4), 1u << 31, "disabled again");
}

static void test_vits_gicr_registers(void **state)
{
	struct tguest g;
	uint64_t prop = enc_propbaser(0x000fedcba9876000ULL, 16) | 7ULL << 56 | 1ULL << 10 | 7ULL << 7;
	uint64_t pend = enc_pendbaser(0x000fedcba9870000ULL, false) | 7ULL << 56 | 1ULL << 10 | 7ULL << 7;

	(void)state;
	setup_guest(&g, 2, 52);
	gicr_w(&g, 0, GICR_PROPBASER, prop | MASK(63, 59) | MASK(55, 52) | MASK(6, 5), 8);
	CHECK_EQ(gicr_r(&g, 0, GICR_PROPBASER, 8), prop, "PROPBASER, RES0 clear");
	CHECK_EQ(gicr_r(&g, 1, GICR_PROPBASER, 8), prop, "one property table for all");
	gicr_w(&g, 1, GICR_PENDBASER, pend | 1ULL << 62 | 1ULL << 63 | MASK(15, 12) | MASK(6, 0), 8);
	CHECK_EQ(gicr_r(&g, 1, GICR_PENDBASER, 8), pend, "PENDBASER, PTZ reads 0, RES0 clear");
	CHECK_EQ(gicr_r(&g, 0, GICR_PENDBASER, 8), 0, "PENDBASER is per redistributor");
	gicr_w(&g, 0, GICR_PENDBASER + 4, 0x000f0000, 4);
	CHECK_EQ(gicr_r(&g, 0, GICR_PENDBASER, 8), 0x000f000000000000ULL, "PENDBASER high half");
	CHECK_EQ(gicr_r(&g, 0, GICR_CTLR, 4), 0, "EnableLPIs at reset");
	gicr_w(&g, 0, GICR_CTLR, 1, 4);
	CHECK_EQ(gicr_r(&g, 0, GICR_CTLR, 4), 1, "EnableLPIs");
	gicr_w(&g, 0, GICR_PROPBASER, 0, 8);
	gicr_w(&g, 0, GICR_PENDBASER, 0, 8);
	CHECK_EQ(gicr_r(&g, 0, GICR_PROPBASER, 8), prop, "PROPBASER while EnableLPIs");
	CHECK_EQ(gicr_r(&g, 0, GICR_PENDBASER, 8), 0x000f000000000000ULL, "PENDBASER while EnableLPIs");
	gicr_w(&g, 1, GICR_PENDBASER, 0, 8);
	CHECK_EQ(gicr_r(&g, 1, GICR_PENDBASER, 8), 0, "the other redistributor still takes writes");
	gicr_w(&g, 0, GICR_CTLR, 0, 4);
	CHECK_EQ(gicr_r(&g, 0, GICR_CTLR, 4), 0, "LPIs disabled again");
}

static const struct CMUnitTest tests[] = {
	UNIT_TEST(test_vits_init_args),
	UNIT_TEST(test_vits_id_registers),
	UNIT_TEST(test_vits_access_sizes),
	UNIT_TEST(test_vits_baser),
	UNIT_TEST(test_vits_queue_registers),
	UNIT_TEST(test_vits_gicr_registers),
};

UNIT_MAIN("vits_regs", tests)
