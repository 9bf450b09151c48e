/* SPDX-License-Identifier: MIT */
/*
 * Guest physical map. The IPA size is chosen by trying each size from
 * the smallest up and keeping the first whose placement fits: devices
 * move with the size in the high and split layouts, so "fits" cannot be
 * computed from the RAM end alone.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <s2/host.h>
#include <s2/virtio.h>
#include <s2/vmtype.h>

#include "device.h"
#include "layout.h"

#define ULL(x) ((unsigned long long)(x))

int vmm_layout_parse(const char *s, enum vmm_layout_policy *p, char *err, size_t errlen)
{
	if (!strcmp(s, "low"))
		*p = VMM_LAYOUT_LOW;
	else if (!strcmp(s, "high"))
		*p = VMM_LAYOUT_HIGH;
	else if (!strcmp(s, "split"))
		*p = VMM_LAYOUT_SPLIT;
	else {
		snprintf(err, errlen, "--layout '%s' is not one of low, high, split", s);
		return -1;
	}
	return 0;
}

const char *vmm_layout_name(enum vmm_layout_policy p)
{
	return p == VMM_LAYOUT_HIGH ? "high" : p == VMM_LAYOUT_SPLIT ? "split" : "low";
}

const char *vmm_region_name(const struct vmm_region *r, char *buf, size_t len)
{
	switch (r->kind) {
	case VMM_R_RAM: snprintf(buf, len, "RAM bank %u", r->index); break;
	case VMM_R_DEV:
		if (r->pci)
			snprintf(buf, len, "PCI 00:%02x.0 (%s)", r->slot, r->dev->what);
		else if (r->dev->kind == VMM_DEV_VIRTIO)
			snprintf(buf, len, "virtio-mmio device %u (%s)", r->slot, r->dev->what);
		else if (r->index)
			snprintf(buf, len, "%s %u", r->dev->what, r->index);
		else
			snprintf(buf, len, "%s", r->dev->what);
		break;
	case VMM_R_GICD: snprintf(buf, len, "the GIC distributor"); break;
	case VMM_R_GICR: snprintf(buf, len, "the GIC redistributors"); break;
	case VMM_R_ITS: snprintf(buf, len, "the GIC ITS"); break;
	case VMM_R_PVTIME: snprintf(buf, len, "stolen-time structures"); break;
	case VMM_R_PCI_ECAM: snprintf(buf, len, "PCI ECAM (bus 0)"); break;
	case VMM_R_PCI_MMIO: snprintf(buf, len, "PCI 64-bit MMIO window"); break;
	}
	return buf;
}

static struct vmm_region region(enum vmm_region_kind k, unsigned i, uint64_t base, uint64_t size)
{
	return (struct vmm_region){ .kind = k, .index = i, .base = base, .size = size };
}

/* Every registered device's instances: MMIO devices at their offset in
   the block, virtio devices in the next virtio-mmio window, platform
   devices where they place themselves. */
static int place_table(const struct vmm_layout_req *req, uint64_t dev, struct vmm_layout *l,
		       struct s2_diag *d)
{
	unsigned nt;
	const struct vmm_device *const *t = vmm_devices(&nt);

	for (unsigned k = 0; k < nt; k++) {
		unsigned n = t[k]->instances(req);

		if (t[k]->kind == VMM_DEV_PLATFORM) {
			if (n && t[k]->place)
				t[k]->place(req, dev, l);
			continue;
		}
		for (unsigned i = 0; i < n; i++) {
			struct vmm_region *r = &l->dev[l->nr_dev];

			bool pci = t[k]->kind == VMM_DEV_VIRTIO && req->virtio_pci;

			if (l->nr_dev == VMM_MAX_DEVS || (t[k]->kind == VMM_DEV_VIRTIO && !pci &&
							  l->nr_virtio == VMM_MAX_VIRTIO))
				return s2_diag_set(d, S2_EINVAL,
						   "too many devices: %s %u has no room (at most %u devices, %u of them virtio)",
						   t[k]->what, i, VMM_MAX_DEVS, VMM_MAX_VIRTIO);
			if (t[k]->kind == VMM_DEV_MMIO) {
				*r = region(VMM_R_DEV, i, dev + t[k]->offset + i * t[k]->size, t[k]->size);
				r->spi = t[k]->spi + i;
			} else if (pci) {
				*r = region(VMM_R_DEV, i, 0, 0);
				r->pci = true;
				r->slot = l->nr_pci;
				r->spi = VMM_PCI_SPI0 + l->nr_pci++;
			} else {
				*r = region(VMM_R_DEV, i, dev + VMM_VIRTIO_OFF + l->nr_virtio * VMM_VIRTIO_SIZE,
					    VMM_VIRTIO_SIZE);
				r->slot = l->nr_virtio;
				r->spi = VMM_VIRTIO_SPI0 + l->nr_virtio++;
			}
			r->dev = t[k];
			l->nr_dev++;
		}
	}
	l->has_pci = l->nr_pci > 0;
	if (l->has_pci) {
		l->pci_ecam = region(VMM_R_PCI_ECAM, 0, dev + VMM_PCI_ECAM_OFF, VMM_PCI_ECAM_SIZE);
		l->pci_mmio = region(VMM_R_PCI_MMIO, 0, dev + VMM_PCI_MMIO_OFF, VMM_PCI_MMIO_SIZE);
	}
	return 0;
}

/* Banks without an address, in command-line order: in split, the first
   becomes the low boot bank and the others go high. A lone bank larger
   than a boot bank needs is cut in two so "the rest of RAM" is high. */
static int place_ram(const struct vmm_layout_req *req, unsigned n, uint64_t dev,
		     struct vmm_layout *l, struct s2_diag *d)
{
	struct vmm_bank_arg b[VMM_MAX_BANKS + 1];
	unsigned nb = req->nr_ram;
	uint64_t cursor = VMM_LOW_RAM_BASE, high = 0, high_start;
	bool boot_set = false;
	char sz[32];

	memcpy(b, req->ram, sizeof(req->ram[0]) * nb);
	if (req->policy == VMM_LAYOUT_SPLIT && nb == 1 && !b[0].has_addr &&
	    b[0].size > VMM_SPLIT_BOOT_MAX) {
		b[1] = b[0];
		b[1].size -= VMM_SPLIT_BOOT_MAX;
		b[0].size = VMM_SPLIT_BOOT_MAX;
		nb = 2;
	}
	for (unsigned i = 0; i < nb; i++) {
		bool low = req->policy == VMM_LAYOUT_LOW ||
			   (req->policy == VMM_LAYOUT_SPLIT && !boot_set);
		if (!b[i].has_addr && !low)
			high += b[i].size;
		if (!b[i].has_addr && req->policy == VMM_LAYOUT_SPLIT)
			boot_set = true;
	}
	if (req->policy == VMM_LAYOUT_SPLIT && n > 48) {
		high_start = VMM_SPLIT_HIGH_BASE;
		if (high > dev - high_start)
			return s2_diag_set(d, S2_ERANGE,
					   "%s of RAM does not fit between 2^48 and the device block at %#llx in a %u-bit IPA space",
					   vmm_fmt_size(high, sz, sizeof(sz)), ULL(dev), n);
	} else if (high > dev)
		return s2_diag_set(d, S2_ERANGE,
				   "%s of RAM does not fit below the device block at %#llx in a %u-bit IPA space",
				   vmm_fmt_size(high, sz, sizeof(sz)), ULL(dev), n);
	else
		high_start = dev - high;

	boot_set = false;
	l->boot_bank = 0;
	for (unsigned i = 0; i < nb; i++) {
		uint64_t base;

		if (b[i].has_addr) {
			base = b[i].addr;
			cursor = base + b[i].size;
		} else if (req->policy == VMM_LAYOUT_LOW) {
			base = cursor;
			cursor += b[i].size;
		} else if (req->policy == VMM_LAYOUT_SPLIT && !boot_set) {
			base = VMM_LOW_RAM_BASE;
			l->boot_bank = i;
			boot_set = true;
		} else {
			base = high_start;
			high_start += b[i].size;
		}
		l->ram[i] = region(VMM_R_RAM, i, base, b[i].size);
		l->ram_size += b[i].size;
		if (base + b[i].size > l->ram_end)
			l->ram_end = base + b[i].size;
	}
	l->nr_ram = nb;
	return 0;
}

static bool overlaps(const struct vmm_region *a, const struct vmm_region *b)
{
	return a->base < b->base + b->size && b->base < a->base + a->size;
}

/* @v as -m takes it: 4G, 512M, 64K or bytes in hex. */
static const char *size_arg(uint64_t v, char *buf, size_t len)
{
	static const char unit[] = "KMGTP";
	int u = -1;

	while (u < 4 && v && !(v & ((1ULL << (10 * (u + 2))) - 1)))
		u++;
	if (u < 0)
		snprintf(buf, len, "%#llx", ULL(v));
	else
		snprintf(buf, len, "%llu%c", ULL(v >> (10 * (u + 1))), unit[u]);
	return buf;
}

/*
 * Two RAM banks over each other where one has no @ADDR: the user placed
 * one and the layout the other, which the user may not know; say so,
 * and name an address for the unplaced one right after the placed one.
 */
static void unplaced_bank_hint(const struct vmm_layout_req *req, const struct vmm_layout *l,
			       const struct vmm_region *x, const struct vmm_region *y,
			       struct s2_diag *d)
{
	const struct vmm_region *auto_r = !req->ram[x->index].has_addr ? x : y;
	const struct vmm_region *user_r = auto_r == x ? y : x;
	size_t n;
	char sz[32];

	if (!d)
		return;
	n = strlen(d->msg);
	if (req->ram[user_r->index].has_addr == req->ram[auto_r->index].has_addr)
		return;
	snprintf(d->msg + n, sizeof(d->msg) - n,
		 "; RAM bank %u has no @ADDR and the %s layout put it there: give it one, e.g. -m %s@%#llx",
		 auto_r->index, vmm_layout_name(l->policy),
		 size_arg(auto_r->size, sz, sizeof(sz)), ULL(user_r->base + user_r->size));
}

static int check_fit(const struct vmm_layout_req *req, const struct vmm_layout *l,
		     struct s2_diag *d)
{
	struct vmm_region r[VMM_MAX_BANKS + VMM_MAX_DEVS + 8];
	unsigned n = vmm_layout_regions(l, r, sizeof(r) / sizeof(r[0]));
	uint64_t top = 1ULL << l->ipa_bits;
	char a[64], b[64], sz[32];

	for (unsigned i = 0; i < n; i++) {
		uint64_t end = r[i].base + r[i].size;

		if (end < r[i].base || end > top)
			return s2_diag_set(d, S2_ERANGE,
					   "%s (%s at %#llx) ends at %#llx, beyond the %u-bit IPA space (%#llx)",
					   vmm_region_name(&r[i], a, sizeof(a)),
					   vmm_fmt_size(r[i].size, sz, sizeof(sz)), ULL(r[i].base),
					   ULL(end), l->ipa_bits, ULL(top));
	}
	for (unsigned i = 0; i < n; i++)
		for (unsigned j = i + 1; j < n; j++) {
			const struct vmm_region *x = &r[i], *y = &r[j];

			if (!overlaps(x, y))
				continue;
			/* Name the RAM first: that is what the user typed. */
			if (y->kind == VMM_R_RAM && x->kind != VMM_R_RAM) {
				x = &r[j];
				y = &r[i];
			}
			s2_diag_set(d, S2_EEXIST, "%s (%#llx..%#llx) overlaps %s at %#llx..%#llx",
				    vmm_region_name(x, a, sizeof(a)), ULL(x->base),
				    ULL(x->base + x->size - 1), vmm_region_name(y, b, sizeof(b)),
				    ULL(y->base), ULL(y->base + y->size - 1));
			if (x->kind == VMM_R_RAM && y->kind == VMM_R_RAM)
				unplaced_bank_hint(req, l, x, y, d);
			return S2_EEXIST;
		}
	return 0;
}

static int place(const struct vmm_layout_req *req, unsigned n, struct vmm_layout *l,
		 struct s2_diag *d)
{
	uint64_t dev = req->policy == VMM_LAYOUT_LOW ? 0 : (1ULL << n) - VMM_DEV_BLOCK;
	int rc;

	memset(l, 0, sizeof(*l));
	l->ipa_bits = n;
	l->policy = req->policy;
	l->cpus = req->cpus;
	l->virtio_legacy = req->virtio_legacy;
	l->virtio_pci = req->virtio_pci;
	rc = place_table(req, dev, l, d);
	if (!rc)
		rc = place_ram(req, n, dev, l, d);
	return rc ? rc : check_fit(req, l, d);
}

static int check_request(const struct vmm_layout_req *req, struct s2_diag *d)
{
	char sz[32];

	if (req->cpus < 1 || req->cpus > VMM_MAX_CPUS)
		return s2_diag_set(d, S2_EINVAL, "%u vCPUs: s2vmm runs 1..%u", req->cpus, VMM_MAX_CPUS);
	if (req->nr_ram < 1 || req->nr_ram > VMM_MAX_BANKS)
		return s2_diag_set(d, S2_EINVAL, "%u RAM banks: give 1..%u", req->nr_ram, VMM_MAX_BANKS);
	for (unsigned i = 0; i < req->nr_ram; i++) {
		const struct vmm_bank_arg *b = &req->ram[i];

		if (b->size % VMM_BANK_ALIGN)
			return s2_diag_set(d, S2_EINVAL,
					   "RAM bank %u: %s is not a multiple of 64 KiB (host pages may be 64 KiB)",
					   i, vmm_fmt_size(b->size, sz, sizeof(sz)));
		if (b->has_addr && b->addr % VMM_BANK_ALIGN)
			return s2_diag_set(d, S2_EINVAL,
					   "RAM bank %u: address %#llx is not 64 KiB aligned (try %#llx)",
					   i, ULL(b->addr), ULL(b->addr & ~(VMM_BANK_ALIGN - 1)));
		if (b->has_addr && b->addr + b->size < b->addr)
			return s2_diag_set(d, S2_ERANGE, "RAM bank %u: %#llx + %s wraps past 2^64",
					   i, ULL(b->addr), vmm_fmt_size(b->size, sz, sizeof(sz)));
	}
	return 0;
}

/* "4096 GiB of RAM at 0x80000000": the bank that reaches highest. */
static void describe_ram(const struct vmm_layout *l, char *buf, size_t len)
{
	const struct vmm_region *hi = &l->ram[0];
	char sz[32];

	for (unsigned i = 1; i < l->nr_ram; i++)
		if (l->ram[i].base + l->ram[i].size > hi->base + hi->size)
			hi = &l->ram[i];
	if (l->nr_ram == 1)
		snprintf(buf, len, "%s of RAM at %#llx", vmm_fmt_size(hi->size, sz, sizeof(sz)),
			 ULL(hi->base));
	else
		snprintf(buf, len, "RAM bank %u (%s at %#llx)", hi->index,
			 vmm_fmt_size(hi->size, sz, sizeof(sz)), ULL(hi->base));
}

static int smallest_fit(const struct vmm_layout_req *req, unsigned from, struct vmm_layout *l)
{
	for (unsigned n = from; n <= 52; n++)
		if (!place(req, n, l, NULL))
			return (int)n;
	return -1;
}

static int check_legacy(const struct vmm_layout_req *req, const struct vmm_layout *l,
			struct s2_diag *d)
{
	struct s2_diag ld;

	if (req->virtio_legacy && l->nr_pci &&
	    s2_virtio_legacy_check_ram(S2_VIRTIO_PCI_LEGACY, 12, s2_ipa(l->ram_end), &ld))
		return s2_diag_set(d, S2_ERANGE, "--virtio-transport pci-legacy: %s; use pci", ld.msg);
	if (!req->virtio_legacy || !l->nr_virtio)
		return 0;
	/* Linux guests program GuestPageSize = PAGE_SIZE; s2vmm's test
	   guests and Debian's kernels use 4 KiB. */
	if (s2_virtio_legacy_check_ram(S2_VIRTIO_MMIO_V1, 12, s2_ipa(l->ram_end), &ld))
		return s2_diag_set(d, S2_ERANGE, "--virtio-transport mmio-legacy: %s; use mmio (v2)",
				   ld.msg);
	return 0;
}

int vmm_layout_compute(const struct vmm_layout_req *req, struct vmm_layout *l,
		       struct s2_diag *d)
{
	struct vmm_layout t;
	char what[96];
	int rc, need;

	rc = check_request(req, d);
	if (rc)
		return rc;
	if (req->ipa_bits) {
		if (req->ipa_bits > 0xff ||
		    s2_vm_type_ipa_bits(S2_VM_TYPE_IPA(req->ipa_bits), req->ipa_limit, NULL) < 0)
			return s2_diag_set(d, S2_EINVAL, "--ipa-bits %u: KVM allows %u..%u here",
					   req->ipa_bits, S2_IPA_MIN, req->ipa_limit);
		rc = place(req, req->ipa_bits, l, d);
		if (rc == S2_ERANGE && (need = smallest_fit(req, req->ipa_bits + 1, &t)) > 0) {
			describe_ram(&t, what, sizeof(what));
			return s2_diag_set(d, S2_ERANGE, "%s needs a %d-bit IPA; --ipa-bits %u is too small",
					   what, need, req->ipa_bits);
		}
		return rc ? rc : check_legacy(req, l, d);
	}
	for (unsigned n = S2_IPA_MIN; n <= req->ipa_limit && n <= 52; n++)
		if (!place(req, n, l, NULL)) {
			l->ipa_auto = true;
			return check_legacy(req, l, d);
		}
	need = smallest_fit(req, req->ipa_limit + 1, &t);
	if (need > 0) {
		describe_ram(&t, what, sizeof(what));
		return s2_diag_set(d, S2_ERANGE, "%s needs a %d-bit IPA; this host allows %u bits",
				   what, need, req->ipa_limit);
	}
	rc = place(req, req->ipa_limit < S2_IPA_MIN ? S2_IPA_MIN : req->ipa_limit, l, d);
	return rc ? rc : s2_diag_set(d, S2_ERANGE, "no IPA size fits this layout");
}

uint64_t vmm_layout_max_ram(const struct vmm_layout_req *req)
{
	struct vmm_layout_req r = *req;
	struct vmm_layout l;
	uint64_t lo = 0, hi = (1ULL << 52) / VMM_BANK_ALIGN;

	r.nr_ram = 1;
	r.ram[0] = (struct vmm_bank_arg){ 0 };
	r.virtio_legacy = false;
	/* Placement is monotonic in the size: bisect on 64 KiB units. */
	while (lo < hi) {
		uint64_t mid = lo + (hi - lo + 1) / 2;

		r.ram[0].size = mid * VMM_BANK_ALIGN;
		if (!vmm_layout_compute(&r, &l, NULL))
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo * VMM_BANK_ALIGN;
}

const struct vmm_region *vmm_layout_dev(const struct vmm_layout *l, const char *name,
					unsigned index)
{
	for (unsigned i = 0; i < l->nr_dev; i++)
		if (!strcmp(l->dev[i].dev->name, name) && l->dev[i].index == index)
			return &l->dev[i];
	return NULL;
}

static int cmp_region(const void *a, const void *b)
{
	const struct vmm_region *x = a, *y = b;

	return x->base < y->base ? -1 : x->base > y->base;
}

unsigned vmm_layout_regions(const struct vmm_layout *l, struct vmm_region *out, unsigned max)
{
	unsigned n = 0, np;
	const struct vmm_device *const *p = vmm_platform_devices(&np);

#define ADD(r) do { if (n < max) out[n++] = (r); } while (0)
	for (unsigned i = 0; i < l->nr_ram; i++)
		ADD(l->ram[i]);
	for (unsigned i = 0; i < l->nr_dev; i++)
		if (!l->dev[i].pci)
			ADD(l->dev[i]);
	if (l->has_pci) {
		ADD(l->pci_ecam);
		ADD(l->pci_mmio);
	}
#undef ADD
	for (unsigned i = 0; i < np; i++)
		if (p[i]->regions)
			n += p[i]->regions(l, out + n, max - n);
	qsort(out, n, sizeof(*out), cmp_region);
	return n;
}

void vmm_layout_print(const struct vmm_layout *l, FILE *f)
{
	struct vmm_region r[VMM_MAX_BANKS + VMM_MAX_DEVS + 8];
	unsigned n = vmm_layout_regions(l, r, sizeof(r) / sizeof(r[0]));
	char sz[32], name[64];

	fprintf(f, "s2vmm layout: %u-bit IPA (%s), layout %s, %u vCPU%s, %s of RAM\n",
		l->ipa_bits, l->ipa_auto ? "auto: smallest that fits" : "--ipa-bits",
		vmm_layout_name(l->policy), l->cpus, l->cpus == 1 ? "" : "s",
		vmm_fmt_size(l->ram_size, sz, sizeof(sz)));
	for (unsigned i = 0; i < n; i++) {
		fprintf(f, "  %#018llx-%#018llx %10s  %s%s\n", ULL(r[i].base),
			ULL(r[i].base + r[i].size - 1), vmm_fmt_size(r[i].size, sz, sizeof(sz)),
			vmm_region_name(&r[i], name, sizeof(name)),
			r[i].kind == VMM_R_RAM && r[i].index == l->boot_bank ?
			" (boot: kernel, DTB, initrd)" : "");
	}
	for (unsigned i = 0; i < l->nr_dev; i++)
		if (l->dev[i].pci)
			fprintf(f, "  %-48s %s: virtio-pci%s, BARs in the window, INTx on SPI %u\n",
				"", vmm_region_name(&l->dev[i], name, sizeof(name)),
				l->virtio_legacy ? " legacy" : "", l->dev[i].spi);
	fprintf(f, "  IPA space ends at %#llx (2^%u)\n", ULL(1ULL << l->ipa_bits), l->ipa_bits);
}

unsigned vmm_layout_bank_node(const struct vmm_layout *l, unsigned i)
{
	return l->ram[i].base + l->ram[i].size > VMM_SPLIT_HIGH_BASE;
}

bool vmm_layout_its_numa(const struct vmm_layout *l)
{
	bool low = false;

	if (!l->has_its || l->ram_end <= VMM_SPLIT_HIGH_BASE)
		return false;
	for (unsigned i = 0; i < l->nr_ram; i++)
		low |= !vmm_layout_bank_node(l, i);
	return low;
}

bool vmm_layout_its_tables_low(const struct vmm_layout *l)
{
	return !l->has_its || l->ram_end <= VMM_SPLIT_HIGH_BASE || vmm_layout_its_numa(l);
}
