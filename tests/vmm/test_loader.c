/* SPDX-License-Identifier: MIT */
/*
 * Kernel and initrd placement, and what the device tree says of them:
 * linux,initrd-start/end bound exactly the file's bytes (a guest reading
 * its initrd as text stops at linux,initrd-end), the initrd and the DTB
 * do not overlap the kernel's footprint, and every byte of the window
 * arithmetic holds at its edges.
 */
#include <errno.h>
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

/* An arm64 Image header (booting.rst) with these fields, padded with
   zeros to 4096 bytes. */
static char *image_file(uint64_t text_offset, uint64_t image_size, uint64_t flags)
{
	static char p[64];
	uint8_t h[4096] = { 0 };
	FILE *f;

	for (int i = 0; i < 8; i++) {
		h[8 + i] = (uint8_t)(text_offset >> (8 * i));
		h[16 + i] = (uint8_t)(image_size >> (8 * i));
		h[24 + i] = (uint8_t)(flags >> (8 * i));
	}
	memcpy(h + 56, "ARM\x64", 4);
	snprintf(p, sizeof(p), "/tmp/s2vmm-loader-%d-hdr", (int)getpid());
	f = fopen(p, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(h, 1, sizeof(h), f), sizeof(h));
	fclose(f);
	return p;
}

/* The entry is the Image's first byte at text_offset: an offset that is
   not a multiple of 4 cannot hold an A64 instruction, and is refused
   naming it; multiples of 4 are taken as they are. */
static void text_offset_alignment(void **s)
{
	static const uint64_t bad[] = { 1, 2, 3, 0x80001, 0x80002, 0x7fffe };
	static const uint64_t good[] = { 0, 4, 0x1000, 0x80000, 0x7fffc };
	struct vmm_layout l;
	struct vmm_boot b;
	char want[32];

	(void)s;
	layout(&l, 64 * MiB);
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *k = image_file(bad[i], 2 * MiB, 0xa);

		assert_int_equal(vmm_boot_read(k, NULL, vmm_boot_window(&l), &b, err, sizeof(err)), -EINVAL);
		snprintf(want, sizeof(want), "text_offset %#llx", (unsigned long long)bad[i]);
		assert_non_null(strstr(err, want));
		assert_non_null(strstr(err, "multiple of 4"));
		assert_null(b.kernel.data);
		unlink(k);
	}
	for (unsigned i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		char *k = image_file(good[i], 2 * MiB, 0xa);

		assert_int_equal(vmm_boot_read(k, NULL, vmm_boot_window(&l), &b, err, sizeof(err)), 0);
		assert_int_equal(b.text_offset, good[i]);
		assert_int_equal(vmm_boot_place(&b, &l, err, sizeof(err)), 0);
		assert_int_equal(b.entry % 4, 0);
		vmm_boot_free(&b);
		unlink(k);
	}
}

/*
 * The Image header's page size (flags bits 2:1: 0 unspecified, 1 4K,
 * 2 16K, 3 64K) and endianness (bit 0: 1 big-endian) against
 * ID_AA64MMFR0_EL1 as the Arm ARM encodes it: TGran4 [31:28] 0b0000 or
 * 0b0001 (52-bit) implemented, 0b1111 not; TGran64 [27:24] 0b0000
 * implemented, 0b1111 not; TGran16 [23:20] 0b0000 not implemented,
 * 0b0001 or 0b0010 (52-bit) implemented; BigEnd [11:8] 0b0001: mixed
 * endian. Every combination of those encodings and every flags value.
 */
static void page_size_and_endianness(void **s)
{
	static const unsigned t4s[] = { 0, 1, 0xf }, t16s[] = { 0, 1, 2 }, t64s[] = { 0, 0xf };
	static const char *const pages[] = { NULL, "4K pages", "16K pages", "64K pages" };
	struct vmm_layout l;
	unsigned n = 0;

	(void)s;
	layout(&l, 64 * MiB);
	for (uint64_t flags = 0; flags < 16; flags++) {
		char *k = image_file(0, 2 * MiB, flags);
		struct vmm_boot b;

		assert_int_equal(vmm_boot_read(k, NULL, vmm_boot_window(&l), &b, err, sizeof(err)), 0);
		assert_int_equal(b.flags, flags);
		for (unsigned a = 0; a < 3; a++)
			for (unsigned c = 0; c < 3; c++)
				for (unsigned d = 0; d < 2; d++)
					for (unsigned be = 0; be < 2; be++) {
			uint64_t mmfr0 = (uint64_t)t4s[a] << 28 | (uint64_t)t64s[d] << 24 |
					 (uint64_t)t16s[c] << 20 | (uint64_t)be << 8 | 0x5;
			unsigned pg = (unsigned)(flags >> 1) & 3;
			bool granule = pg == 0 || (pg == 1 && t4s[a] != 0xf) ||
				       (pg == 2 && t16s[c] != 0) || (pg == 3 && t64s[d] != 0xf);
			bool endian = !(flags & 1) || be;
			char hex[32];

			err[0] = 0;
			assert_int_equal(vmm_boot_check_cpu(&b, mmfr0, err, sizeof(err)),
					 granule && endian ? 0 : -1);
			snprintf(hex, sizeof(hex), "%#llx", (unsigned long long)mmfr0);
			if (!granule) {
				assert_non_null(strstr(err, pages[pg]));
				assert_non_null(strstr(err, hex));
			} else if (!endian) {
				assert_non_null(strstr(err, "big-endian"));
				assert_non_null(strstr(err, "BigEnd"));
			}
			n++;
		}
		vmm_boot_free(&b);
		unlink(k);
	}
	assert_int_equal(n, 16 * 3 * 3 * 2 * 2);
	/* A raw binary has no header: any vCPU. */
	char *raw = make_file("raw", 100, false, 0);
	struct vmm_boot b;

	assert_int_equal(vmm_boot_read(raw, NULL, vmm_boot_window(&l), &b, err, sizeof(err)), 0);
	assert_false(b.linux_image);
	assert_int_equal(vmm_boot_check_cpu(&b, 0xfULL << 28 | 0xfULL << 24, err, sizeof(err)), 0);
	vmm_boot_free(&b);
	unlink(raw);
	/* What the message offers: a 4K kernel on a 16K/64K-only vCPU. */
	char *k = image_file(0, 2 * MiB, 2);

	assert_int_equal(vmm_boot_read(k, NULL, vmm_boot_window(&l), &b, err, sizeof(err)), 0);
	assert_int_equal(vmm_boot_check_cpu(&b, 0xfULL << 28 | 1ULL << 20, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "this vCPU's translation granules are 16K, 64K"));
	vmm_boot_free(&b);
	unlink(k);
}

/* What is often given for an Image by mistake, with the bytes its own
   format puts first (ELF: "\x7fELF"; gzip RFC 1952: 1f 8b; xz: fd
   "7zXZ" 00; zstd RFC 8878: 28 b5 2f fd; bzip2: "BZh"; lz4 frame:
   04 22 4d 18 and its legacy 02 21 4c 18; Linux's EFI zboot: "zimg" at 4;
   U-Boot uImage: 27 05 19 56 big-endian; x86 boot protocol: "HdrS" at
   0x202; arm zImage: 0x016f2818 little-endian at 0x24): refused, naming
   the file and what it is, nothing left allocated. */
static void not_an_image(void **s)
{
	static const struct { unsigned at, len; const char *bytes, *says; } c[] = {
		{ 0, 4, "\x7f" "ELF", "an ELF file" },
		{ 0, 3, "\x1f\x8b\x08", "gzip-compressed" },
		{ 0, 6, "\xfd\x37\x7a\x58\x5a\x00", "xz-compressed" },
		{ 0, 4, "\x28\xb5\x2f\xfd", "zstd-compressed" },
		{ 0, 4, "BZh9", "bzip2-compressed" },
		{ 0, 4, "\x02\x21\x4c\x18", "lz4-compressed" },
		{ 0, 4, "\x04\x22\x4d\x18", "lz4-compressed" },
		{ 4, 4, "zimg", "EFI zboot" },
		{ 0, 4, "\x27\x05\x19\x56", "U-Boot uImage" },
		{ 0x202, 4, "HdrS", "x86 Linux bzImage" },
		{ 0x24, 4, "\x18\x28\x6f\x01", "32-bit arm zImage" },
	};
	struct vmm_layout l;

	(void)s;
	layout(&l, 64 * MiB);
	for (unsigned i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		char *k = make_file("notimage", 4096, false, 0);
		struct vmm_boot b;
		FILE *f = fopen(k, "r+b");

		assert_non_null(f);
		fseek(f, c[i].at, SEEK_SET);
		fwrite(c[i].bytes, 1, c[i].len, f);
		if (c[i].at == 4) {             /* zboot: also "MZ" first */
			fseek(f, 0, SEEK_SET);
			fwrite("MZ", 1, 2, f);
		}
		fclose(f);
		assert_int_equal(vmm_boot_read(k, NULL, vmm_boot_window(&l), &b, err, sizeof(err)), -EINVAL);
		assert_non_null(strstr(err, k));
		assert_non_null(strstr(err, c[i].says));
		assert_null(b.kernel.data);
		unlink(k);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(initrd_range_is_exact),
		cmocka_unit_test(window_edges),
		cmocka_unit_test(text_offset_alignment),
		cmocka_unit_test(page_size_and_endianness),
		cmocka_unit_test(not_an_image),
	};
	return cmocka_run_group_tests_name("s2vmm loader", tests, NULL, NULL);
}
