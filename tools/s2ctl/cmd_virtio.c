/* SPDX-License-Identifier: MIT */
/* s2ctl virtio-limit: how high a legacy virtio transport can place queues. */
#include <string.h>

#include "s2ctl.h"

#include <s2/virtio.h>

static const char usage[] =
	"usage: s2ctl virtio-limit --transport mmio-legacy|pci-legacy [--guest-page 4k|16k|64k]\n"
	"                          [--ram-end ADDR] [--json]\n"
	"A legacy virtqueue is given to the device as a 32-bit page frame number:\n"
	"virtio-mmio v1 in GuestPageSize units (--guest-page, default 4k), legacy\n"
	"virtio-pci in 4 KiB units. Prints the first address a queue cannot use and,\n"
	"with --ram-end (exclusive end of guest RAM), whether all RAM is usable;\n"
	"RAM that does not fit exits 1.\n";

#define OPT_TRANSPORT 1500
#define OPT_GPAGE     1501
#define OPT_RAMEND    1502

struct vopts {
	bool have_t, have_page, have_ram;
	enum s2_virtio_transport t;
	enum s2_granule page;
	uint64_t ram_end;
};

static int handle(void *ctx, const struct cmd *c, int ch, const char *arg, int *rc)
{
	struct vopts *o = ctx;
	struct s2_diag d;

	switch (ch) {
	case OPT_TRANSPORT:
		o->have_t = true;
		*rc = 0;
		if (!strcmp(arg, "mmio-legacy"))
			o->t = S2_VIRTIO_MMIO_V1;
		else if (!strcmp(arg, "pci-legacy"))
			o->t = S2_VIRTIO_PCI_LEGACY;
		else
			*rc = usage_error(c, "--transport '%s' is not one of mmio-legacy, "
					  "pci-legacy", arg);
		return 1;
	case OPT_GPAGE:
		o->have_page = true;
		*rc = s2_granule_parse(arg, &o->page, &d) ?
		      usage_error(c, "--guest-page: %s", d.msg) : 0;
		return 1;
	case OPT_RAMEND:
		o->have_ram = true;
		*rc = num_opt_size(c, "--ram-end", arg, &o->ram_end);
		return 1;
	}
	return 0;
}

static unsigned log2u(uint64_t v)
{
	unsigned n = 0;

	while (v >>= 1)
		n++;
	return n;
}

int cmd_virtio_limit(int argc, char **argv)
{
	static const struct option lo[] = {
		COMMON_LONGOPTS,
		{ "transport", required_argument, NULL, OPT_TRANSPORT },
		{ "guest-page", required_argument, NULL, OPT_GPAGE },
		{ "ram-end", required_argument, NULL, OPT_RAMEND },
		{ 0 }
	};
	struct cmd c = { "virtio-limit", usage, false };
	struct vopts o = { .page = S2_GRANULE_4K };
	struct s2_diag d = { "" };
	uint64_t lim;
	unsigned unit;
	int rc, fit = 0;

	rc = parse_opts(&c, argc, argv, lo, handle, &o);
	if (rc)
		return rc < 0 ? 0 : rc;
	if ((rc = expect_args(&c, argc, argv, 0)))
		return rc;
	if (!o.have_t)
		return usage_error(&c, "missing --transport (mmio-legacy or pci-legacy)");
	if (o.have_page && o.t == S2_VIRTIO_PCI_LEGACY)
		return usage_error(&c, "--guest-page applies to mmio-legacy only: legacy "
				   "virtio-pci always counts 4 KiB pages");

	lim = s2_virtio_legacy_limit(o.t, (unsigned)o.page);
	if (!lim) {
		snprintf(d.msg, sizeof(d.msg), "no limit for guest page shift %u", (unsigned)o.page);
		return lib_error(&c, S2_EINVAL, &d);
	}
	unit = o.t == S2_VIRTIO_PCI_LEGACY ? 4096 : 1u << o.page;
	if (o.have_ram)
		fit = s2_virtio_legacy_check_ram(o.t, (unsigned)o.page, s2_ipa(o.ram_end), &d);

	if (c.json) {
		struct json j;
		j_begin(&j, stdout);
		j_str(&j, "transport", o.t == S2_VIRTIO_PCI_LEGACY ? "pci-legacy" : "mmio-legacy");
		j_u64(&j, "pfn_unit", unit);
		j_hex(&j, "limit", lim);
		j_u64(&j, "limit_bits", log2u(lim));
		j_hex(&j, "highest_address", lim - 1);
		if (o.have_ram) {
			j_hex(&j, "ram_end", o.ram_end);
			j_bool(&j, "fits", fit == 0);
			if (fit) {
				j_str(&j, "error", s2_errname(fit));
				j_str(&j, "message", d.msg);
			}
		}
		j_end(&j);
	} else {
		printf("%s: 32-bit queue PFN in %u-byte units\n",
		       o.t == S2_VIRTIO_PCI_LEGACY ? "legacy virtio-pci" : "legacy virtio-mmio",
		       unit);
		printf("limit      %#llx (2^%u; highest usable address %#llx)\n",
		       (unsigned long long)lim, log2u(lim), (unsigned long long)(lim - 1));
		if (o.have_ram)
			printf("RAM end    %#llx: %s\n", (unsigned long long)o.ram_end,
			       fit ? d.msg : "fits");
	}
	return fit ? EXIT_LIB : 0;
}
