/* SPDX-License-Identifier: MIT */
/* s2vmm run options: kvmtool spellings, defaults and the refusals. */
#include "unit.h"

#include "opts.h"

static char err[512];

static int parse(struct vmm_config *c, ...)
{
	char *argv[32] = { "run" };
	int argc = 1;
	va_list ap;
	char *a;
	FILE *devnull = fopen("/dev/null", "w");
	int rc;

	va_start(ap, c);
	while ((a = va_arg(ap, char *)))
		argv[argc++] = a;
	va_end(ap);
	err[0] = 0;
	rc = vmm_opts_parse(argc, argv, c, devnull, err, sizeof(err));
	fclose(devnull);
	return rc;
}

static void kvmtool_command_line(void **s)
{
	struct vmm_config c;

	(void)s;
	assert_int_equal(parse(&c, "-m", "512", "-m", "1G@256T", "-c", "2", "-k", "Image",
			       "-i", "rd", "-p", "quiet", "--console", "virtio", "--irqchip",
			       "gicv3-its", "--nodefaults", "--network", "mode=none", "--loglevel",
			       "debug", "--dtb-out", "x.dtb", "--print-layout", NULL), 0);
	assert_int_equal(c.nr_ram, 2);
	assert_int_equal(c.ram[0].size, 512 * MiB);
	assert_false(c.ram[0].has_addr);
	assert_int_equal(c.ram[1].size, 1024 * MiB);
	assert_int_equal(c.ram[1].addr, 1ULL << 48);
	assert_int_equal(c.cpus, 2);
	assert_string_equal(c.kernel, "Image");
	assert_string_equal(c.initrd, "rd");
	assert_string_equal(c.params, "quiet");
	assert_int_equal(c.console, VMM_CONSOLE_VIRTIO);
	assert_int_equal(c.irqchip, VMM_IRQCHIP_GICV3_ITS);
	assert_true(c.nodefaults);
	assert_int_equal(c.loglevel, VMM_LOG_DEBUG);
	assert_string_equal(c.dtb_out, "x.dtb");
	assert_true(c.print_layout);
}

static void defaults_and_positional_kernel(void **s)
{
	struct vmm_config c;

	(void)s;
	assert_int_equal(parse(&c, "Image", NULL), 0);
	assert_string_equal(c.kernel, "Image");
	assert_int_equal(c.nr_ram, 1);
	assert_int_equal(c.ram[0].size, VMM_DEFAULT_RAM);
	assert_int_equal(c.cpus, 0);      /* resolved against the host at run time */
	assert_int_equal(c.ipa_bits, 0);
	assert_int_equal(c.layout, VMM_LAYOUT_LOW);
	assert_int_equal(c.console, VMM_CONSOLE_SERIAL);
	assert_false(c.virtio_legacy);
	assert_false(c.virtio_mmio);         /* kvmtool's default: virtio-pci */
	assert_int_equal(parse(&c, "--ipa-bits", "52", "--layout", "split", "--virtio-transport",
			       "mmio-legacy", "--ipa-bits", "auto", NULL), 0);
	assert_int_equal(c.ipa_bits, 0);     /* the last one wins */
	assert_int_equal(c.layout, VMM_LAYOUT_SPLIT);
	assert_true(c.virtio_legacy);
	assert_true(c.virtio_mmio);
	assert_int_equal(parse(&c, "--virtio-transport", "pci-legacy", NULL), 0);
	assert_true(c.virtio_legacy);
	assert_false(c.virtio_mmio);
	assert_int_equal(parse(&c, "-d", "a.img", "--disk", "/b/c.img,ro", "--rng", NULL), 0);
	assert_int_equal(c.nr_disks, 2);
	assert_string_equal(c.disks[0].path, "a.img");
	assert_false(c.disks[0].ro);
	assert_string_equal(c.disks[1].path, "/b/c.img");
	assert_true(c.disks[1].ro);
	assert_true(c.rng);
	assert_int_equal(parse(&c, "-d", "1", "-d", "2", "-d", "3", "-d", "4", "-d", "5", NULL), -1);
	assert_string_equal(err, "--disk 5: at most 4 disks");
	assert_int_equal(parse(&c, "--virtio-transport", "mmio", "--virtio-transport", "pci", NULL), 0);
	assert_false(c.virtio_legacy);
	assert_false(c.virtio_mmio);
}

static void kvmtool_vcpu_features(void **s)
{
	struct vmm_config c;

	(void)s;
	assert_int_equal(parse(&c, "Image", NULL), 0);
	assert_false(c.pmu);
	assert_false(c.disable_mte);
	assert_false(c.no_pvtime);
	assert_false(c.has_affinity);
	assert_int_equal(c.sve_max_vl, 0);
	assert_int_equal(c.kaslr_seed, 0);
	assert_int_equal(c.irqchip, VMM_IRQCHIP_AUTO);
	assert_null(c.dtb_out);
	/* The kvm-unit-tests runner's spelling, with '=' forms. */
	assert_int_equal(parse(&c, "--kernel", "pmu.flat", "--cpus", "2", "--params", "pmu-sw-incr",
			       "--nodefaults", "--network", "mode=none", "--loglevel=warning",
			       "--pmu", "--irqchip=gicv3", "--initrd", "env", "--mem", "256", NULL), 0);
	assert_true(c.pmu);
	assert_int_equal(c.irqchip, VMM_IRQCHIP_GICV3);
	assert_int_equal(c.cpus, 2);
	assert_int_equal(c.loglevel, VMM_LOG_WARNING);
	assert_int_equal(parse(&c, "--sve-max-vl", "256", "--disable-mte", "--no-pvtime",
			       "--kaslr-seed", "0xfedcba9876543210", "--vcpu-affinity", "0-1,3",
			       "--dump-dtb", "a.dtb", "--irqchip", "auto", NULL), 0);
	assert_int_equal(c.sve_max_vl, 256);
	assert_true(c.disable_mte);
	assert_true(c.no_pvtime);
	assert_int_equal(c.kaslr_seed, 0xfedcba9876543210ULL);
	assert_true(c.has_affinity);
	assert_int_equal(CPU_COUNT(&c.affinity), 3);
	assert_true(CPU_ISSET(3, &c.affinity));
	assert_false(CPU_ISSET(2, &c.affinity));
	assert_string_equal(c.dtb_out, "a.dtb");
	assert_int_equal(c.irqchip, VMM_IRQCHIP_AUTO);
	assert_int_equal(parse(&c, "--kaslr-seed", "18446744073709551615", "--dtb-out", "b.dtb",
			       "--sve-max-vl", "2048", NULL), 0);
	assert_int_equal(c.kaslr_seed, UINT64_MAX);
	assert_string_equal(c.dtb_out, "b.dtb");
	assert_int_equal(c.sve_max_vl, 2048);
}

static void refusals_name_the_value(void **s)
{
	static const struct { const char *a, *b, *msg; } c[] = {
		{ "--layout", "middle", "--layout 'middle' is not one of low, high, split" },
		{ "--ipa-bits", "big", "--ipa-bits 'big': give auto or 32..52 bits (KVM's range; a host may allow fewer)" },
		{ "--ipa-bits", " 40", "--ipa-bits ' 40': give auto or 32..52 bits (KVM's range; a host may allow fewer)" },
		{ "--ipa-bits", "40 ", "--ipa-bits '40 ': give auto or 32..52 bits (KVM's range; a host may allow fewer)" },
		{ "--ipa-bits", "+40", "--ipa-bits '+40': give auto or 32..52 bits (KVM's range; a host may allow fewer)" },
		{ "--ipa-bits", "31", "--ipa-bits '31': give auto or 32..52 bits (KVM's range; a host may allow fewer)" },
		{ "--ipa-bits", "53", "--ipa-bits '53': give auto or 32..52 bits (KVM's range; a host may allow fewer)" },
		{ "--ipa-bits", "4294967336", "--ipa-bits '4294967336': give auto or 32..52 bits (KVM's range; a host may allow fewer)" },
		{ "--ipa-limit", "0x", "--ipa-limit '0x': give a KVM IPA limit of 32..52 bits" },
		{ "--ipa-limit", "53", "--ipa-limit '53': give a KVM IPA limit of 32..52 bits" },
		{ "-c", "0", "-c '0': give 1..64 vCPUs" },
		{ "-c", "65", "-c '65': give 1..64 vCPUs" },
		{ "-c", "+1", "-c '+1': give 1..64 vCPUs" },
		{ "-c", "-1", "-c '-1': give 1..64 vCPUs" },
		{ "-c", " 1", "-c ' 1': give 1..64 vCPUs" },
		{ "-c", "1\t", "-c '1\t': give 1..64 vCPUs" },
		{ "-c", "", "-c '': give 1..64 vCPUs" },
		{ "-c", "18446744073709551617", "-c '18446744073709551617': give 1..64 vCPUs" },
		{ "-m", "0x-1", "-m: '0x-1' is not a size (expected e.g. 512M, 4G, 0x80000000)" },
		{ "-m", " 512", "-m: ' 512' is not a size (expected e.g. 512M, 4G, 0x80000000)" },
		{ "-m", "\t512", "-m: '\t512' is not a size (expected e.g. 512M, 4G, 0x80000000)" },
		{ "-m", "+512", "-m: '+512' is not a size (expected e.g. 512M, 4G, 0x80000000)" },
		{ "-m", "512 ", "-m: '512 ': unknown size suffix ' ' (use K, M, G, T or P)" },
		{ "-m", "512M@0x-80000000", "-m: '0x-80000000' is not a size (expected e.g. 512M, 4G, 0x80000000)" },
		{ "-m", "512M@ 2G", "-m: ' 2G' is not a size (expected e.g. 512M, 4G, 0x80000000)" },
		{ "-m", "512M@", "-m: '' is not a size (expected e.g. 512M, 4G, 0x80000000)" },
		{ "-m", "512M@2G@4G", "-m: '2G@4G': unknown size suffix 'G@4G' (use K, M, G, T or P)" },
		{ "-m", "0x", "-m: '0x' is not a size (expected e.g. 512M, 4G, 0x80000000)" },
		{ "-m", "0x1G", "-m: '0x1G': trailing 'G' after a hex number" },
		{ "-m", "0x10000000000000000", "-m: '0x10000000000000000' does not fit in 64 bits" },
		{ "-m", "18446744073709551616", "-m: '18446744073709551616' does not fit in 64 bits" },
		{ "-m", "17592186044416", "-m: '17592186044416' does not fit in 64 bits" },
		{ "-m", "16384P", "-m: '16384P' does not fit in 64 bits" },
		{ "--console", "hv", "--console hv: use serial or virtio" },
		{ "--irqchip", "gicv2", "--irqchip gicv2: s2vmm has gicv3 and gicv3-its" },
		{ "--network", "mode=user", "--network mode=user: s2vmm has no network device; only mode=none" },
		{ "--virtio-transport", "pcie", "--virtio-transport pcie: use pci, pci-legacy, mmio or mmio-legacy" },
		{ "--loglevel", "loud", "--loglevel loud: use error, warning, info or debug" },
		{ "-m", "12X", "-m: '12X': unknown size suffix 'X' (use K, M, G, T or P)" },
		{ "--disk", "x.img,rw", "--disk x.img,rw: the only option after the file is ',ro'" },
		{ "--disk", ",ro", "--disk ',ro': no file name" },
		{ "--balloon", NULL, "--balloon: a kvmtool option s2vmm does not implement" },
		{ "--frobnicate", NULL, "unknown option '--frobnicate' (see s2vmm run --help)" },
		{ "-k", NULL, "-k needs an argument" },
		{ "--sve-max-vl", "64", "--sve-max-vl '64': give a vector length in bits, a multiple of 128 from 128 to 2048" },
		{ "--sve-max-vl", "200", "--sve-max-vl '200': give a vector length in bits, a multiple of 128 from 128 to 2048" },
		{ "--sve-max-vl", "4096", "--sve-max-vl '4096': give a vector length in bits, a multiple of 128 from 128 to 2048" },
		{ "--sve-max-vl", "256x", "--sve-max-vl '256x': give a vector length in bits, a multiple of 128 from 128 to 2048" },
		{ "--kaslr-seed", "-1", "--kaslr-seed '-1': give a 64-bit number (decimal or 0x...)" },
		{ "--kaslr-seed", "18446744073709551616", "--kaslr-seed '18446744073709551616': give a 64-bit number (decimal or 0x...)" },
		{ "--kaslr-seed", "12z", "--kaslr-seed '12z': give a 64-bit number (decimal or 0x...)" },
		{ "--vcpu-affinity", "0-x", "--vcpu-affinity '0-x' is not a CPU list (like 0-3,6)" },
		{ "--vcpu-affinity", "2048", "--vcpu-affinity '2048': CPU numbers go up to 1023" },
		{ "--irqchip", "gicv2m", "--irqchip gicv2m: s2vmm has gicv3 and gicv3-its" },
		{ "--aarch32", NULL, "--aarch32: a kvmtool option s2vmm does not implement" },
		/* getopt_long's refusals, said of the option given. */
		{ "-zq", NULL, "unknown option '-z' (see s2vmm run --help)" },
		{ "--pmu", "-zq", "unknown option '-z' (see s2vmm run --help)" },
		{ "-:", NULL, "unknown option '-:' (see s2vmm run --help)" },
		{ "-cz", NULL, "-c 'z': give 1..64 vCPUs" },
		{ "-c", NULL, "-c needs an argument" },
		{ "--mem", NULL, "--mem needs an argument" },
		{ "-Dk", NULL, "unknown option '-D' (see s2vmm run --help)" },
		{ "--nodefaults", "-ck", "-c 'k': give 1..64 vCPUs" },
		{ "--dis", NULL, "option '--dis' is ambiguous: --disable-mte, --disk" },
		{ "--di=x", NULL, "option '--di=x' is ambiguous: --disable-mte, --disk" },
		{ "--pmu=1", NULL, "option '--pmu=1': --pmu takes no value" },
		/* An output file's option in full only: QEMU's -dtb reads one. */
		{ "--dtb", "board.dtb", "option '--dtb' would be --dtb-out, which overwrites 'board.dtb' with the device tree s2vmm makes (s2vmm reads none): spell it out to write one" },
		{ "--dtb=board.dtb", NULL, "option '--dtb' would be --dtb-out, which overwrites 'board.dtb' with the device tree s2vmm makes (s2vmm reads none): spell it out to write one" },
		{ "--dump", "x.dtb", "option '--dump' would be --dump-dtb, which overwrites 'x.dtb' with the device tree s2vmm makes (s2vmm reads none): spell it out to write one" },
		{ "--dtb-ou", "x.dtb", "option '--dtb-ou' would be --dtb-out, which overwrites 'x.dtb' with the device tree s2vmm makes (s2vmm reads none): spell it out to write one" },
		{ "--rn=yes", NULL, "option '--rn=yes': --rng takes no value" },
		{ "--help=me", NULL, "option '--help=me': --help takes no value" },
		{ "--balloon=1", NULL, "option '--balloon=1': --balloon takes no value" },
	};
	struct vmm_config cfg;

	(void)s;
	for (unsigned i = 0; i < ARRAY_LEN(c); i++) {
		assert_int_equal(parse(&cfg, c[i].a, c[i].b, NULL), -1);
		assert_string_equal(err, c[i].msg);
	}
	/* An unknown letter inside a group, after an option's argument:
	   the letter is named, not the argument before it. */
	assert_int_equal(parse(&cfg, "-k", "Image", "-pzq", NULL), 0);
	assert_string_equal(cfg.params, "zq");
	assert_int_equal(parse(&cfg, "-k", "Image", "-hzq", NULL), 1);
	assert_int_equal(parse(&cfg, "-k", "Image", "-zh", NULL), -1);
	assert_string_equal(err, "unknown option '-z' (see s2vmm run --help)");
	assert_int_equal(parse(&cfg, "-m", "1G", "-z", NULL), -1);
	assert_string_equal(err, "unknown option '-z' (see s2vmm run --help)");
	/* Spelled out, either way of giving the value. */
	assert_int_equal(parse(&cfg, "--dtb-out=a.dtb", "--dump-dtb", "b.dtb", NULL), 0);
	assert_string_equal(cfg.dtb_out, "b.dtb");
	assert_int_equal(parse(&cfg, "--dump-dtb", "--dtb", NULL), 0);   /* a file named --dtb */
	assert_string_equal(cfg.dtb_out, "--dtb");
	assert_int_equal(parse(&cfg, "-k", "a", "b", NULL), -1);
	assert_string_equal(err, "unexpected argument 'b': one kernel image only");
	assert_int_equal(parse(&cfg, "--help", NULL), 1);
}

static void numbers_at_their_limits(void **s)
{
	struct vmm_config c;

	(void)s;
	/* The largest of each form that fits 64 bits, and hex for -c. */
	assert_int_equal(parse(&c, "-m", "17592186044415", "-m", "16383P", "-m",
			       "0xffffffffffff0000@0x0", "-c", "0x40", "--ipa-bits", "0x20",
			       "--ipa-limit", "52", NULL), 0);
	assert_int_equal(c.ram[0].size, 17592186044415ULL << 20);
	assert_int_equal(c.ram[1].size, 16383ULL << 50);
	assert_int_equal(c.ram[2].size, 0xffffffffffff0000ULL);
	assert_true(c.ram[2].has_addr);
	assert_int_equal(c.ram[2].addr, 0);
	assert_int_equal(c.cpus, 64);
	assert_int_equal(c.ipa_bits, 32);
	assert_int_equal(c.ipa_limit, 52);
	assert_int_equal(parse(&c, "--print-layout", NULL), 0);
	assert_int_equal(c.ipa_limit, 0);      /* ask KVM */
}

static void nine_banks_refused(void **s)
{
	struct vmm_config c;

	(void)s;
	assert_int_equal(parse(&c, "-m", "1", "-m", "1", "-m", "1", "-m", "1", "-m", "1", "-m", "1",
			       "-m", "1", "-m", "1", "-m", "1", NULL), -1);
	assert_string_equal(err, "-m 1: at most 8 RAM banks");
}

/* `s2vmm caps [--json]`: anything else is refused by name, not ignored. */
static void caps_arguments(void **s)
{
	static const struct { const char *a, *b; int rc; bool json; const char *msg; } c[] = {
		{ NULL, NULL, 0, false, NULL },
		{ "--json", NULL, 0, true, NULL },
		{ "--js", NULL, 0, true, NULL },
		{ "--help", NULL, 1, false, NULL },
		{ "-h", "--json", 1, false, NULL },
		{ "extra", NULL, -1, false, "caps: unexpected argument 'extra' (only --json)" },
		{ "--json", "40", -1, true, "caps: unexpected argument '40' (only --json)" },
		{ "-j", NULL, -1, false, "caps: unknown option '-j' (only --json)" },
		{ "--json", "-xj", -1, false, "caps: unknown option '-x' (only --json)" },
		{ "--jsonx", NULL, -1, false, "caps: unknown option '--jsonx' (only --json)" },
		{ "--json=1", NULL, -1, false, "caps: unknown option '--json=1' (only --json)" },
	};

	(void)s;
	for (unsigned i = 0; i < ARRAY_LEN(c); i++) {
		char *argv[4] = { "caps", (char *)c[i].a, (char *)c[i].b, NULL };
		int argc = c[i].b ? 3 : c[i].a ? 2 : 1;
		bool json = !c[i].json;

		err[0] = 0;
		assert_int_equal(vmm_caps_opts_parse(argc, argv, &json, err, sizeof(err)), c[i].rc);
		if (c[i].rc >= 0 && !c[i].rc)
			assert_int_equal(json, c[i].json);
		if (c[i].msg)
			assert_string_equal(err, c[i].msg);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(kvmtool_command_line),
		cmocka_unit_test(defaults_and_positional_kernel),
		cmocka_unit_test(kvmtool_vcpu_features),
		cmocka_unit_test(refusals_name_the_value),
		cmocka_unit_test(numbers_at_their_limits),
		cmocka_unit_test(nine_banks_refused),
		cmocka_unit_test(caps_arguments),
	};
	return cmocka_run_group_tests_name("s2vmm options", tests, NULL, NULL);
}
