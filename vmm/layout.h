/* SPDX-License-Identifier: MIT */
/*
 * The guest physical map: RAM banks and device windows for an IPA size
 * and a layout policy. Pure computation (no KVM), so it is unit-tested
 * on any host.
 *
 * The device block is kvmtool's arm64 map of the first GiB: the
 * registered devices (device.h) at their offsets (the 8250 UART at
 * +16 MiB), virtio-mmio windows from +48 MiB, the GIC distributor just
 * below +1 GiB with the redistributors (and ITS) below it.
 *   low:   the block at 0, RAM from 2 GiB (kvmtool's map: guests built
 *          for kvmtool boot unchanged);
 *   high:  the block in the last GiB of the IPA space, RAM right below;
 *   split: the block in the last GiB, a boot bank at 2 GiB (below 2^48,
 *          where a Linux image must start) and the rest of RAM from
 *          2^48 when the space is larger, else right below the block.
 */
#ifndef VMM_LAYOUT_H
#define VMM_LAYOUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <s2/err.h>
#include "size.h"

#define VMM_MAX_BANKS   8
#define VMM_MAX_VIRTIO  8      /* virtio-mmio windows */
#define VMM_MAX_DEVS    16     /* device instances */
#define VMM_MAX_CPUS    64

#define VMM_DEV_BLOCK       (1ULL << 30)
#define VMM_PVTIME_OFF      0x1020000ULL   /* kvmtool's, after UART and RTC */
#define VMM_PVTIME_SIZE     0x10000ULL     /* 64 bytes per vCPU */
#define VMM_VIRTIO_OFF      0x3000000ULL
#define VMM_VIRTIO_SIZE     0x200ULL
#define VMM_GICD_SIZE       0x10000ULL
#define VMM_GICR_SIZE       0x20000ULL     /* per vCPU: RD and SGI frames */
#define VMM_ITS_SIZE        0x20000ULL
#define VMM_LOW_RAM_BASE    0x80000000ULL
#define VMM_SPLIT_HIGH_BASE (1ULL << 48)
#define VMM_SPLIT_BOOT_MAX  (256ULL << 20)
#define VMM_BANK_ALIGN      0x10000ULL     /* largest host page size */

enum vmm_layout_policy { VMM_LAYOUT_LOW, VMM_LAYOUT_HIGH, VMM_LAYOUT_SPLIT };

/* SPI numbers (INTID - 32) of the virtio-mmio windows. */
#define VMM_VIRTIO_SPI0     16
/* PCI: the ECAM window for bus 0 and the 64-bit MMIO window the guest
   places BARs in, in the device block; INTx of device n on SPI 32 + n. */
#define VMM_PCI_ECAM_OFF    0x10000000ULL
#define VMM_PCI_ECAM_SIZE   0x100000ULL      /* one bus: 32 devices x 8 functions x 4 KiB */
#define VMM_PCI_MMIO_OFF    0x20000000ULL
#define VMM_PCI_MMIO_SIZE   0x10000000ULL
#define VMM_PCI_SPI0        32

enum vmm_region_kind {
	VMM_R_RAM, VMM_R_DEV, VMM_R_GICD, VMM_R_GICR, VMM_R_ITS, VMM_R_PVTIME,
	VMM_R_PCI_ECAM, VMM_R_PCI_MMIO,
};

struct vmm_device;

/* An instance of a registered device (VMM_R_DEV), RAM or a GIC frame. */
struct vmm_region {
	enum vmm_region_kind kind;
	unsigned index;          /* RAM bank; VMM_R_DEV: instance of the device */
	uint64_t base, size;
	const struct vmm_device *dev;   /* VMM_R_DEV */
	unsigned spi;            /* VMM_R_DEV: its SPI (INTID - 32) */
	unsigned slot;           /* VMM_R_DEV: virtio-mmio window or PCI device number */
	bool pci;                /* VMM_R_DEV on PCI: no window of its own (base, size 0) */
};

struct vmm_layout_req {
	struct vmm_bank_arg ram[VMM_MAX_BANKS];
	unsigned nr_ram;
	unsigned cpus;
	enum vmm_layout_policy policy;
	unsigned ipa_bits;       /* 0: auto */
	unsigned ipa_limit;      /* what KVM allows */
	bool its;
	bool pvtime;             /* stolen-time structures */
	bool pmu;                /* a PMUv3 on every vCPU */
	bool virtio_console;     /* the console is a virtio device */
	unsigned nr_disks;       /* virtio-blk disks */
	bool rng;                /* a virtio-rng */
	bool virtio_legacy;      /* legacy transport: RAM must stay PFN-addressable */
	bool virtio_pci;         /* virtio devices on PCI, else virtio-mmio */
};

struct vmm_layout {
	unsigned ipa_bits;
	bool ipa_auto;
	enum vmm_layout_policy policy;
	unsigned cpus;
	struct vmm_region ram[VMM_MAX_BANKS];
	unsigned nr_ram;
	unsigned boot_bank;      /* holds the kernel, DTB and initrd */
	struct vmm_region gicd, gicr, its, pvtime;
	bool has_its, has_pvtime;
	bool has_pmu;            /* its node, its setup after the GIC's */
	struct vmm_region dev[VMM_MAX_DEVS];   /* registered devices' instances */
	unsigned nr_dev;
	unsigned nr_virtio;      /* of them on virtio-mmio */
	unsigned nr_pci;         /* of them on PCI */
	bool virtio_legacy, virtio_pci;
	bool has_pci;            /* the host bridge: ECAM and MMIO window */
	struct vmm_region pci_ecam, pci_mmio;
	uint64_t ram_size;       /* sum of the banks */
	uint64_t ram_end;        /* highest RAM address + 1 */
};

int vmm_layout_parse(const char *s, enum vmm_layout_policy *p, char *err, size_t errlen);
const char *vmm_layout_name(enum vmm_layout_policy p);
const char *vmm_region_name(const struct vmm_region *r, char *buf, size_t len);

/*
 * vmm_layout_compute() - place RAM and devices.
 * Return: 0; S2_EINVAL (bad --ipa-bits, alignment, too many devices),
 * S2_ERANGE (does not fit the IPA or the host limit, legacy virtio with
 * RAM too high) or S2_EEXIST (overlap), with a message in @d naming the
 * numbers and what would fit.
 */
int vmm_layout_compute(const struct vmm_layout_req *req, struct vmm_layout *l,
		       struct s2_diag *d);

/* Instance @index of the device called @name, or NULL. */
const struct vmm_region *vmm_layout_dev(const struct vmm_layout *l, const char *name,
					unsigned index);

/*
 * vmm_layout_its_numa() - whether the ITS needs the NUMA description that
 * keeps a guest's ITS tables below 2^48: there is an ITS, RAM reaches
 * above 2^48 and some bank lies wholly below it. Linux's ITS driver
 * allocates its tables on the ITS's node, and writes GITS_BASER in the
 * 48-bit form unless built with 64K pages.
 */
bool vmm_layout_its_numa(const struct vmm_layout *l);
/*
 * vmm_layout_its_tables_low() - whether a 4K- or 16K-page guest can keep
 * its ITS tables where GITS_BASER's 48-bit form reaches: there is no ITS,
 * RAM ends at or below 2^48, or vmm_layout_its_numa() steers the tables
 * into a bank below it. False: every bank reaches above 2^48, so only a
 * 64K-page guest can use the ITS (the GIC setup warns).
 */
bool vmm_layout_its_tables_low(const struct vmm_layout *l);
/* The NUMA node of bank @i under vmm_layout_its_numa(): 0 below 2^48, 1 above. */
unsigned vmm_layout_bank_node(const struct vmm_layout *l, unsigned i);

/* Largest single -m bank that fits under @req's policy at its limit. */
uint64_t vmm_layout_max_ram(const struct vmm_layout_req *req);

/* Every region, sorted by address; returns the count. */
unsigned vmm_layout_regions(const struct vmm_layout *l, struct vmm_region *out,
			    unsigned max);

void vmm_layout_print(const struct vmm_layout *l, FILE *f);

#endif
