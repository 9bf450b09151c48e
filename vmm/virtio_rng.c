/* SPDX-License-Identifier: MIT */
/* virtio entropy device (virtio 1.2, 5.4): fills what the driver posts. */
#include <errno.h>
#include <sys/random.h>
#include <linux/virtio_ids.h>

#include "layout.h"
#include "log.h"
#include "virtio.h"

static struct vmm_virtio_dev rng;

static void notify(struct vmm_virtio_dev *d, unsigned q)
{
	struct vmm_vq_buf b[16];
	uint16_t head;
	int n;

	while ((n = vmm_vq_pop(d, q, &head, b, 16)) > 0) {
		uint32_t total = 0;

		for (int i = 0; i < n; i++) {
			uint8_t *p = vmm_gpa(d->vm, b[i].addr, b[i].len);
			uint32_t off = 0;

			if (!b[i].write)
				continue;
			while (off < b[i].len) {
				ssize_t got = getrandom(p + off, b[i].len - off, 0);

				if (got < 0 && errno == EINTR)
					continue;
				if (got <= 0)
					break;
				off += (uint32_t)got;
			}
			total += off;
		}
		vmm_vq_push(d, q, head, total);
	}
	vmm_virtio_interrupt(d);
}

static const struct vmm_virtio_ops rng_ops = {
	.notify = notify,
};

static int rng_setup(struct vmm_vm *vm, const struct vmm_region *r)
{
	if (vmm_virtio_init(&rng, vm, r, &rng_ops, NULL))
		return -1;
	pr_info("virtio-rng on %s", rng.where);
	return 0;
}

static unsigned rng_instances(const struct vmm_layout_req *req)
{
	return req->rng;
}

static const struct vmm_device rng_device = {
	.name = "virtio-rng",
	.what = "virtio-rng",
	.kind = VMM_DEV_VIRTIO,
	.virtio_id = VIRTIO_ID_RNG,
	.nr_queues = 1,
	.config_size = 0,
	.instances = rng_instances,
	.fdt = vmm_virtio_fdt,
	.setup = rng_setup,
};
VMM_DEVICE_REGISTER(rng_device);
