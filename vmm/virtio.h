/* SPDX-License-Identifier: MIT */
/* virtio devices and their transport: virtio-mmio v2 (modern) and v1 (legacy). */
#ifndef VMM_VIRTIO_H
#define VMM_VIRTIO_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "device.h"
#include "vm.h"

#define VMM_VQ_MAX 256

struct vmm_vq {
	uint32_t num;
	bool ready;
	uint64_t desc, avail, used;     /* guest addresses */
	uint32_t pfn, align;            /* legacy */
	uint16_t last_avail;
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
	unsigned spi;
	uint64_t base;
	uint32_t status, isr;
	uint32_t dev_feat_sel, drv_feat_sel;
	uint64_t driver_features;
	uint32_t guest_page_size;
	uint32_t queue_sel;
	struct vmm_vq *vq;              /* desc->nr_queues */
	bool broken;                    /* a device error was reported */
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
void vmm_virtio_interrupt(struct vmm_virtio_dev *d);
void vmm_virtio_fail(struct vmm_virtio_dev *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
