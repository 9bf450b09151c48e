/* SPDX-License-Identifier: MIT */
/*
 * virtio devices (virtio 1.2) apart from their transport: the device
 * state every transport shares, the split virtqueues, and device errors.
 * The transports are virtio-mmio (virtio_mmio.c) and virtio-pci
 * (virtio_pci.c), each in modern and legacy form.
 */
#ifndef VMM_VIRTIO_H
#define VMM_VIRTIO_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "device.h"
#include "vm.h"

#define VMM_VQ_MAX 256
#define VMM_VIRTIO_MAX_QUEUES 4   /* the most any registered device has */
#define VMM_VIRTIO_NO_VECTOR  0xffff

struct vmm_vq {
	uint32_t num;
	bool ready;
	uint64_t desc, avail, used;     /* guest addresses */
	uint32_t pfn, align;            /* legacy */
	uint16_t last_avail;
	uint16_t vector;                /* virtio-pci MSI-X vector */
	bool signal;                    /* used ring updated since the last interrupt */
};

struct vmm_virtio_dev;

/* What a virtio device does; its ID, queue count and config size are
   in its struct vmm_device. */
struct vmm_virtio_ops {
	uint64_t features;
	void (*notify)(struct vmm_virtio_dev *d, unsigned q);
	void (*reset)(struct vmm_virtio_dev *d);
};

struct vmm_virtio_dev {
	struct vmm_vm *vm;
	const struct vmm_device *desc;
	const struct vmm_virtio_ops *ops;
	const uint8_t *config;          /* desc->config_size bytes */
	pthread_mutex_t lock;
	bool legacy;
	char where[64];                 /* "virtio-mmio device at 0x3000000 (v2)" */
	unsigned spi;
	uint64_t base;
	uint32_t status, isr;
	uint32_t dev_feat_sel, drv_feat_sel;
	uint64_t driver_features;
	uint32_t guest_page_size;
	uint32_t queue_sel;
	uint16_t config_vector;         /* virtio-pci MSI-X vector */
	struct vmm_vq vq[VMM_VIRTIO_MAX_QUEUES];   /* desc->nr_queues of them */
	bool broken;                    /* a device error was reported */
	/* The transport: raise queue @q's interrupt, or the configuration
	   change interrupt for @q < 0; and its state. */
	void (*raise)(struct vmm_virtio_dev *d, int q);
	void *transport;
};

/*
 * vmm_virtio_init() - bring up virtio device instance @r (its
 * descriptor gives the ID, queues and config size) on the layout's
 * transport, with the device's @ops and its config space @config.
 * Return: 0, or -1 with the reason printed.
 */
int vmm_virtio_init(struct vmm_virtio_dev *d, struct vmm_vm *vm, const struct vmm_region *r,
		    const struct vmm_virtio_ops *ops, const uint8_t *config);
/* The device-tree node of virtio instance @r (struct vmm_device.fdt). */
int vmm_virtio_fdt(void *fdt, const struct vmm_layout *l, const struct vmm_region *r);

/* Virtqueue helpers for devices (called with d->lock held). */
struct vmm_vq_buf {
	uint64_t addr;
	uint32_t len;
	bool write;      /* device writes it */
};
/* Pop the next available chain into @bufs; return its length, 0 if the
   queue is empty, -1 on a malformed chain (device marked broken). */
int vmm_vq_pop(struct vmm_virtio_dev *d, unsigned q, uint16_t *head,
	       struct vmm_vq_buf *bufs, unsigned max);
void vmm_vq_push(struct vmm_virtio_dev *d, unsigned q, uint16_t head, uint32_t len);
/* Interrupt the driver for every queue pushed to since the last call. */
void vmm_virtio_interrupt(struct vmm_virtio_dev *d);
/* A device error: the device stops (DEVICE_NEEDS_RESET), says why and
   interrupts the driver with a configuration change. */
void vmm_virtio_fail(struct vmm_virtio_dev *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* For the transports (d->lock held). */
/* The device's features with VERSION_1 unless legacy. */
uint64_t vmm_virtio_features(const struct vmm_virtio_dev *d);
/* Device reset: status, features, queues (virtio 1.2, 2.4). */
void vmm_virtio_reset(struct vmm_virtio_dev *d);
/* Enable the selected modern queue from its 64-bit ring addresses, or
   fail the device when they are not inside guest RAM. */
void vmm_virtio_queue_enable(struct vmm_virtio_dev *d, unsigned qi);
/* A legacy QueuePFN for queue @qi on transport @t in units of
   2^@page_shift bytes with ring alignment @align: checked against the
   transport's reach (libs2) and guest RAM; 0 disables the queue. */
void vmm_virtio_queue_legacy(struct vmm_virtio_dev *d, unsigned qi, uint32_t pfn, int t,
			     unsigned page_shift, uint32_t align);

/*
 * vmm_virtio_reg_access() - an access of @len bytes at @off, @data in the
 * guest's (little-endian) byte order, to a transport's register block
 * whose registers are 32 bits wide or narrower, read by @rd and written
 * by @wr (both with d->lock held). The access reaches the register that
 * starts at @off: a narrow (1- or 2-byte) write gives it those bytes
 * zero-extended, a narrow read returns its low @len bytes; an offset
 * inside a register matches none, so it reads 0 and writes nothing
 * (unless @rd and @wr name a register there). Bytes past the fourth read
 * 0 and are not written.
 */
void vmm_virtio_reg_access(struct vmm_virtio_dev *d, uint64_t off, uint8_t *data, unsigned len,
			   bool write, uint32_t (*rd)(struct vmm_virtio_dev *d, uint64_t off),
			   void (*wr)(struct vmm_virtio_dev *d, uint64_t off, uint32_t v));

/* Transports' setup (virtio_mmio.c, virtio_pci.c). */
int vmm_virtio_mmio_init(struct vmm_virtio_dev *d, const struct vmm_region *r);
int vmm_virtio_mmio_fdt(void *fdt, const struct vmm_layout *l, const struct vmm_region *r);
int vmm_virtio_pci_init(struct vmm_virtio_dev *d, const struct vmm_region *r);

#endif
