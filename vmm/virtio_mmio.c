/* SPDX-License-Identifier: MIT */
/*
 * virtio-mmio (virtio 1.2, 4.2). Version 2 takes 64-bit queue addresses
 * in three register pairs; version 1 (legacy, 4.2.4) takes one 32-bit
 * QueuePFN in GuestPageSize units with the rings laid out after the
 * descriptor table at QueueAlign, checked by virtio.c.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <linux/virtio_config.h>
#include <linux/virtio_mmio.h>
#include <libfdt.h>

#include <s2/virtio.h>

#include "devtree.h"
#include "log.h"
#include "virtio.h"

#define MAGIC          0x74726976u   /* "virt" */
#define VENDOR         0x4d565332u   /* "S2VM" */
#define S_NEEDS_RESET  VIRTIO_CONFIG_S_NEEDS_RESET

/* A level-sensitive SPI, high while an interrupt status bit is set. */
static void raise_spi(struct vmm_virtio_dev *d, int q)
{
	(void)q;
	vmm_irq_set(d->vm, d->spi, d->isr ? 1 : 0);
}

static void legacy_set_pfn(struct vmm_virtio_dev *d, struct vmm_vq *q, uint32_t pfn)
{
	uint32_t ps = d->guest_page_size;

	if (pfn && (!ps || (ps & (ps - 1)))) {
		vmm_virtio_fail(d, "queue %u: GuestPageSize %u with QueuePFN %#x: %s", d->queue_sel,
				ps, pfn, ps ? "not a power of two" : "GuestPageSize was never written");
		q->pfn = 0;
		q->ready = false;
		return;
	}
	if (!q->align || (q->align & (q->align - 1)))
		q->align = ps;
	vmm_virtio_queue_legacy(d, d->queue_sel, pfn, S2_VIRTIO_MMIO_V1,
				ps ? (unsigned)__builtin_ctz(ps) : 12, q->align);
}

static void modern_set_ready(struct vmm_virtio_dev *d, struct vmm_vq *q, uint32_t v)
{
	if (!v)
		q->ready = false;
	else
		vmm_virtio_queue_enable(d, d->queue_sel);
}

static uint32_t read_reg(struct vmm_virtio_dev *d, uint64_t off)
{
	struct vmm_vq *q = d->queue_sel < d->desc->nr_queues ? &d->vq[d->queue_sel] : NULL;
	uint64_t feat = vmm_virtio_features(d);

	switch (off) {
	case VIRTIO_MMIO_MAGIC_VALUE: return MAGIC;
	case VIRTIO_MMIO_VERSION: return d->legacy ? 1 : 2;
	case VIRTIO_MMIO_DEVICE_ID: return d->desc->virtio_id;
	case VIRTIO_MMIO_VENDOR_ID: return VENDOR;
	case VIRTIO_MMIO_DEVICE_FEATURES:
		return d->dev_feat_sel > 1 ? 0 : (uint32_t)(feat >> (32 * d->dev_feat_sel));
	case VIRTIO_MMIO_QUEUE_NUM_MAX: return q ? VMM_VQ_MAX : 0;
	case VIRTIO_MMIO_QUEUE_PFN: return d->legacy && q ? q->pfn : 0;
	case VIRTIO_MMIO_QUEUE_READY: return !d->legacy && q ? q->ready : 0;
	case VIRTIO_MMIO_INTERRUPT_STATUS: return d->isr;
	case VIRTIO_MMIO_STATUS: return d->status;
	case VIRTIO_MMIO_CONFIG_GENERATION: return 0;
	}
	return 0;
}

static void set_half(uint64_t *v, bool high, uint32_t x)
{
	*v = high ? (*v & 0xffffffffULL) | (uint64_t)x << 32 : (*v & ~0xffffffffULL) | x;
}

static void write_reg(struct vmm_virtio_dev *d, uint64_t off, uint32_t v)
{
	struct vmm_vq *q = d->queue_sel < d->desc->nr_queues ? &d->vq[d->queue_sel] : NULL;

	switch (off) {
	case VIRTIO_MMIO_DEVICE_FEATURES_SEL: d->dev_feat_sel = v; return;
	case VIRTIO_MMIO_DRIVER_FEATURES:
		if (d->drv_feat_sel < 2)
			set_half(&d->driver_features, d->drv_feat_sel, v);
		return;
	case VIRTIO_MMIO_DRIVER_FEATURES_SEL: d->drv_feat_sel = v; return;
	case VIRTIO_MMIO_GUEST_PAGE_SIZE: d->guest_page_size = v; return;
	case VIRTIO_MMIO_QUEUE_SEL: d->queue_sel = v; return;
	case VIRTIO_MMIO_QUEUE_NOTIFY:
		if (v < d->desc->nr_queues && d->vq[v].ready && !d->broken)
			d->ops->notify(d, v);
		return;
	case VIRTIO_MMIO_INTERRUPT_ACK:
		d->isr &= ~v;
		raise_spi(d, -1);
		return;
	case VIRTIO_MMIO_STATUS:
		if (!v)
			vmm_virtio_reset(d);
		else
			d->status = v | (d->status & S_NEEDS_RESET);
		return;
	}
	/* A ready queue's size and addresses are fixed (virtio 1.2,
	   4.2.3.2 sets them before QueueReady, as PCI's 4.1.4.3.2 does):
	   the device reads the rings with them, and a size changed under
	   it (0: the ring index modulo 0) would have the device compute
	   places the driver never set up. Ignored, as on PCI. */
	if (!q || (q->ready && off != VIRTIO_MMIO_QUEUE_READY && off != VIRTIO_MMIO_QUEUE_PFN))
		return;
	switch (off) {
	case VIRTIO_MMIO_QUEUE_NUM: q->num = v; return;
	case VIRTIO_MMIO_QUEUE_ALIGN: if (d->legacy) q->align = v; return;
	case VIRTIO_MMIO_QUEUE_PFN: if (d->legacy) legacy_set_pfn(d, q, v); return;
	case VIRTIO_MMIO_QUEUE_READY: if (!d->legacy) modern_set_ready(d, q, v); return;
	case VIRTIO_MMIO_QUEUE_DESC_LOW: case VIRTIO_MMIO_QUEUE_DESC_HIGH:
		set_half(&q->desc, off == VIRTIO_MMIO_QUEUE_DESC_HIGH, v);
		return;
	case VIRTIO_MMIO_QUEUE_AVAIL_LOW: case VIRTIO_MMIO_QUEUE_AVAIL_HIGH:
		set_half(&q->avail, off == VIRTIO_MMIO_QUEUE_AVAIL_HIGH, v);
		return;
	case VIRTIO_MMIO_QUEUE_USED_LOW: case VIRTIO_MMIO_QUEUE_USED_HIGH:
		set_half(&q->used, off == VIRTIO_MMIO_QUEUE_USED_HIGH, v);
		return;
	}
}

static void mmio(void *opaque, uint64_t off, uint8_t *data, unsigned len, bool write)
{
	struct vmm_virtio_dev *d = opaque;

	pthread_mutex_lock(&d->lock);
	if (off >= VIRTIO_MMIO_CONFIG) {
		unsigned c = (unsigned)(off - VIRTIO_MMIO_CONFIG);

		if (!write) {
			memset(data, 0, len);
			for (unsigned i = 0; i < len && c + i < d->desc->config_size; i++)
				data[i] = d->config[c + i];
		}
	} else {
		vmm_virtio_reg_access(d, off, data, len, write, read_reg, write_reg);
	}
	pthread_mutex_unlock(&d->lock);
}

int vmm_virtio_mmio_init(struct vmm_virtio_dev *d, const struct vmm_region *r)
{
	snprintf(d->where, sizeof(d->where), "virtio-mmio device at %#" PRIx64 " (%s)", r->base,
		 d->legacy ? "legacy v1" : "v2");
	d->raise = raise_spi;
	if (vmm_mmio_register(d->vm, r->base, r->size, mmio, d)) {
		pr_err("%s: no room for another MMIO device", r->dev->what);
		return -1;
	}
	return 0;
}

int vmm_virtio_mmio_fdt(void *f, const struct vmm_layout *l, const struct vmm_region *r)
{
	(void)l;
	VMM_FDT_TRY(vmm_fdt_begin(f, "virtio", r->base));
	VMM_FDT_TRY(fdt_property_string(f, "compatible", "virtio,mmio"));
	VMM_FDT_TRY(vmm_fdt_reg(f, r->base, r->size));
	VMM_FDT_TRY(vmm_fdt_spi(f, r->spi));
	VMM_FDT_TRY(fdt_property(f, "dma-coherent", NULL, 0));
	return fdt_end_node(f);
}
