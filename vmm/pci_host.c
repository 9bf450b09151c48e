/* SPDX-License-Identifier: MIT */
/*
 * The generic ECAM host bridge (Linux's pci-host-ecam-generic binding,
 * Documentation/devicetree/bindings/pci/host-generic-pci.yaml): bus 0,
 * one 64-bit memory window whose PCI and CPU addresses are equal, MSIs
 * mapped to the ITS with the requester ID as device ID (msi-map), INTx
 * of each device to its own SPI (interrupt-map) for guests without one.
 */
#include <inttypes.h>
#include <string.h>
#include <libfdt.h>

#include "devtree.h"
#include "log.h"
#include "pci.h"
#include "pci_host.h"

#define GIC_SPI        0
#define IRQ_LEVEL_HIGH 4
#define RANGE_MEM64    0x03000000u     /* ss = 11: 64-bit memory space */

static struct vmm_pci_bus bus0 = { .lock = PTHREAD_MUTEX_INITIALIZER };

struct vmm_pci_bus *vmm_pci_host(void)
{
	return &bus0;
}

static void ecam(void *opaque, uint64_t off, uint8_t *data, unsigned len, bool write)
{
	vmm_pci_ecam_access(opaque, off, data, len, write);
}

static void window(void *opaque, uint64_t off, uint8_t *data, unsigned len, bool write)
{
	struct vmm_pci_bus *b = opaque;

	/* Unclaimed window space: reads as all ones, as a master abort. */
	if (!vmm_pci_mmio_access(b, b->mmio_base + off, data, len, write) && !write)
		memset(data, 0xff, len);
}

int vmm_pci_host_setup(struct vmm_vm *vm)
{
	const struct vmm_layout *l = &vm->layout;

	memset(bus0.fn, 0, sizeof(bus0.fn));
	bus0.ecam_base = l->pci_ecam.base;
	bus0.ecam_size = l->pci_ecam.size;
	bus0.mmio_base = l->pci_mmio.base;
	bus0.mmio_size = l->pci_mmio.size;
	if (vmm_mmio_register(vm, l->pci_ecam.base, l->pci_ecam.size, ecam, &bus0) ||
	    vmm_mmio_register(vm, l->pci_mmio.base, l->pci_mmio.size, window, &bus0)) {
		pr_err("PCI host bridge: no room for its MMIO windows");
		return -1;
	}
	return 0;
}

static int u64_cells(fdt32_t *c, uint64_t v)
{
	c[0] = cpu_to_fdt32((uint32_t)(v >> 32));
	c[1] = cpu_to_fdt32((uint32_t)v);
	return 2;
}

int vmm_pci_host_fdt(void *f, const struct vmm_layout *l)
{
	fdt32_t range[7], bus_range[2] = { 0, 0 };
	fdt32_t imap[VMM_MAX_DEVS * 10], mask[4] = {
		cpu_to_fdt32(0x1f << 11), 0, 0, cpu_to_fdt32(7),
	};
	unsigned n = 0;

	range[0] = cpu_to_fdt32(RANGE_MEM64);
	u64_cells(range + 1, l->pci_mmio.base);
	u64_cells(range + 3, l->pci_mmio.base);
	u64_cells(range + 5, l->pci_mmio.size);
	VMM_FDT_TRY(vmm_fdt_begin(f, "pci", l->pci_ecam.base));
	VMM_FDT_TRY(fdt_property_string(f, "compatible", "pci-host-ecam-generic"));
	VMM_FDT_TRY(fdt_property_string(f, "device_type", "pci"));
	VMM_FDT_TRY(fdt_property_u32(f, "#address-cells", 3));
	VMM_FDT_TRY(fdt_property_u32(f, "#size-cells", 2));
	VMM_FDT_TRY(fdt_property_u32(f, "#interrupt-cells", 1));
	VMM_FDT_TRY(fdt_property(f, "bus-range", bus_range, sizeof(bus_range)));
	VMM_FDT_TRY(vmm_fdt_reg(f, l->pci_ecam.base, l->pci_ecam.size));
	VMM_FDT_TRY(fdt_property(f, "ranges", range, sizeof(range)));
	VMM_FDT_TRY(fdt_property(f, "dma-coherent", NULL, 0));
	if (l->has_its) {
		/* Requester IDs 0..0xffff are ITS device IDs 0..0xffff. */
		fdt32_t map[4] = { 0, cpu_to_fdt32(VMM_PHANDLE_ITS), 0, cpu_to_fdt32(0x10000) };

		VMM_FDT_TRY(fdt_property(f, "msi-map", map, sizeof(map)));
	}
	/* INTA of device d: child address d << 11, pin 1, to the GIC
	   (#address-cells 2, #interrupt-cells 3). */
	for (unsigned i = 0; i < l->nr_dev; i++) {
		const struct vmm_region *r = &l->dev[i];

		if (!r->pci)
			continue;
		imap[n++] = cpu_to_fdt32(r->slot << 11);
		imap[n++] = 0;
		imap[n++] = 0;
		imap[n++] = cpu_to_fdt32(1);
		imap[n++] = cpu_to_fdt32(VMM_PHANDLE_GIC);
		imap[n++] = 0;
		imap[n++] = 0;
		imap[n++] = cpu_to_fdt32(GIC_SPI);
		imap[n++] = cpu_to_fdt32(r->spi);
		imap[n++] = cpu_to_fdt32(IRQ_LEVEL_HIGH);
	}
	VMM_FDT_TRY(fdt_property(f, "interrupt-map-mask", mask, sizeof(mask)));
	VMM_FDT_TRY(fdt_property(f, "interrupt-map", imap, n * sizeof(imap[0])));
	return fdt_end_node(f);
}
