/* SPDX-License-Identifier: MIT */
/*
 * Option parsing with getopt_long. Short options and spellings follow
 * kvmtool's `lkvm run` so scripts written for it work; options kvmtool
 * has but s2vmm does not are refused by name rather than ignored, since
 * silently dropping a disk or network would boot a different machine.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#include <s2/host.h>

#include "cpulist.h"
#include "opts.h"

enum {
	OPT_CONSOLE = 256, OPT_IRQCHIP, OPT_NODEFAULTS, OPT_LOGLEVEL, OPT_DTB_OUT,
	OPT_PRINT_LAYOUT, OPT_IPA_BITS, OPT_IPA_LIMIT, OPT_LAYOUT, OPT_VIRTIO_TRANSPORT,
	OPT_DEBUG_MMIO, OPT_UNSUPPORTED,
	OPT_RNG, OPT_PMU, OPT_DISABLE_MTE, OPT_NO_PVTIME, OPT_SVE_MAX_VL, OPT_KASLR_SEED, OPT_VCPU_AFFINITY,
};

static const struct option longopts[] = {
	{ "mem", required_argument, NULL, 'm' },
	{ "cpus", required_argument, NULL, 'c' },
	{ "kernel", required_argument, NULL, 'k' },
	{ "initrd", required_argument, NULL, 'i' },
	{ "params", required_argument, NULL, 'p' },
	{ "network", required_argument, NULL, 'n' },
	{ "console", required_argument, NULL, OPT_CONSOLE },
	{ "irqchip", required_argument, NULL, OPT_IRQCHIP },
	{ "nodefaults", no_argument, NULL, OPT_NODEFAULTS },
	{ "loglevel", required_argument, NULL, OPT_LOGLEVEL },
	{ "dump-dtb", required_argument, NULL, OPT_DTB_OUT },
	{ "dtb-out", required_argument, NULL, OPT_DTB_OUT },
	{ "print-layout", no_argument, NULL, OPT_PRINT_LAYOUT },
	{ "ipa-bits", required_argument, NULL, OPT_IPA_BITS },
	{ "ipa-limit", required_argument, NULL, OPT_IPA_LIMIT },
	{ "layout", required_argument, NULL, OPT_LAYOUT },
	{ "virtio-transport", required_argument, NULL, OPT_VIRTIO_TRANSPORT },
	{ "pmu", no_argument, NULL, OPT_PMU },
	{ "disable-mte", no_argument, NULL, OPT_DISABLE_MTE },
	{ "no-pvtime", no_argument, NULL, OPT_NO_PVTIME },
	{ "sve-max-vl", required_argument, NULL, OPT_SVE_MAX_VL },
	{ "kaslr-seed", required_argument, NULL, OPT_KASLR_SEED },
	{ "vcpu-affinity", required_argument, NULL, OPT_VCPU_AFFINITY },
	{ "debug-mmio", no_argument, NULL, OPT_DEBUG_MMIO },
	{ "help", no_argument, NULL, 'h' },
	/* kvmtool options with no s2vmm device behind them. */
	{ "disk", required_argument, NULL, 'd' },
	{ "rng", no_argument, NULL, OPT_RNG },
	{ "balloon", no_argument, NULL, OPT_UNSUPPORTED },
	{ "9p", required_argument, NULL, OPT_UNSUPPORTED },
	{ "vsock", required_argument, NULL, OPT_UNSUPPORTED },
	{ "firmware", required_argument, NULL, OPT_UNSUPPORTED },
	{ "vfio-pci", required_argument, NULL, OPT_UNSUPPORTED },
	{ "aarch32", no_argument, NULL, OPT_UNSUPPORTED },
	{ "nested", no_argument, NULL, OPT_UNSUPPORTED },
	{ NULL, 0, NULL, 0 },
};

void vmm_opts_usage(FILE *f)
{
	fputs(
"usage: s2vmm run [options] [KERNEL]\n"
"       s2vmm caps [--json]\n"
"\n"
"Runs a guest on Linux KVM (arm64) with an IPA size chosen for its memory map.\n"
"\n"
"  -m, --mem SIZE[@ADDR]   a RAM bank; repeat for more banks (at most 8).\n"
"                          Decimal with K/M/G/T/P suffix, MiB without one\n"
"                          (kvmtool's syntax: 512M@256T is RAM at 2^48),\n"
"                          or 0x... bytes. Default: one 256 MiB bank\n"
"  -c, --cpus N            vCPUs (1..64; default: the online host CPUs, as\n"
"                          kvmtool, up to KVM's limit)\n"
"  -k, --kernel FILE       arm64 Linux Image, or a raw binary entered at its\n"
"                          first byte\n"
"  -i, --initrd FILE       initial ramdisk\n"
"  -p, --params TEXT       kernel command line (added after the defaults)\n"
"      --console serial|virtio\n"
"                          8250 UART (ttyS0, default) or virtio console (hvc0)\n"
"      --irqchip gicv3|gicv3-its\n"
"                          in-kernel GICv3, with an ITS for gicv3-its;\n"
"                          default: gicv3-its when KVM offers an ITS, also\n"
"                          with RAM above 2^48 (a bank below 2^48 becomes the\n"
"                          ITS's NUMA node; with none, a warning)\n"
"      --nodefaults        no default kernel parameters\n"
"  -d, --disk FILE[,ro]    a virtio-blk disk on a raw image (repeat for more, at\n"
"                          most 4); ro: read-only. The file is locked while\n"
"                          s2vmm runs\n"
"      --rng               a virtio-rng device\n"
"  -n, --network mode=none no network device (the only mode s2vmm has)\n"
"      --loglevel error|warning|info|debug\n"
"      --debug-mmio        report every guest access where there is no device\n"
"                          (without it: once per address, at most 64)\n"
"      --dump-dtb FILE     write the generated device tree (also --dtb-out)\n"
"      --print-layout      print the guest physical map\n"
"      --ipa-bits auto|N   IPA size: auto (default) is the smallest that holds\n"
"                          RAM and every device window; N (32..52) is checked\n"
"                          against what KVM allows\n"
"      --ipa-limit N       plan for a KVM whose IPA limit is N (32..52) and\n"
"                          stop: every input is checked, --print-layout and\n"
"                          --dtb-out write their output, /dev/kvm is not opened\n"
"      --layout low|high|split\n"
"                          low: kvmtool's map, devices below 1 GiB, RAM from\n"
"                          2 GiB (default); high: devices in the last GiB of the\n"
"                          IPA space, RAM right below; split: boot bank at 2 GiB\n"
"                          for kernel, DTB and initrd, the rest of RAM from 2^48\n"
"                          (or below the devices), devices at the top\n"
"      --virtio-transport pci|pci-legacy|mmio|mmio-legacy\n"
"                          virtio devices on PCI (default; modern: 64-bit queue\n"
"                          addresses, MSI-X through the ITS; legacy: 32-bit\n"
"                          queue PFN in 4 KiB units, RAM below 2^44) or on\n"
"                          virtio-mmio (v2, or v1 with a 32-bit queue PFN)\n"
"      --pmu               PMUv3 for every vCPU, overflow interrupt on PPI 23\n"
"      --sve-max-vl BITS   largest SVE vector length (SVE is on whenever KVM\n"
"                          offers it; default: KVM's largest)\n"
"      --disable-mte       no MTE (on by default when KVM offers it)\n"
"      --no-pvtime         no stolen-time structures (on by default when KVM\n"
"                          offers them)\n"
"      --kaslr-seed N      /chosen/kaslr-seed for the guest (default 0)\n"
"      --vcpu-affinity LIST\n"
"                          run every vCPU thread on these host CPUs (0-3,6)\n"
"                          Pointer authentication is on whenever KVM offers it.\n"
"  -h, --help              this text\n"
"\n"
"With --print-layout or --dump-dtb and no kernel, s2vmm exits after printing.\n"
"Every input is checked before /dev/kvm is opened.\n"
"Exit status: 0 when the guest powers off (PSCI SYSTEM_OFF), 1 on a guest\n"
"crash or reset request or a KVM failure, 2 on bad input.\n", f);
}

static void defaults(struct vmm_config *c)
{
	memset(c, 0, sizeof(*c));
	c->console = VMM_CONSOLE_SERIAL;
	c->loglevel = VMM_LOG_INFO;
	c->layout = VMM_LAYOUT_LOW;
}

/* Strictly a number (vmm_parse_u64: no blank, no sign) in min..max. */
static int parse_uint(const char *s, unsigned min, unsigned max, unsigned *out)
{
	uint64_t v;

	if (vmm_parse_u64(s, &v) || v < min || v > max)
		return -1;
	*out = (unsigned)v;
	return 0;
}

#define SHORTOPTS ":m:c:k:i:p:n:d:h"

/* What getopt_long just refused ('?') was a short option: optopt is a
   letter @shortopts lacks. A refused long option sets optopt to 0
   (unknown, ambiguous) or to its value, which is never such a letter
   (every long option's value below 256 is its short letter). The
   argument around it cannot tell: argv[optind - 1] is the argument
   before a letter refused inside its group (-zq), which may itself be a
   long option. */
static bool short_refused(const char *shortopts)
{
	return optopt > 0 && optopt < 256 && (optopt == ':' || !strchr(shortopts, optopt));
}

/*
 * What getopt_long refused ('?'), said of the option itself: an
 * unknown short option is optopt; a long one is argv[optind - 1]. A
 * long prefix that fits several options is ambiguous, not unknown, and
 * one that takes no value was given one after '='.
 */
static void bad_option(const char *arg, char *err, size_t errlen)
{
	char names[200] = "";
	size_t len, n = 0, found = 0;
	const struct option *exact = NULL;

	if (short_refused(SHORTOPTS)) {
		snprintf(err, errlen, "unknown option '-%c' (see s2vmm run --help)", optopt);
		return;
	}
	if (strncmp(arg, "--", 2) || !arg[2]) {
		snprintf(err, errlen, "unknown option '%s' (see s2vmm run --help)", arg);
		return;
	}
	len = strcspn(arg + 2, "=");
	for (const struct option *o = longopts; o->name; o++) {
		if (strncmp(o->name, arg + 2, len))
			continue;
		if (strlen(o->name) == len)
			exact = o;
		found++;
		if (n < sizeof(names))
			n += (size_t)snprintf(names + n, sizeof(names) - n, "%s--%s", n ? ", " : "", o->name);
	}
	if (exact || (found == 1 && arg[2 + len] == '=')) {
		if (!exact)
			for (exact = longopts; strncmp(exact->name, arg + 2, len); exact++)
				;
		snprintf(err, errlen, "option '%s': --%s takes no value", arg, exact->name);
	} else if (found > 1) {
		snprintf(err, errlen, "option '%s' is ambiguous: %s", arg, names);
	} else {
		snprintf(err, errlen, "unknown option '%s' (see s2vmm run --help)", arg);
	}
}

/*
 * getopt_long takes any unique prefix of a long option. For an option
 * that writes a file that is a trap: QEMU's -dtb FILE names a device
 * tree to read, and "--dtb FILE" here would be --dtb-out and overwrite
 * it. Such options must be given in full: the argument getopt just
 * took (with its value after '=' or in the next argument) is checked,
 * and kept in typed for the message.
 */
static char typed[64];

static bool spelled_out(char **argv, const char *name)
{
	const char *a = optind >= 2 && argv[optind - 1] == optarg ? argv[optind - 2] : argv[optind - 1];
	size_t len = strcspn(a, "=");

	snprintf(typed, sizeof(typed), "%.*s", (int)(len < 60 ? len : 60), a);
	return len == strlen(name) + 2 && !strncmp(a, "--", 2) && !strncmp(a + 2, name, len - 2);
}

int vmm_opts_parse(int argc, char **argv, struct vmm_config *c, FILE *help,
		   char *err, size_t errlen)
{
	char e[160];
	int o, li = 0;

	defaults(c);
	optind = 0;       /* full reset: the tests call this repeatedly */
	opterr = 0;
	while ((o = getopt_long(argc, argv, SHORTOPTS, longopts, &li)) != -1) {
		switch (o) {
		case 'm':
			if (c->nr_ram == VMM_MAX_BANKS) {
				snprintf(err, errlen, "-m %s: at most %u RAM banks", optarg, VMM_MAX_BANKS);
				return -1;
			}
			if (vmm_parse_bank(optarg, &c->ram[c->nr_ram], e, sizeof(e))) {
				snprintf(err, errlen, "-m: %s", e);
				return -1;
			}
			c->nr_ram++;
			break;
		case 'c':
			if (parse_uint(optarg, 1, VMM_MAX_CPUS, &c->cpus)) {
				snprintf(err, errlen, "-c '%s': give 1..%u vCPUs", optarg, VMM_MAX_CPUS);
				return -1;
			}
			break;
		case 'd': {
			char *comma = strchr(optarg, ',');

			if (c->nr_disks == VMM_MAX_DISKS) {
				snprintf(err, errlen, "--disk %s: at most %u disks", optarg, VMM_MAX_DISKS);
				return -1;
			}
			if (comma && strcmp(comma, ",ro")) {
				snprintf(err, errlen, "--disk %s: the only option after the file is ',ro'", optarg);
				return -1;
			}
			if (comma == optarg || !*optarg) {
				snprintf(err, errlen, "--disk '%s': no file name", optarg);
				return -1;
			}
			size_t len = comma ? (size_t)(comma - optarg) : strlen(optarg);
			char *path = c->disk_path[c->nr_disks];

			if (len >= PATH_MAX) {
				snprintf(err, errlen, "--disk: a file name of %zu bytes (at most %u)", len,
					 PATH_MAX - 1);
				return -1;
			}
			memcpy(path, optarg, len);
			path[len] = 0;
			c->disks[c->nr_disks++] = (struct vmm_disk_arg){ path, comma != NULL };
			break;
		}
		case OPT_RNG: c->rng = true; break;
		case 'k': c->kernel = optarg; break;
		case 'i': c->initrd = optarg; break;
		case 'p': c->params = optarg; break;
		case 'n':
			if (strcmp(optarg, "mode=none") && strcmp(optarg, "none")) {
				snprintf(err, errlen, "--network %s: s2vmm has no network device; only mode=none",
					 optarg);
				return -1;
			}
			break;
		case OPT_CONSOLE:
			if (!strcmp(optarg, "serial"))
				c->console = VMM_CONSOLE_SERIAL;
			else if (!strcmp(optarg, "virtio"))
				c->console = VMM_CONSOLE_VIRTIO;
			else {
				snprintf(err, errlen, "--console %s: use serial or virtio", optarg);
				return -1;
			}
			break;
		case OPT_IRQCHIP:
			if (!strcmp(optarg, "auto"))
				c->irqchip = VMM_IRQCHIP_AUTO;
			else if (!strcmp(optarg, "gicv3"))
				c->irqchip = VMM_IRQCHIP_GICV3;
			else if (!strcmp(optarg, "gicv3-its"))
				c->irqchip = VMM_IRQCHIP_GICV3_ITS;
			else {
				snprintf(err, errlen, "--irqchip %s: s2vmm has gicv3 and gicv3-its", optarg);
				return -1;
			}
			break;
		case OPT_NODEFAULTS: c->nodefaults = true; break;
		case OPT_LOGLEVEL:
			if (vmm_loglevel_parse(optarg, &c->loglevel)) {
				snprintf(err, errlen, "--loglevel %s: use error, warning, info or debug", optarg);
				return -1;
			}
			break;
		case OPT_DTB_OUT:
			if (!spelled_out(argv, longopts[li].name)) {
				snprintf(err, errlen,
					 "option '%s' would be --%s, which overwrites '%s' with the device tree s2vmm makes (s2vmm reads none): spell it out to write one",
					 typed, longopts[li].name, optarg);
				return -1;
			}
			c->dtb_out = optarg;
			break;
		case OPT_PRINT_LAYOUT: c->print_layout = true; break;
		case OPT_DEBUG_MMIO: c->debug_mmio = true; break;
		case OPT_IPA_BITS:
			if (!strcmp(optarg, "auto"))
				c->ipa_bits = 0;
			else if (parse_uint(optarg, S2_IPA_MIN, 52, &c->ipa_bits)) {
				snprintf(err, errlen,
					 "--ipa-bits '%s': give auto or %u..52 bits (KVM's range; a host may allow fewer)",
					 optarg, S2_IPA_MIN);
				return -1;
			}
			break;
		case OPT_IPA_LIMIT:
			if (parse_uint(optarg, S2_IPA_MIN, 52, &c->ipa_limit)) {
				snprintf(err, errlen, "--ipa-limit '%s': give a KVM IPA limit of %u..52 bits",
					 optarg, S2_IPA_MIN);
				return -1;
			}
			break;
		case OPT_LAYOUT:
			if (vmm_layout_parse(optarg, &c->layout, err, errlen))
				return -1;
			break;
		case OPT_VIRTIO_TRANSPORT:
			if (!strcmp(optarg, "pci") || !strcmp(optarg, "pci-legacy") ||
			    !strcmp(optarg, "mmio") || !strcmp(optarg, "mmio-legacy")) {
				c->virtio_mmio = !strncmp(optarg, "mmio", 4);
				c->virtio_legacy = strstr(optarg, "-legacy") != NULL;
			} else {
				snprintf(err, errlen, "--virtio-transport %s: use pci, pci-legacy, mmio or mmio-legacy",
					 optarg);
				return -1;
			}
			break;
		case OPT_PMU: c->pmu = true; break;
		case OPT_DISABLE_MTE: c->disable_mte = true; break;
		case OPT_NO_PVTIME: c->no_pvtime = true; break;
		case OPT_SVE_MAX_VL:
			/* The architecture's vector lengths: multiples of 128
			   bits up to 2048; which of them KVM offers is checked
			   against the vCPU's KVM_REG_ARM64_SVE_VLS. */
			if (parse_uint(optarg, 128, 2048, &c->sve_max_vl) || c->sve_max_vl % 128) {
				snprintf(err, errlen, "--sve-max-vl '%s': give a vector length in bits, a multiple of 128 from 128 to 2048",
					 optarg);
				return -1;
			}
			break;
		case OPT_KASLR_SEED:
			if (vmm_parse_u64(optarg, &c->kaslr_seed)) {
				snprintf(err, errlen, "--kaslr-seed '%s': give a 64-bit number (decimal or 0x...)",
					 optarg);
				return -1;
			}
			break;
		case OPT_VCPU_AFFINITY:
			if (vmm_cpulist_parse(optarg, &c->affinity, e, sizeof(e))) {
				snprintf(err, errlen, "--vcpu-affinity %s", e);
				return -1;
			}
			if (!CPU_COUNT(&c->affinity)) {
				snprintf(err, errlen, "--vcpu-affinity '%s': no CPU in the list", optarg);
				return -1;
			}
			c->has_affinity = true;
			break;
		case 'h':
			vmm_opts_usage(help);
			return 1;
		case OPT_UNSUPPORTED:
			snprintf(err, errlen, "--%s: a kvmtool option s2vmm does not implement",
				 longopts[li].name);
			return -1;
		case ':':
			/* A short one may end a group (-pk): optopt names it. */
			if (strncmp(argv[optind - 1], "--", 2) && optopt > 0 && optopt < 256)
				snprintf(err, errlen, "-%c needs an argument", optopt);
			else
				snprintf(err, errlen, "%s needs an argument", argv[optind - 1]);
			return -1;
		default:
			bad_option(argv[optind - 1], err, errlen);
			return -1;
		}
	}
	if (optind < argc) {
		if (c->kernel || optind + 1 < argc) {
			snprintf(err, errlen, "unexpected argument '%s': one kernel image only",
				 argv[c->kernel ? optind : optind + 1]);
			return -1;
		}
		c->kernel = argv[optind];
	}
	if (!c->nr_ram) {
		c->ram[0].size = VMM_DEFAULT_RAM;
		c->nr_ram = 1;
	}
	return 0;
}

int vmm_caps_opts_parse(int argc, char **argv, bool *json, char *err, size_t errlen)
{
	/* --json's value is no letter: see short_refused(). */
	static const struct option lo[] = {
		{ "json", no_argument, NULL, 256 }, { "help", no_argument, NULL, 'h' }, { 0 },
	};
	int o;

	*json = false;
	optind = 0;
	opterr = 0;
	while ((o = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		if (o == 256) {
			*json = true;
		} else if (o == 'h') {
			return 1;
		} else {
			if (short_refused("h"))
				snprintf(err, errlen, "caps: unknown option '-%c' (only --json)", optopt);
			else
				snprintf(err, errlen, "caps: unknown option '%s' (only --json)",
					 argv[optind - 1]);
			return -1;
		}
	}
	if (optind < argc) {
		snprintf(err, errlen, "caps: unexpected argument '%s' (only --json)", argv[optind]);
		return -1;
	}
	return 0;
}
