/* SPDX-License-Identifier: MIT */
/* s2vmm layout module: placement, auto IPA and the error messages. */
#include <s2/gic.h>

#include "unit.h"

#include "layout.h"
#include "size.h"

static struct vmm_layout_req req1(uint64_t size, enum vmm_layout_policy p, unsigned limit)
{
	struct vmm_layout_req r = { 0 };

	r.nr_ram = 1;
	r.ram[0].size = size;
	r.cpus = 1;
	r.policy = p;
	r.ipa_limit = limit;
	r.virtio_console = true;
	return r;
}

static void low_matches_kvmtool(void **s)
{
	struct vmm_layout_req r = req1(256 * MiB, VMM_LAYOUT_LOW, 52);
	struct vmm_layout l;
	struct s2_diag d;

	(void)s;
	r.cpus = 2;
	assert_int_equal(vmm_layout_compute(&r, &l, &d), 0);
	assert_int_equal(l.ipa_bits, 32);
	assert_true(l.ipa_auto);
	assert_int_equal(l.ram[0].base, 0x80000000);
	assert_int_equal(vmm_layout_dev(&l, "uart", 0)->base, 0x1000000);
	assert_int_equal(vmm_layout_dev(&l, "uart", 0)->spi, 1);
	assert_int_equal(vmm_layout_dev(&l, "virtio-console", 0)->base, 0x3000000);
	assert_int_equal(vmm_layout_dev(&l, "virtio-console", 0)->spi, 16);
	assert_null(vmm_layout_dev(&l, "virtio-console", 1));
	assert_int_equal(l.gicd.base, 0x3fff0000);
	assert_int_equal(l.gicr.base, 0x3fff0000 - 2 * 0x20000);
	assert_int_equal(l.gicr.size, 2 * 0x20000);
	assert_int_equal(l.ram_end, 0x90000000);
}

static void auto_ipa_is_kvmtool_fls(void **s)
{
	struct vmm_layout l;
	struct s2_diag d;
	/* kvmtool: max(32, fls(ram_end - 1)). */
	static const struct { uint64_t size; unsigned bits; } c[] = {
		{ 2 * GiB, 32 }, { 2 * GiB + 64 * 1024, 33 }, { 6 * GiB, 33 },
		{ 1024 * GiB, 41 }, { 4096 * GiB, 43 },
	};

	(void)s;
	for (unsigned i = 0; i < ARRAY_LEN(c); i++) {
		struct vmm_layout_req r = req1(c[i].size, VMM_LAYOUT_LOW, 52);

		assert_int_equal(vmm_layout_compute(&r, &l, &d), 0);
		assert_int_equal(l.ipa_bits, c[i].bits);
		assert_int_equal(l.ipa_bits, vmm_fls64(l.ram_end - 1) < 32 ? 32 : vmm_fls64(l.ram_end - 1));
	}
}

static void too_large_names_need_and_limit(void **s)
{
	struct vmm_layout_req r = req1(4096 * GiB, VMM_LAYOUT_LOW, 40);
	struct vmm_layout l;
	struct s2_diag d;

	(void)s;
	assert_int_equal(vmm_layout_compute(&r, &l, &d), S2_ERANGE);
	assert_string_equal(d.msg,
		"4096 GiB of RAM at 0x80000000 needs a 43-bit IPA; this host allows 40 bits");
	/* Nothing fits in 52 bits either: the message says where it ends. */
	r = req1(4ULL << 50, VMM_LAYOUT_LOW, 52);
	assert_int_equal(vmm_layout_compute(&r, &l, &d), S2_ERANGE);
	assert_non_null(strstr(d.msg, "beyond the 52-bit IPA space"));
	assert_non_null(strstr(d.msg, "4096 TiB"));
}

static void ipa_bits_validated_against_limit(void **s)
{
	struct vmm_layout_req r = req1(256 * MiB, VMM_LAYOUT_LOW, 52);
	struct vmm_layout l;
	struct s2_diag d;

	(void)s;
	r.ipa_bits = 53;
	assert_int_equal(vmm_layout_compute(&r, &l, &d), S2_EINVAL);
	assert_string_equal(d.msg, "--ipa-bits 53: KVM allows 32..52 here");
	r.ipa_bits = 31;
	assert_int_equal(vmm_layout_compute(&r, &l, &d), S2_EINVAL);
	assert_string_equal(d.msg, "--ipa-bits 31: KVM allows 32..52 here");
	r.ipa_limit = 48;
	r.ipa_bits = 52;
	assert_int_equal(vmm_layout_compute(&r, &l, &d), S2_EINVAL);
	assert_string_equal(d.msg, "--ipa-bits 52: KVM allows 32..48 here");
	r.ipa_bits = 256 + 40;   /* would alias 40 in the 8-bit type field */
	assert_int_equal(vmm_layout_compute(&r, &l, &d), S2_EINVAL);
	r.ipa_bits = 44;
	assert_int_equal(vmm_layout_compute(&r, &l, &d), 0);
	assert_int_equal(l.ipa_bits, 44);
	assert_false(l.ipa_auto);
	/* Explicit size too small for the RAM. */
	r = req1(8 * GiB, VMM_LAYOUT_LOW, 52);
	r.ipa_bits = 32;
	assert_int_equal(vmm_layout_compute(&r, &l, &d), S2_ERANGE);
	assert_string_equal(d.msg,
		"8 GiB of RAM at 0x80000000 needs a 34-bit IPA; --ipa-bits 32 is too small");
}

static void high_puts_everything_at_the_top(void **s)
{
	static const unsigned bits[] = { 32, 36, 40, 44, 48, 52 };
	struct vmm_layout l;
	struct s2_diag d;

	(void)s;
	for (unsigned i = 0; i < 6; i++) {
		struct vmm_layout_req r = req1(16 * MiB, VMM_LAYOUT_HIGH, 52);
		uint64_t top = 1ULL << bits[i];

		r.ipa_bits = bits[i];
		assert_int_equal(vmm_layout_compute(&r, &l, &d), 0);
		assert_int_equal(l.ram[0].base, top - GiB - 16 * MiB);
		assert_int_equal(l.ram_end, top - GiB);
		assert_int_equal(vmm_layout_dev(&l, "uart", 0)->base, top - GiB + 0x1000000);
		assert_int_equal(l.gicd.base + l.gicd.size, top);
	}
}

static void split_boot_bank_low_rest_above_2_48(void **s)
{
	struct vmm_layout_req r = req1(768 * MiB, VMM_LAYOUT_SPLIT, 52);
	struct vmm_layout l;
	struct s2_diag d;

	(void)s;
	r.ipa_bits = 52;
	assert_int_equal(vmm_layout_compute(&r, &l, &d), 0);
	assert_int_equal(l.nr_ram, 2);
	assert_int_equal(l.boot_bank, 0);
	assert_int_equal(l.ram[0].base, 0x80000000);
	assert_int_equal(l.ram[0].size, 256 * MiB);
	assert_int_equal(l.ram[1].base, 1ULL << 48);
	assert_int_equal(l.ram[1].size, 512 * MiB);
	/* Console and GIC above 2^51. */
	assert_true(vmm_layout_dev(&l, "uart", 0)->base > (1ULL << 51));
	assert_true(l.gicd.base > (1ULL << 51));
	/* Two banks given: the first is the boot bank. */
	r.nr_ram = 2;
	r.ram[0].size = 128 * MiB;
	r.ram[1].size = 1 * GiB;
	assert_int_equal(vmm_layout_compute(&r, &l, &d), 0);
	assert_int_equal(l.ram[0].size, 128 * MiB);
	assert_int_equal(l.ram[1].base, 1ULL << 48);
	/* Auto: the smallest size that still has room above 2^48 wins. */
	r.ipa_bits = 0;
	assert_int_equal(vmm_layout_compute(&r, &l, &d), 0);
}

static void overlap_is_named(void **s)
{
	struct vmm_layout_req r = req1(64 * MiB, VMM_LAYOUT_LOW, 52);
	struct vmm_layout l;
	struct s2_diag d;

	(void)s;
	r.cpus = 2;
	r.ram[0].has_addr = true;
	r.ram[0].addr = 0x3c000000;
	assert_int_equal(vmm_layout_compute(&r, &l, &d), S2_EEXIST);
	assert_string_equal(d.msg,
		"RAM bank 0 (0x3c000000..0x3fffffff) overlaps the GIC redistributors at 0x3ffb0000..0x3ffeffff");
	/* Two banks over each other. */
	r = req1(1 * GiB, VMM_LAYOUT_LOW, 52);
	r.nr_ram = 2;
	r.ram[1].size = 64 * MiB;
	r.ram[1].has_addr = true;
	r.ram[1].addr = 0x90000000;
	assert_int_equal(vmm_layout_compute(&r, &l, &d), S2_EEXIST);
	assert_non_null(strstr(d.msg, "RAM bank 0 (0x80000000..0xbfffffff) overlaps RAM bank 1"));
	/* One placed by the user, one by the layout: the message says which
	   and names an address after the placed one, which then fits. */
	static const struct { enum vmm_layout_policy p; uint64_t size, at; const char *want; } c[] = {
		{ VMM_LAYOUT_LOW, 1 * GiB, 0x80000000,
		  "RAM bank 0 (0x80000000..0xbfffffff) overlaps RAM bank 1 at 0x80000000..0x83ffffff; RAM bank 0 has no @ADDR and the low layout put it there: give it one, e.g. -m 1G@0x84000000" },
		{ VMM_LAYOUT_LOW, 96 * MiB, 0x84000000,
		  "RAM bank 0 (0x80000000..0x85ffffff) overlaps RAM bank 1 at 0x84000000..0x87ffffff; RAM bank 0 has no @ADDR and the low layout put it there: give it one, e.g. -m 96M@0x88000000" },
		{ VMM_LAYOUT_SPLIT, 0x30000, 0x80000000,
		  "; RAM bank 0 has no @ADDR and the split layout put it there: give it one, e.g. -m 192K@0x84000000" },
	};
	for (unsigned i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		r = req1(c[i].size, c[i].p, 52);
		r.nr_ram = 2;
		r.ram[1].size = 64 * MiB;
		r.ram[1].has_addr = true;
		r.ram[1].addr = c[i].at;
		assert_int_equal(vmm_layout_compute(&r, &l, &d), S2_EEXIST);
		assert_non_null(strstr(d.msg, c[i].want));
		r.ram[0].has_addr = true;
		r.ram[0].addr = c[i].at + 64 * MiB;
		assert_int_equal(vmm_layout_compute(&r, &l, &d), 0);
	}
	/* Both placed by the user: nothing is said of the layout. */
	r = req1(1 * GiB, VMM_LAYOUT_LOW, 52);
	r.nr_ram = 2;
	r.ram[0].has_addr = r.ram[1].has_addr = true;
	r.ram[0].addr = r.ram[1].addr = 0x80000000;
	r.ram[1].size = 64 * MiB;
	assert_int_equal(vmm_layout_compute(&r, &l, &d), S2_EEXIST);
	assert_null(strstr(d.msg, "@ADDR"));
}

/* kvmtool's stolen-time region: 64 KiB after the UART and RTC windows,
   in the device block wherever the layout puts it. */
static void pvtime_region(void **s)
{
	struct vmm_layout_req r = req1(256 * MiB, VMM_LAYOUT_LOW, 52);
	struct vmm_layout l;
	struct s2_diag d;

	(void)s;
	assert_int_equal(vmm_layout_compute(&r, &l, &d), 0);
	assert_false(l.has_pvtime);
	r.pvtime = true;
	assert_int_equal(vmm_layout_compute(&r, &l, &d), 0);
	assert_true(l.has_pvtime);
	assert_int_equal(l.pvtime.base, 0x1020000);
	assert_int_equal(l.pvtime.size, 0x10000);
	r.policy = VMM_LAYOUT_HIGH;
	r.ipa_bits = 48;
	assert_int_equal(vmm_layout_compute(&r, &l, &d), 0);
	assert_int_equal(l.pvtime.base, (1ULL << 48) - GiB + 0x1020000);
	/* RAM placed over it is refused by name. */
	r = req1(64 * 1024, VMM_LAYOUT_LOW, 52);
	r.pvtime = true;
	r.ram[0].has_addr = true;
	r.ram[0].addr = 0x1020000;
	r.ram[0].size = 0x10000;
	assert_int_equal(vmm_layout_compute(&r, &l, &d), S2_EEXIST);
	assert_non_null(strstr(d.msg, "stolen-time structures at 0x1020000..0x102ffff"));
}

static void banks_follow_each_other(void **s)
{
	struct vmm_layout_req r = req1(1 * GiB, VMM_LAYOUT_LOW, 52);
	struct vmm_layout l;
	struct s2_diag d;

	(void)s;
	r.nr_ram = 3;
	r.ram[1].size = 512 * MiB;
	r.ram[1].has_addr = true;
	r.ram[1].addr = 1ULL << 48;
	r.ram[2].size = 64 * MiB;
	assert_int_equal(vmm_layout_compute(&r, &l, &d), 0);
	assert_int_equal(l.ram[2].base, (1ULL << 48) + 512 * MiB);
	assert_int_equal(l.ipa_bits, 49);
	assert_int_equal(l.ram_size, 1 * GiB + 576 * MiB);
}

static void alignment_and_counts(void **s)
{
	struct vmm_layout_req r = req1(100 * 1024, VMM_LAYOUT_LOW, 52);
	struct vmm_layout l;
	struct s2_diag d;

	(void)s;
	assert_int_equal(vmm_layout_compute(&r, &l, &d), S2_EINVAL);
	assert_non_null(strstr(d.msg, "not a multiple of 64 KiB"));
	r = req1(64 * MiB, VMM_LAYOUT_LOW, 52);
	r.ram[0].has_addr = true;
	r.ram[0].addr = 0x80001000;
	assert_int_equal(vmm_layout_compute(&r, &l, &d), S2_EINVAL);
	assert_string_equal(d.msg, "RAM bank 0: address 0x80001000 is not 64 KiB aligned (try 0x80000000)");
	r = req1(64 * MiB, VMM_LAYOUT_LOW, 52);
	r.cpus = 0;
	assert_int_equal(vmm_layout_compute(&r, &l, &d), S2_EINVAL);
}

static void legacy_virtio_refuses_high_ram(void **s)
{
	struct vmm_layout_req r = req1(64 * MiB, VMM_LAYOUT_HIGH, 52);
	struct vmm_layout l;
	struct s2_diag d;

	(void)s;
	r.virtio_legacy = true;
	r.ipa_bits = 48;
	assert_int_equal(vmm_layout_compute(&r, &l, &d), S2_ERANGE);
	assert_non_null(strstr(d.msg, "--virtio-transport mmio-legacy: legacy virtio-mmio cannot use RAM above 0x100000000000"));
	r.ipa_bits = 44;     /* RAM ends below 2^44: fine */
	assert_int_equal(vmm_layout_compute(&r, &l, &d), 0);
	r.ipa_bits = 48;
	r.virtio_console = false;     /* no virtio device, nothing to refuse */
	assert_int_equal(vmm_layout_compute(&r, &l, &d), 0);
}

static void pci_windows_with_the_devices(void **s)
{
	struct vmm_layout_req r = req1(768 * MiB, VMM_LAYOUT_SPLIT, 52);
	struct vmm_layout l;
	struct s2_diag d;
	uint64_t top = 1ULL << 52;

	(void)s;
	r.virtio_pci = true;
	r.nr_disks = 2;
	r.rng = true;
	r.ipa_bits = 52;
	assert_int_equal(vmm_layout_compute(&r, &l, &d), 0);
	assert_true(l.has_pci);
	assert_int_equal(l.nr_pci, 4);           /* two disks, console, rng */
	assert_int_equal(l.nr_virtio, 0);
	/* In the last GiB of 2^52, with the UART and the GIC. */
	assert_int_equal(l.pci_ecam.base, top - GiB + 0x10000000);
	assert_int_equal(l.pci_mmio.base, top - GiB + 0x20000000);
	assert_true(l.pci_mmio.base > (1ULL << 51));
	assert_true(l.pci_mmio.base + l.pci_mmio.size <= l.gicr.base);
	/* Device numbers and INTx SPIs in table order. */
	assert_int_equal(vmm_layout_dev(&l, "virtio-blk", 1)->slot, 1);
	assert_int_equal(vmm_layout_dev(&l, "virtio-blk", 1)->spi, VMM_PCI_SPI0 + 1);
	assert_int_equal(vmm_layout_dev(&l, "virtio-rng", 0)->slot, 3);
	/* The same devices on virtio-mmio: windows, no bridge. */
	r.virtio_pci = false;
	assert_int_equal(vmm_layout_compute(&r, &l, &d), 0);
	assert_false(l.has_pci);
	assert_int_equal(l.nr_virtio, 4);
	assert_int_equal(vmm_layout_dev(&l, "virtio-rng", 0)->base,
			 top - GiB + VMM_VIRTIO_OFF + 3 * VMM_VIRTIO_SIZE);
	/* Legacy virtio-pci reaches 2^44: RAM above it is refused. */
	r.virtio_pci = true;
	r.virtio_legacy = true;
	assert_int_equal(vmm_layout_compute(&r, &l, &d), S2_ERANGE);
	assert_string_equal(d.msg, "--virtio-transport pci-legacy: legacy virtio-pci cannot use RAM above 0x100000000000 (16384 GiB: 32-bit queue PFN in 4 KiB units); RAM ends at 0x1000020000000; use pci");
	r.policy = VMM_LAYOUT_HIGH;
	r.ipa_bits = 44;     /* RAM right below the block, under 2^44 */
	assert_int_equal(vmm_layout_compute(&r, &l, &d), 0);
	assert_int_equal(l.pci_ecam.base, (1ULL << 44) - GiB + 0x10000000);
	/* Too many virtio-mmio windows. */
	r.virtio_pci = false;
	r.virtio_legacy = false;
	r.nr_disks = 8;
	assert_int_equal(vmm_layout_compute(&r, &l, &d), S2_EINVAL);
	assert_non_null(strstr(d.msg, "too many devices: virtio console 0 has no room (at most 16 devices, 8 of them virtio)"));
}

static void its_numa_nodes_when_ram_crosses_2_48(void **s)
{
	struct vmm_layout_req r = req1(768 * MiB, VMM_LAYOUT_SPLIT, 52);
	struct vmm_layout l;
	struct s2_diag d;

	(void)s;
	r.ipa_bits = 52;
	r.its = true;
	assert_int_equal(vmm_layout_compute(&r, &l, &d), 0);
	assert_true(vmm_layout_its_numa(&l));
	assert_int_equal(vmm_layout_bank_node(&l, 0), 0);     /* boot bank at 2 GiB */
	assert_int_equal(vmm_layout_bank_node(&l, 1), 1);     /* from 2^48 */
	r.its = false;
	assert_int_equal(vmm_layout_compute(&r, &l, &d), 0);
	assert_false(vmm_layout_its_numa(&l));
	/* High in 52 bits: every bank above 2^48, nothing to steer to. */
	r = req1(768 * MiB, VMM_LAYOUT_HIGH, 52);
	r.ipa_bits = 52;
	r.its = true;
	assert_int_equal(vmm_layout_compute(&r, &l, &d), 0);
	assert_false(vmm_layout_its_numa(&l));
	/* Split in 48 bits: RAM never crosses 2^48. */
	r = req1(768 * MiB, VMM_LAYOUT_SPLIT, 52);
	r.ipa_bits = 48;
	r.its = true;
	assert_int_equal(vmm_layout_compute(&r, &l, &d), 0);
	assert_false(vmm_layout_its_numa(&l));
}

/*
 * Whether a 4K-page guest's ITS tables can stay where GITS_BASER's
 * 48-bit form reaches, against libs2's GITS_BASER encoder: some bank
 * must lie wholly in that reach (its last 4K page encodes with
 * Page_Size=4K), or there is no ITS.
 */
static bool some_bank_in_48_bit_form(const struct vmm_layout *l)
{
	uint64_t baser = (uint64_t)S2_GITS_BASER_PAGE_4K << S2_GITS_BASER_PAGE_SHIFT, out;
	bool any = false;

	for (unsigned i = 0; i < l->nr_ram; i++)
		any |= s2_gic_base_set_pa(S2_GITS_BASER, baser,
					  s2_pa(l->ram[i].base + l->ram[i].size - 4096),
					  &out, NULL) == 0;
	return any;
}

static void its_tables_low_per_layout(void **s)
{
	static const struct {
		enum vmm_layout_policy p;
		unsigned bits;
		uint64_t size[2], addr[2];     /* addr ~0: placed by the layout */
		bool its;
	} c[] = {
		{ VMM_LAYOUT_LOW, 52, { 256 * MiB }, { ~0ULL }, true },
		{ VMM_LAYOUT_SPLIT, 52, { 768 * MiB }, { ~0ULL }, true },
		{ VMM_LAYOUT_SPLIT, 52, { 256 * MiB, 512 * MiB }, { ~0ULL, ~0ULL }, true },
		{ VMM_LAYOUT_SPLIT, 48, { 768 * MiB }, { ~0ULL }, true },
		{ VMM_LAYOUT_HIGH, 52, { 768 * MiB }, { ~0ULL }, true },
		{ VMM_LAYOUT_HIGH, 52, { 768 * MiB }, { ~0ULL }, false },
		{ VMM_LAYOUT_HIGH, 48, { 768 * MiB }, { ~0ULL }, true },
		{ VMM_LAYOUT_LOW, 52, { 256 * MiB }, { 1ULL << 48 }, true },
		{ VMM_LAYOUT_LOW, 52, { 256 * MiB, 256 * MiB }, { 2 * GiB, 1ULL << 48 }, true },
		/* One bank across 2^48: none lies wholly below it. */
		{ VMM_LAYOUT_LOW, 52, { 512 * MiB }, { (1ULL << 48) - 256 * MiB }, true },
	};
	(void)s;
	for (unsigned i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct vmm_layout_req r = req1(c[i].size[0], c[i].p, 52);
		struct vmm_layout l;
		struct s2_diag d;

		r.ipa_bits = c[i].bits;
		r.its = c[i].its;
		r.nr_ram = c[i].size[1] ? 2 : 1;
		for (unsigned b = 0; b < r.nr_ram; b++) {
			r.ram[b].size = c[i].size[b];
			r.ram[b].addr = c[i].addr[b];
			r.ram[b].has_addr = c[i].addr[b] != ~0ULL;
		}
		assert_int_equal(vmm_layout_compute(&r, &l, &d), 0);
		assert_int_equal(l.has_its, c[i].its);
		assert_int_equal(vmm_layout_its_tables_low(&l), !c[i].its || some_bank_in_48_bit_form(&l));
		/* Where they can, RAM above 2^48 means the NUMA nodes steer them. */
		assert_int_equal(vmm_layout_its_numa(&l),
				 c[i].its && l.ram_end > (1ULL << 48) && some_bank_in_48_bit_form(&l));
	}
}

static void max_ram_per_layout(void **s)
{
	struct vmm_layout_req r = req1(0, VMM_LAYOUT_LOW, 40);

	(void)s;
	assert_int_equal(vmm_layout_max_ram(&r), (1ULL << 40) - 2 * GiB);
	r.policy = VMM_LAYOUT_HIGH;
	assert_int_equal(vmm_layout_max_ram(&r), (1ULL << 40) - GiB);
	r.policy = VMM_LAYOUT_SPLIT;
	r.ipa_limit = 52;
	assert_int_equal(vmm_layout_max_ram(&r), 256 * MiB + (1ULL << 52) - GiB - (1ULL << 48));
}

static void sizes_parse_like_kvmtool(void **s)
{
	struct vmm_bank_arg b;
	char err[128];
	uint64_t v;
	char buf[32];

	(void)s;
	assert_int_equal(vmm_parse_bank("512", &b, err, sizeof(err)), 0);
	assert_int_equal(b.size, 512 * MiB);
	assert_false(b.has_addr);
	assert_int_equal(vmm_parse_bank("512M@256T", &b, err, sizeof(err)), 0);
	assert_int_equal(b.addr, 1ULL << 48);
	assert_true(b.has_addr);
	assert_int_equal(vmm_parse_size("0x80000000", &v, err, sizeof(err)), 0);
	assert_int_equal(v, 0x80000000);
	assert_int_equal(vmm_parse_size("4g", &v, err, sizeof(err)), 0);
	assert_int_equal(v, 4 * GiB);
	assert_int_equal(vmm_parse_size("12X", &v, err, sizeof(err)), -1);
	assert_string_equal(err, "'12X': unknown size suffix 'X' (use K, M, G, T or P)");
	assert_int_equal(vmm_parse_size("99999999P", &v, err, sizeof(err)), -1);
	assert_int_equal(vmm_parse_bank("0", &b, err, sizeof(err)), -1);
	assert_int_equal(vmm_parse_bank("", &b, err, sizeof(err)), -1);
	assert_string_equal(vmm_fmt_size(4096 * GiB, buf, sizeof(buf)), "4096 GiB");
	assert_string_equal(vmm_fmt_size(1536 * MiB, buf, sizeof(buf)), "1.5 GiB");
	assert_string_equal(vmm_fmt_size(4ULL << 50, buf, sizeof(buf)), "4096 TiB");
	assert_string_equal(vmm_fmt_size(16384 * GiB, buf, sizeof(buf)), "16 TiB");
	assert_string_equal(vmm_fmt_size(10000 + 1000, buf, sizeof(buf)), "10.7 KiB");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(low_matches_kvmtool),
		cmocka_unit_test(auto_ipa_is_kvmtool_fls),
		cmocka_unit_test(too_large_names_need_and_limit),
		cmocka_unit_test(ipa_bits_validated_against_limit),
		cmocka_unit_test(high_puts_everything_at_the_top),
		cmocka_unit_test(split_boot_bank_low_rest_above_2_48),
		cmocka_unit_test(overlap_is_named),
		cmocka_unit_test(pvtime_region),
		cmocka_unit_test(banks_follow_each_other),
		cmocka_unit_test(alignment_and_counts),
		cmocka_unit_test(legacy_virtio_refuses_high_ram),
		cmocka_unit_test(pci_windows_with_the_devices),
		cmocka_unit_test(its_numa_nodes_when_ram_crosses_2_48),
		cmocka_unit_test(its_tables_low_per_layout),
		cmocka_unit_test(max_ram_per_layout),
		cmocka_unit_test(sizes_parse_like_kvmtool),
	};
	return cmocka_run_group_tests_name("s2vmm layout", tests, NULL, NULL);
}
