/* SPDX-License-Identifier: MIT */
/*
 * A virtio-pci console driven from bare metal: the capabilities and the
 * PCI configuration access window (virtio 1.2, 4.1.4), MSI-X vectors
 * sent through the in-kernel ITS and their masking (PCI Local Bus 3.0,
 * 6.8.2.9-10: a masked vector's message is held as a pending bit and
 * sent once when the mask clears), and queues the device must refuse:
 * modern rings outside RAM and legacy queue PFNs beyond it (4.1.4.10).
 * A refused queue is a device error (DEVICE_NEEDS_RESET and a
 * configuration interrupt), after which the guest and s2vmm carry on.
 */
#include "vpci.h"
#include "gicv3.h"
#include "gio.h"
#include "pci.h"

#define VENDOR_VIRTIO   0x1af4
#define CAP_VNDR        0x09
#define CAP_MSIX        0x11
/* struct virtio_pci_cap and its users (4.1.4). */
#define VCAP_TYPE       3
#define VCAP_BAR        4
#define VCAP_OFFSET     8
#define VCAP_LENGTH     12
#define VCAP_NOTIFY_MUL 16
#define VCAP_CFG_DATA   16
#define T_COMMON        1
#define T_NOTIFY        2
#define T_ISR           3
#define T_DEVICE        4
#define T_PCI_CFG       5
/* struct virtio_pci_common_cfg (4.1.4.3). */
#define CC_DFSEL        0
#define CC_DF           4
#define CC_GFSEL        8
#define CC_GF           12
#define CC_MSIX_CONFIG  16
#define CC_NUM_QUEUES   18
#define CC_STATUS       20
#define CC_Q_SELECT     22
#define CC_Q_SIZE       24
#define CC_Q_VECTOR     26
#define CC_Q_ENABLE     28
#define CC_Q_NOTIFY_OFF 30
#define CC_Q_DESC       32
#define CC_Q_AVAIL      40
#define CC_Q_USED       48
/* The legacy register block (4.1.4.10) with MSI-X on. */
#define L_GUEST_FEAT    4
#define L_QUEUE_PFN     8
#define L_QUEUE_NUM     12
#define L_QUEUE_SEL     14
#define L_QUEUE_NOTIFY  16
#define L_STATUS        18
#define L_CONFIG_VECTOR 20
#define L_QUEUE_VECTOR  22
/* Device status (2.1). */
#define S_ACK           1
#define S_DRIVER        2
#define S_DRIVER_OK     4
#define S_FEATURES_OK   8
#define S_NEEDS_RESET   0x40
/* MSI-X capability and table (6.8.2). */
#define MX_CONTROL      2
#define MX_TABLE        4
#define MX_PBA          8
#define MX_ENABLE       (1u << 15)
#define MX_MASKALL      (1u << 14)
#define MX_ENTRY        16
#define MX_CTRL         12

#define TXQ        1         /* the console's transmitq */
#define Q_NUM      8
#define LEGACY_NUM 256       /* the legacy device's fixed queue size */
#define LPI0       (LPI_BASE + 16)   /* vector v: LPI0 + v */
#define NONE_MS    300

struct dev {
	struct pci_fn f;
	struct gic g;
	uint64_t common, notify, isr, window;     /* addresses; window: config offset */
	uint32_t notify_mul;
	unsigned msix;                            /* capability offset */
	uint64_t table, pba;
	uint16_t ram_used;                        /* buffers the device has used */
};

static uint8_t vq_mem[4096] __attribute__((aligned(4096)));
static uint8_t legacy_vq[3 * 4096] __attribute__((aligned(4096)));
static char line[64];

static uint64_t pa(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

static bool find_virtio(const void *fdt, struct pci_host *h, struct dev *d)
{
	if (!pci_find_host(fdt, h))
		return false;
	for (unsigned n = 0; n < 32; n++)
		if (pci_probe(h, n, &d->f) && d->f.vendor == VENDOR_VIRTIO) {
			puts_("s2vmm-guest: pci: 00:");
			putc_((char)('0' + n / 10));
			putc_((char)('0' + n % 10));
			puts_(".0 vendor ");
			putdec(d->f.vendor);
			puts_(" device ");
			putdec(d->f.device);
			puts_(" revision ");
			putdec(r8(d->f.cfg + 8));
			putln("");
			return true;
		}
	return false;
}

/* The LPIs that arrive within @ms: returns how many were @want; any
   other makes *@other nonzero. */
static unsigned take(unsigned want, unsigned ms, unsigned *other)
{
	unsigned n = 0, id;

	for (id = gic_ack(ms); id != INTID_SPURIOUS; id = gic_ack(NONE_MS)) {
		puts_("s2vmm-guest: msix: LPI ");
		putdec(id);
		putln("");
		if (id == want)
			n++;
		else
			(*other)++;
	}
	return n;
}

static bool msix_setup(const void *fdt, struct dev *d, unsigned vectors)
{
	uint32_t t, p;
	uint32_t devid = d->f.dev << 3;     /* requester ID: bus 0, function 0 */

	d->msix = pci_find_cap(&d->f, CAP_MSIX, 0);
	if (!d->msix || !gic_find(fdt, &d->g) || !d->g.its) {
		check(false, "msix: an MSI-X capability and an ITS");
		return false;
	}
	t = r32(d->f.cfg + d->msix + MX_TABLE);
	p = r32(d->f.cfg + d->msix + MX_PBA);
	d->table = d->f.bar[t & 7] + (t & ~7u);
	d->pba = d->f.bar[p & 7] + (p & ~7u);
	if (!d->f.bar[t & 7] || !d->f.bar[p & 7] ||
	    (r16(d->f.cfg + d->msix + MX_CONTROL) & 0x7ff) + 1u < vectors) {
		check(false, "msix: table and PBA in assigned BARs, enough vectors");
		return false;
	}
	gic_init_cpu(&d->g, 0);
	if (!its_setup(&d->g, 0) || !its_map_device(&d->g, 0, devid)) {
		check(false, "msix: ITS tables, MAPD and MAPC");
		return false;
	}
	for (unsigned v = 0; v < vectors; v++) {
		uint64_t e = d->table + MX_ENTRY * v;

		if (!its_map_event(&d->g, 0, devid, v, LPI0 + v)) {
			check(false, "msix: MAPTI");
			return false;
		}
		w32(e, (uint32_t)its_translater(&d->g));
		w32(e + 4, (uint32_t)(its_translater(&d->g) >> 32));
		w32(e + 8, v);
		w32(e + MX_CTRL, 0);
	}
	w16(d->f.cfg + d->msix + MX_CONTROL, MX_ENABLE);
	puts_("s2vmm-guest: msix: ");
	putdec(vectors);
	puts_(" vectors to GITS_TRANSLATER ");
	puthex(its_translater(&d->g));
	puts_(", ITS device ");
	putdec(devid);
	putln("");
	check(gic_ack(NONE_MS) == INTID_SPURIOUS, "msix: ITS mapped, vectors programmed, nothing pending");
	return true;
}

/* Put one console line in the queue at @mem (@num entries; the
   available ring follows the descriptors) and return the index it makes. */
static uint16_t vq_add(uint8_t *mem, unsigned num, uint16_t idx)
{
	uint8_t *desc = mem + 16 * (idx % num), *avail = mem + 16 * num;
	unsigned len = 0;
	const char *m = "s2vmm-guest: virtio console line ";

	while (*m)
		line[len++] = *m++;
	line[len++] = (char)('0' + idx % 10);
	line[len++] = '\n';
	*(volatile uint64_t *)desc = pa(line);
	*(volatile uint32_t *)(desc + 8) = len;
	*(volatile uint16_t *)(desc + 12) = 0;
	*(volatile uint16_t *)(avail + 4 + 2 * (idx % num)) = (uint16_t)(idx % num);
	DSB();
	*(volatile uint16_t *)(avail + 2) = (uint16_t)(idx + 1);
	DSB();
	return (uint16_t)(idx + 1);
}

static uint16_t used_idx(const uint8_t *used)
{
	return *(const volatile uint16_t *)(used + 2);
}

static uint64_t ram_of(const void *fdt, uint64_t *end)
{
	const uint8_t *reg = dt_prop(fdt, "memory@", "reg", 0);
	uint64_t base = reg ? be64(reg) : 0;

	*end = reg ? base + be64(reg + 8) : 0;
	return base;
}

static bool alive(void)
{
	return psci(PSCI_VERSION, 0, 0, 0) >= 0x10000;
}

/* Modern: send one line on the transmit queue; return how often vector
   1's LPI came, and whether the PBA's bit 1 is set after NONE_MS. */
static unsigned modern_tx(struct dev *d, bool *pba, unsigned *other, uint16_t *idx)
{
	unsigned n;

	*idx = vq_add(vq_mem, Q_NUM, *idx);
	w16(d->notify + TXQ * d->notify_mul, TXQ);
	n = take(LPI0 + 1, NONE_MS, other);
	*pba = (r32(d->pba) >> 1) & 1;
	return n;
}

static void vcaps(struct dev *d)
{
	unsigned seen = 0;
	bool inside = true;

	for (unsigned c = pci_find_cap(&d->f, CAP_VNDR, 0); c; c = pci_find_cap(&d->f, CAP_VNDR, c)) {
		unsigned type = r8(d->f.cfg + c + VCAP_TYPE), bar = r8(d->f.cfg + c + VCAP_BAR);
		uint32_t off = r32(d->f.cfg + c + VCAP_OFFSET), len = r32(d->f.cfg + c + VCAP_LENGTH);
		uint64_t at = bar < PCI_BARS ? d->f.bar[bar] + off : 0;

		if (type == T_PCI_CFG) {
			d->window = c;
			seen |= 1u << type;
			continue;
		}
		if (type < T_COMMON || type > T_DEVICE)
			continue;
		seen |= 1u << type;
		inside &= bar < PCI_BARS && d->f.bar[bar] && len && off + len <= d->f.size[bar];
		if (type == T_COMMON)
			d->common = at;
		else if (type == T_ISR)
			d->isr = at;
		else if (type == T_NOTIFY) {
			d->notify = at;
			d->notify_mul = r32(d->f.cfg + c + VCAP_NOTIFY_MUL);
		}
	}
	check(seen == 0x3e && inside,
	      "virtio-pci: common, notify, ISR, device and PCI config capabilities, each inside its BAR");
}

/* The PCI configuration access window: @len bytes at @off in BAR @bar. */
static void win_set(struct dev *d, unsigned bar, uint32_t off, uint32_t len)
{
	w8(d->f.cfg + d->window + VCAP_BAR, (uint8_t)bar);
	w32(d->f.cfg + d->window + VCAP_OFFSET, off);
	w32(d->f.cfg + d->window + VCAP_LENGTH, len);
}

static void cfg_window(struct dev *d)
{
	uint64_t cc_off = d->common - d->f.bar[0];
	uint32_t a, b;

	if (!d->window || d->common < d->f.bar[0] || d->common >= d->f.bar[0] + d->f.size[0]) {
		check(false, "virtio-pci: the PCI config window and the common configuration in BAR 0");
		return;
	}
	win_set(d, 0, (uint32_t)cc_off + CC_NUM_QUEUES, 2);
	a = r32(d->f.cfg + d->window + VCAP_CFG_DATA);
	b = r16(d->common + CC_NUM_QUEUES);
	puts_("s2vmm-guest: virtio-pci: num_queues through the window ");
	putdec(a);
	puts_(", through the BAR ");
	putdec(b);
	putln("");
	check(a == b && b >= 2, "virtio-pci: PCI config window reads num_queues (2 bytes) as the BAR does");
	w32(d->common + CC_DFSEL, 1);
	win_set(d, 0, (uint32_t)cc_off + CC_DF, 4);
	a = r32(d->f.cfg + d->window + VCAP_CFG_DATA);
	check(a == r32(d->common + CC_DF) && (a & 1),
	      "virtio-pci: PCI config window reads device_feature (4 bytes, VERSION_1) as the BAR does");
	win_set(d, 0, (uint32_t)cc_off + CC_Q_SELECT, 2);
	w32(d->f.cfg + d->window + VCAP_CFG_DATA, 0xabcd0001);
	win_set(d, 0, (uint32_t)cc_off + CC_STATUS, 1);
	w32(d->f.cfg + d->window + VCAP_CFG_DATA, 0xffffff00 | S_ACK);
	check(r16(d->common + CC_Q_SELECT) == 1 && r8(d->common + CC_STATUS) == S_ACK,
	      "virtio-pci: PCI config window writes queue_select (2 bytes) and device_status (1 byte)");
	/* The memory decode off: the window still reaches the BAR. */
	w16(d->f.cfg + 4, 0);
	win_set(d, 0, (uint32_t)cc_off + CC_Q_SELECT, 2);
	a = r32(d->f.cfg + d->window + VCAP_CFG_DATA);
	w16(d->f.cfg + 4, 6);
	check(a == 1, "virtio-pci: PCI config window works with memory decoding off");
	w8(d->common + CC_STATUS, 0);
}

static void modern_masks(struct dev *d)
{
	unsigned other = 0, n;
	uint16_t idx = 0;
	bool pba;

	/* Driver init (3.1.1), then the transmit queue with vector 1. */
	w8(d->common + CC_STATUS, S_ACK | S_DRIVER);
	w32(d->common + CC_GFSEL, 1);
	w32(d->common + CC_GF, 1);                     /* VERSION_1 */
	w32(d->common + CC_GFSEL, 0);
	w32(d->common + CC_GF, 0);
	w8(d->common + CC_STATUS, S_ACK | S_DRIVER | S_FEATURES_OK);
	w16(d->common + CC_MSIX_CONFIG, 0);
	w16(d->common + CC_Q_SELECT, TXQ);
	w16(d->common + CC_Q_SIZE, Q_NUM);
	w16(d->common + CC_Q_VECTOR, 1);
	w32(d->common + CC_Q_DESC, (uint32_t)pa(vq_mem));
	w32(d->common + CC_Q_DESC + 4, (uint32_t)(pa(vq_mem) >> 32));
	w32(d->common + CC_Q_AVAIL, (uint32_t)pa(vq_mem + 16 * Q_NUM));
	w32(d->common + CC_Q_AVAIL + 4, (uint32_t)(pa(vq_mem) >> 32));
	w32(d->common + CC_Q_USED, (uint32_t)pa(vq_mem + 256));
	w32(d->common + CC_Q_USED + 4, (uint32_t)(pa(vq_mem) >> 32));
	w16(d->common + CC_Q_ENABLE, 1);
	w8(d->common + CC_STATUS, S_ACK | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK);
	check(r16(d->common + CC_Q_ENABLE) == 1 && r16(d->common + CC_MSIX_CONFIG) == 0 &&
	      r16(d->common + CC_Q_VECTOR) == 1 && r16(d->common + CC_Q_NOTIFY_OFF) == TXQ &&
	      r8(d->common + CC_STATUS) == (S_ACK | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK),
	      "msix: driver ready, transmit queue on vector 1, configuration on vector 0");

	n = modern_tx(d, &pba, &other, &idx);
	check(n == 1 && !other && !pba && used_idx(vq_mem + 256) == 1,
	      "msix: unmasked vector 1 delivers its LPI exactly once (the line was used)");

	w32(d->table + MX_ENTRY * 1 + MX_CTRL, 1);
	n = modern_tx(d, &pba, &other, &idx);
	check(n == 0 && !other && pba && used_idx(vq_mem + 256) == 2,
	      "msix: vector 1 masked (its Mask bit): no LPI, PBA bit 1 set");
	w32(d->table + MX_ENTRY * 1 + MX_CTRL, 0);
	n = take(LPI0 + 1, 2000, &other);
	check(n == 1 && !other && !((r32(d->pba) >> 1) & 1),
	      "msix: unmasking vector 1 delivers the LPI exactly once and clears PBA bit 1");

	w16(d->f.cfg + d->msix + MX_CONTROL, MX_ENABLE | MX_MASKALL);
	n = modern_tx(d, &pba, &other, &idx);
	check(n == 0 && !other && pba && used_idx(vq_mem + 256) == 3,
	      "msix: Function Mask: no LPI, PBA bit 1 set");
	w16(d->f.cfg + d->msix + MX_CONTROL, MX_ENABLE);
	n = take(LPI0 + 1, 2000, &other);
	check(n == 1 && !other && !((r32(d->pba) >> 1) & 1),
	      "msix: clearing Function Mask delivers the LPI exactly once and clears PBA bit 1");
}

/* Queue 0 with ring @ring of @len bytes at @at (the others in vq_mem):
   enabling it must fail the device with one configuration LPI. */
static bool modern_bad_queue(struct dev *d, unsigned ring, uint64_t at)
{
	unsigned other = 0, n;
	uint64_t a[3] = { pa(vq_mem), pa(vq_mem + 16 * Q_NUM), pa(vq_mem + 256) };

	a[ring] = at;
	w8(d->common + CC_STATUS, 0);
	w8(d->common + CC_STATUS, S_ACK | S_DRIVER);
	w16(d->common + CC_MSIX_CONFIG, 0);
	w16(d->common + CC_Q_SELECT, 0);
	w16(d->common + CC_Q_SIZE, Q_NUM);
	for (unsigned i = 0; i < 3; i++) {
		w32(d->common + CC_Q_DESC + 8 * i, (uint32_t)a[i]);
		w32(d->common + CC_Q_DESC + 8 * i + 4, (uint32_t)(a[i] >> 32));
	}
	w16(d->common + CC_Q_ENABLE, 1);
	w16(d->notify, 0);
	n = take(LPI0, 2000, &other);
	puts_("s2vmm-guest: virtio-pci: rings at ");
	puthex(a[0]);
	puts_("/");
	puthex(a[1]);
	puts_("/");
	puthex(a[2]);
	puts_(" -> status ");
	puthex(r8(d->common + CC_STATUS));
	puts_(" queue_enable ");
	putdec(r16(d->common + CC_Q_ENABLE));
	puts_(" configuration LPIs ");
	putdec(n);
	putln("");
	return r16(d->common + CC_Q_ENABLE) == 0 && (r8(d->common + CC_STATUS) & S_NEEDS_RESET) &&
	       n == 1 && !other;
}

static void modern_errors(const void *fdt, struct dev *d)
{
	uint64_t end, base = ram_of(fdt, &end);
	volatile uint64_t *tail = (volatile uint64_t *)(uintptr_t)(end - 64);
	uint64_t save[8];
	bool same = true;

	check(modern_bad_queue(d, 0, 0xfff0000000000000ULL),
	      "virtio-pci: descriptors at 0xfff0000000000000 (beyond any IPA): queue refused, DEVICE_NEEDS_RESET, one configuration LPI");
	check(modern_bad_queue(d, 1, 1ULL << 52),
	      "virtio-pci: available ring at 2^52: queue refused, DEVICE_NEEDS_RESET, one configuration LPI");
	if (!end || pa(vq_mem) < base || pa(vq_mem) >= end) {
		check(false, "virtio-pci: the guest runs in the first memory node");
		return;
	}
	/* The used ring from 64 bytes below the end of RAM runs past it
	   (6 + 8 * 8 bytes): the device must refuse it whole. */
	for (unsigned i = 0; i < 8; i++) {
		save[i] = tail[i];
		tail[i] = 0x5332564d00000000ULL | i;
	}
	DSB();
	check(modern_bad_queue(d, 2, end - 64),
	      "virtio-pci: used ring across the end of RAM: queue refused, DEVICE_NEEDS_RESET, one configuration LPI");
	for (unsigned i = 0; i < 8; i++) {
		same &= tail[i] == (0x5332564d00000000ULL | i);
		tail[i] = save[i];
	}
	check(same, "virtio-pci: the RAM below the refused used ring is untouched");
	w8(d->common + CC_STATUS, 0);
	check(r8(d->common + CC_STATUS) == 0, "virtio-pci: reset clears DEVICE_NEEDS_RESET");
	check(alive(), "virtio-pci: s2vmm still answers (PSCI VERSION) after the device errors");
}

void vpci_modern(const void *fdt)
{
	struct pci_host h;
	static struct dev d;      /* zero (a local would need memset) */
	bool ok;

	if (!find_virtio(fdt, &h, &d)) {
		check(false, "pci: a virtio device on bus 0");
		return;
	}
	check(d.f.device >= 0x1040 && r8(d.f.cfg + 8) >= 1, "pci: a modern virtio device (ID 0x1040 + n, revision 1)");
	ok = pci_assign_bars(&h, &d.f);
	check(ok, "pci: BARs sized, placed in the window, read back");
	if (!ok)
		return;
	vcaps(&d);
	check(d.f.mem64[0] && d.f.prefetch[0] && d.f.mem64[2],
	      "pci: BAR 0 is 64-bit prefetchable, BAR 2 64-bit");
	cfg_window(&d);
	if (!d.common || !d.notify || !msix_setup(fdt, &d, 3))
		return;
	modern_masks(&d);
	modern_errors(fdt, &d);
}

static bool legacy_bad_pfn(uint64_t bar, uint32_t pfn)
{
	unsigned other = 0, n;

	w8(bar + L_STATUS, 0);
	w8(bar + L_STATUS, S_ACK | S_DRIVER);
	w16(bar + L_CONFIG_VECTOR, 0);
	w16(bar + L_QUEUE_SEL, 0);
	w32(bar + L_QUEUE_PFN, pfn);
	n = take(LPI0, 2000, &other);
	puts_("s2vmm-guest: virtio-pci legacy: QueuePFN ");
	puthex(pfn);
	puts_(" -> status ");
	puthex(r8(bar + L_STATUS));
	puts_(" QueuePFN reads ");
	puthex(r32(bar + L_QUEUE_PFN));
	puts_(" configuration LPIs ");
	putdec(n);
	putln("");
	return (r8(bar + L_STATUS) & S_NEEDS_RESET) && r32(bar + L_QUEUE_PFN) == 0 && n == 1 && !other;
}

void vpci_legacy(const void *fdt)
{
	struct pci_host h;
	static struct dev d;      /* zero (a local would need memset) */
	bool ok;
	uint64_t end, bar;
	unsigned other = 0, n;
	volatile uint64_t *tail;
	uint64_t save[8];
	bool same = true;

	ram_of(fdt, &end);
	if (!find_virtio(fdt, &h, &d)) {
		check(false, "pci: a virtio device on bus 0");
		return;
	}
	check(d.f.device >= 0x1000 && d.f.device < 0x1040 && r8(d.f.cfg + 8) == 0 &&
	      !pci_find_cap(&d.f, CAP_VNDR, 0),
	      "pci: a transitional virtio device (ID 0x1000..0x103f, revision 0), no vendor capabilities");
	ok = pci_assign_bars(&h, &d.f) && d.f.bar[0];
	check(ok, "pci: BARs sized, placed in the window, read back");
	if (!ok)
		return;
	if (!msix_setup(fdt, &d, 3))
		return;
	bar = d.f.bar[0];
	w16(bar + L_QUEUE_SEL, 0);
	check(r16(bar + L_QUEUE_NUM) == LEGACY_NUM, "virtio-pci legacy: queue 0 has 256 entries");
	/* The last page a 32-bit PFN of 4 KiB reaches (just below 2^44). */
	check(legacy_bad_pfn(bar, 0xffffffffu),
	      "virtio-pci legacy: QueuePFN 0xffffffff (the top of the 2^44 reach, no RAM): refused, DEVICE_NEEDS_RESET, one configuration LPI");
	/* RAM's last page: the queue's 10 KiB run past the end of RAM. */
	tail = (volatile uint64_t *)(uintptr_t)(end - 4096);
	for (unsigned i = 0; i < 8; i++) {
		save[i] = tail[i];
		tail[i] = 0x5332564d00000000ULL | i;
	}
	DSB();
	check(legacy_bad_pfn(bar, (uint32_t)((end >> 12) - 1)),
	      "virtio-pci legacy: QueuePFN of RAM's last page (the queue runs past RAM): refused, DEVICE_NEEDS_RESET, one configuration LPI");
	for (unsigned i = 0; i < 8; i++) {
		same &= tail[i] == (0x5332564d00000000ULL | i);
		tail[i] = save[i];
	}
	check(same, "virtio-pci legacy: RAM's last page is untouched");
	check(alive(), "virtio-pci legacy: s2vmm still answers (PSCI VERSION) after the device errors");
	/* Reset; the transmit queue in RAM works, its vector delivers. */
	w8(bar + L_STATUS, 0);
	check(r8(bar + L_STATUS) == 0, "virtio-pci legacy: reset clears DEVICE_NEEDS_RESET");
	w8(bar + L_STATUS, S_ACK | S_DRIVER);
	w32(bar + L_GUEST_FEAT, 0);
	w16(bar + L_CONFIG_VECTOR, 0);
	w16(bar + L_QUEUE_SEL, TXQ);
	w16(bar + L_QUEUE_VECTOR, 1);
	w32(bar + L_QUEUE_PFN, (uint32_t)(pa(legacy_vq) >> 12));
	w8(bar + L_STATUS, S_ACK | S_DRIVER | S_DRIVER_OK);
	check(r32(bar + L_QUEUE_PFN) == (uint32_t)(pa(legacy_vq) >> 12) && r16(bar + L_QUEUE_VECTOR) == 1 &&
	      !(r8(bar + L_STATUS) & S_NEEDS_RESET),
	      "virtio-pci legacy: a QueuePFN inside RAM is taken and reads back");
	vq_add(legacy_vq, LEGACY_NUM, 0);
	w16(bar + L_QUEUE_NOTIFY, TXQ);
	n = take(LPI0 + 1, 2000, &other);
	check(n == 1 && !other && used_idx(legacy_vq + 8192) == 1,
	      "virtio-pci legacy: a line on that queue is used and vector 1 delivers its LPI once");
}
