/* SPDX-License-Identifier: MIT */
/*
 * virtio-mmio (virtio 1.2, 4.2). Version 2 takes 64-bit queue addresses
 * in three register pairs; version 1 (legacy, 4.2.4) takes one 32-bit
 * QueuePFN in GuestPageSize units with the rings laid out after the
 * descriptor table at QueueAlign. A legacy guest whose queue sits above
 * 2^32 pages cannot say so: its PFN wraps, and a device that trusted it
 * would read the wrong memory. So every legacy PFN is checked with libs2
 * and against guest RAM, and a bad one becomes a device error
 * (DEVICE_NEEDS_RESET) with a message, never a silent misread.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <stdlib.h>
#include <linux/virtio_config.h>
#include <linux/virtio_mmio.h>
#include <libfdt.h>

#include <s2/virtio.h>

#include "devtree.h"
#include "log.h"
#include "virtio.h"

#define MAGIC          0x74726976u   /* "virt" */
#define VENDOR         0x4d565332u   /* "S2VM" */
#define F_VERSION_1    (1ULL << VIRTIO_F_VERSION_1)
#define S_NEEDS_RESET  VIRTIO_CONFIG_S_NEEDS_RESET
#define DESC_NEXT      1
#define DESC_WRITE     2
#define DESC_INDIRECT  4

void vmm_virtio_fail(struct vmm_virtio_dev *d, const char *fmt, ...)
{
	char m[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(m, sizeof(m), fmt, ap);
	va_end(ap);
	pr_err("virtio-mmio device at %#" PRIx64 " (%s): %s", d->base,
	       d->legacy ? "legacy v1" : "v2", m);
	d->broken = true;
	d->status |= S_NEEDS_RESET;
	d->isr |= VIRTIO_MMIO_INT_CONFIG;   /* the driver rereads status */
	vmm_virtio_interrupt(d);
}

void vmm_virtio_interrupt(struct vmm_virtio_dev *d)
{
	vmm_irq_set(d->vm, d->spi, d->isr ? 1 : 0);
}

static void reset(struct vmm_virtio_dev *d)
{
	d->status = d->isr = 0;
	d->driver_features = 0;
	d->queue_sel = 0;
	d->broken = false;
	memset(d->vq, 0, sizeof(d->vq[0]) * d->desc->nr_queues);
	if (d->ops->reset)
		d->ops->reset(d);
	vmm_virtio_interrupt(d);
}

static uint64_t ring_bytes(unsigned num, bool used)
{
	return used ? 6 + 8ULL * num : 6 + 2ULL * num;
}

/* Legacy: the whole queue from its PFN (4.2.4 and 2.7 "Legacy
   interfaces: A Note on Virtqueue Layout"). */
static void legacy_set_pfn(struct vmm_virtio_dev *d, struct vmm_vq *q, uint32_t pfn)
{
	unsigned shift = (unsigned)__builtin_ctz(d->guest_page_size ? d->guest_page_size : 1);
	uint64_t base = (uint64_t)pfn << shift, used, end;
	uint32_t check;
	struct s2_diag diag;

	q->pfn = 0;
	q->ready = false;
	if (!pfn)
		return;
	if ((d->guest_page_size & (d->guest_page_size - 1)) ||
	    s2_virtio_legacy_pfn(S2_VIRTIO_MMIO_V1, shift, s2_ipa(base), &check, &diag) ||
	    check != pfn) {
		vmm_virtio_fail(d, "queue %u: GuestPageSize %u with QueuePFN %#x: %s", d->queue_sel,
				d->guest_page_size, pfn,
				d->guest_page_size ? diag.msg : "GuestPageSize was never written");
		return;
	}
	if (!q->num)
		q->num = VMM_VQ_MAX;
	if (!q->align || (q->align & (q->align - 1)))
		q->align = d->guest_page_size;
	used = (base + 16ULL * q->num + ring_bytes(q->num, false) + q->align - 1) & ~(uint64_t)(q->align - 1);
	end = used + ring_bytes(q->num, true);
	if (!vmm_gpa(d->vm, base, end - base)) {
		vmm_virtio_fail(d, "queue %u: QueuePFN %#x x GuestPageSize %u puts the queue at %#" PRIx64 "..%#" PRIx64
				", outside guest RAM (a legacy PFN cannot reach above %#" PRIx64 ")",
				d->queue_sel, pfn, d->guest_page_size, base, end - 1,
				s2_virtio_legacy_limit(S2_VIRTIO_MMIO_V1, shift) - 1);
		return;
	}
	q->desc = base;
	q->avail = base + 16ULL * q->num;
	q->used = used;
	q->ready = true;
	q->pfn = pfn;
	pr_info("virtio-mmio legacy: queue %u at PFN %#x (GuestPageSize %u, IPA %#" PRIx64 ")",
		d->queue_sel, pfn, d->guest_page_size, base);
}

static void modern_set_ready(struct vmm_virtio_dev *d, struct vmm_vq *q, uint32_t v)
{
	if (!v) {
		q->ready = false;
		return;
	}
	if (!q->num || q->num > VMM_VQ_MAX || (q->num & (q->num - 1)) ||
	    !vmm_gpa(d->vm, q->desc, 16ULL * q->num) ||
	    !vmm_gpa(d->vm, q->avail, ring_bytes(q->num, false)) ||
	    !vmm_gpa(d->vm, q->used, ring_bytes(q->num, true))) {
		vmm_virtio_fail(d, "queue %u: size %u with rings at %#" PRIx64 "/%#" PRIx64 "/%#" PRIx64
				" is not a power of two up to %u inside guest RAM",
				d->queue_sel, q->num, q->desc, q->avail, q->used, VMM_VQ_MAX);
		return;
	}
	q->ready = true;
	pr_info("virtio-mmio v2: queue %u ready, descriptors at %#" PRIx64 " (64-bit address)",
		d->queue_sel, q->desc);
}

static uint32_t read_reg(struct vmm_virtio_dev *d, uint64_t off)
{
	struct vmm_vq *q = d->queue_sel < d->desc->nr_queues ? &d->vq[d->queue_sel] : NULL;
	uint64_t feat = d->ops->features | (d->legacy ? 0 : F_VERSION_1);

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
		vmm_virtio_interrupt(d);
		return;
	case VIRTIO_MMIO_STATUS:
		if (!v)
			reset(d);
		else
			d->status = v | (d->status & S_NEEDS_RESET);
		return;
	}
	if (!q)
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
	uint32_t v = 0;

	pthread_mutex_lock(&d->lock);
	if (off >= VIRTIO_MMIO_CONFIG) {
		unsigned c = (unsigned)(off - VIRTIO_MMIO_CONFIG);

		if (!write) {
			memset(data, 0, len);
			for (unsigned i = 0; i < len && c + i < d->desc->config_size; i++)
				data[i] = d->config[c + i];
		}
	} else if (write) {
		memcpy(&v, data, len < 4 ? len : 4);
		write_reg(d, off, v);
	} else {
		v = read_reg(d, off);
		memset(data, 0, len);
		memcpy(data, &v, len < 4 ? len : 4);
	}
	pthread_mutex_unlock(&d->lock);
}

int vmm_vq_pop(struct vmm_virtio_dev *d, unsigned qi, uint16_t *head,
	       struct vmm_vq_buf *bufs, unsigned max)
{
	struct vmm_vq *q = &d->vq[qi];
	uint16_t *avail = vmm_gpa(d->vm, q->avail, ring_bytes(q->num, false));
	uint16_t idx, i;
	unsigned n = 0;

	if (!q->ready || !avail)
		return 0;
	idx = __atomic_load_n(&avail[1], __ATOMIC_ACQUIRE);
	if (idx == q->last_avail)
		return 0;
	*head = i = avail[2 + q->last_avail % q->num];
	q->last_avail++;
	for (;;) {
		uint8_t *desc = vmm_gpa(d->vm, q->desc + 16ULL * (i % q->num), 16);
		uint64_t addr;
		uint32_t len;
		uint16_t flags, next;

		if (i >= q->num || !desc || n == max) {
			vmm_virtio_fail(d, "queue %u: descriptor chain from %u is malformed", qi, *head);
			return -1;
		}
		memcpy(&addr, desc, 8);
		memcpy(&len, desc + 8, 4);
		memcpy(&flags, desc + 12, 2);
		memcpy(&next, desc + 14, 2);
		if ((flags & DESC_INDIRECT) || !vmm_gpa(d->vm, addr, len)) {
			vmm_virtio_fail(d, "queue %u: buffer %#" PRIx64 "+%u is %s", qi, addr, len,
					flags & DESC_INDIRECT ? "indirect (not offered)" : "outside guest RAM");
			return -1;
		}
		bufs[n++] = (struct vmm_vq_buf){ addr, len, (flags & DESC_WRITE) != 0 };
		if (!(flags & DESC_NEXT))
			return (int)n;
		i = next;
	}
}

void vmm_vq_push(struct vmm_virtio_dev *d, unsigned qi, uint16_t head, uint32_t len)
{
	struct vmm_vq *q = &d->vq[qi];
	uint8_t *used = vmm_gpa(d->vm, q->used, ring_bytes(q->num, true));
	uint16_t idx;
	uint32_t e[2] = { head, len };

	if (!used)
		return;
	memcpy(&idx, used + 2, 2);
	memcpy(used + 4 + 8 * (idx % q->num), e, 8);
	__atomic_store_n((uint16_t *)(used + 2), (uint16_t)(idx + 1), __ATOMIC_RELEASE);
	d->isr |= 1;
}

int vmm_virtio_init(struct vmm_virtio_dev *d, struct vmm_vm *vm, const struct vmm_region *r,
		    const struct vmm_virtio_ops *ops, const uint8_t *config)
{
	memset(d, 0, sizeof(*d));
	d->vq = calloc(r->dev->nr_queues, sizeof(*d->vq));
	if (!d->vq) {
		pr_err("%s: no memory for %u queues", r->dev->what, r->dev->nr_queues);
		return -1;
	}
	pthread_mutex_init(&d->lock, NULL);
	d->vm = vm;
	d->desc = r->dev;
	d->ops = ops;
	d->config = config;
	d->legacy = vm->layout.virtio_legacy;
	d->spi = r->spi;
	d->base = r->base;
	if (vmm_mmio_register(vm, r->base, r->size, mmio, d)) {
		pr_err("%s: no room for another MMIO device", r->dev->what);
		free(d->vq);
		d->vq = NULL;
		return -1;
	}
	return 0;
}

int vmm_virtio_fdt(void *f, const struct vmm_layout *l, const struct vmm_region *r)
{
	(void)l;
	VMM_FDT_TRY(vmm_fdt_begin(f, "virtio", r->base));
	VMM_FDT_TRY(fdt_property_string(f, "compatible", "virtio,mmio"));
	VMM_FDT_TRY(vmm_fdt_reg(f, r->base, r->size));
	VMM_FDT_TRY(vmm_fdt_spi(f, r->spi));
	VMM_FDT_TRY(fdt_property(f, "dma-coherent", NULL, 0));
	return fdt_end_node(f);
}
