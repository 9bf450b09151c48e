/* SPDX-License-Identifier: MIT */
/*
 * Kernel and initrd placement, and what the device tree says of them:
 * linux,initrd-start/end bound exactly the file's bytes (a guest reading
 * its initrd as text stops at linux,initrd-end), the initrd and the DTB
 * do not overlap the kernel's footprint, and every byte of the window
 * arithmetic holds at its edges.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <libfdt.h>

#include "devtree.h"
#include "loader.h"

#define MiB (1ULL << 20)

static char err[512];

static void layout(struct vmm_layout *l, uint64_t ram)
{
	struct vmm_layout_req r = { .nr_ram = 1, .cpus = 1, .ipa_limit = 48 };
	struct s2_diag d;

	r.ram[0].size = ram;
	assert_int_equal(vmm_layout_compute(&r, l, &d), 0);
}

/* A file of @size bytes: byte i is (i * 7 + 1) & 0xff, so the last one
   is known. With @image, an arm64 Image header declaring @image_size. */
static char *make_file(const char *name, size_t size, bool image, uint64_t image_size)
{
	static char path[2][64];
	static unsigned which;
	char *p = path[which++ & 1];
	FILE *f;

	snprintf(p, sizeof(path[0]), "/tmp/s2vmm-loader-%d-%s", (int)getpid(), name);
	f = fopen(p, "wb");
	assert_non_null(f);
	for (size_t i = 0; i < size; i++) {
		uint8_t b = (uint8_t)(i * 7 + 1);

		if (image && i >= 16 && i < 24)
			b = (uint8_t)(image_size >> (8 * (i - 16)));
		else if (image && i >= 8 && i < 16)
			b = 0;                          /* text_offset 0 */
		else if (image && i >= 56 && i < 60)
			b = (uint8_t)"ARM\x64"[i - 56];
		fputc(b, f);
	}
	fclose(f);
	return p;
}

static uint64_t prop64(const void *fdt, const char *name)
{
	int node = fdt_path_offset(fdt, "/chosen"), len;
	const void *v;
	fdt64_t be;

	assert_true(node >= 0);
	v = fdt_getprop(fdt, node, name, &len);
	assert_non_null(v);
	assert_int_equal(len, 8);
	memcpy(&be, v, 8);          /* properties are only 4-byte aligned */
	return fdt64_to_cpu(be);
}

static void initrd_range_is_exact(void **s)
{
	static const size_t sizes[] = { 1, 17, 4095, 4096, 4097, 65537, 1 * MiB + 3, 30 * MiB - 5 };
	static uint8_t fdt[VMM_FDT_MAX];
	struct vmm_layout l;

	(void)s;
	layout(&l, 64 * MiB);
	for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		char *k = make_file("kernel", 4096, true, 8 * MiB);
		char *rd = make_file("initrd", sizes[i], false, 0);
		struct vmm_fdt_info fi = { .bootargs = "" };
		struct vmm_boot b;

		assert_int_equal(vmm_boot_read(k, rd, vmm_boot_window(&l), &b, err, sizeof(err)), 0);
		assert_int_equal(vmm_boot_place(&b, &l, err, sizeof(err)), 0);
		assert_int_equal(b.initrd_end - b.initrd_start, sizes[i]);
		assert_int_equal(b.initrd_start % 4096, 0);
		assert_true(b.initrd_end <= b.dtb);
		assert_true(b.kernel_end <= b.initrd_start);
		assert_int_equal(b.kernel_addr, 0x80000000);
		assert_int_equal(b.kernel_end, 0x80000000 + 8 * MiB);
		assert_int_equal(b.initrd.data[sizes[i] - 1], (uint8_t)((sizes[i] - 1) * 7 + 1));
		fi.initrd_start = b.initrd_start;
		fi.initrd_end = b.initrd_end;
		assert_int_equal(vmm_fdt_build(&l, &fi, fdt), 0);
		assert_int_equal(prop64(fdt, "linux,initrd-start"), b.initrd_start);
		assert_int_equal(prop64(fdt, "linux,initrd-end"), b.initrd_start + sizes[i]);
		vmm_boot_free(&b);
		unlink(k);
		unlink(rd);
	}
}

/* Kernel footprint, initrd and DTB exactly filling the window fit; one
   byte more does not, and the refusal names the sizes. */
static void window_edges(void **s)
{
	struct vmm_layout l;
	struct vmm_boot b;
	uint64_t w;
	char *k, *rd;

	(void)s;
	layout(&l, 16 * MiB);
	w = vmm_boot_window(&l);
	assert_int_equal(w, 16 * MiB);
	/* initrd 4 KiB: it starts at window - DTB - 4 KiB. */
	k = make_file("kernel", 4096, true, w - VMM_FDT_MAX - 4096);
	rd = make_file("initrd", 4096, false, 0);
	assert_int_equal(vmm_boot_read(k, rd, w, &b, err, sizeof(err)), 0);
	assert_int_equal(vmm_boot_place(&b, &l, err, sizeof(err)), 0);
	assert_int_equal(b.kernel_end, b.initrd_start);
	assert_int_equal(b.initrd_end, b.dtb);
	vmm_boot_free(&b);
	k = make_file("kernel", 4096, true, w - VMM_FDT_MAX - 4096 + 1);
	assert_int_equal(vmm_boot_read(k, rd, w, &b, err, sizeof(err)), 0);
	assert_int_equal(vmm_boot_place(&b, &l, err, sizeof(err)), -1);
	assert_string_equal(err, "kernel (15.9 MiB at 0x80000000), initrd (4 KiB) and the DTB do not fit in the first 16 MiB of the boot bank at 0x80000000: they need 16777217 bytes, the window has 16777216");
	vmm_boot_free(&b);
	unlink(k);
	unlink(rd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(initrd_range_is_exact),
		cmocka_unit_test(window_edges),
	};
	return cmocka_run_group_tests_name("s2vmm loader", tests, NULL, NULL);
}
