/* SPDX-License-Identifier: MIT */
/*
 * The device table and the virtio-mmio transport on the build host:
 * every device registers itself, the layout places what is registered,
 * and the console answers at the virtio-mmio registers Linux's uapi
 * header names (virtio 1.2, 4.2.2).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <libfdt.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ids.h>
#include <linux/virtio_mmio.h>

#include "device.h"
#include "devtree.h"
#include "fake_vm.h"
#include "layout.h"
#include "virtio.h"

#define MiB (1ULL << 20)
#define RAM_GPA 0x80000000ULL
#define RAM_SIZE (1 * MiB)

static uint8_t ram[RAM_SIZE];

static void table_is_sorted_and_complete(void **s)
{
	unsigned n;
	const struct vmm_device *const *t = vmm_devices(&n);

	(void)s;
	assert_true(n >= 2);
	for (unsigned i = 0; i < n; i++) {
		assert_non_null(t[i]->instances);
		if (t[i]->kind == VMM_DEV_PLATFORM) {
			assert_true(!t[i]->regions || t[i]->place);
			assert_null(t[i]->setup);
		} else {
			assert_non_null(t[i]->fdt);
			assert_non_null(t[i]->setup);
		}
		if (i)
			assert_true(strcmp(t[i - 1]->name, t[i]->name) < 0);
		if (t[i]->kind == VMM_DEV_VIRTIO)
			assert_true(t[i]->nr_queues >= 1 && t[i]->nr_queues <= VMM_VIRTIO_MAX_QUEUES);
	}
	assert_non_null(vmm_device_find("uart"));
	assert_int_equal(vmm_device_find("virtio-console")->virtio_id, VIRTIO_ID_CONSOLE);
	assert_null(vmm_device_find("no-such-device"));
}

/* The machine's own pieces are platform devices in setup order (stolen
   time's memory slot, the GIC, the timer's node, the PMU, whose setup
   needs the GIC initialised), and the layout lists their regions
   only when asked for: the ITS with --irqchip gicv3-its, stolen time
   unless --no-pvtime. */
static void platform_devices(void **s)
{
	unsigned n, kinds[8] = { 0 }, nr;
	const struct vmm_device *const *p = vmm_platform_devices(&n);
	struct vmm_layout_req r = { 0 };
	struct vmm_layout l;
	struct vmm_region reg[VMM_MAX_BANKS + VMM_MAX_DEVS + 8];
	struct s2_diag d;

	(void)s;
	assert_int_equal(n, 4);
	assert_string_equal(p[0]->name, "pvtime");
	assert_string_equal(p[1]->name, "gic");
	assert_string_equal(p[2]->name, "timer");
	assert_string_equal(p[3]->name, "pmu");
	assert_non_null(p[3]->late_setup);
	for (unsigned i = 0; i < n; i++) {
		assert_int_equal(p[i]->kind, VMM_DEV_PLATFORM);
		assert_ptr_equal(vmm_device_find(p[i]->name), p[i]);
		if (i)
			assert_true(p[i - 1]->order <= p[i]->order);
	}
	assert_non_null(p[0]->regions);
	assert_non_null(p[1]->regions);
	assert_non_null(p[1]->fdt);
	assert_non_null(p[1]->vm_setup);
	assert_non_null(p[1]->late_setup);
	assert_non_null(p[0]->vcpu_setup);
	r.nr_ram = 1;
	r.ram[0].size = 64 * MiB;
	r.cpus = 3;
	r.ipa_limit = 40;
	for (unsigned its = 0; its < 2; its++)
		for (unsigned pv = 0; pv < 2; pv++) {
			r.its = its;
			r.pvtime = pv;
			assert_int_equal(vmm_layout_compute(&r, &l, &d), 0);
			nr = vmm_layout_regions(&l, reg, sizeof(reg) / sizeof(reg[0]));
			memset(kinds, 0, sizeof(kinds));
			for (unsigned i = 0; i < nr; i++)
				if (reg[i].kind < 8)
					kinds[reg[i].kind]++;
			assert_int_equal(kinds[VMM_R_GICD], 1);
			assert_int_equal(kinds[VMM_R_GICR], 1);
			assert_int_equal(kinds[VMM_R_ITS], its);
			assert_int_equal(kinds[VMM_R_PVTIME], pv);
			assert_int_equal(l.gicr.size, 3 * VMM_GICR_SIZE);
			assert_int_equal(l.has_its, its);
			assert_int_equal(l.has_pvtime, pv);
		}
}

/* Cell pair @i of a property (4-byte aligned only). */
static uint64_t cell64(const void *prop, unsigned i)
{
	fdt64_t v;

	memcpy(&v, (const uint8_t *)prop + 8 * i, 8);
	return fdt64_to_cpu(v);
}

/* The root's child nodes of @fdt, in order, joined with spaces. */
static void children(const void *fdt, int node, char *out, size_t len)
{
	int c;

	out[0] = 0;
	fdt_for_each_subnode(c, fdt, node) {
		if (out[0])
			strncat(out, " ", len - strlen(out) - 1);
		strncat(out, fdt_get_name(fdt, c, NULL), len - strlen(out) - 1);
	}
}

/* The platform devices' nodes where the device tree had them before
   they were table entries (psci, the GIC with its ITS child, the timer,
   the PMU, then the other devices), each only when present. */
static void platform_nodes_in_order(void **s)
{
	static uint8_t fdt[VMM_FDT_MAX];
	struct vmm_layout_req r = { 0 };
	struct vmm_fdt_info fi = { .bootargs = "" };
	struct vmm_layout l;
	struct s2_diag d;
	char names[512];
	const void *reg;
	int intc, len;

	(void)s;
	r.nr_ram = 1;
	r.ram[0].size = 64 * MiB;
	r.cpus = 2;
	r.ipa_limit = 40;
	r.its = true;
	r.pvtime = true;
	r.pmu = true;
	assert_int_equal(vmm_layout_compute(&r, &l, &d), 0);
	assert_int_equal(vmm_fdt_build(&l, &fi, fdt), 0);
	children(fdt, 0, names, sizeof(names));
	assert_string_equal(names, "memory@80000000 cpus psci intc@3fff0000 timer pmu uart@1000000 chosen");
	intc = fdt_path_offset(fdt, "/intc@3fff0000");
	children(fdt, intc, names, sizeof(names));
	assert_string_equal(names, "msic@3ff90000");
	reg = fdt_getprop(fdt, fdt_subnode_offset(fdt, intc, "msic@3ff90000"), "reg", &len);
	assert_int_equal(len, 16);
	assert_int_equal(cell64(reg, 0), l.its.base);
	assert_int_equal(cell64(reg, 1), VMM_ITS_SIZE);
	reg = fdt_getprop(fdt, intc, "reg", &len);
	assert_int_equal(len, 32);
	assert_int_equal(cell64(reg, 2), l.gicr.base);
	assert_int_equal(cell64(reg, 3), 2 * VMM_GICR_SIZE);
	/* No PMU, no ITS: neither node. */
	r.its = r.pmu = false;
	assert_int_equal(vmm_layout_compute(&r, &l, &d), 0);
	assert_int_equal(vmm_fdt_build(&l, &fi, fdt), 0);
	children(fdt, 0, names, sizeof(names));
	assert_string_equal(names, "memory@80000000 cpus psci intc@3fff0000 timer uart@1000000 chosen");
	children(fdt, fdt_path_offset(fdt, "/intc@3fff0000"), names, sizeof(names));
	assert_string_equal(names, "");
}

static uint32_t rd(struct vmm_vm *vm, uint64_t a)
{
	uint32_t v = 0;

	assert_true(vmm_mmio_dispatch(vm, a, (uint8_t *)&v, 4, false));
	return v;
}

static void wr(struct vmm_vm *vm, uint64_t a, uint32_t v)
{
	assert_true(vmm_mmio_dispatch(vm, a, (uint8_t *)&v, 4, true));
}

static const struct vmm_region *setup_console(struct vmm_vm *vm, bool legacy)
{
	struct vmm_layout_req r = { 0 };
	struct s2_diag d;
	const struct vmm_region *c;

	r.nr_ram = 1;
	r.ram[0].size = 256 * MiB;
	r.cpus = 1;
	r.ipa_limit = 40;
	r.virtio_console = true;
	r.virtio_legacy = legacy;
	fake_vm_init(vm, ram, RAM_GPA, RAM_SIZE);
	assert_int_equal(vmm_layout_compute(&r, &vm->layout, &d), 0);
	c = vmm_layout_dev(&vm->layout, "virtio-console", 0);
	assert_non_null(c);
	assert_int_equal(c->dev->setup(vm, c), 0);
	return c;
}

static void console_modern_registers(void **s)
{
	static struct vmm_vm vm;
	const struct vmm_region *c = setup_console(&vm, false);
	uint64_t b = c->base;

	(void)s;
	assert_int_equal(rd(&vm, b + VIRTIO_MMIO_MAGIC_VALUE), 0x74726976);
	assert_int_equal(rd(&vm, b + VIRTIO_MMIO_VERSION), 2);
	assert_int_equal(rd(&vm, b + VIRTIO_MMIO_DEVICE_ID), VIRTIO_ID_CONSOLE);
	wr(&vm, b + VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
	assert_int_equal(rd(&vm, b + VIRTIO_MMIO_DEVICE_FEATURES),
			 1u << (VIRTIO_F_VERSION_1 - 32));
	/* Two queues, none beyond. */
	wr(&vm, b + VIRTIO_MMIO_QUEUE_SEL, 1);
	assert_true(rd(&vm, b + VIRTIO_MMIO_QUEUE_NUM_MAX) > 0);
	wr(&vm, b + VIRTIO_MMIO_QUEUE_SEL, 2);
	assert_int_equal(rd(&vm, b + VIRTIO_MMIO_QUEUE_NUM_MAX), 0);
	/* struct virtio_console_config: max_nr_ports at byte 4 is 1. */
	assert_int_equal(rd(&vm, b + VIRTIO_MMIO_CONFIG + 4), 1);
	/* A queue whose rings are outside RAM is refused, not enabled. */
	wr(&vm, b + VIRTIO_MMIO_QUEUE_SEL, 0);
	wr(&vm, b + VIRTIO_MMIO_QUEUE_NUM, 16);
	wr(&vm, b + VIRTIO_MMIO_QUEUE_DESC_LOW, 0);
	wr(&vm, b + VIRTIO_MMIO_QUEUE_DESC_HIGH, 1);
	wr(&vm, b + VIRTIO_MMIO_QUEUE_READY, 1);
	assert_int_equal(rd(&vm, b + VIRTIO_MMIO_QUEUE_READY), 0);
	assert_true(rd(&vm, b + VIRTIO_MMIO_STATUS) & VIRTIO_CONFIG_S_NEEDS_RESET);
	assert_true(rd(&vm, b + VIRTIO_MMIO_INTERRUPT_STATUS) & VIRTIO_MMIO_INT_CONFIG);
	assert_int_equal(fake_spi_level[c->spi], 1);
	/* Inside RAM after a reset: ready, the 64-bit address kept. */
	wr(&vm, b + VIRTIO_MMIO_STATUS, 0);
	assert_int_equal(fake_spi_level[c->spi], 0);
	wr(&vm, b + VIRTIO_MMIO_QUEUE_NUM, 16);
	wr(&vm, b + VIRTIO_MMIO_QUEUE_DESC_LOW, (uint32_t)RAM_GPA);
	wr(&vm, b + VIRTIO_MMIO_QUEUE_DESC_HIGH, 0);
	wr(&vm, b + VIRTIO_MMIO_QUEUE_AVAIL_LOW, (uint32_t)RAM_GPA + 0x1000);
	wr(&vm, b + VIRTIO_MMIO_QUEUE_USED_LOW, (uint32_t)RAM_GPA + 0x2000);
	wr(&vm, b + VIRTIO_MMIO_QUEUE_READY, 1);
	assert_int_equal(rd(&vm, b + VIRTIO_MMIO_QUEUE_READY), 1);
	assert_int_equal(rd(&vm, b + VIRTIO_MMIO_STATUS) & VIRTIO_CONFIG_S_NEEDS_RESET, 0);
}

static void console_legacy_pfn_outside_ram(void **s)
{
	static struct vmm_vm vm;
	const struct vmm_region *c = setup_console(&vm, true);
	uint64_t b = c->base;

	(void)s;
	assert_int_equal(rd(&vm, b + VIRTIO_MMIO_VERSION), 1);
	wr(&vm, b + VIRTIO_MMIO_GUEST_PAGE_SIZE, 4096);
	wr(&vm, b + VIRTIO_MMIO_QUEUE_SEL, 0);
	wr(&vm, b + VIRTIO_MMIO_QUEUE_NUM, 16);
	/* Past the end of the 1 MiB of RAM. */
	wr(&vm, b + VIRTIO_MMIO_QUEUE_PFN, (uint32_t)((RAM_GPA + RAM_SIZE) >> 12));
	assert_int_equal(rd(&vm, b + VIRTIO_MMIO_QUEUE_PFN), 0);
	assert_true(rd(&vm, b + VIRTIO_MMIO_STATUS) & VIRTIO_CONFIG_S_NEEDS_RESET);
	wr(&vm, b + VIRTIO_MMIO_STATUS, 0);
	wr(&vm, b + VIRTIO_MMIO_GUEST_PAGE_SIZE, 4096);
	wr(&vm, b + VIRTIO_MMIO_QUEUE_NUM, 16);
	wr(&vm, b + VIRTIO_MMIO_QUEUE_PFN, (uint32_t)(RAM_GPA >> 12));
	assert_int_equal(rd(&vm, b + VIRTIO_MMIO_QUEUE_PFN), RAM_GPA >> 12);
}

/* A legacy QueueNum (virtio 1.2, 4.2.4) is a power of two up to
   QueueNumMax, as a modern one: any other size with a PFN is a device
   error and the queue stays off; a legal size works after a reset. */
static void console_legacy_queue_size(void **s)
{
	static struct vmm_vm vm;
	const struct vmm_region *c = setup_console(&vm, true);
	uint64_t b = c->base;
	uint32_t max;

	(void)s;
	wr(&vm, b + VIRTIO_MMIO_QUEUE_SEL, 0);
	max = rd(&vm, b + VIRTIO_MMIO_QUEUE_NUM_MAX);
	assert_true(max >= 2 && !(max & (max - 1)));
	const uint32_t bad[] = { 3, max - 1, max + 1, max * 2, 0x80000000u, 0xffffffffu };
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		wr(&vm, b + VIRTIO_MMIO_STATUS, 0);
		wr(&vm, b + VIRTIO_MMIO_GUEST_PAGE_SIZE, 4096);
		wr(&vm, b + VIRTIO_MMIO_QUEUE_NUM, bad[i]);
		wr(&vm, b + VIRTIO_MMIO_QUEUE_PFN, (uint32_t)(RAM_GPA >> 12));
		assert_int_equal(rd(&vm, b + VIRTIO_MMIO_QUEUE_PFN), 0);
		assert_true(rd(&vm, b + VIRTIO_MMIO_STATUS) & VIRTIO_CONFIG_S_NEEDS_RESET);
	}
	wr(&vm, b + VIRTIO_MMIO_STATUS, 0);
	wr(&vm, b + VIRTIO_MMIO_GUEST_PAGE_SIZE, 4096);
	wr(&vm, b + VIRTIO_MMIO_QUEUE_NUM, max);
	wr(&vm, b + VIRTIO_MMIO_QUEUE_PFN, (uint32_t)(RAM_GPA >> 12));
	assert_int_equal(rd(&vm, b + VIRTIO_MMIO_QUEUE_PFN), RAM_GPA >> 12);
	assert_int_equal(rd(&vm, b + VIRTIO_MMIO_STATUS) & VIRTIO_CONFIG_S_NEEDS_RESET, 0);
}

static uint32_t rdn(struct vmm_vm *vm, uint64_t a, unsigned len)
{
	uint32_t v = 0;

	assert_true(vmm_mmio_dispatch(vm, a, (uint8_t *)&v, len, false));
	return v;
}

static void wrn(struct vmm_vm *vm, uint64_t a, unsigned len, uint32_t v)
{
	assert_true(vmm_mmio_dispatch(vm, a, (uint8_t *)&v, len, true));
}

/*
 * virtio-mmio's registers are 32 bits wide at 4-byte aligned offsets
 * (virtio 1.2, 4.2.2): a 1- or 2-byte access at each byte offset of the
 * register block reaches the register that starts there, its low bytes
 * read and its value written zero-extended; inside a register it reads 0
 * and writes nothing.
 */
static void mmio_narrow_accesses(void **s)
{
	static struct vmm_vm vm;
	const struct vmm_region *c = setup_console(&vm, false);
	uint64_t b = c->base;

	(void)s;
	wr(&vm, b + VIRTIO_MMIO_QUEUE_SEL, 1);
	wr(&vm, b + VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
	for (unsigned o = 0; o < VIRTIO_MMIO_CONFIG; o++) {
		uint32_t full = o % 4 ? 0 : rd(&vm, b + o);

		for (unsigned n = 1; n <= 2; n++)
			assert_int_equal(rdn(&vm, b + o, n), o % 4 ? 0 : full & (n == 1 ? 0xff : 0xffff));
	}
	assert_int_equal(rdn(&vm, b + VIRTIO_MMIO_MAGIC_VALUE, 2), 0x6976);   /* "vi" */
	assert_int_equal(rdn(&vm, b + VIRTIO_MMIO_MAGIC_VALUE + 2, 2), 0);
	/* Selecting queue 2 (none) with a 2-byte write; a byte inside the
	   register does not select queue 0 again. */
	for (unsigned o = 1; o < 4; o++) {
		wrn(&vm, b + VIRTIO_MMIO_QUEUE_SEL, 2, 2);
		wrn(&vm, b + VIRTIO_MMIO_QUEUE_SEL + o, 1, 0);
		assert_int_equal(rd(&vm, b + VIRTIO_MMIO_QUEUE_NUM_MAX), 0);
	}
	wrn(&vm, b + VIRTIO_MMIO_QUEUE_SEL, 1, 0);
	assert_true(rd(&vm, b + VIRTIO_MMIO_QUEUE_NUM_MAX) > 0);
	/* A 1-byte write of 0 at the feature select's start selects word 0. */
	wrn(&vm, b + VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1, 0);
	assert_int_equal(rd(&vm, b + VIRTIO_MMIO_DEVICE_FEATURES) & 1u << (VIRTIO_F_VERSION_1 - 32), 0);
	wrn(&vm, b + VIRTIO_MMIO_DEVICE_FEATURES_SEL, 2, 0x0001);
	assert_int_equal(rd(&vm, b + VIRTIO_MMIO_DEVICE_FEATURES), 1u << (VIRTIO_F_VERSION_1 - 32));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table_is_sorted_and_complete),
		cmocka_unit_test(platform_devices),
		cmocka_unit_test(platform_nodes_in_order),
		cmocka_unit_test(console_modern_registers),
		cmocka_unit_test(console_legacy_pfn_outside_ram),
		cmocka_unit_test(console_legacy_queue_size),
		cmocka_unit_test(mmio_narrow_accesses),
	};
	return cmocka_run_group_tests_name("s2vmm devices", tests, NULL, NULL);
}
