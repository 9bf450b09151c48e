/* SPDX-License-Identifier: MIT */
/*
 * Loading follows Documentation/arch/arm64/booting.rst: the Image header
 * gives text_offset and the memory footprint (image_size, including BSS);
 * the DTB must be 8-byte aligned and within 2 MiB. A file without the
 * header is a raw binary entered at its first byte, for bare-metal guests.
 *
 * Truncation: Debian's Images carry an EFI stub whose PE section table
 * says where the file's data ends; a shorter file is cut off.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "devtree.h"
#include "loader.h"
#include "log.h"

#define ARM64_IMAGE_MAGIC 0x644d5241u   /* "ARM\x64" */
#define SZ_2M (2ULL << 20)

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int read_file(const char *what, const char *path, struct vmm_blob *b, char *err,
		     size_t errlen)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t got = 0;

	if (fd < 0 || fstat(fd, &st)) {
		snprintf(err, errlen, "%s '%s': %s", what, path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode) || st.st_size == 0) {
		snprintf(err, errlen, "%s '%s' is %s", what, path,
			 S_ISREG(st.st_mode) ? "empty" : "not a regular file");
		close(fd);
		return -1;
	}
	b->size = (size_t)st.st_size;
	b->data = malloc(b->size);
	while (b->data && got < b->size) {
		ssize_t n = read(fd, b->data + got, b->size - got);

		if (n <= 0) {
			if (n < 0 && errno == EINTR)
				continue;
			snprintf(err, errlen, "%s '%s': read failed at byte %zu: %s", what, path, got,
				 n ? strerror(errno) : "unexpected end of file");
			close(fd);
			return -1;
		}
		got += (size_t)n;
	}
	close(fd);
	if (!b->data) {
		snprintf(err, errlen, "%s '%s': no memory for %zu bytes", what, path, b->size);
		return -1;
	}
	return 0;
}

/* End of the data the PE/COFF section table describes, 0 if none. */
static uint64_t pe_data_end(const struct vmm_blob *k)
{
	const uint8_t *p = k->data;
	uint32_t pe;
	unsigned nsec, optsz;
	uint64_t end = 0;

	if (k->size < 64 || p[0] != 'M' || p[1] != 'Z')
		return 0;
	pe = le32(p + 0x3c);
	if ((uint64_t)pe + 24 > k->size || memcmp(p + pe, "PE\0\0", 4))
		return 0;
	nsec = p[pe + 6] | p[pe + 7] << 8;
	optsz = p[pe + 20] | p[pe + 21] << 8;
	for (unsigned i = 0; i < nsec; i++) {
		uint64_t s = (uint64_t)pe + 24 + optsz + 40ULL * i;

		if (s + 40 > k->size)
			return s + 40;   /* the table itself is cut off */
		uint64_t e = (uint64_t)le32(p + s + 20) + le32(p + s + 16);
		if (e > end)
			end = e;
	}
	return end;
}

static int check_image(const char *path, struct vmm_boot *b, uint64_t *text_offset,
		       uint64_t *image_size, char *err, size_t errlen)
{
	const struct vmm_blob *k = &b->kernel;
	uint64_t pe_end;

	b->linux_image = k->size >= 64 && le32(k->data + 56) == ARM64_IMAGE_MAGIC;
	if (!b->linux_image)
		return 0;
	*text_offset = le64(k->data + 8);
	*image_size = le64(k->data + 16);
	pe_end = pe_data_end(k);
	if (pe_end > k->size) {
		snprintf(err, errlen,
			 "kernel '%s' is truncated: %zu bytes, but its PE header describes data up to byte %" PRIu64,
			 path, k->size, pe_end);
		return -1;
	}
	/* Before Linux 3.17 image_size was 0 and text_offset 0x80000. */
	if (!*image_size) {
		*image_size = k->size + (1ULL << 20);
		*text_offset = 0x80000;
	}
	if (*image_size < k->size) {
		snprintf(err, errlen,
			 "kernel '%s': %zu bytes, more than the %" PRIu64 " its Image header declares",
			 path, k->size, *image_size);
		return -1;
	}
	return 0;
}

int vmm_boot_prepare(const char *kernel, const char *initrd, const struct vmm_layout *l,
		     struct vmm_boot *b, char *err, size_t errlen)
{
	const struct vmm_region *bank = &l->ram[l->boot_bank];
	uint64_t text_offset = 0, image_size, top, window;
	char a[32], c[32], w[32];

	memset(b, 0, sizeof(*b));
	if (read_file("kernel", kernel, &b->kernel, err, errlen))
		return -1;
	image_size = b->kernel.size;
	if (check_image(kernel, b, &text_offset, &image_size, err, errlen))
		return -1;
	if (initrd && read_file("initrd", initrd, &b->initrd, err, errlen))
		return -1;

	b->kernel_addr = b->linux_image ?
		((bank->base + SZ_2M - 1) & ~(SZ_2M - 1)) + text_offset : bank->base;
	b->entry = b->kernel_addr;
	b->kernel_end = b->kernel_addr + image_size;
	window = bank->size < VMM_SPLIT_BOOT_MAX ? bank->size : VMM_SPLIT_BOOT_MAX;
	top = bank->base + window;
	b->dtb = top - VMM_FDT_MAX;
	if (b->initrd.size) {
		b->initrd_end = b->dtb;
		b->initrd_start = (b->dtb - b->initrd.size) & ~0xfffULL;
	}
	if (b->kernel_end > (b->initrd.size ? b->initrd_start : b->dtb) || b->initrd.size > window) {
		snprintf(err, errlen,
			 "kernel (%s at %#" PRIx64 ")%s%s%s and the DTB do not fit in the first %s of the boot bank at %#" PRIx64,
			 vmm_fmt_size(image_size, a, sizeof(a)), b->kernel_addr,
			 b->initrd.size ? ", initrd (" : "",
			 b->initrd.size ? vmm_fmt_size(b->initrd.size, c, sizeof(c)) : "",
			 b->initrd.size ? ")" : "", vmm_fmt_size(window, w, sizeof(w)), bank->base);
		return -1;
	}
	if (b->linux_image && b->kernel_end > (1ULL << 48))
		pr_warn("the kernel image ends at %#" PRIx64 ", above 2^48: arm64 Linux starts with 48-bit physical addressing and hangs there; use --layout split or low",
			b->kernel_end);
	return 0;
}

int vmm_boot_load(struct vmm_vm *vm, const struct vmm_boot *b, const void *dtb, size_t dtb_size)
{
	void *k = vmm_gpa(vm, b->kernel_addr, b->kernel.size);
	void *d = vmm_gpa(vm, b->dtb, dtb_size);
	void *i = b->initrd.size ? vmm_gpa(vm, b->initrd_start, b->initrd.size) : NULL;

	if (!k || !d || (b->initrd.size && !i)) {
		pr_err("boot images fall outside guest RAM (kernel %#" PRIx64 ", DTB %#" PRIx64 ")",
		       b->kernel_addr, b->dtb);
		return -1;
	}
	memcpy(k, b->kernel.data, b->kernel.size);
	memcpy(d, dtb, dtb_size);
	if (i)
		memcpy(i, b->initrd.data, b->initrd.size);
	return 0;
}
