/* SPDX-License-Identifier: MIT */
/*
 * PCI configuration space, BAR sizing, MSI-X and virtio-pci on the build
 * host, against the rules of PCI Local Bus 3.0 (6.1, 6.2.5, 6.7, 6.8.2),
 * PCI Express 7.2.2 (ECAM) and virtio 1.2 (4.1) as written out here,
 * through the same ECAM and window accesses a guest makes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <linux/pci_regs.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ids.h>
#include <linux/virtio_pci.h>

#include "fake_vm.h"
#include "layout.h"
#include "msix.h"
#include "pci.h"
#include "pci_host.h"
#include "virtio.h"

#define MiB (1ULL << 20)
#define GiB (1ULL << 30)
#define RAM_GPA 0x80000000ULL
#define RAM_SIZE (1 * MiB)

static uint8_t ram[RAM_SIZE];

/* ECAM offset of device @d, function 0, register @reg on bus @bus. */
static uint64_t ecam(unsigned bus, unsigned d, unsigned fn, unsigned reg)
{
	return (uint64_t)bus << 20 | d << 15 | fn << 12 | reg;
}

static uint32_t cfg_rd(struct vmm_pci_bus *b, uint64_t off, unsigned len)
{
	uint32_t v = 0;

	vmm_pci_ecam_access(b, off, (uint8_t *)&v, len, false);
	return v;
}

static void cfg_wr(struct vmm_pci_bus *b, uint64_t off, unsigned len, uint32_t v)
{
	vmm_pci_ecam_access(b, off, (uint8_t *)&v, len, true);
}

static unsigned hits;
static uint64_t hit_off;

static void bar_fn(void *opaque, uint64_t off, uint8_t *data, unsigned len, bool write)
{
	(void)opaque;
	(void)write;
	hits++;
	hit_off = off;
	memset(data, 0x5a, len);
}

static struct vmm_pci_bus bus = { .lock = PTHREAD_MUTEX_INITIALIZER };

static void setup_fn(struct vmm_pci_fn *f, unsigned dev)
{
	memset(&bus.fn, 0, sizeof(bus.fn));
	memset(f, 0, sizeof(*f));
	f->dev = dev;
	f->bar[0] = (struct vmm_pci_bar){ 4096, 0, bar_fn, NULL };
	f->bar[1] = (struct vmm_pci_bar){ 1 * MiB, VMM_PCI_BAR_PREFETCH, bar_fn, NULL };
	f->bar[2] = (struct vmm_pci_bar){ 16384, VMM_PCI_BAR_MEM64, bar_fn, NULL };
	f->bar[4] = (struct vmm_pci_bar){ 8 * GiB, VMM_PCI_BAR_MEM64 | VMM_PCI_BAR_PREFETCH, bar_fn, NULL };
	assert_int_equal(vmm_pci_fn_init(f, 0x1af4, 0x1042, 0x010000, 0x1af4, 2, true), 0);
	assert_int_equal(vmm_pci_bus_add(&bus, f), 0);
}

/* The sizing protocol as software runs it (6.2.5.1): write all ones,
   read back, the size is the two's complement of the address bits. */
static uint64_t size_bar(unsigned dev, unsigned i, bool mem64, uint32_t *type)
{
	uint64_t lo, hi = 0xffffffff, v;

	cfg_wr(&bus, ecam(0, dev, 0, PCI_BASE_ADDRESS_0 + 4 * i), 4, 0xffffffff);
	lo = cfg_rd(&bus, ecam(0, dev, 0, PCI_BASE_ADDRESS_0 + 4 * i), 4);
	if (mem64) {
		cfg_wr(&bus, ecam(0, dev, 0, PCI_BASE_ADDRESS_0 + 4 * i + 4), 4, 0xffffffff);
		hi = cfg_rd(&bus, ecam(0, dev, 0, PCI_BASE_ADDRESS_0 + 4 * i + 4), 4);
	}
	*type = (uint32_t)lo & 0xf;
	v = hi << 32 | (lo & ~0xfULL);
	return ~v + 1;
}

static void bar_sizing(void **s)
{
	struct vmm_pci_fn f;
	uint32_t type;

	(void)s;
	setup_fn(&f, 3);
	assert_int_equal(size_bar(3, 0, false, &type), 4096);
	assert_int_equal(type, PCI_BASE_ADDRESS_MEM_TYPE_32);
	assert_int_equal(size_bar(3, 1, false, &type), 1 * MiB);
	assert_int_equal(type, PCI_BASE_ADDRESS_MEM_PREFETCH);
	assert_int_equal(size_bar(3, 2, true, &type), 16384);
	assert_int_equal(type, PCI_BASE_ADDRESS_MEM_TYPE_64);
	assert_int_equal(size_bar(3, 4, true, &type), 8 * GiB);
	assert_int_equal(type, PCI_BASE_ADDRESS_MEM_TYPE_64 | PCI_BASE_ADDRESS_MEM_PREFETCH);
	/* The upper half of the 8 GiB BAR: address bit 32 is below the
	   size, so it reads zero. */
	assert_int_equal(cfg_rd(&bus, ecam(0, 3, 0, PCI_BASE_ADDRESS_5), 4), 0xfffffffe);
}

static void bars_decode_when_memory_enabled(void **s)
{
	struct vmm_pci_fn f;
	uint8_t d[4];

	(void)s;
	setup_fn(&f, 1);
	cfg_wr(&bus, ecam(0, 1, 0, PCI_BASE_ADDRESS_2), 4, 0x12344000);
	cfg_wr(&bus, ecam(0, 1, 0, PCI_BASE_ADDRESS_3), 4, 0x000fffff);   /* above 2^48 */
	hits = 0;
	assert_false(vmm_pci_mmio_access(&bus, 0x000fffff12344010ULL, d, 4, false));
	cfg_wr(&bus, ecam(0, 1, 0, PCI_COMMAND), 2, PCI_COMMAND_MEMORY);
	assert_int_equal(vmm_pci_bar_addr(&f, 2), 0x000fffff12344000ULL);
	assert_true(vmm_pci_mmio_access(&bus, 0x000fffff12344010ULL, d, 4, false));
	assert_int_equal(hits, 1);
	assert_int_equal(hit_off, 0x10);
	/* One past the 16 KiB BAR: no device. */
	assert_false(vmm_pci_mmio_access(&bus, 0x000fffff12348000ULL, d, 4, false));
	/* Address bits below the size are not writable. */
	cfg_wr(&bus, ecam(0, 1, 0, PCI_BASE_ADDRESS_2), 4, 0x12345678);
	assert_int_equal(cfg_rd(&bus, ecam(0, 1, 0, PCI_BASE_ADDRESS_2), 4),
			 0x12344000 | PCI_BASE_ADDRESS_MEM_TYPE_64);
}

static void header_fields(void **s)
{
	struct vmm_pci_fn f;

	(void)s;
	setup_fn(&f, 2);
	assert_int_equal(cfg_rd(&bus, ecam(0, 2, 0, PCI_VENDOR_ID), 4), 0x10421af4);
	assert_int_equal(cfg_rd(&bus, ecam(0, 2, 0, PCI_CLASS_REVISION), 4) >> 8, 0x010000);
	assert_int_equal(cfg_rd(&bus, ecam(0, 2, 0, PCI_HEADER_TYPE), 1), PCI_HEADER_TYPE_NORMAL);
	assert_int_equal(cfg_rd(&bus, ecam(0, 2, 0, PCI_INTERRUPT_PIN), 1), 1);
	assert_int_equal(cfg_rd(&bus, ecam(0, 2, 0, PCI_SUBSYSTEM_ID), 2), 2);
	/* Read-only: IDs and class. */
	cfg_wr(&bus, ecam(0, 2, 0, PCI_VENDOR_ID), 4, 0);
	cfg_wr(&bus, ecam(0, 2, 0, PCI_CLASS_REVISION), 4, 0);
	assert_int_equal(cfg_rd(&bus, ecam(0, 2, 0, PCI_VENDOR_ID), 4), 0x10421af4);
	assert_int_equal(cfg_rd(&bus, ecam(0, 2, 0, PCI_CLASS_REVISION), 4) >> 8, 0x010000);
	/* Command: memory, bus master, parity, SERR, INTx disable only. */
	cfg_wr(&bus, ecam(0, 2, 0, PCI_COMMAND), 2, 0xffff);
	assert_int_equal(cfg_rd(&bus, ecam(0, 2, 0, PCI_COMMAND), 2),
			 PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER | PCI_COMMAND_PARITY |
			 PCI_COMMAND_SERR | PCI_COMMAND_INTX_DISABLE);
	cfg_wr(&bus, ecam(0, 2, 0, PCI_INTERRUPT_LINE), 1, 0x2a);
	assert_int_equal(cfg_rd(&bus, ecam(0, 2, 0, PCI_INTERRUPT_LINE), 1), 0x2a);
	/* Nothing there: all ones (another device, function, bus). */
	assert_int_equal(cfg_rd(&bus, ecam(0, 4, 0, PCI_VENDOR_ID), 4), 0xffffffff);
	assert_int_equal(cfg_rd(&bus, ecam(0, 2, 1, PCI_VENDOR_ID), 2), 0xffff);
	assert_int_equal(cfg_rd(&bus, ecam(1, 2, 0, PCI_VENDOR_ID), 4), 0xffffffff);
	/* Misaligned: all ones, nothing written. */
	assert_int_equal(cfg_rd(&bus, ecam(0, 2, 0, 1), 2), 0xffff);
	/* Extended space of a conventional function reads zero. */
	assert_int_equal(cfg_rd(&bus, ecam(0, 2, 0, 0x100), 4), 0);
}

static void bad_bars_refused(void **s)
{
	struct vmm_pci_fn f;

	(void)s;
	memset(&f, 0, sizeof(f));
	f.bar[0].size = 3000;
	assert_int_equal(vmm_pci_fn_init(&f, 1, 2, 0, 0, 0, false), -1);
	memset(&f, 0, sizeof(f));
	f.bar[5] = (struct vmm_pci_bar){ 4096, VMM_PCI_BAR_MEM64, NULL, NULL };
	assert_int_equal(vmm_pci_fn_init(&f, 1, 2, 0, 0, 0, false), -1);
	memset(&f, 0, sizeof(f));
	f.bar[0] = (struct vmm_pci_bar){ 4096, VMM_PCI_BAR_MEM64, NULL, NULL };
	f.bar[1].size = 4096;
	assert_int_equal(vmm_pci_fn_init(&f, 1, 2, 0, 0, 0, false), -1);
	memset(&f, 0, sizeof(f));
	f.bar[0].size = 4 * GiB;     /* too big for 32 bits */
	assert_int_equal(vmm_pci_fn_init(&f, 1, 2, 0, 0, 0, false), -1);
	memset(&f, 0, sizeof(f));
	f.bar[0].size = 8;           /* memory BARs are at least 16 bytes */
	assert_int_equal(vmm_pci_fn_init(&f, 1, 2, 0, 0, 0, false), -1);
	/* Two functions at one device number. */
	setup_fn(&f, 5);
	assert_int_equal(vmm_pci_bus_add(&bus, &f), -1);
	f.dev = VMM_PCI_MAX_DEVS;
	assert_int_equal(vmm_pci_bus_add(&bus, &f), -1);
}

static void capability_list(void **s)
{
	struct vmm_pci_fn f;
	uint8_t body[20] = { 0 };
	unsigned at[3], n = 0;

	(void)s;
	setup_fn(&f, 6);
	assert_int_equal(cfg_rd(&bus, ecam(0, 6, 0, PCI_STATUS), 2) & PCI_STATUS_CAP_LIST, 0);
	at[0] = vmm_pci_add_cap(&f, PCI_CAP_ID_VNDR, body, 14);
	at[1] = vmm_pci_add_cap(&f, PCI_CAP_ID_MSIX, body, 12);
	at[2] = vmm_pci_add_cap(&f, PCI_CAP_ID_VNDR, body, 20);
	assert_true(cfg_rd(&bus, ecam(0, 6, 0, PCI_STATUS), 2) & PCI_STATUS_CAP_LIST);
	for (unsigned p = cfg_rd(&bus, ecam(0, 6, 0, PCI_CAPABILITY_LIST), 1); p;
	     p = cfg_rd(&bus, ecam(0, 6, 0, p + 1), 1)) {
		assert_true(n < 3);
		assert_int_equal(p, at[n]);
		assert_int_equal(p % 4, 0);
		assert_true(p >= 0x40);
		n++;
	}
	assert_int_equal(n, 3);
	assert_int_equal(cfg_rd(&bus, ecam(0, 6, 0, at[1]), 1), PCI_CAP_ID_MSIX);
	/* No room left for 200 bytes. */
	assert_int_equal(vmm_pci_add_cap(&f, PCI_CAP_ID_VNDR, NULL, 200), 0);
}

static uint32_t msix_rd(struct vmm_msix *m, uint64_t off)
{
	uint32_t v = 0;

	vmm_msix_bar_access(m, off, (uint8_t *)&v, 4, false);
	return v;
}

static void msix_wr(struct vmm_msix *m, uint64_t off, uint32_t v)
{
	vmm_msix_bar_access(m, off, (uint8_t *)&v, 4, true);
}

static void msix_masking_and_pending(void **s)
{
	static struct vmm_vm vm;
	struct vmm_pci_fn f;
	struct vmm_msix m;
	unsigned cap;
	uint16_t ctl;

	(void)s;
	fake_vm_init(&vm, NULL, 0, 0);
	setup_fn(&f, 7);
	assert_int_equal(vmm_msix_init(&m, &vm, &f, 2, 3), 0);
	cap = m.cap;
	assert_int_equal(cfg_rd(&bus, ecam(0, 7, 0, cap), 1), PCI_CAP_ID_MSIX);
	ctl = (uint16_t)cfg_rd(&bus, ecam(0, 7, 0, cap + PCI_MSIX_FLAGS), 2);
	assert_int_equal(ctl & PCI_MSIX_FLAGS_QSIZE, 2);          /* N - 1 */
	assert_int_equal(cfg_rd(&bus, ecam(0, 7, 0, cap + PCI_MSIX_TABLE), 4), 2);
	assert_int_equal(cfg_rd(&bus, ecam(0, 7, 0, cap + PCI_MSIX_PBA), 4), VMM_MSIX_PBA_OFF | 2);
	/* Table Size and the offsets are read-only. */
	cfg_wr(&bus, ecam(0, 7, 0, cap + PCI_MSIX_FLAGS), 2, PCI_MSIX_FLAGS_QSIZE);
	cfg_wr(&bus, ecam(0, 7, 0, cap + PCI_MSIX_TABLE), 4, 0x100);
	assert_int_equal(cfg_rd(&bus, ecam(0, 7, 0, cap + PCI_MSIX_FLAGS), 2), 2);
	assert_int_equal(cfg_rd(&bus, ecam(0, 7, 0, cap + PCI_MSIX_TABLE), 4), 2);
	/* Vectors start masked. */
	for (unsigned v = 0; v < 3; v++)
		assert_int_equal(msix_rd(&m, v * 16 + PCI_MSIX_ENTRY_VECTOR_CTRL), 1);
	msix_wr(&m, 16 + PCI_MSIX_ENTRY_LOWER_ADDR, 0x08020040);
	msix_wr(&m, 16 + PCI_MSIX_ENTRY_UPPER_ADDR, 0x000fffff);
	msix_wr(&m, 16 + PCI_MSIX_ENTRY_DATA, 7);
	/* Disabled: nothing sent, nothing pending. */
	vmm_msix_signal(&m, 1);
	assert_int_equal(fake_nr_msi, 0);
	assert_int_equal(msix_rd(&m, VMM_MSIX_PBA_OFF), 0);
	cfg_wr(&bus, ecam(0, 7, 0, cap + PCI_MSIX_FLAGS), 2, PCI_MSIX_FLAGS_ENABLE);
	assert_true(vmm_msix_enabled(&m));
	/* Enabled but masked: pending. */
	vmm_msix_signal(&m, 1);
	assert_int_equal(fake_nr_msi, 0);
	assert_int_equal(msix_rd(&m, VMM_MSIX_PBA_OFF), 1u << 1);
	/* The PBA is read-only. */
	msix_wr(&m, VMM_MSIX_PBA_OFF, 0);
	assert_int_equal(msix_rd(&m, VMM_MSIX_PBA_OFF), 1u << 1);
	/* Unmasking sends the pending message once. */
	msix_wr(&m, 16 + PCI_MSIX_ENTRY_VECTOR_CTRL, 0);
	assert_int_equal(fake_nr_msi, 1);
	assert_int_equal(fake_msi[0].addr, 0x000fffff08020040ULL);
	assert_int_equal(fake_msi[0].data, 7);
	assert_int_equal(fake_msi[0].devid, 7 << 3);   /* requester ID 00:07.0 */
	assert_int_equal(msix_rd(&m, VMM_MSIX_PBA_OFF), 0);
	vmm_msix_signal(&m, 1);
	assert_int_equal(fake_nr_msi, 2);
	/* Function Mask holds every vector; clearing it releases them. */
	cfg_wr(&bus, ecam(0, 7, 0, cap + PCI_MSIX_FLAGS), 2,
	       PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL);
	vmm_msix_signal(&m, 1);
	assert_int_equal(fake_nr_msi, 2);
	assert_int_equal(msix_rd(&m, VMM_MSIX_PBA_OFF), 1u << 1);
	cfg_wr(&bus, ecam(0, 7, 0, cap + PCI_MSIX_FLAGS), 2, PCI_MSIX_FLAGS_ENABLE);
	vmm_msix_cap_written(&m);
	assert_int_equal(fake_nr_msi, 3);
	/* No such vector: nothing. */
	vmm_msix_signal(&m, 3);
	vmm_msix_signal(&m, 0xffff);
	assert_int_equal(fake_nr_msi, 3);
	/* Byte accesses are not allowed: read as zero, writes dropped. */
	{
		uint8_t b = 0xff;

		vmm_msix_bar_access(&m, 16 + PCI_MSIX_ENTRY_DATA, &b, 1, true);
		assert_int_equal(msix_rd(&m, 16 + PCI_MSIX_ENTRY_DATA), 7);
	}
	assert_int_equal(vmm_msix_init(&m, &vm, &f, 2, VMM_MSIX_MAX + 1), -1);
}

static struct vmm_vm vvm;

static uint32_t rd(uint64_t a, unsigned len)
{
	uint32_t v = 0;

	assert_true(vmm_mmio_dispatch(&vvm, a, (uint8_t *)&v, len, false));
	return v;
}

static void wr(uint64_t a, unsigned len, uint32_t v)
{
	assert_true(vmm_mmio_dispatch(&vvm, a, (uint8_t *)&v, len, true));
}

/* A console on virtio-pci at device 0; BAR 0 and BAR 2 placed in the
   window and memory decoding on. Returns the ECAM base of 00:00.0. */
static uint64_t setup_virtio_pci(bool legacy, uint64_t *bar0, uint64_t *bar2)
{
	struct vmm_layout_req r = { 0 };
	struct s2_diag d;
	const struct vmm_region *c;
	uint64_t e, w;

	r.nr_ram = 1;
	r.ram[0].size = 256 * MiB;
	r.cpus = 1;
	r.ipa_limit = 40;
	r.virtio_console = true;
	r.virtio_pci = true;
	r.virtio_legacy = legacy;
	fake_vm_init(&vvm, ram, RAM_GPA, RAM_SIZE);
	memset(ram, 0, sizeof(ram));
	assert_int_equal(vmm_layout_compute(&r, &vvm.layout, &d), 0);
	assert_true(vvm.layout.has_pci);
	c = vmm_layout_dev(&vvm.layout, "virtio-console", 0);
	assert_true(c->pci);
	assert_int_equal(c->spi, VMM_PCI_SPI0);
	assert_int_equal(vmm_pci_host_setup(&vvm), 0);
	assert_int_equal(c->dev->setup(&vvm, c), 0);
	e = vvm.layout.pci_ecam.base;
	w = vvm.layout.pci_mmio.base;
	*bar0 = w;
	*bar2 = w + 0x10000;
	wr(e + PCI_BASE_ADDRESS_0, 4, (uint32_t)*bar0);
	wr(e + PCI_BASE_ADDRESS_1, 4, (uint32_t)(*bar0 >> 32));
	wr(e + PCI_BASE_ADDRESS_2, 4, (uint32_t)*bar2);
	wr(e + PCI_BASE_ADDRESS_3, 4, (uint32_t)(*bar2 >> 32));
	wr(e + PCI_COMMAND, 2, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	return e;
}

/* The vendor capability of @type: its offset in BAR 0. */
static uint32_t find_virtio_cap(uint64_t e, uint8_t type, uint32_t *mult)
{
	for (unsigned p = rd(e + PCI_CAPABILITY_LIST, 1); p; p = rd(e + p + 1, 1)) {
		if (rd(e + p, 1) != PCI_CAP_ID_VNDR || rd(e + p + VIRTIO_PCI_CAP_CFG_TYPE, 1) != type)
			continue;
		assert_int_equal(rd(e + p + VIRTIO_PCI_CAP_BAR, 1), 0);
		if (mult)
			*mult = rd(e + p + VIRTIO_PCI_NOTIFY_CAP_MULT, 4);
		return rd(e + p + VIRTIO_PCI_CAP_OFFSET, 4);
	}
	fail_msg("no virtio capability of type %u", type);
	return 0;
}

static unsigned find_cap(uint64_t e, uint8_t id)
{
	for (unsigned p = rd(e + PCI_CAPABILITY_LIST, 1); p; p = rd(e + p + 1, 1))
		if (rd(e + p, 1) == id)
			return p;
	fail_msg("no capability %#x", id);
	return 0;
}

#define CC(f) offsetof(struct virtio_pci_common_cfg, f)

static void virtio_pci_modern_msix(void **s)
{
	uint64_t bar0, bar2, e = setup_virtio_pci(false, &bar0, &bar2), cc, nt;
	uint32_t mult, *used;
	unsigned mx;
	uint8_t *desc = ram, *avail = ram + 0x1000;

	(void)s;
	assert_int_equal(rd(e + PCI_VENDOR_ID, 2), 0x1af4);
	assert_int_equal(rd(e + PCI_DEVICE_ID, 2), 0x1040 + VIRTIO_ID_CONSOLE);
	assert_int_equal(rd(e + PCI_REVISION_ID, 1), 1);
	cc = bar0 + find_virtio_cap(e, VIRTIO_PCI_CAP_COMMON_CFG, NULL);
	nt = bar0 + find_virtio_cap(e, VIRTIO_PCI_CAP_NOTIFY_CFG, &mult);
	assert_int_equal(rd(bar0 + find_virtio_cap(e, VIRTIO_PCI_CAP_DEVICE_CFG, NULL) + 4, 4), 1);
	assert_int_equal(rd(cc + CC(num_queues), 2), 2);
	wr(cc + CC(device_feature_select), 4, 1);
	assert_int_equal(rd(cc + CC(device_feature), 4), 1u << (VIRTIO_F_VERSION_1 - 32));
	wr(cc + CC(device_status), 1, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER);
	/* MSI-X: vector 1 for queue 1, to an address above 2^48. */
	mx = find_cap(e, PCI_CAP_ID_MSIX);
	assert_int_equal(rd(e + mx + PCI_MSIX_FLAGS, 2) & PCI_MSIX_FLAGS_QSIZE, 2);   /* 3 vectors */
	wr(e + mx + PCI_MSIX_FLAGS, 2, PCI_MSIX_FLAGS_ENABLE);
	wr(bar2 + 16 + PCI_MSIX_ENTRY_LOWER_ADDR, 4, 0x08080040);
	wr(bar2 + 16 + PCI_MSIX_ENTRY_UPPER_ADDR, 4, 0x000fffff);
	wr(bar2 + 16 + PCI_MSIX_ENTRY_DATA, 4, 5);
	wr(bar2 + 16 + PCI_MSIX_ENTRY_VECTOR_CTRL, 4, 0);
	/* Queue 1 (transmit) in RAM, 64-bit addresses. */
	wr(cc + CC(queue_select), 2, 1);
	assert_int_equal(rd(cc + CC(queue_size), 2), VMM_VQ_MAX);
	wr(cc + CC(queue_size), 2, 16);
	wr(cc + CC(queue_msix_vector), 2, 1);
	assert_int_equal(rd(cc + CC(queue_msix_vector), 2), 1);
	wr(cc + CC(queue_msix_vector), 2, 9);      /* no such vector */
	assert_int_equal(rd(cc + CC(queue_msix_vector), 2), VIRTIO_MSI_NO_VECTOR);
	wr(cc + CC(queue_msix_vector), 2, 1);
	wr(cc + CC(queue_desc_lo), 4, (uint32_t)RAM_GPA);
	wr(cc + CC(queue_desc_hi), 4, 0);
	wr(cc + CC(queue_avail_lo), 4, (uint32_t)RAM_GPA + 0x1000);
	wr(cc + CC(queue_used_lo), 4, (uint32_t)RAM_GPA + 0x2000);
	wr(cc + CC(queue_enable), 2, 1);
	assert_int_equal(rd(cc + CC(queue_enable), 2), 1);
	/* One buffer: an empty write to the console (zero bytes). */
	memcpy(desc, &(uint64_t){ RAM_GPA + 0x3000 }, 8);
	memcpy(avail + 4, &(uint16_t){ 0 }, 2);
	memcpy(avail + 2, &(uint16_t){ 1 }, 2);
	wr(nt + 1 * mult, 2, 1);
	used = (uint32_t *)(ram + 0x2000);
	assert_int_equal(used[0] >> 16, 1);       /* used idx */
	assert_int_equal(fake_nr_msi, 1);
	assert_int_equal(fake_msi[0].addr, 0x000fffff08080040ULL);
	assert_int_equal(fake_msi[0].data, 5);
	assert_int_equal(fake_msi[0].devid, 0);
	assert_int_equal(fake_spi_edges[VMM_PCI_SPI0], 0);     /* no INTx with MSI-X */
	/* Queue 0 with rings outside RAM: a device error, the queue off. */
	wr(cc + CC(queue_select), 2, 0);
	wr(cc + CC(queue_desc_hi), 4, 0x10);
	wr(cc + CC(queue_enable), 2, 1);
	assert_int_equal(rd(cc + CC(queue_enable), 2), 0);
	assert_true(rd(cc + CC(device_status), 1) & VIRTIO_CONFIG_S_NEEDS_RESET);
	/* Reset. */
	wr(cc + CC(device_status), 1, 0);
	assert_int_equal(rd(cc + CC(device_status), 1), 0);
	wr(cc + CC(queue_select), 2, 1);
	assert_int_equal(rd(cc + CC(queue_enable), 2), 0);
}

static void virtio_pci_legacy_intx(void **s)
{
	uint64_t bar0, bar2, e = setup_virtio_pci(true, &bar0, &bar2);

	(void)s;
	assert_int_equal(rd(e + PCI_DEVICE_ID, 2), 0x1003);         /* transitional console */
	assert_int_equal(rd(e + PCI_REVISION_ID, 1), 0);
	assert_int_equal(rd(e + PCI_SUBSYSTEM_ID, 2), VIRTIO_ID_CONSOLE);
	assert_int_equal(rd(bar0 + VIRTIO_PCI_HOST_FEATURES, 4) & (1u << 31), 0);
	wr(bar0 + VIRTIO_PCI_QUEUE_SEL, 2, 1);
	assert_int_equal(rd(bar0 + VIRTIO_PCI_QUEUE_NUM, 2), VMM_VQ_MAX);
	/* Config at 20 without MSI-X: max_nr_ports at byte 4. */
	assert_int_equal(rd(bar0 + VIRTIO_PCI_CONFIG_OFF(false) + 4, 4), 1);
	/* A PFN whose queue is not in RAM: device error, PFN not taken. */
	wr(bar0 + VIRTIO_PCI_QUEUE_PFN, 4, (uint32_t)((RAM_GPA + RAM_SIZE) >> 12));
	assert_int_equal(rd(bar0 + VIRTIO_PCI_QUEUE_PFN, 4), 0);
	assert_true(rd(bar0 + VIRTIO_PCI_STATUS, 1) & VIRTIO_CONFIG_S_NEEDS_RESET);
	/* INTx: raised for the configuration change; reading the ISR
	   clears it and lowers the line. */
	assert_int_equal(fake_spi_level[VMM_PCI_SPI0], 1);
	assert_true(rd(e + PCI_STATUS, 2) & PCI_STATUS_INTERRUPT);
	assert_int_equal(rd(bar0 + VIRTIO_PCI_ISR, 1), VIRTIO_PCI_ISR_CONFIG);
	assert_int_equal(fake_spi_level[VMM_PCI_SPI0], 0);
	assert_int_equal(rd(bar0 + VIRTIO_PCI_ISR, 1), 0);
	/* Inside RAM after a reset: taken, in 4 KiB units. */
	wr(bar0 + VIRTIO_PCI_STATUS, 1, 0);
	wr(bar0 + VIRTIO_PCI_QUEUE_SEL, 2, 1);
	wr(bar0 + VIRTIO_PCI_QUEUE_PFN, 4, (uint32_t)(RAM_GPA >> 12));
	assert_int_equal(rd(bar0 + VIRTIO_PCI_QUEUE_PFN, 4), RAM_GPA >> 12);
	/* INTx Disable keeps the line low. */
	wr(e + PCI_COMMAND, 2, PCI_COMMAND_MEMORY | PCI_COMMAND_INTX_DISABLE);
	wr(bar0 + VIRTIO_PCI_QUEUE_PFN, 4, 0xfffff);
	assert_int_equal(fake_spi_level[VMM_PCI_SPI0], 0);
}

/*
 * Legacy virtio-pci registers are 8, 16 and 32 bits wide at fixed offsets
 * (virtio 1.2, 4.1.4.8): an access of 1 or 2 bytes at each byte offset of
 * the block before the device configuration reaches the register that
 * starts there, its low bytes read and its value written zero-extended;
 * at an offset inside a register it reads 0 and writes nothing.
 */
static void virtio_pci_legacy_narrow_accesses(void **s)
{
	static const unsigned starts[] = {
		VIRTIO_PCI_HOST_FEATURES, VIRTIO_PCI_GUEST_FEATURES, VIRTIO_PCI_QUEUE_PFN,
		VIRTIO_PCI_QUEUE_NUM, VIRTIO_PCI_QUEUE_SEL, VIRTIO_PCI_QUEUE_NOTIFY,
		VIRTIO_PCI_STATUS, VIRTIO_PCI_ISR,
	};
	uint64_t bar0, bar2;
	unsigned end = VIRTIO_PCI_CONFIG_OFF(false);

	(void)s;
	setup_virtio_pci(true, &bar0, &bar2);
	/* Registers with a byte set in each position they have. */
	wr(bar0 + VIRTIO_PCI_GUEST_FEATURES, 4, 0xa1b2c3d4);
	wr(bar0 + VIRTIO_PCI_QUEUE_SEL, 2, 1);
	wr(bar0 + VIRTIO_PCI_QUEUE_PFN, 4, (uint32_t)(RAM_GPA >> 12));
	wr(bar0 + VIRTIO_PCI_STATUS, 1, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER);
	for (unsigned o = 0; o < end; o++) {
		bool start = false;
		uint32_t full = 0;

		for (unsigned i = 0; i < sizeof(starts) / sizeof(starts[0]); i++)
			start |= starts[i] == o;
		if (start && o != VIRTIO_PCI_ISR)
			full = rd(bar0 + o, 4);
		for (unsigned n = 1; n <= 2 && o + n <= end; n++) {
			uint32_t want = start ? full & (n == 1 ? 0xff : 0xffff) : 0;

			assert_int_equal(rd(bar0 + o, n), want);
		}
	}
	assert_int_equal(rd(bar0 + VIRTIO_PCI_GUEST_FEATURES, 4), 0xa1b2c3d4);
	assert_int_equal(rd(bar0 + VIRTIO_PCI_QUEUE_PFN, 4), RAM_GPA >> 12);
	/* Writes: at a register's start the bytes zero-extended, inside it
	   nothing. */
	for (unsigned o = VIRTIO_PCI_GUEST_FEATURES; o < VIRTIO_PCI_GUEST_FEATURES + 4; o++)
		for (unsigned n = 1; n <= 2 && o + n <= VIRTIO_PCI_GUEST_FEATURES + 4; n++) {
			wr(bar0 + VIRTIO_PCI_GUEST_FEATURES, 4, 0xa1b2c3d4);
			wr(bar0 + o, n, 0x5a6b);
			assert_int_equal(rd(bar0 + VIRTIO_PCI_GUEST_FEATURES, 4),
					 o != VIRTIO_PCI_GUEST_FEATURES ? 0xa1b2c3d4 :
					 n == 1 ? 0x6b : 0x5a6b);
		}
	wr(bar0 + VIRTIO_PCI_QUEUE_SEL, 1, 1);
	assert_int_equal(rd(bar0 + VIRTIO_PCI_QUEUE_SEL, 2), 1);
	wr(bar0 + VIRTIO_PCI_QUEUE_SEL + 1, 1, 0);
	assert_int_equal(rd(bar0 + VIRTIO_PCI_QUEUE_SEL, 2), 1);
	wr(bar0 + VIRTIO_PCI_QUEUE_SEL, 2, 0x0100);
	assert_int_equal(rd(bar0 + VIRTIO_PCI_QUEUE_SEL, 2), 0x100);
	assert_int_equal(rd(bar0 + VIRTIO_PCI_QUEUE_NUM, 2), 0);        /* no queue 256 */
}

/* The virtio PCI configuration access capability's field @f. */
#define CFGCAP(f) offsetof(struct virtio_pci_cfg_cap, f)

/* Through the window of capability @cap: BAR @bar, @len bytes at @off. */
static uint32_t win_rd(uint64_t e, unsigned cap, unsigned bar, uint32_t off, uint32_t len)
{
	wr(e + cap + CFGCAP(cap.bar), 1, bar);
	wr(e + cap + CFGCAP(cap.offset), 4, off);
	wr(e + cap + CFGCAP(cap.length), 4, len);
	return rd(e + cap + CFGCAP(pci_cfg_data), 4);
}

static void win_wr(uint64_t e, unsigned cap, unsigned bar, uint32_t off, uint32_t len, uint32_t v)
{
	wr(e + cap + CFGCAP(cap.bar), 1, bar);
	wr(e + cap + CFGCAP(cap.offset), 4, off);
	wr(e + cap + CFGCAP(cap.length), 4, len);
	wr(e + cap + CFGCAP(pci_cfg_data), 4, v);
}

/* virtio 1.2, 4.1.4.9: the device presents a VIRTIO_PCI_CAP_PCI_CFG
   capability; a read or write of pci_cfg_data is an access of
   cap.length bytes at cap.offset in BAR cap.bar, mapped or not. */
static void virtio_pci_cfg_window(void **s)
{
	uint64_t bar0, bar2, e = setup_virtio_pci(false, &bar0, &bar2), cc;
	unsigned cap = 0, n = 0;

	(void)s;
	cc = find_virtio_cap(e, VIRTIO_PCI_CAP_COMMON_CFG, NULL);
	for (unsigned p = rd(e + PCI_CAPABILITY_LIST, 1); p; p = rd(e + p + 1, 1))
		if (rd(e + p, 1) == PCI_CAP_ID_VNDR &&
		    rd(e + p + VIRTIO_PCI_CAP_CFG_TYPE, 1) == VIRTIO_PCI_CAP_PCI_CFG) {
			cap = p;
			n++;
		}
	assert_int_equal(n, 1);
	assert_int_equal(rd(e + cap + VIRTIO_PCI_CAP_LEN, 1), sizeof(struct virtio_pci_cfg_cap));
	assert_int_equal(rd(e + cap + CFGCAP(cap.length), 4), 0);
	/* Memory decoding off: the BAR is not mapped, the window still
	   reaches it. num_queues (2 bytes), device_feature (4). */
	wr(e + PCI_COMMAND, 2, 0);
	assert_int_equal(win_rd(e, cap, 0, (uint32_t)cc + CC(num_queues), 2), 2);
	win_wr(e, cap, 0, (uint32_t)cc + CC(device_feature_select), 4, 1);
	assert_int_equal(win_rd(e, cap, 0, (uint32_t)cc + CC(device_feature), 4),
			 1u << (VIRTIO_F_VERSION_1 - 32));
	/* One byte: device_status; two: queue_select. Seen through the
	   mapped BAR afterwards. Only cap.length bytes are written. */
	win_wr(e, cap, 0, (uint32_t)cc + CC(device_status), 1,
	       0xffffff00 | VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER);
	win_wr(e, cap, 0, (uint32_t)cc + CC(queue_select), 2, 0xffff0001);
	wr(e + PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
	assert_int_equal(rd(bar0 + cc + CC(device_status), 1),
			 VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER);
	assert_int_equal(rd(bar0 + cc + CC(queue_select), 2), 1);
	assert_int_equal(rd(bar0 + cc + CC(queue_msix_vector), 2), VIRTIO_MSI_NO_VECTOR);
	/* The MSI-X table in BAR 2 through the window (dword accesses). */
	win_wr(e, cap, 2, PCI_MSIX_ENTRY_DATA, 4, 0x1234);
	assert_int_equal(rd(bar2 + PCI_MSIX_ENTRY_DATA, 4), 0x1234);
	assert_int_equal(win_rd(e, cap, 2, PCI_MSIX_ENTRY_DATA, 4), 0x1234);
	/* What the window cannot do reads zero and writes nothing: a
	   length of 3 or 8, an offset not a multiple of the length, past
	   the BAR's end (also wrapping), BAR 1 (BAR 0's upper half), BAR 6. */
	assert_int_equal(win_rd(e, cap, 0, (uint32_t)cc + CC(num_queues), 3), 0);
	assert_int_equal(win_rd(e, cap, 0, (uint32_t)cc + CC(num_queues), 8), 0);
	assert_int_equal(win_rd(e, cap, 0, (uint32_t)cc + CC(num_queues) + 1, 2), 0);
	assert_int_equal(win_rd(e, cap, 0, 0x4000 - 2, 4), 0);
	assert_int_equal(win_rd(e, cap, 0, 0xfffffffe, 4), 0);
	assert_int_equal(win_rd(e, cap, 1, 0, 4), 0);
	assert_int_equal(win_rd(e, cap, 6, 0, 4), 0);
	win_wr(e, cap, 0, (uint32_t)cc + CC(queue_select), 3, 0);
	win_wr(e, cap, 0, (uint32_t)cc + CC(queue_select) + 1, 2, 0);
	assert_int_equal(rd(bar0 + cc + CC(queue_select), 2), 1);
	/* The legacy device has no vendor capabilities at all. */
	e = setup_virtio_pci(true, &bar0, &bar2);
	for (unsigned p = rd(e + PCI_CAPABILITY_LIST, 1); p; p = rd(e + p + 1, 1))
		assert_int_not_equal(rd(e + p, 1), PCI_CAP_ID_VNDR);
}

/* With MSI-X on, the configuration vector carries configuration changes
   only (4.1.5.1.3): writing the capability, reading the ISR or a reset
   sends nothing; a device error sends one message. */
static void virtio_pci_config_vector(void **s)
{
	uint64_t bar0, bar2, e = setup_virtio_pci(false, &bar0, &bar2), cc;
	unsigned mx = find_cap(e, PCI_CAP_ID_MSIX), before;

	(void)s;
	cc = bar0 + find_virtio_cap(e, VIRTIO_PCI_CAP_COMMON_CFG, NULL);
	wr(e + mx + PCI_MSIX_FLAGS, 2, PCI_MSIX_FLAGS_ENABLE);
	wr(bar2 + PCI_MSIX_ENTRY_LOWER_ADDR, 4, 0x08080040);
	wr(bar2 + PCI_MSIX_ENTRY_DATA, 4, 9);
	wr(bar2 + PCI_MSIX_ENTRY_VECTOR_CTRL, 4, 0);
	wr(cc + CC(msix_config), 2, 0);
	assert_int_equal(rd(cc + CC(msix_config), 2), 0);
	before = fake_nr_msi;
	wr(e + mx + PCI_MSIX_FLAGS, 2, PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL);
	wr(e + mx + PCI_MSIX_FLAGS, 2, PCI_MSIX_FLAGS_ENABLE);
	(void)rd(bar0 + find_virtio_cap(e, VIRTIO_PCI_CAP_ISR_CFG, NULL), 1);
	assert_int_equal(fake_nr_msi, before);
	assert_int_equal(rd(bar2 + VMM_MSIX_PBA_OFF, 4), 0);
	/* Queue 0's rings beyond RAM: one configuration-change message. */
	wr(cc + CC(queue_select), 2, 0);
	wr(cc + CC(queue_desc_hi), 4, 0x10);
	wr(cc + CC(queue_enable), 2, 1);
	assert_true(rd(cc + CC(device_status), 1) & VIRTIO_CONFIG_S_NEEDS_RESET);
	assert_int_equal(fake_nr_msi, before + 1);
	assert_int_equal(fake_msi[before % FAKE_NR_MSI].data, 9);
	assert_int_equal(fake_spi_level[VMM_PCI_SPI0], 0);
	/* Unmasking and a reset send no second one. */
	wr(e + mx + PCI_MSIX_FLAGS, 2, PCI_MSIX_FLAGS_ENABLE);
	wr(cc + CC(device_status), 1, 0);
	assert_int_equal(fake_nr_msi, before + 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bar_sizing),
		cmocka_unit_test(bars_decode_when_memory_enabled),
		cmocka_unit_test(header_fields),
		cmocka_unit_test(bad_bars_refused),
		cmocka_unit_test(capability_list),
		cmocka_unit_test(msix_masking_and_pending),
		cmocka_unit_test(virtio_pci_modern_msix),
		cmocka_unit_test(virtio_pci_legacy_intx),
		cmocka_unit_test(virtio_pci_legacy_narrow_accesses),
		cmocka_unit_test(virtio_pci_cfg_window),
		cmocka_unit_test(virtio_pci_config_vector),
	};
	return cmocka_run_group_tests_name("s2vmm PCI", tests, NULL, NULL);
}
