/* SPDX-License-Identifier: MIT */
/*
 * 16550A register model, enough for Linux's 8250 driver and earlycon:
 * transmission is instantaneous, so THR is always empty and the THRE
 * interrupt re-arms after every write, as on real hardware with an
 * infinitely fast line. The interrupt is level: asserted while IIR has
 * a pending source.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <libfdt.h>

#include "device.h"
#include "devtree.h"
#include "log.h"
#include "vm.h"

#define IER_RDI   0x01
#define IER_THRI  0x02
#define IIR_NONE  0x01
#define IIR_THRI  0x02
#define IIR_RDI   0x04
#define IIR_FIFO  0xc0
#define LCR_DLAB  0x80
#define LSR_DR    0x01
#define LSR_THRE  0x20
#define LSR_TEMT  0x40
#define MCR_LOOP  0x10
#define MSR_IDLE  0xb0   /* DCD, DSR, CTS */
#define RXBUF     64
#define UART_REGS 8
/* kvmtool's: the first 8250 at +16 MiB, SPI 1, a page of its own. */
#define UART_OFF  0x1000000ULL
#define UART_SIZE 0x1000ULL
#define UART_SPI  1

struct uart {
	struct vmm_vm *vm;
	pthread_mutex_t lock;
	unsigned spi;
	uint8_t ier, lcr, mcr, scr, dll, dlm, fcr;
	bool thr_pending;
	uint8_t rx[RXBUF];
	unsigned rx_head, rx_count;
	int level;
};

static struct uart uart0 = { .lock = PTHREAD_MUTEX_INITIALIZER };

static uint8_t iir(struct uart *u)
{
	uint8_t f = u->fcr & 1 ? IIR_FIFO : 0;

	if ((u->ier & IER_RDI) && u->rx_count)
		return f | IIR_RDI;
	if ((u->ier & IER_THRI) && u->thr_pending)
		return f | IIR_THRI;
	return f | IIR_NONE;
}

static void update_irq(struct uart *u)
{
	int level = !(iir(u) & IIR_NONE);

	if (level != u->level) {
		u->level = level;
		vmm_irq_set(u->vm, u->spi, level);
	}
}

static void rx_push(struct uart *u, uint8_t c)
{
	if (u->rx_count < RXBUF)
		u->rx[(u->rx_head + u->rx_count++) % RXBUF] = c;
}

static void tx(struct uart *u, uint8_t c)
{
	if (u->mcr & MCR_LOOP) {
		rx_push(u, c);
		return;
	}
	ssize_t n;

	do
		n = write(STDOUT_FILENO, &c, 1);
	while (n < 0 && errno == EINTR);
}

static void uart_mmio(void *opaque, uint64_t off, uint8_t *data, unsigned len, bool write)
{
	struct uart *u = opaque;
	uint8_t v = data[0], r = 0;

	if (off >= UART_REGS) {   /* the rest of the page reads as zero */
		if (!write)
			memset(data, 0, len);
		return;
	}
	pthread_mutex_lock(&u->lock);
	if (write) {
		switch (off) {
		case 0:
			if (u->lcr & LCR_DLAB) {
				u->dll = v;
			} else {
				tx(u, v);
				u->thr_pending = true;
			}
			break;
		case 1:
			if (u->lcr & LCR_DLAB) {
				u->dlm = v;
			} else {
				/* Enabling THRI with THR empty raises it at once. */
				if (!(u->ier & IER_THRI) && (v & IER_THRI))
					u->thr_pending = true;
				u->ier = v & 0x0f;
			}
			break;
		case 2: u->fcr = v; if (v & 2) u->rx_count = 0; break;
		case 3: u->lcr = v; break;
		case 4: u->mcr = v; break;
		case 7: u->scr = v; break;
		}
	} else {
		switch (off) {
		case 0:
			if (u->lcr & LCR_DLAB) {
				r = u->dll;
			} else if (u->rx_count) {
				r = u->rx[u->rx_head];
				u->rx_head = (u->rx_head + 1) % RXBUF;
				u->rx_count--;
			}
			break;
		case 1: r = u->lcr & LCR_DLAB ? u->dlm : u->ier; break;
		case 2:
			r = iir(u);
			/* Reading IIR acknowledges a THRE interrupt. */
			if ((r & 0x0f) == IIR_THRI)
				u->thr_pending = false;
			break;
		case 3: r = u->lcr; break;
		case 4: r = u->mcr; break;
		case 5: r = LSR_THRE | LSR_TEMT | (u->rx_count ? LSR_DR : 0); break;
		case 6: r = u->mcr & MCR_LOOP ? (uint8_t)((u->mcr & 0x0f) << 4) : MSR_IDLE; break;
		case 7: r = u->scr; break;
		}
		memset(data, 0, len);
		data[0] = r;
	}
	update_irq(u);
	pthread_mutex_unlock(&u->lock);
}

static void *input_thread(void *arg)
{
	struct uart *u = arg;
	struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };
	uint8_t c;

	while (!atomic_load(&u->vm->stopping)) {
		if (poll(&p, 1, 200) <= 0)
			continue;
		if (read(STDIN_FILENO, &c, 1) != 1)
			break;
		pthread_mutex_lock(&u->lock);
		rx_push(u, c);
		update_irq(u);
		pthread_mutex_unlock(&u->lock);
	}
	return NULL;
}

static int uart_setup(struct vmm_vm *vm, const struct vmm_region *r)
{
	pthread_t t;

	uart0.vm = vm;
	uart0.spi = r->spi;
	if (vmm_mmio_register(vm, r->base, r->size, uart_mmio, &uart0))
		return -1;
	/* Input only from a terminal: in scripts stdin is not the guest's. */
	if (isatty(STDIN_FILENO) && !pthread_create(&t, NULL, input_thread, &uart0))
		pthread_detach(t);
	return 0;
}

static int uart_fdt(void *f, const struct vmm_layout *l, const struct vmm_region *r)
{
	(void)l;
	VMM_FDT_TRY(vmm_fdt_begin(f, "uart", r->base));
	VMM_FDT_TRY(fdt_property_string(f, "compatible", "ns16550a"));
	VMM_FDT_TRY(vmm_fdt_reg(f, r->base, UART_REGS));
	VMM_FDT_TRY(fdt_property_u32(f, "clock-frequency", 1843200));
	VMM_FDT_TRY(vmm_fdt_spi(f, r->spi));
	return fdt_end_node(f);
}

/* Always there: the console of last resort and earlycon's. */
static unsigned uart_instances(const struct vmm_layout_req *req)
{
	(void)req;
	return 1;
}

static const struct vmm_device uart_device = {
	.name = "uart",
	.what = "the 8250 UART",
	.kind = VMM_DEV_MMIO,
	.offset = UART_OFF,
	.size = UART_SIZE,
	.spi = UART_SPI,
	.instances = uart_instances,
	.fdt = uart_fdt,
	.setup = uart_setup,
};
VMM_DEVICE_REGISTER(uart_device);
