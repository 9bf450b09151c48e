/* SPDX-License-Identifier: MIT */
/*
 * s2hyp's emulated distributor and redistributor (hyp/core/vgic_mmio.c)
 * and its MMIO path (hyp/core/mmio.c), built for the host, against the
 * GICv3 architecture (IHI 0069 chapter 12), whose layouts are written out
 * here rather than taken from the code under test:
 *   GICD_CTLR       [0] EnableGrp0 [1] EnableGrp1 [4] ARE [6] DS [31] RWP
 *   GICD_TYPER      [4:0] ITLinesNumber [17] LPIS [23:19] IDbits [25] No1N
 *   GICD_IGROUPR<n> 0x080, ISENABLER 0x100, ICENABLER 0x180, ISPENDR 0x200,
 *                   ICPENDR 0x280, ISACTIVER 0x300, ICACTIVER 0x380: one bit
 *                   per INTID, register n for INTIDs 32n..32n+31
 *   GICD_IPRIORITYR 0x400 + INTID, a byte each; GICD_ICFGR 0xc00: two bits
 *                   per INTID, bit 1 of each set for edge-triggered
 *   GICD_IROUTER<n> 0x6000 + 8n: [39:32] Aff3 [31] IRM [23:16] Aff2
 *                   [15:8] Aff1 [7:0] Aff0
 *   PIDR2           0xffe8: [7:4] ArchRev, 3 for GICv3
 *   GICR_TYPER      0x008 [0] PLPIS [4] Last [23:8] Processor_Number
 *                   [63:32] Affinity; GICR_WAKER 0x014 [1] ProcessorSleep
 *                   [2] ChildrenAsleep; the SGI_base frame 64K above RD_base
 *                   holds register 0 of the per-INTID registers
 * With affinity routing (ARE=1), register 0 of the distributor's
 * per-INTID registers and its priorities for INTIDs 0-31 are RAZ/WI.
 * Register sizes (12.1.3): 32-bit; bytes also for IPRIORITYR; 64-bit (or
 * either half) for IROUTER and GICR_TYPER. Other sizes read as zero.
 *
 * The ICH_LR<n>_EL2 layout for the list-register cases: [31:0] vINTID,
 * [55:48] Priority, [60] Group, [62] Pending, [63] Active.
 */
#include "unit.h"
#include "mmio.h"
#include "vm.h"

#define GICD_BASE  0x3fd00000ULL
#define GICR_BASE  (GICD_BASE + 0x20000)
#define SGI        0x10000

#define LR_PENDING (1ULL << 62)
#define LR_ACTIVE  (1ULL << 63)

/* What the code under test needs from the rest of the hypervisor. */
static unsigned stops;
static char stop_msg[200];

uint8_t vgic_prio_mask(void)
{
	return 0xf8;            /* 5 priority bits, as QEMU's virtual interface */
}

bool vgic_its_gicr(struct vm *vm, uint64_t off, bool write, uint64_t *val, unsigned len)
{
	(void)vm; (void)off; (void)write; (void)val; (void)len;
	return false;
}

void vm_stop(struct vm *vm, const char *fmt, ...)
{
	va_list ap;

	(void)vm;
	stops++;
	va_start(ap, fmt);
	vsnprintf(stop_msg, sizeof(stop_msg), fmt, ap);
	va_end(ap);
}

static struct vm *new_vm(void)
{
	static struct vm vm;
	struct s2_diag d;

	memset(&vm, 0, sizeof(vm));
	stops = 0;
	vm.ram_ipa = 0x40000000;
	vm.ram_size = 0x400000;
	vm.vgic.base = GICD_BASE;
	assert_int_equal(vgic_mmio_init(&vm, &d), 0);
	return &vm;
}

static uint64_t rd(struct vm *vm, uint64_t ipa, unsigned len)
{
	const struct mmio_region *r = vm_mmio_find(vm, ipa);
	uint64_t v = 0xdeadbeefdeadbeefULL;

	assert_non_null(r);
	assert_int_equal(r->access(vm, r->ctx, ipa - r->base, false, &v, len), 0);
	return v;
}

static void wr(struct vm *vm, uint64_t ipa, uint64_t v, unsigned len)
{
	const struct mmio_region *r = vm_mmio_find(vm, ipa);

	assert_non_null(r);
	assert_int_equal(r->access(vm, r->ctx, ipa - r->base, true, &v, len), 0);
}

static void test_vgic_identification(void **state)
{
	struct vm *vm = new_vm();
	uint64_t typer;

	(void)state;
	typer = rd(vm, GICD_BASE + 0x4, 4);
	CHECK(((typer & 0x1f) + 1) * 32 >= VGIC_NR_IRQS, "ITLinesNumber covers the SPIs");
	CHECK_EQ((typer >> 17) & 1, 1, "TYPER.LPIS");
	CHECK_EQ(((typer >> 19) & 0x1f) + 1, 16, "TYPER.IDbits: 16-bit INTIDs (the ITS's)");
	CHECK_EQ((typer >> 25) & 1, 1, "TYPER.No1N");
	CHECK_EQ((rd(vm, GICD_BASE + 0xffe8, 4) >> 4) & 0xf, 3, "GICD_PIDR2.ArchRev");
	CHECK_EQ((rd(vm, GICR_BASE + 0xffe8, 4) >> 4) & 0xf, 3, "GICR_PIDR2.ArchRev");
	CHECK_EQ(rd(vm, GICR_BASE + 0x8, 8), 0x11, "GICR_TYPER: PLPIS, Last, CPU 0, affinity 0");
	CHECK_EQ(rd(vm, GICR_BASE + 0x8, 4), 0x11, "GICR_TYPER low half");
	CHECK_EQ(rd(vm, GICR_BASE + 0xc, 4), 0, "GICR_TYPER high half: affinity 0.0.0.0");
	CHECK_EQ(vm->vgic.st.bad_mmio, 0, "all sizes valid");
}

static void test_vgic_ctlr_and_waker(void **state)
{
	struct vm *vm = new_vm();

	(void)state;
	CHECK_EQ(rd(vm, GICD_BASE, 4), 0x50, "reset: ARE and DS set, groups disabled");
	wr(vm, GICD_BASE, 0x3, 4);
	CHECK_EQ(rd(vm, GICD_BASE, 4), 0x53, "both groups enabled");
	wr(vm, GICD_BASE, 0x80000000, 4);
	CHECK_EQ(rd(vm, GICD_BASE, 4), 0x50, "ARE and DS RAO/WI, RWP reads 0");
	CHECK_EQ(rd(vm, GICR_BASE + 0x14, 4), 0x6, "reset: ProcessorSleep, ChildrenAsleep");
	wr(vm, GICR_BASE + 0x14, 0, 4);
	CHECK_EQ(rd(vm, GICR_BASE + 0x14, 4), 0, "awake");
	wr(vm, GICR_BASE + 0x14, 2, 4);
	CHECK_EQ(rd(vm, GICR_BASE + 0x14, 4), 6, "asleep again");
}

static void test_vgic_enable_group_bits(void **state)
{
	struct vm *vm = new_vm();

	(void)state;
	CHECK_EQ(rd(vm, GICD_BASE + 0x84, 4), 0xffffffff, "SPIs reset to Group 1");
	wr(vm, GICD_BASE + 0x84, 0x0000ffff, 4);
	CHECK_EQ(rd(vm, GICD_BASE + 0x84, 4), 0x0000ffff, "IGROUPR1 is read/write");
	CHECK(!vm->vgic.irq[48].group1 && vm->vgic.irq[47].group1, "INTID 48 Group 0, 47 Group 1");
	wr(vm, GICD_BASE + 0x104, 0x5, 4);
	CHECK_EQ(rd(vm, GICD_BASE + 0x104, 4), 0x5, "ISENABLER1");
	CHECK_EQ(rd(vm, GICD_BASE + 0x184, 4), 0x5, "ICENABLER1 reads the same");
	wr(vm, GICD_BASE + 0x104, 0, 4);
	CHECK_EQ(rd(vm, GICD_BASE + 0x104, 4), 0x5, "writing 0 to ISENABLER changes nothing");
	wr(vm, GICD_BASE + 0x184, 0x1, 4);
	CHECK_EQ(rd(vm, GICD_BASE + 0x104, 4), 0x4, "ICENABLER1 cleared INTID 32");
	/* Register 0 is the redistributor's. */
	wr(vm, GICD_BASE + 0x100, 0xffffffff, 4);
	CHECK_EQ(rd(vm, GICD_BASE + 0x100, 4), 0, "GICD_ISENABLER0 RAZ/WI with ARE");
	CHECK_EQ(rd(vm, GICR_BASE + SGI + 0x100, 4), 0, "SGIs and PPIs unaffected");
	wr(vm, GICR_BASE + SGI + 0x100, 0x0800ffff, 4);
	CHECK_EQ(rd(vm, GICR_BASE + SGI + 0x180, 4), 0x0800ffff, "GICR_ICENABLER0");
	CHECK(vm->vgic.irq[27].enabled && !vm->vgic.irq[26].enabled, "PPI 27 enabled, 26 not");
	/* Beyond the implemented INTIDs: RAZ/WI. */
	wr(vm, GICD_BASE + 0x100 + 4 * (VGIC_NR_IRQS / 32), 0xffffffff, 4);
	CHECK_EQ(rd(vm, GICD_BASE + 0x100 + 4 * (VGIC_NR_IRQS / 32), 4), 0, "past ITLinesNumber");
}

static void test_vgic_priority_config_route(void **state)
{
	struct vm *vm = new_vm();

	(void)state;
	wr(vm, GICD_BASE + 0x400 + 40, 0xff, 1);
	CHECK_EQ(rd(vm, GICD_BASE + 0x400 + 40, 1), 0xf8, "unimplemented priority bits read 0");
	wr(vm, GICD_BASE + 0x400 + 32, 0x12345678, 4);
	CHECK_EQ(rd(vm, GICD_BASE + 0x400 + 32, 4), 0x10305078, "four priorities, masked");
	CHECK_EQ(rd(vm, GICD_BASE + 0x400 + 33, 1), 0x50, "byte access to the second");
	wr(vm, GICD_BASE + 0x400 + 4, 0xffffffff, 4);
	CHECK_EQ(rd(vm, GICD_BASE + 0x400 + 4, 4), 0, "distributor priorities of SGIs RAZ/WI");
	wr(vm, GICR_BASE + SGI + 0x400 + 27, 0x40, 1);
	CHECK_EQ(vm->vgic.irq[27].priority, 0x40, "PPI 27's priority in the SGI_base frame");

	CHECK_EQ(rd(vm, GICR_BASE + SGI + 0xc00, 4), 0xaaaaaaaa, "SGIs are edge-triggered");
	wr(vm, GICR_BASE + SGI + 0xc00, 0, 4);
	CHECK_EQ(rd(vm, GICR_BASE + SGI + 0xc00, 4), 0xaaaaaaaa, "and stay so");
	CHECK_EQ(rd(vm, GICR_BASE + SGI + 0xc04, 4), 0, "PPIs reset level-sensitive");
	wr(vm, GICD_BASE + 0xc08, 0x0000000a, 4);
	CHECK_EQ(rd(vm, GICD_BASE + 0xc08, 4), 0xa, "ICFGR2: INTIDs 32 and 33 edge");
	CHECK(vm->vgic.irq[33].edge && !vm->vgic.irq[34].edge, "33 edge, 34 level");

	wr(vm, GICD_BASE + 0x6000 + 8 * 40, ~0ULL, 8);
	CHECK_EQ(rd(vm, GICD_BASE + 0x6000 + 8 * 40, 8), 0xff80ffffffULL,
		 "IROUTER: Aff3, IRM, Aff2, Aff1, Aff0 only");
	wr(vm, GICD_BASE + 0x6000 + 8 * 41 + 4, 0x12, 4);
	CHECK_EQ(rd(vm, GICD_BASE + 0x6000 + 8 * 41, 8), 0x1200000000ULL, "high half: Aff3");
	CHECK_EQ(rd(vm, GICD_BASE + 0x6000 + 8 * 41 + 4, 4), 0x12, "read as a half");
	CHECK_EQ(rd(vm, GICD_BASE + 0x6000 + 8 * 8, 8), 0, "no IROUTER for private INTIDs");
}

static void test_vgic_pending_active(void **state)
{
	struct vm *vm = new_vm();
	struct vgic_irq *q = &vm->vgic.irq[40];

	(void)state;
	wr(vm, GICD_BASE + 0x204, 1u << 8, 4);
	CHECK(q->latch, "ISPENDR1 made INTID 40 pending");
	CHECK_EQ(rd(vm, GICD_BASE + 0x284, 4), 1u << 8, "ICPENDR1 reads it");
	wr(vm, GICD_BASE + 0x284, 1u << 8, 4);
	CHECK_EQ(rd(vm, GICD_BASE + 0x204, 4), 0, "cleared");

	/* In a list register (as read back at the last exit). */
	vm->vgic.lr[2] = LR_PENDING | 1ULL << 60 | 40;
	q->lr = 2;
	CHECK_EQ(rd(vm, GICD_BASE + 0x204, 4), 1u << 8, "pending in a list register");
	wr(vm, GICD_BASE + 0x284, 1u << 8, 4);
	CHECK(vm->vgic.lr[2] == 0 && q->lr == -1, "ICPENDR takes it out of the list register");
	vm->vgic.lr[1] = LR_ACTIVE | 1ULL << 60 | 40;
	q->lr = 1;
	CHECK_EQ(rd(vm, GICD_BASE + 0x304, 4), 1u << 8, "ISACTIVER1: active in a list register");
	wr(vm, GICD_BASE + 0x204, 1u << 8, 4);
	CHECK(q->latch && vm->vgic.lr[1] == (LR_ACTIVE | 1ULL << 60 | 40),
	      "pending again while active: remembered, the entry unchanged");
	wr(vm, GICD_BASE + 0x384, 1u << 8, 4);
	CHECK(vm->vgic.lr[1] == 0 && q->lr == -1, "ICACTIVER1 completes it");
	wr(vm, GICD_BASE + 0x304, 1u << 9, 4);
	CHECK(vm->vgic.irq[41].active, "ISACTIVER1 on an INTID in no list register");

	/* A level-sensitive input is pending while high. */
	vm->vgic.irq[42].line = true;
	CHECK_EQ(rd(vm, GICD_BASE + 0x204, 4) & (1u << 10), 1u << 10, "level input high");
	wr(vm, GICD_BASE + 0x284, 1u << 10, 4);
	CHECK_EQ(rd(vm, GICD_BASE + 0x204, 4) & (1u << 10), 1u << 10,
		 "ICPENDR does not lower a level input");
}

static void test_vgic_access_sizes(void **state)
{
	struct vm *vm = new_vm();

	(void)state;
	CHECK_EQ(rd(vm, GICD_BASE, 8), 0, "64-bit GICD_CTLR");
	wr(vm, GICD_BASE, 0x3, 1);
	CHECK_EQ(rd(vm, GICD_BASE, 4), 0x50, "byte write to GICD_CTLR ignored");
	CHECK_EQ(rd(vm, GICD_BASE + 0x104, 2), 0, "16-bit ISENABLER1");
	wr(vm, GICD_BASE + 0x400 + 36, 0xffff, 2);
	CHECK_EQ(rd(vm, GICD_BASE + 0x400 + 36, 4), 0, "16-bit IPRIORITYR write ignored");
	CHECK_EQ(rd(vm, GICD_BASE + 0x6000 + 8 * 40 + 4, 8), 0, "misaligned 64-bit IROUTER");
	CHECK_EQ(rd(vm, GICR_BASE + 0x8, 2), 0, "16-bit GICR_TYPER");
	CHECK_EQ(vm->vgic.st.bad_mmio, 6, "each counted");
	CHECK_EQ(rd(vm, GICD_BASE + 0x8000, 4), 0, "reserved offset reads 0");
	CHECK_EQ(rd(vm, GICR_BASE + SGI + 0x8000, 4), 0, "reserved SGI_base offset");
	CHECK_EQ(vm->vgic.st.bad_mmio, 6, "reserved offsets are not errors");
}

static void test_mmio_regions(void **state)
{
	struct vm *vm = new_vm();
	struct mmio_region r = { .base = 0x40200000, .size = 0x10000, .name = "dev" };
	struct s2_diag d;

	(void)state;
	CHECK_EQ(vm_mmio_register(vm, &r, &d), S2_EINVAL, "inside RAM");
	CHECK_MSG_HAS(d.msg, "RAM", "names RAM");
	r.base = GICD_BASE + 0x8000;
	CHECK_EQ(vm_mmio_register(vm, &r, &d), S2_EINVAL, "overlaps the distributor");
	CHECK_MSG_HAS(d.msg, "GIC distributor", "names the other region");
	r.base = 0x10000;
	CHECK_EQ(vm_mmio_register(vm, &r, &d), 0, "a free range");
	r.base = 0x20000;
	CHECK_EQ(vm_mmio_register(vm, &r, &d), 0, "another");
	r.base = 0x30000;
	CHECK_EQ(vm_mmio_register(vm, &r, &d), S2_ENOMEM, "all regions in use");
	CHECK_MSG_DEC(d.msg, VM_MAX_REGIONS, "says how many");
	CHECK_EQ(vm->nr_regions, VM_MAX_REGIONS, "the refused one left nothing behind");
	CHECK(vm_mmio_find(vm, 0x1ffff) && !vm_mmio_find(vm, 0x30000) && !vm_mmio_find(vm, 0xffff),
	      "lookup by range");
}

/* A load's value as the syndrome says (Arm ARM, ISS of a Data Abort:
   SAS size, SSE sign-extend, SF 64-bit register, SRT the register). */
static void test_mmio_syndrome(void **state)
{
	static const struct {
		unsigned sas; bool sse, sf; uint64_t val, want;
	} c[] = {
		{ 0, false, false, 0x1234567887ULL, 0x87 },
		{ 0, true, true, 0x87, 0xffffffffffffff87ULL },
		{ 0, true, false, 0x87, 0xffffff87ULL },
		{ 1, true, true, 0x8687, 0xffffffffffff8687ULL },
		{ 1, false, true, 0xffff8687, 0x8687 },
		{ 2, true, true, 0x84858687, 0xffffffff84858687ULL },
		{ 2, false, false, 0xaa84858687ULL, 0x84858687 },
		{ 3, false, true, 0x8081828384858687ULL, 0x8081828384858687ULL },
	};
	struct vm *vm = new_vm();

	(void)state;
	for (unsigned i = 0; i < ARRAY_LEN(c); i++) {
		struct s2_esr e = { .isv = true, .sas = c[i].sas, .sse = c[i].sse, .sf = c[i].sf,
				    .srt = 5, .il = true, .is_data = true };
		struct vm_exit *x;

		vm->regs.x[5] = 0x5555;
		vm->regs.elr = 0x1000;
		x = vm_mmio(vm, &e, 0x10000, 0, 0x10000, 0);
		CHECK(x && x->kind == VM_EXIT_MMIO && x->len == 1u << c[i].sas && !x->write,
		      "case %u: an exit to the VMM", i);
		vm_mmio_complete(vm, c[i].val);
		CHECK_EQ(vm->regs.x[5], c[i].want, "case %u: the register", i);
		CHECK_EQ(vm->regs.elr, 0x1004, "case %u: past the instruction", i);
	}
	/* A store hands over the register's low bytes; XZR stores 0. */
	struct s2_esr st = { .isv = true, .sas = 1, .srt = 3, .wnr = true, .il = true, .is_data = true };
	vm->regs.x[3] = 0x11223344;
	CHECK_EQ(vm_mmio(vm, &st, 0x10000, 0, 0x10000, 0)->data, 0x3344, "16-bit store");
	st.srt = 31;
	CHECK_EQ(vm_mmio(vm, &st, 0x10000, 0, 0x10000, 0)->data, 0, "store of XZR");
	/* The hypervisor's own frame without a syndrome: the VM stops. */
	struct s2_esr nosyn = { .isv = false, .is_data = true };
	CHECK(vm_mmio(vm, &nosyn, GICD_BASE, 0, GICD_BASE, 0) == NULL && stops == 1,
	      "no syndrome for an emulated frame");
	CHECK_MSG_HAS(stop_msg, "ISV", "the report names the missing syndrome");
	/* An emulated frame: handled inside, the load gets the register. */
	struct s2_esr ld = { .isv = true, .sas = 2, .srt = 7, .il = true, .is_data = true };
	vm->regs.x[7] = 0;
	CHECK(vm_mmio(vm, &ld, GICR_BASE + 0x14, 0, GICR_BASE + 0x14, 0) == NULL, "no exit");
	CHECK_EQ(vm->regs.x[7], 6, "GICR_WAKER read into x7");
	CHECK_EQ(vm->st.mmio, 1, "counted as emulated");
}

static const struct CMUnitTest tests[] = {
	UNIT_TEST(test_vgic_identification),
	UNIT_TEST(test_vgic_ctlr_and_waker),
	UNIT_TEST(test_vgic_enable_group_bits),
	UNIT_TEST(test_vgic_priority_config_route),
	UNIT_TEST(test_vgic_pending_active),
	UNIT_TEST(test_vgic_access_sizes),
	UNIT_TEST(test_mmio_regions),
	UNIT_TEST(test_mmio_syndrome),
};

UNIT_MAIN("vgic_mmio", tests)
