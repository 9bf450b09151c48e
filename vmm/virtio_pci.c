/* SPDX-License-Identifier: MIT */
/*
 * virtio over PCI (virtio 1.2, 4.1). Modern: vendor capabilities point
 * into BAR 0 at the common configuration (64-bit queue addresses), the
 * ISR, the device configuration and the notification area. Legacy
 * (4.1.4.10): the old register block at the start of BAR 0 (a memory
 * BAR, which Linux's pci_iomap() maps as it would an I/O BAR) with the
 * queue's PFN in 4 KiB units, so a queue must sit below 2^44; virtio.c
 * checks each PFN. Both have MSI-X in BAR 2 and INTx A. The modern BAR
 * is 64-bit prefetchable, as QEMU's (its reads have no side effect but
 * the ISR's, which Linux maps uncached all the same); the modern device
 * also has the PCI configuration access capability (4.1.4.9), a window
 * in configuration space onto its BARs for drivers that cannot map them.
 */
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <linux/pci_regs.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ids.h>
#include <linux/virtio_mmio.h>
#include <linux/virtio_pci.h>

#include <s2/virtio.h>

#include "log.h"
#include "msix.h"
#include "pci_host.h"
#include "virtio.h"

#define VENDOR_REDHAT   0x1af4      /* the virtio PCI vendor ID (4.1.2) */
#define MODERN_DEV_BASE 0x1040
#define CFG_BAR         0
#define MSIX_BAR        2
#define COMMON_OFF      0x0000
#define ISR_OFF         0x1000
#define DEVICE_OFF      0x2000
#define NOTIFY_OFF      0x3000
#define NOTIFY_MULT     4
#define CFG_BAR_SIZE    0x4000ULL
#define LEGACY_BAR_SIZE 0x100ULL
#define COMMON(f)       offsetof(struct virtio_pci_common_cfg, f)

struct vpci {
	struct vmm_virtio_dev *d;
	struct vmm_pci_fn fn;
	struct vmm_msix msix;
	unsigned cfg_cap;         /* the VIRTIO_PCI_CAP_PCI_CFG capability, 0: none */
};

#define CFG_CAP(f)  offsetof(struct virtio_pci_cfg_cap, f)
#define CFG_DATA    CFG_CAP(pci_cfg_data)

static struct vpci vpci[VMM_PCI_MAX_DEVS];

/* Transitional device IDs (4.1.2.1) and class codes, as QEMU gives. */
static uint16_t legacy_id(uint32_t id)
{
	switch (id) {
	case VIRTIO_ID_NET: return 0x1000;
	case VIRTIO_ID_BLOCK: return 0x1001;
	case VIRTIO_ID_BALLOON: return 0x1002;
	case VIRTIO_ID_CONSOLE: return 0x1003;
	case VIRTIO_ID_RNG: return 0x1005;
	}
	return 0;
}

static uint32_t class_code(uint32_t id)
{
	switch (id) {
	case VIRTIO_ID_NET: return 0x020000;       /* Ethernet */
	case VIRTIO_ID_BLOCK: return 0x010000;     /* SCSI storage, QEMU's choice */
	case VIRTIO_ID_CONSOLE: return 0x078000;   /* other communication */
	}
	return 0xff0000;
}

/* INTx follows the ISR (4.1.4.5) unless MSI-X is on or INTx disabled. */
static void intx_update(struct vmm_virtio_dev *d)
{
	struct vpci *p = d->transport;
	uint8_t *status = &p->fn.cfg[PCI_STATUS];
	int level;

	level = d->isr && !vmm_msix_enabled(&p->msix) &&
		!(p->fn.cfg[PCI_COMMAND + 1] & (PCI_COMMAND_INTX_DISABLE >> 8));
	*status = (uint8_t)((*status & ~PCI_STATUS_INTERRUPT) | (level ? PCI_STATUS_INTERRUPT : 0));
	vmm_irq_set(d->vm, d->spi, level);
}

/* With MSI-X, queue @q's vector, or for @q < 0 the configuration vector
   only when a configuration change is what the ISR holds: a reset or a
   write to the capability is no message (4.1.5.1.3). */
static void raise(struct vmm_virtio_dev *d, int q)
{
	struct vpci *p = d->transport;

	if (vmm_msix_enabled(&p->msix)) {
		if (q >= 0)
			vmm_msix_signal(&p->msix, d->vq[q].vector);
		else if (d->isr & VIRTIO_PCI_ISR_CONFIG)
			vmm_msix_signal(&p->msix, d->config_vector);
	}
	intx_update(d);
}

static uint16_t vector_or_none(struct vpci *p, uint16_t v)
{
	return v < p->msix.nr ? v : VMM_VIRTIO_NO_VECTOR;
}

static struct vmm_vq *selected(struct vmm_virtio_dev *d)
{
	return d->queue_sel < d->desc->nr_queues ? &d->vq[d->queue_sel] : NULL;
}

static void notify(struct vmm_virtio_dev *d, unsigned q)
{
	if (q < d->desc->nr_queues && d->vq[q].ready && !d->broken)
		d->ops->notify(d, q);
}

static void set_status(struct vmm_virtio_dev *d, uint8_t v)
{
	if (!v)
		vmm_virtio_reset(d);
	else
		d->status = v | (d->status & VIRTIO_CONFIG_S_NEEDS_RESET);
}

static uint8_t read_isr(struct vmm_virtio_dev *d)
{
	uint8_t v = (uint8_t)d->isr;

	/* Reading the ISR clears it and deasserts INTx (4.1.4.5). */
	d->isr = 0;
	intx_update(d);
	return v;
}

static void common_fill(struct vmm_virtio_dev *d, struct virtio_pci_common_cfg *c)
{
	struct vmm_vq *q = selected(d);
	uint64_t feat = vmm_virtio_features(d);

	memset(c, 0, sizeof(*c));
	c->device_feature_select = d->dev_feat_sel;
	c->device_feature = d->dev_feat_sel < 2 ? (uint32_t)(feat >> (32 * d->dev_feat_sel)) : 0;
	c->guest_feature_select = d->drv_feat_sel;
	c->guest_feature = d->drv_feat_sel < 2 ?
		(uint32_t)(d->driver_features >> (32 * d->drv_feat_sel)) : 0;
	c->msix_config = d->config_vector;
	c->num_queues = (uint16_t)d->desc->nr_queues;
	c->device_status = (uint8_t)d->status;
	c->queue_select = (uint16_t)d->queue_sel;
	if (!q)
		return;
	c->queue_size = (uint16_t)(q->num ? q->num : VMM_VQ_MAX);
	c->queue_msix_vector = q->vector;
	c->queue_enable = q->ready;
	c->queue_notify_off = (uint16_t)d->queue_sel;
	c->queue_desc_lo = (uint32_t)q->desc;
	c->queue_desc_hi = (uint32_t)(q->desc >> 32);
	c->queue_avail_lo = (uint32_t)q->avail;
	c->queue_avail_hi = (uint32_t)(q->avail >> 32);
	c->queue_used_lo = (uint32_t)q->used;
	c->queue_used_hi = (uint32_t)(q->used >> 32);
}

static void set_half(uint64_t *v, bool high, uint32_t x)
{
	*v = high ? (*v & 0xffffffffULL) | (uint64_t)x << 32 : (*v & ~0xffffffffULL) | x;
}

/* A write lands in a copy of the structure; the field it hit decides
   what happens (accesses are the field's width, 4.1.3.1). */
static void common_write(struct vmm_virtio_dev *d, unsigned off, const uint8_t *data,
			 unsigned len)
{
	struct vpci *p = d->transport;
	struct virtio_pci_common_cfg c;
	struct vmm_vq *q = selected(d);

	common_fill(d, &c);
	memcpy((uint8_t *)&c + off, data, len);
	switch (off) {
	case COMMON(device_feature_select): d->dev_feat_sel = c.device_feature_select; return;
	case COMMON(guest_feature_select): d->drv_feat_sel = c.guest_feature_select; return;
	case COMMON(guest_feature):
		if (d->drv_feat_sel < 2)
			set_half(&d->driver_features, d->drv_feat_sel, c.guest_feature);
		return;
	case COMMON(msix_config): d->config_vector = vector_or_none(p, c.msix_config); return;
	case COMMON(device_status): set_status(d, c.device_status); return;
	case COMMON(queue_select): d->queue_sel = c.queue_select; return;
	}
	if (!q || q->ready)     /* an enabled queue's fields are fixed (4.1.4.3.2) */
		return;
	switch (off) {
	case COMMON(queue_size): q->num = c.queue_size; return;
	case COMMON(queue_msix_vector): q->vector = vector_or_none(p, c.queue_msix_vector); return;
	case COMMON(queue_enable):
		if (c.queue_enable == 1) {
			if (!q->num)
				q->num = VMM_VQ_MAX;
			vmm_virtio_queue_enable(d, d->queue_sel);
		}
		return;
	case COMMON(queue_desc_lo): case COMMON(queue_desc_hi):
		set_half(&q->desc, off == COMMON(queue_desc_hi), off == COMMON(queue_desc_hi) ?
			 c.queue_desc_hi : c.queue_desc_lo);
		return;
	case COMMON(queue_avail_lo): case COMMON(queue_avail_hi):
		set_half(&q->avail, off == COMMON(queue_avail_hi), off == COMMON(queue_avail_hi) ?
			 c.queue_avail_hi : c.queue_avail_lo);
		return;
	case COMMON(queue_used_lo): case COMMON(queue_used_hi):
		set_half(&q->used, off == COMMON(queue_used_hi), off == COMMON(queue_used_hi) ?
			 c.queue_used_hi : c.queue_used_lo);
		return;
	}
}

static void config_access(struct vmm_virtio_dev *d, uint64_t off, uint8_t *data, unsigned len,
			  bool write)
{
	if (write)
		return;        /* no device offers a writable field */
	memset(data, 0, len);
	for (unsigned i = 0; i < len && off + i < d->desc->config_size; i++)
		data[i] = d->config[off + i];
}

static void modern_bar(struct vmm_virtio_dev *d, uint64_t off, uint8_t *data, unsigned len,
		       bool write)
{
	if (off < COMMON_OFF + sizeof(struct virtio_pci_common_cfg)) {
		if (off + len > sizeof(struct virtio_pci_common_cfg) || len > 4) {
			if (!write)
				memset(data, 0, len);
		} else if (write) {
			common_write(d, (unsigned)off, data, len);
		} else {
			struct virtio_pci_common_cfg c;

			common_fill(d, &c);
			memcpy(data, (uint8_t *)&c + off, len);
		}
	} else if (off == ISR_OFF) {
		if (!write) {
			memset(data, 0, len);
			data[0] = read_isr(d);
		}
	} else if (off >= DEVICE_OFF && off < NOTIFY_OFF) {
		config_access(d, off - DEVICE_OFF, data, len, write);
	} else if (off >= NOTIFY_OFF && off < CFG_BAR_SIZE) {
		if (write && !((off - NOTIFY_OFF) % NOTIFY_MULT))
			notify(d, (unsigned)((off - NOTIFY_OFF) / NOTIFY_MULT));
		else if (!write)
			memset(data, 0, len);
	} else if (!write) {
		memset(data, 0, len);
	}
}

static void legacy_write(struct vmm_virtio_dev *d, uint64_t off, uint32_t v)
{
	struct vpci *p = d->transport;
	struct vmm_vq *q = selected(d);

	switch (off) {
	case VIRTIO_PCI_GUEST_FEATURES: d->driver_features = v; return;
	case VIRTIO_PCI_QUEUE_PFN:
		if (q)
			vmm_virtio_queue_legacy(d, d->queue_sel, v, S2_VIRTIO_PCI_LEGACY,
						VIRTIO_PCI_QUEUE_ADDR_SHIFT, VIRTIO_PCI_VRING_ALIGN);
		return;
	case VIRTIO_PCI_QUEUE_SEL: d->queue_sel = v & 0xffff; return;
	case VIRTIO_PCI_QUEUE_NOTIFY: notify(d, v & 0xffff); return;
	case VIRTIO_PCI_STATUS: set_status(d, (uint8_t)v); return;
	case VIRTIO_MSI_CONFIG_VECTOR: d->config_vector = vector_or_none(p, (uint16_t)v); return;
	case VIRTIO_MSI_QUEUE_VECTOR:
		if (q)
			q->vector = vector_or_none(p, (uint16_t)v);
		return;
	}
}

static uint32_t legacy_read(struct vmm_virtio_dev *d, uint64_t off)
{
	struct vmm_vq *q = selected(d);

	switch (off) {
	case VIRTIO_PCI_HOST_FEATURES: return (uint32_t)vmm_virtio_features(d);
	case VIRTIO_PCI_GUEST_FEATURES: return (uint32_t)d->driver_features;
	case VIRTIO_PCI_QUEUE_PFN: return q ? q->pfn : 0;
	/* The device sets the queue size in legacy PCI (4.1.4.10). */
	case VIRTIO_PCI_QUEUE_NUM: return q ? VMM_VQ_MAX : 0;
	case VIRTIO_PCI_QUEUE_SEL: return d->queue_sel;
	case VIRTIO_PCI_STATUS: return d->status;
	case VIRTIO_PCI_ISR: return read_isr(d);
	case VIRTIO_MSI_CONFIG_VECTOR: return d->config_vector;
	case VIRTIO_MSI_QUEUE_VECTOR: return q ? q->vector : VMM_VIRTIO_NO_VECTOR;
	}
	return 0;
}

static void legacy_bar(struct vmm_virtio_dev *d, uint64_t off, uint8_t *data, unsigned len,
		       bool write)
{
	struct vpci *p = d->transport;
	unsigned cfg = VIRTIO_PCI_CONFIG_OFF(vmm_msix_enabled(&p->msix));

	if (off >= cfg)
		config_access(d, off - cfg, data, len, write);
	else
		vmm_virtio_reg_access(d, off, data, len, write, legacy_read, legacy_write);
}

static void cfg_bar(void *opaque, uint64_t off, uint8_t *data, unsigned len, bool write)
{
	struct vmm_virtio_dev *d = opaque;

	pthread_mutex_lock(&d->lock);
	if (d->legacy)
		legacy_bar(d, off, data, len, write);
	else
		modern_bar(d, off, data, len, write);
	pthread_mutex_unlock(&d->lock);
}

static void msix_bar(void *opaque, uint64_t off, uint8_t *data, unsigned len, bool write)
{
	struct vmm_virtio_dev *d = opaque;
	struct vpci *p = d->transport;

	pthread_mutex_lock(&d->lock);
	vmm_msix_bar_access(&p->msix, off, data, len, write);
	pthread_mutex_unlock(&d->lock);
}

static uint32_t cfg_u32(const uint8_t *c)
{
	uint32_t v;

	memcpy(&v, c, 4);
	return v;
}

/*
 * The PCI configuration access window (4.1.4.9): an access to
 * pci_cfg_data is an access of cap.length bytes (1, 2 or 4, cap.offset a
 * multiple of it) at cap.offset in BAR cap.bar, decoded whether or not
 * the BAR is mapped. Anything else reads zero and writes nothing.
 * Called with the bus lock held; the BAR takes the device's lock.
 */
static void cfg_window(struct vpci *p, bool write)
{
	uint8_t *c = p->fn.cfg + p->cfg_cap, *data = c + CFG_DATA;
	unsigned bar = c[CFG_CAP(cap.bar)];
	uint32_t off = cfg_u32(c + CFG_CAP(cap.offset)), len = cfg_u32(c + CFG_CAP(cap.length));
	const struct vmm_pci_bar *b = bar < VMM_PCI_BARS ? &p->fn.bar[bar] : NULL;

	if (!write)
		memset(data, 0, 4);
	if (!b || !b->size || !b->fn || (len != 1 && len != 2 && len != 4) || off % len ||
	    off > b->size - len)
		return;
	b->fn(b->opaque, off, data, len, write);
}

static bool hits_data(const struct vpci *p, unsigned off, unsigned len)
{
	unsigned d = p->cfg_cap + CFG_DATA;

	return p->cfg_cap && off < d + 4 && off + len > d;
}

static void cap_read(struct vmm_pci_fn *f, unsigned off, unsigned len)
{
	struct vpci *p = f->opaque;

	if (hits_data(p, off, len))
		cfg_window(p, false);
}

static void cap_write(struct vmm_pci_fn *f, unsigned off, unsigned len)
{
	struct vpci *p = f->opaque;

	if (hits_data(p, off, len))
		cfg_window(p, true);
	pthread_mutex_lock(&p->d->lock);
	vmm_msix_cap_written(&p->msix);
	/* INTx is not used while MSI-X is enabled (6.8.2): lower it. */
	intx_update(p->d);
	pthread_mutex_unlock(&p->d->lock);
}

/* cap.bar, cap.offset, cap.length and pci_cfg_data are the driver's. */
static int add_cfg_cap(struct vpci *p)
{
	struct virtio_pci_cfg_cap c = { 0 };

	c.cap.cap_len = sizeof(c);
	c.cap.cfg_type = VIRTIO_PCI_CAP_PCI_CFG;
	p->cfg_cap = vmm_pci_add_cap(&p->fn, PCI_CAP_ID_VNDR, &c, sizeof(c));
	if (!p->cfg_cap)
		return -1;
	p->fn.wmask[p->cfg_cap + CFG_CAP(cap.bar)] = 0xff;
	memset(p->fn.wmask + p->cfg_cap + CFG_CAP(cap.offset), 0xff, 4);
	memset(p->fn.wmask + p->cfg_cap + CFG_CAP(cap.length), 0xff, 4);
	memset(p->fn.wmask + p->cfg_cap + CFG_DATA, 0xff, 4);
	return 0;
}

static int add_vendor_cap(struct vmm_pci_fn *f, uint8_t type, uint32_t off, uint32_t len,
			  bool notify_cap)
{
	struct virtio_pci_notify_cap c = { 0 };
	unsigned size = notify_cap ? sizeof(c) : sizeof(c.cap);

	c.cap.cap_len = (uint8_t)size;
	c.cap.cfg_type = type;
	c.cap.bar = CFG_BAR;
	c.cap.offset = off;
	c.cap.length = len;
	c.notify_off_multiplier = NOTIFY_MULT;
	return vmm_pci_add_cap(f, PCI_CAP_ID_VNDR, &c, size) ? 0 : -1;
}

int vmm_virtio_pci_init(struct vmm_virtio_dev *d, const struct vmm_region *r)
{
	struct vpci *p = &vpci[r->slot];
	uint32_t id = r->dev->virtio_id;
	uint16_t devid = d->legacy ? legacy_id(id) : (uint16_t)(MODERN_DEV_BASE + id);
	unsigned vectors = r->dev->nr_queues + 1;

	snprintf(d->where, sizeof(d->where), "virtio-pci 00:%02x.0 (%s)", r->slot,
		 d->legacy ? "legacy" : "modern");
	if (r->slot >= VMM_PCI_MAX_DEVS || (d->legacy && !devid)) {
		pr_err("%s: %s has no %s", d->where, r->dev->what,
		       r->slot >= VMM_PCI_MAX_DEVS ? "device number" : "transitional device ID");
		return -1;
	}
	memset(p, 0, sizeof(*p));
	p->d = d;
	d->transport = p;
	d->raise = raise;
	p->fn.dev = r->slot;
	p->fn.opaque = p;
	p->fn.cap_write = cap_write;
	p->fn.cap_read = cap_read;
	p->fn.bar[CFG_BAR] = d->legacy ?
		(struct vmm_pci_bar){ LEGACY_BAR_SIZE, VMM_PCI_BAR_MEM64, cfg_bar, d } :
		(struct vmm_pci_bar){ CFG_BAR_SIZE, VMM_PCI_BAR_MEM64 | VMM_PCI_BAR_PREFETCH, cfg_bar, d };
	p->fn.bar[MSIX_BAR] = (struct vmm_pci_bar){
		VMM_MSIX_BAR_SIZE, VMM_PCI_BAR_MEM64, msix_bar, d };
	if (vmm_pci_fn_init(&p->fn, VENDOR_REDHAT, devid, class_code(id), VENDOR_REDHAT,
			    (uint16_t)id, true)) {
		pr_err("%s: bad BAR", d->where);
		return -1;
	}
	/* Revision 1 for modern-only IDs, 0 for transitional (4.1.2.1). */
	p->fn.cfg[PCI_REVISION_ID] = d->legacy ? 0 : 1;
	if ((!d->legacy &&
	     (add_vendor_cap(&p->fn, VIRTIO_PCI_CAP_COMMON_CFG, COMMON_OFF,
			     sizeof(struct virtio_pci_common_cfg), false) ||
	      add_vendor_cap(&p->fn, VIRTIO_PCI_CAP_ISR_CFG, ISR_OFF, 1, false) ||
	      add_vendor_cap(&p->fn, VIRTIO_PCI_CAP_DEVICE_CFG, DEVICE_OFF,
			     r->dev->config_size ? r->dev->config_size : 1, false) ||
	      add_vendor_cap(&p->fn, VIRTIO_PCI_CAP_NOTIFY_CFG, NOTIFY_OFF,
			     NOTIFY_MULT * r->dev->nr_queues, true) ||
	      add_cfg_cap(p))) ||
	    vmm_msix_init(&p->msix, d->vm, &p->fn, MSIX_BAR, vectors) ||
	    vmm_pci_bus_add(vmm_pci_host(), &p->fn)) {
		pr_err("%s: no room for its capabilities or device number", d->where);
		return -1;
	}
	return 0;
}
