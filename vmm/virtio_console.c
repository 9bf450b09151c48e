/* SPDX-License-Identifier: MIT */
/*
 * virtio console (virtio 1.2, 5.3), one port, no multiport: queue 0
 * receives (input from a terminal on stdin), queue 1 transmits to stdout.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include <linux/virtio_ids.h>

#include "layout.h"
#include "log.h"
#include "virtio.h"

#define RXQ 0
#define TXQ 1

static struct vmm_virtio_dev con;

static void tx(struct vmm_virtio_dev *d)
{
	struct vmm_vq_buf b[16];
	uint16_t head;
	int n;

	while ((n = vmm_vq_pop(d, TXQ, &head, b, 16)) > 0) {
		uint32_t total = 0;

		for (int i = 0; i < n; i++) {
			uint8_t *p = vmm_gpa(d->vm, b[i].addr, b[i].len);
			size_t off = 0;

			if (b[i].write)
				continue;
			while (off < b[i].len) {
				ssize_t w = write(STDOUT_FILENO, p + off, b[i].len - off);

				if (w < 0 && errno == EINTR)
					continue;
				if (w <= 0)
					break;
				off += (size_t)w;
			}
			total += b[i].len;
		}
		vmm_vq_push(d, TXQ, head, 0);
		(void)total;
	}
	vmm_virtio_interrupt(d);
}

static void notify(struct vmm_virtio_dev *d, unsigned q)
{
	if (q == TXQ)
		tx(d);
}

/* Deliver one input byte if the guest has posted a receive buffer. */
static bool rx_byte(struct vmm_virtio_dev *d, uint8_t c)
{
	struct vmm_vq_buf b[4];
	uint16_t head;
	int n = vmm_vq_pop(d, RXQ, &head, b, 4);

	if (n <= 0 || !b[0].write || !b[0].len)
		return false;
	*(uint8_t *)vmm_gpa(d->vm, b[0].addr, 1) = c;
	vmm_vq_push(d, RXQ, head, 1);
	vmm_virtio_interrupt(d);
	return true;
}

static void *input_thread(void *arg)
{
	struct vmm_virtio_dev *d = arg;
	struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };
	uint8_t c;

	while (!atomic_load(&d->vm->stopping)) {
		if (poll(&p, 1, 200) <= 0)
			continue;
		if (read(STDIN_FILENO, &c, 1) != 1)
			break;
		/* Without a posted buffer the byte is dropped, as a UART
		   with a full FIFO would. */
		pthread_mutex_lock(&d->lock);
		rx_byte(d, c);
		pthread_mutex_unlock(&d->lock);
	}
	return NULL;
}

static const struct vmm_virtio_ops console_ops = {
	.features = 0,
	.notify = notify,
};

/* cols, rows, max_nr_ports (1), emerg_wr: unused without features. */
static const uint8_t console_config[12] = { 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0 };

static int console_setup(struct vmm_vm *vm, const struct vmm_region *r)
{
	pthread_t t;

	if (vmm_virtio_init(&con, vm, r, &console_ops, console_config))
		return -1;
	if (r->pci)
		pr_info("virtio console (hvc0) on %s", con.where);
	else
		pr_info("virtio console (hvc0) on virtio-mmio %s at %#llx",
			con.legacy ? "v1 (legacy)" : "v2", (unsigned long long)r->base);
	if (isatty(STDIN_FILENO) && !pthread_create(&t, NULL, input_thread, &con))
		pthread_detach(t);
	return 0;
}

static unsigned console_instances(const struct vmm_layout_req *req)
{
	return req->virtio_console;
}

static const struct vmm_device console_device = {
	.name = "virtio-console",
	.what = "virtio console",
	.kind = VMM_DEV_VIRTIO,
	.virtio_id = VIRTIO_ID_CONSOLE,
	.nr_queues = 2,
	.config_size = sizeof(console_config),
	.instances = console_instances,
	.fdt = vmm_virtio_fdt,
	.setup = console_setup,
};
VMM_DEVICE_REGISTER(console_device);
