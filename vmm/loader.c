/* SPDX-License-Identifier: MIT */
/*
 * Loading follows Documentation/arch/arm64/booting.rst: the Image header
 * gives text_offset and the memory footprint (image_size, including BSS);
 * the DTB must be 8-byte aligned and within 2 MiB. A file without the
 * header is a raw binary entered at its first byte, for bare-metal guests.
 * The initrd's range in the device tree is exactly the file's bytes:
 * guests such as kvm-unit-tests read it as text up to linux,initrd-end.
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

static int read_file(const char *what, const char *path, uint64_t max, struct vmm_blob *b,
		     char *err, size_t errlen)
{
	struct stat st;
	/* O_NONBLOCK: opening a FIFO for reading would wait for a writer. */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	size_t got = 0;
	char a[32], c[32];

	if (fd < 0 || fstat(fd, &st)) {
		int e = errno;

		snprintf(err, errlen, "%s '%s': %s", what, path, strerror(e));
		if (fd >= 0)
			close(fd);
		/* A path that is not there or not ours is the user's to fix;
		   anything else (EIO, EMFILE, ENOMEM) is the machine's. */
		return e == ENOENT || e == ENOTDIR || e == EACCES || e == EPERM || e == ELOOP ||
		       e == ENAMETOOLONG || e == EISDIR || e == ENXIO || e == ENODEV ? -EINVAL : -e;
	}
	if (!S_ISREG(st.st_mode) || st.st_size <= 0) {
		snprintf(err, errlen, "%s '%s' is %s", what, path,
			 S_ISREG(st.st_mode) ? "empty" : S_ISDIR(st.st_mode) ? "a directory" :
			 S_ISFIFO(st.st_mode) ? "a FIFO, not a regular file" :
			 S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "a device, not a regular file" :
			 "not a regular file");
		close(fd);
		return -EINVAL;
	}
	if ((uint64_t)st.st_size > max) {
		snprintf(err, errlen, "%s '%s' is %s; the boot window holds %s", what, path,
			 vmm_fmt_size((uint64_t)st.st_size, a, sizeof(a)), vmm_fmt_size(max, c, sizeof(c)));
		close(fd);
		return -EINVAL;
	}
	b->size = (size_t)st.st_size;
	b->data = malloc(b->size);
	if (!b->data) {
		snprintf(err, errlen, "%s '%s': no memory for %zu bytes", what, path, b->size);
		close(fd);
		return -ENOMEM;
	}
	while (got < b->size) {
		ssize_t n = read(fd, b->data + got, b->size - got);

		if (n <= 0) {
			if (n < 0 && errno == EINTR)
				continue;
			int e = n ? errno : EIO;

			snprintf(err, errlen, "%s '%s': read failed at byte %zu: %s", what, path, got,
				 n ? strerror(e) : "unexpected end of file (did it shrink?)");
			close(fd);
			free(b->data);
			b->data = NULL;
			return -e;
		}
		got += (size_t)n;
	}
	close(fd);
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

/*
 * Files often given by mistake for an arm64 Image, known by their first
 * bytes: loaded as a raw binary they would be entered at a byte that is
 * no instruction (none of these magics decodes as a valid A64 one), and
 * the guest would die without a word. NULL: none of them.
 */
static const char *not_an_image(const struct vmm_blob *k)
{
	static const struct { unsigned at, len; const char *magic, *what; } m[] = {
		{ 0, 4, "\x7f" "ELF", "an ELF file (a vmlinux?): give the arm64 Image (arch/arm64/boot/Image), or for a bare-metal guest the output of objcopy -O binary" },
		{ 0, 2, "\x1f\x8b", "gzip-compressed (an Image.gz?): decompress it first" },
		{ 0, 6, "\xfd" "7zXZ\0", "xz-compressed: decompress it first" },
		{ 0, 4, "\x28\xb5\x2f\xfd", "zstd-compressed: decompress it first" },
		{ 0, 3, "BZh", "bzip2-compressed: decompress it first" },
		{ 0, 4, "\x02\x21\x4c\x18", "lz4-compressed: decompress it first" },
		{ 0, 4, "\x04\x22\x4d\x18", "lz4-compressed: decompress it first" },
		{ 4, 4, "zimg", "an EFI zboot image (a vmlinuz.efi): it needs UEFI firmware; give the arm64 Image it holds" },
		{ 0, 4, "\x27\x05\x19\x56", "a U-Boot uImage: give the arm64 Image it holds (dumpimage -p 0)" },
		{ 0x202, 4, "HdrS", "an x86 Linux bzImage, not an arm64 Image" },
		{ 0x24, 4, "\x18\x28\x6f\x01", "a 32-bit arm zImage: s2vmm runs 64-bit guests" },
	};

	for (unsigned i = 0; i < sizeof(m) / sizeof(m[0]); i++)
		if (k->size >= m[i].at + m[i].len && !memcmp(k->data + m[i].at, m[i].magic, m[i].len))
			return m[i].what;
	return NULL;
}

/*
 * The header's text_offset and image_size are the file's word: both are
 * checked against the window with arithmetic that cannot wrap, so an
 * image_size near 2^64 is refused rather than turned into a small end.
 */
static int check_image(const char *path, struct vmm_boot *b, uint64_t window, char *err,
		       size_t errlen)
{
	const struct vmm_blob *k = &b->kernel;
	uint64_t pe_end;
	char w[32];

	b->image_size = k->size;
	b->text_offset = 0;
	b->linux_image = k->size >= 64 && le32(k->data + 56) == ARM64_IMAGE_MAGIC;
	if (!b->linux_image) {
		const char *what = not_an_image(k);

		if (what) {
			snprintf(err, errlen, "kernel '%s' is %s", path, what);
			return -EINVAL;
		}
		return 0;
	}
	b->text_offset = le64(k->data + 8);
	b->image_size = le64(k->data + 16);
	b->flags = le64(k->data + 24);
	pe_end = pe_data_end(k);
	if (pe_end > k->size) {
		snprintf(err, errlen,
			 "kernel '%s' is truncated: %zu bytes, but its PE header describes data up to byte %" PRIu64,
			 path, k->size, pe_end);
		return -EINVAL;
	}
	/* Before Linux 3.17 image_size was 0 and text_offset 0x80000. */
	if (!b->image_size) {
		b->image_size = k->size + (1ULL << 20);
		b->text_offset = 0x80000;
	}
	/* The entry point is the Image's first byte, at text_offset: A64
	   instructions are 4-byte aligned, so any other offset faults on
	   the first fetch (Linux's are multiples of 4 KiB). */
	if (b->text_offset % 4) {
		snprintf(err, errlen,
			 "kernel '%s': its Image header's text_offset %#" PRIx64 " is not a multiple of 4; the first instruction could not be fetched",
			 path, b->text_offset);
		return -EINVAL;
	}
	if (b->image_size < k->size) {
		snprintf(err, errlen,
			 "kernel '%s': %zu bytes, more than the %" PRIu64 " its Image header declares",
			 path, k->size, b->image_size);
		return -EINVAL;
	}
	if (b->text_offset > window || b->image_size > window - b->text_offset) {
		snprintf(err, errlen,
			 "kernel '%s': its Image header asks for %" PRIu64 " bytes (image_size %#" PRIx64
			 ") at text_offset %#" PRIx64 "; the boot window holds %s",
			 path, b->image_size, b->image_size, b->text_offset,
			 vmm_fmt_size(window, w, sizeof(w)));
		return -EINVAL;
	}
	return 0;
}

/* ID_AA64MMFR0_EL1 fields (Arm ARM, D19.2): 4-bit, at these bits. */
#define MMFR0_BIGEND   8
#define MMFR0_TGRAN16  20
#define MMFR0_TGRAN64  24
#define MMFR0_TGRAN4   28

static unsigned field(uint64_t r, unsigned at)
{
	return (unsigned)(r >> at) & 0xf;
}

int vmm_boot_check_cpu(const struct vmm_boot *b, uint64_t mmfr0, char *err, size_t errlen)
{
	/* booting.rst: flags bits 1-2 are the kernel's page size, 1: 4K,
	   2: 16K, 3: 64K. Linux's own test in head.S (the sysreg.h
	   TGRAN*_SUPPORTED_MIN/MAX): TGran4 and TGran64 are signed, 0..7
	   implement the granule (0b1111: not); TGran16 is unsigned, 1..15
	   implement it (0b0000: not). */
	unsigned pg = (unsigned)(b->flags >> 1) & 3;
	unsigned t4 = field(mmfr0, MMFR0_TGRAN4), t16 = field(mmfr0, MMFR0_TGRAN16),
		 t64 = field(mmfr0, MMFR0_TGRAN64);
	bool has[4] = { true, t4 <= 7, t16 >= 1, t64 <= 7 };
	static const char *const name[4] = { "", "4K", "16K", "64K" };
	char offers[32] = "";

	if (!b->linux_image)
		return 0;
	for (unsigned i = 1; i < 4; i++)
		if (has[i])
			snprintf(offers + strlen(offers), sizeof(offers) - strlen(offers), "%s%s",
				 *offers ? ", " : "", name[i]);
	if (!has[pg]) {
		snprintf(err, errlen,
			 "its Image header says %s pages (flags %#" PRIx64 "); this vCPU's translation granules are %s (ID_AA64MMFR0_EL1 %#" PRIx64 "): use a kernel built for one of them",
			 name[pg], b->flags, *offers ? offers : "none", mmfr0);
		return -1;
	}
	if ((b->flags & 1) && field(mmfr0, MMFR0_BIGEND) != 1) {
		snprintf(err, errlen,
			 "its Image header says big-endian (flags %#" PRIx64 "); this vCPU has no mixed-endian support (ID_AA64MMFR0_EL1.BigEnd 0, value %#" PRIx64 "): use a little-endian kernel",
			 b->flags, mmfr0);
		return -1;
	}
	return 0;
}

uint64_t vmm_boot_window(const struct vmm_layout *l)
{
	const struct vmm_region *bank = &l->ram[l->boot_bank];

	return bank->size < VMM_SPLIT_BOOT_MAX ? bank->size : VMM_SPLIT_BOOT_MAX;
}

void vmm_boot_free(struct vmm_boot *b)
{
	free(b->kernel.data);
	free(b->initrd.data);
	b->kernel = b->initrd = (struct vmm_blob){ 0 };
}

int vmm_boot_read(const char *kernel, const char *initrd, uint64_t window, struct vmm_boot *b,
		  char *err, size_t errlen)
{
	int rc;

	memset(b, 0, sizeof(*b));
	rc = read_file("kernel", kernel, window, &b->kernel, err, errlen);
	if (!rc)
		rc = check_image(kernel, b, window, err, errlen);
	if (!rc && initrd)
		rc = read_file("initrd", initrd, window, &b->initrd, err, errlen);
	if (rc)
		vmm_boot_free(b);
	return rc;
}

int vmm_boot_place(struct vmm_boot *b, const struct vmm_layout *l, char *err, size_t errlen)
{
	const struct vmm_region *bank = &l->ram[l->boot_bank];
	uint64_t window = vmm_boot_window(l), start, room;
	char a[32], c[32], w[32];

	/* Everything below is an offset from the bank's base, at most the
	   window (256 MiB): no sum here can wrap. */
	start = b->linux_image ? ((bank->base + SZ_2M - 1) & ~(SZ_2M - 1)) - bank->base : 0;
	room = window > VMM_FDT_MAX ? window - VMM_FDT_MAX : 0;
	b->dtb = bank->base + room;
	b->initrd_start = b->initrd_end = 0;
	if (b->initrd.size) {
		uint64_t at = b->initrd.size <= room ? (room - b->initrd.size) & ~0xfffULL : 0;

		b->initrd_start = bank->base + at;
		b->initrd_end = b->initrd_start + b->initrd.size;
		room = b->initrd.size <= room ? at : 0;
	}
	if (window < VMM_FDT_MAX || start > room || b->text_offset > room - start ||
	    b->image_size > room - start - b->text_offset ||
	    (b->initrd.size && b->initrd.size > window - VMM_FDT_MAX)) {
		/* Each term is at most 2^64 - 1 and there are four: the sum
		   saturates rather than wraps. */
		uint64_t need = start, t[3] = { b->text_offset, b->image_size,
						 ((b->initrd.size + 0xfffULL) & ~0xfffULL) + VMM_FDT_MAX };

		for (unsigned i = 0; i < 3; i++)
			need = need > UINT64_MAX - t[i] ? UINT64_MAX : need + t[i];
		snprintf(err, errlen,
			 "kernel (%s at %#" PRIx64 ")%s%s%s and the DTB do not fit in the first %s of the boot bank at %#" PRIx64 ": they need %" PRIu64 " bytes, the window has %" PRIu64,
			 vmm_fmt_size(b->image_size, a, sizeof(a)), bank->base + start + b->text_offset,
			 b->initrd.size ? ", initrd (" : "",
			 b->initrd.size ? vmm_fmt_size(b->initrd.size, c, sizeof(c)) : "",
			 b->initrd.size ? ")" : "", vmm_fmt_size(window, w, sizeof(w)), bank->base,
			 need, window);
		return -1;
	}
	b->kernel_addr = bank->base + start + b->text_offset;
	b->entry = b->kernel_addr;
	b->kernel_end = b->kernel_addr + b->image_size;
	if (b->linux_image && b->kernel_end > (1ULL << 48))
		pr_warn("the kernel image ends at %#" PRIx64 ", above 2^48: arm64 Linux starts with 48-bit physical addressing and hangs there; use --layout split or low",
			b->kernel_end);
	return 0;
}
