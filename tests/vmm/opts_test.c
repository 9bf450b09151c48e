/* SPDX-License-Identifier: MIT */
/* s2vmm run options: kvmtool spellings, defaults and the refusals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "opts.h"

#define MiB (1ULL << 20)

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
	assert_true(c.its);
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
	assert_int_equal(c.cpus, 1);
	assert_int_equal(c.ipa_bits, 0);
	assert_int_equal(c.layout, VMM_LAYOUT_LOW);
	assert_int_equal(c.console, VMM_CONSOLE_SERIAL);
	assert_false(c.virtio_legacy);
	assert_int_equal(parse(&c, "--ipa-bits", "52", "--layout", "split", "--virtio-transport",
			       "mmio-legacy", "--ipa-bits", "auto", NULL), 0);
	assert_int_equal(c.ipa_bits, 0);     /* the last one wins */
	assert_int_equal(c.layout, VMM_LAYOUT_SPLIT);
	assert_true(c.virtio_legacy);
}

static void refusals_name_the_value(void **s)
{
	static const struct { const char *a, *b, *msg; } c[] = {
		{ "--layout", "middle", "--layout 'middle' is not one of low, high, split" },
		{ "--ipa-bits", "big", "--ipa-bits big: give auto or a number of bits" },
		{ "-c", "0", "-c 0: give 1..64 vCPUs" },
		{ "-c", "65", "-c 65: give 1..64 vCPUs" },
		{ "--console", "hv", "--console hv: use serial or virtio" },
		{ "--irqchip", "gicv2", "--irqchip gicv2: s2vmm has gicv3 and gicv3-its" },
		{ "--network", "mode=user", "--network mode=user: s2vmm has no network device; only mode=none" },
		{ "--virtio-transport", "pci", "--virtio-transport pci: s2vmm has mmio and mmio-legacy" },
		{ "--loglevel", "loud", "--loglevel loud: use error, warning, info or debug" },
		{ "-m", "12X", "-m: '12X': unknown size suffix 'X' (use K, M, G, T or P)" },
		{ "--disk", "x.img", "--disk: a kvmtool option s2vmm does not implement" },
		{ "--frobnicate", NULL, "unknown option '--frobnicate' (see s2vmm run --help)" },
		{ "-k", NULL, "-k needs an argument" },
	};
	struct vmm_config cfg;

	(void)s;
	for (unsigned i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		assert_int_equal(parse(&cfg, c[i].a, c[i].b, NULL), -1);
		assert_string_equal(err, c[i].msg);
	}
	assert_int_equal(parse(&cfg, "-k", "a", "b", NULL), -1);
	assert_string_equal(err, "unexpected argument 'b': one kernel image only");
	assert_int_equal(parse(&cfg, "--help", NULL), 1);
}

static void nine_banks_refused(void **s)
{
	struct vmm_config c;

	(void)s;
	assert_int_equal(parse(&c, "-m", "1", "-m", "1", "-m", "1", "-m", "1", "-m", "1", "-m", "1",
			       "-m", "1", "-m", "1", "-m", "1", NULL), -1);
	assert_string_equal(err, "-m 1: at most 8 RAM banks");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(kvmtool_command_line),
		cmocka_unit_test(defaults_and_positional_kernel),
		cmocka_unit_test(refusals_name_the_value),
		cmocka_unit_test(nine_banks_refused),
	};
	return cmocka_run_group_tests_name("s2vmm options", tests, NULL, NULL);
}
