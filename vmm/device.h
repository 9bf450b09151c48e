/* SPDX-License-Identifier: MIT */
/*
 * The device table. Each emulated device is one file that describes
 * itself with a struct vmm_device and registers it with
 * VMM_DEVICE_REGISTER(), as kvmtool's devices register their init
 * functions: the descriptors are collected in one linker section, and
 * the layout (where the windows go), the device tree (the nodes) and
 * the machine setup (the MMIO handlers and threads) iterate them. No
 * other file names a device.
 */
#ifndef VMM_DEVICE_H
#define VMM_DEVICE_H

#include <stdbool.h>
#include <stdint.h>

struct vmm_layout;
struct vmm_layout_req;
struct vmm_region;
struct vmm_vm;

enum vmm_dev_kind {
	VMM_DEV_MMIO,     /* a fixed window in the device block with one SPI */
	VMM_DEV_VIRTIO,   /* a virtio device on --virtio-transport */
};

struct vmm_device {
	const char *name;         /* short and unique: "uart", "virtio-console" */
	const char *what;         /* in messages: "the 8250 UART" */
	enum vmm_dev_kind kind;
	/* VMM_DEV_MMIO: the window's offset in the device block, its size
	   and the SPI (INTID - 32) of instance 0 (instance i: + i). */
	uint64_t offset, size;
	unsigned spi;
	/* VMM_DEV_VIRTIO: device ID (virtio 1.2, 5), queues, config bytes. */
	uint32_t virtio_id;
	unsigned nr_queues;
	unsigned config_size;
	/* How many instances @req asks for (0: absent). */
	unsigned (*instances)(const struct vmm_layout_req *req);
	/* Write the device's node(s) for region @r into the device tree
	   under construction @fdt. Return 0 or a negative libfdt error. */
	int (*fdt)(void *fdt, const struct vmm_layout *l, const struct vmm_region *r);
	/* Bring instance @r up in @vm once the GIC is initialised (MMIO
	   handlers, threads). Return 0, or -1 with the reason printed. */
	int (*setup)(struct vmm_vm *vm, const struct vmm_region *r);
};

#define VMM_DEVICE_REGISTER(d)                                               \
	static const struct vmm_device *const vmm_device_ptr_##d               \
	__attribute__((used, section("vmm_devices"), aligned(sizeof(void *)))) = &(d)

/*
 * vmm_devices() - every registered device, sorted by name so that the
 * layout does not depend on the link order.
 * @n: set to the count.
 * Return: the table (static storage, built on the first call).
 */
const struct vmm_device *const *vmm_devices(unsigned *n);

/* The registered device called @name, or NULL. */
const struct vmm_device *vmm_device_find(const char *name);

#endif
