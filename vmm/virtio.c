/* SPDX-License-Identifier: MIT */
/*
 * What every virtio transport shares (virtio 1.2, 2): device status and
 * reset, the split virtqueues (2.7) and device errors. A legacy guest
 * whose queue sits above what its 32-bit PFN can express cannot say so:
 * its PFN wraps, and a device that trusted it would read the wrong
 * memory. So every legacy PFN is checked with libs2 and against guest
 * RAM, and a bad one becomes a device error (DEVICE_NEEDS_RESET) with a
 * message, never a silent misread.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <linux/virtio_config.h>
#include <linux/virtio_mmio.h>
#include <linux/virtio_ring.h>

#include <s2/virtio.h>

#include "log.h"
#include "virtio.h"

#define DESC_NEXT      VRING_DESC_F_NEXT
#define DESC_WRITE     VRING_DESC_F_WRITE
#define DESC_INDIRECT  VRING_DESC_F_INDIRECT

void vmm_virtio_fail(struct vmm_virtio_dev *d, const char *fmt, ...)
{
	char m[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(m, sizeof(m), fmt, ap);
	va_end(ap);
	pr_err("%s: %s", d->where, m);
	d->broken = true;
	d->status |= VIRTIO_CONFIG_S_NEEDS_RESET;
	d->isr |= VIRTIO_MMIO_INT_CONFIG;   /* the driver rereads status */
	d->raise(d, -1);
}

void vmm_virtio_interrupt(struct vmm_virtio_dev *d)
{
	for (unsigned i = 0; i < d->desc->nr_queues; i++)
		if (d->vq[i].signal) {
			d->vq[i].signal = false;
			d->raise(d, (int)i);
		}
}

uint64_t vmm_virtio_features(const struct vmm_virtio_dev *d)
{
	return d->ops->features | (d->legacy ? 0 : 1ULL << VIRTIO_F_VERSION_1);
}

void vmm_virtio_reset(struct vmm_virtio_dev *d)
{
	d->status = d->isr = 0;
	d->driver_features = 0;
	d->queue_sel = 0;
	d->broken = false;
	d->config_vector = VMM_VIRTIO_NO_VECTOR;
	memset(d->vq, 0, sizeof(d->vq));
	for (unsigned i = 0; i < VMM_VIRTIO_MAX_QUEUES; i++)
		d->vq[i].vector = VMM_VIRTIO_NO_VECTOR;
	if (d->ops->reset)
		d->ops->reset(d);
	d->raise(d, -1);
}

/*
 * Both transports decode a register by its offset alone, as QEMU's
 * legacy virtio-pci I/O handlers do: legacy virtio-pci has 8-, 16- and
 * 32-bit registers that drivers reach with accesses of their width, and
 * virtio-mmio's 32-bit registers (virtio 1.2, 4.2.2) must be accessed 32
 * bits wide, so a narrower access is a driver's mistake that still gets
 * a defined answer. Bytes are assembled explicitly: guest order is little
 * endian whatever the host's.
 */
void vmm_virtio_reg_access(struct vmm_virtio_dev *d, uint64_t off, uint8_t *data, unsigned len,
			   bool write, uint32_t (*rd)(struct vmm_virtio_dev *d, uint64_t off),
			   void (*wr)(struct vmm_virtio_dev *d, uint64_t off, uint32_t v))
{
	unsigned n = len < 4 ? len : 4;
	uint32_t v = 0;

	if (write) {
		for (unsigned i = 0; i < n; i++)
			v |= (uint32_t)data[i] << (8 * i);
		wr(d, off, v);
		return;
	}
	v = rd(d, off);
	memset(data, 0, len);
	for (unsigned i = 0; i < n; i++)
		data[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t ring_bytes(unsigned num, bool used)
{
	return used ? 6 + 8ULL * num : 6 + 2ULL * num;
}

/* Legacy: the whole queue from its PFN (4.2.4, 4.1.4.10 and 2.7
   "Legacy interfaces: A Note on Virtqueue Layout"): descriptors at the
   PFN, the available ring after them, the used ring at the next
   multiple of @align. */
void vmm_virtio_queue_legacy(struct vmm_virtio_dev *d, unsigned qi, uint32_t pfn, int t,
			     unsigned shift, uint32_t align)
{
	struct vmm_vq *q = &d->vq[qi];
	uint64_t base = (uint64_t)pfn << shift, used, end;
	uint32_t check;
	struct s2_diag diag;
	char what[64];

	if (t == S2_VIRTIO_MMIO_V1)
		snprintf(what, sizeof(what), "QueuePFN %#x x GuestPageSize %u", pfn, 1u << shift);
	else
		snprintf(what, sizeof(what), "QueuePFN %#x x %u", pfn, 1u << shift);
	q->pfn = 0;
	q->ready = false;
	if (!pfn)
		return;
	if (s2_virtio_legacy_pfn((enum s2_virtio_transport)t, shift, s2_ipa(base), &check, &diag) ||
	    check != pfn) {
		vmm_virtio_fail(d, "queue %u: %s: %s", qi, what, diag.msg);
		return;
	}
	if (!q->num)
		q->num = VMM_VQ_MAX;
	/* Legacy queue sizes are powers of two up to QueueNumMax too
	   (2.7 legacy layout; 4.2.4); a larger one would have the used
	   ring's place computed from a size the device never offered. */
	if (q->num > VMM_VQ_MAX || (q->num & (q->num - 1))) {
		vmm_virtio_fail(d, "queue %u: %s with QueueNum %u: the size is not a power of two from 1 to %u",
				qi, what, q->num, VMM_VQ_MAX);
		return;
	}
	used = (base + 16ULL * q->num + ring_bytes(q->num, false) + align - 1) & ~(uint64_t)(align - 1);
	end = used + ring_bytes(q->num, true);
	if (!vmm_gpa(d->vm, base, end - base)) {
		vmm_virtio_fail(d, "queue %u: %s puts the queue at %#" PRIx64 "..%#" PRIx64
				", outside guest RAM (a legacy PFN cannot reach above %#" PRIx64 ")",
				qi, what, base, end - 1,
				s2_virtio_legacy_limit((enum s2_virtio_transport)t, shift) - 1);
		return;
	}
	q->desc = base;
	q->avail = base + 16ULL * q->num;
	q->used = used;
	q->last_avail = 0;        /* fresh rings, as vmm_virtio_queue_enable() */
	q->ready = true;
	q->pfn = pfn;
	pr_info("%s: queue %u at PFN %#x (%u-byte units, IPA %#" PRIx64 ")",
		d->where, qi, pfn, 1u << shift, base);
}

void vmm_virtio_queue_enable(struct vmm_virtio_dev *d, unsigned qi)
{
	struct vmm_vq *q = &d->vq[qi];
	const char *ring = NULL;
	uint64_t at = 0, len = 0;

	if (!q->num || q->num > VMM_VQ_MAX || (q->num & (q->num - 1))) {
		vmm_virtio_fail(d, "queue %u: size %u is not a power of two from 1 to %u",
				qi, q->num, VMM_VQ_MAX);
		return;
	}
	/* The device touches nothing of a queue outside guest RAM. */
	if (!vmm_gpa(d->vm, q->desc, 16ULL * q->num))
		ring = "descriptor table", at = q->desc, len = 16ULL * q->num;
	else if (!vmm_gpa(d->vm, q->avail, ring_bytes(q->num, false)))
		ring = "available ring", at = q->avail, len = ring_bytes(q->num, false);
	else if (!vmm_gpa(d->vm, q->used, ring_bytes(q->num, true)))
		ring = "used ring", at = q->used, len = ring_bytes(q->num, true);
	if (ring) {
		vmm_virtio_fail(d, "queue %u: %s at %#" PRIx64 " (%" PRIu64 " bytes for size %u) is outside guest RAM",
				qi, ring, at, len, q->num);
		return;
	}
	/* A queue enabled anew has fresh rings whose available index the
	   driver starts at 0 (2.7.6): the device's count starts there too,
	   or after QueueReady 0 and 1 again it would wait for an index the
	   driver reaches only after as many requests as the old queue took. */
	q->last_avail = 0;
	q->ready = true;
	pr_info("%s: queue %u ready, descriptors at %#" PRIx64 " (64-bit address)", d->where,
		qi, q->desc);
}

/*
 * A chain (virtio 1.2, 2.7.5): descriptors linked by NEXT in the ring's
 * table, the last of which may instead point at an indirect table of
 * len / 16 descriptors chained from its entry 0 (2.7.5.3), when the
 * device offers VIRTIO_RING_F_INDIRECT_DESC. The driver must not set
 * NEXT with INDIRECT nor nest indirect tables (2.7.5.3.1); the device
 * ignores WRITE on the descriptor naming a table. Every buffer must lie
 * in guest RAM; a loop ends at @max buffers. Anything else is a device
 * error, never a read of the wrong memory.
 */
int vmm_vq_pop(struct vmm_virtio_dev *d, unsigned qi, uint16_t *head,
	       struct vmm_vq_buf *bufs, unsigned max)
{
	struct vmm_vq *q = &d->vq[qi];
	uint16_t *avail = vmm_gpa(d->vm, q->avail, ring_bytes(q->num, false));
	uint64_t table = q->desc;
	uint32_t entries = q->num;
	bool indirect = false;
	uint16_t idx, i;
	unsigned n = 0;

	if (!q->ready || !q->num || !avail)
		return 0;
	idx = __atomic_load_n(&avail[1], __ATOMIC_ACQUIRE);
	if (idx == q->last_avail)
		return 0;
	/* The driver offers at most the queue's size of chains at once
	   (2.7.6: idx counts them, free-running modulo 2^16); QEMU fails
	   the device on a larger step too, rather than take up to 65535
	   stale ring entries for requests. */
	if ((uint16_t)(idx - q->last_avail) > q->num) {
		vmm_virtio_fail(d, "queue %u: available index moved from %u to %u, more than the queue's %u entries",
				qi, q->last_avail, idx, q->num);
		return -1;
	}
	*head = i = avail[2 + q->last_avail % q->num];
	q->last_avail++;
	for (;;) {
		uint8_t *desc = i < entries ? vmm_gpa(d->vm, table + 16ULL * i, 16) : NULL;
		uint64_t addr;
		uint32_t len;
		uint16_t flags, next;

		if (!desc || n == max) {
			vmm_virtio_fail(d, "queue %u: descriptor chain from %u is malformed%s", qi, *head,
					indirect ? " (in its indirect table)" : "");
			return -1;
		}
		memcpy(&addr, desc, 8);
		memcpy(&len, desc + 8, 4);
		memcpy(&flags, desc + 12, 2);
		memcpy(&next, desc + 14, 2);
		if (flags & DESC_INDIRECT) {
			const char *why = !(d->ops->features & 1ULL << VIRTIO_RING_F_INDIRECT_DESC) ?
					  "indirect (not offered)" : indirect ? "an indirect table inside one" :
					  flags & DESC_NEXT ? "indirect with NEXT set" :
					  !len || len % 16 ? "an indirect table not a whole number of descriptors" :
					  !vmm_gpa(d->vm, addr, len) ? "an indirect table outside guest RAM" : NULL;

			if (why) {
				vmm_virtio_fail(d, "queue %u: buffer %#" PRIx64 "+%u is %s", qi, addr, len, why);
				return -1;
			}
			table = addr;
			entries = len / 16;
			indirect = true;
			i = 0;
			continue;
		}
		if (!vmm_gpa(d->vm, addr, len)) {
			vmm_virtio_fail(d, "queue %u: buffer %#" PRIx64 "+%u is outside guest RAM", qi,
					addr, len);
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

	if (!used || !q->num)
		return;
	memcpy(&idx, used + 2, 2);
	memcpy(used + 4 + 8 * (idx % q->num), e, 8);
	__atomic_store_n((uint16_t *)(used + 2), (uint16_t)(idx + 1), __ATOMIC_RELEASE);
	d->isr |= VIRTIO_MMIO_INT_VRING;
	q->signal = true;
}


int vmm_virtio_init(struct vmm_virtio_dev *d, struct vmm_vm *vm, const struct vmm_region *r,
		    const struct vmm_virtio_ops *ops, const uint8_t *config)
{
	memset(d, 0, sizeof(*d));
	if (r->dev->nr_queues > VMM_VIRTIO_MAX_QUEUES) {
		pr_err("%s: %u queues, the transport has room for %u", r->dev->what,
		       r->dev->nr_queues, VMM_VIRTIO_MAX_QUEUES);
		return -1;
	}
	pthread_mutex_init(&d->lock, NULL);
	d->vm = vm;
	d->desc = r->dev;
	d->ops = ops;
	d->config = config;
	d->config_vector = VMM_VIRTIO_NO_VECTOR;
	for (unsigned i = 0; i < VMM_VIRTIO_MAX_QUEUES; i++)
		d->vq[i].vector = VMM_VIRTIO_NO_VECTOR;
	d->legacy = vm->layout.virtio_legacy;
	d->spi = r->spi;
	d->base = r->base;
	return r->pci ? vmm_virtio_pci_init(d, r) : vmm_virtio_mmio_init(d, r);
}

int vmm_virtio_fdt(void *f, const struct vmm_layout *l, const struct vmm_region *r)
{
	return r->pci ? 0 : vmm_virtio_mmio_fdt(f, l, r);   /* PCI: the host bridge's node */
}
