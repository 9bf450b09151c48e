/* SPDX-License-Identifier: MIT */
/*
 * The device table. Each emulated device is one file that describes
 * itself with a struct vmm_device and registers it with
 * VMM_DEVICE_REGISTER(), as kvmtool's devices register their init
 * functions: the descriptors are collected in one linker section, and
 * the layout (where the windows go), the device tree (the nodes) and
 * the machine setup (the MMIO handlers and threads) iterate them. No
 * other file names a device. The machine's own pieces (the GIC with its
 * ITS, the stolen-time region) register the same way as platform
 * devices.
 */
#ifndef VMM_DEVICE_H
#define VMM_DEVICE_H

#include <stdbool.h>
#include <stdint.h>

struct vmm_layout;
struct vmm_layout_req;
struct vmm_region;
struct vmm_vcpu;
struct vmm_vm;

enum vmm_dev_kind {
	VMM_DEV_MMIO,     /* a fixed window in the device block with one SPI */
	VMM_DEV_VIRTIO,   /* a virtio device on --virtio-transport */
	VMM_DEV_PLATFORM, /* part of the machine (the GIC, stolen time): its
			     regions are the layout's own, its setup is staged
			     around the vCPUs' creation */
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

	/*
	 * VMM_DEV_PLATFORM only (instances() is 0 or 1; fdt() gets @r NULL
	 * and may be NULL; setup() is NULL). Platform devices are visited in
	 * @order (lower first) by the device tree and by each setup stage,
	 * so the GIC's node and setup come where KVM and Linux want them.
	 */
	int order;
	/* Put the device's regions in @l's own fields for the device block
	   at @block (NULL: it has none, nothing to note). */
	void (*place)(const struct vmm_layout_req *req, uint64_t block, struct vmm_layout *l);
	/* Copy its regions in @l (none when absent) to @out, at most @max;
	   return how many (NULL: none). */
	unsigned (*regions)(const struct vmm_layout *l, struct vmm_region *out, unsigned max);
	/* Setup stages, each optional, each a no-op when the layout has no
	   such device: before any vCPU exists (KVM_CREATE_DEVICE, memory
	   slots), for each vCPU once created, and once they all exist (the
	   GIC's init, then what needs an initialised GIC). Return 0, or a
	   negative value with the reason printed. */
	int (*vm_setup)(struct vmm_vm *vm);
	int (*vcpu_setup)(struct vmm_vm *vm, struct vmm_vcpu *v);
	int (*late_setup)(struct vmm_vm *vm);
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

/*
 * vmm_platform_devices() - the VMM_DEV_PLATFORM devices by their order
 * (then name).
 * @n: set to the count.
 * Return: the list (static storage, built on the first call).
 */
const struct vmm_device *const *vmm_platform_devices(unsigned *n);

#endif
