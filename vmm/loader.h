/* SPDX-License-Identifier: MIT */
/* Kernel and initrd: read, check and place in the boot bank. */
#ifndef VMM_LOADER_H
#define VMM_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "layout.h"

struct vmm_blob {
	uint8_t *data;
	size_t size;
};

struct vmm_boot {
	struct vmm_blob kernel, initrd;
	bool linux_image;            /* arm64 Image header found */
	uint64_t text_offset;        /* from the header; 0 for a raw binary */
	uint64_t flags;              /* from the header: endianness, page size, placement */
	uint64_t image_size;         /* memory footprint, BSS included */
	uint64_t kernel_addr, kernel_end, entry;
	uint64_t initrd_start, initrd_end;   /* the file's exact bytes; end 0: none */
	uint64_t dtb;
};

/* The part of the boot bank that holds kernel, initrd and DTB: its
   first 256 MiB, as in kvmtool. */
uint64_t vmm_boot_window(const struct vmm_layout *l);

/*
 * vmm_boot_read() - read @kernel and @initrd (NULL: none) into @b.
 * @window: bytes available for them (vmm_boot_window()); each file's
 * size is checked against it with fstat before anything is read.
 * Only regular files are read: a FIFO or device would block or never end.
 * Return: 0; -EINVAL for bad input (no such file, not a regular file,
 * too large, a bad Image header: text_offset not a multiple of 4; a
 * file known by its first bytes not to be one: ELF, compressed, EFI
 * zboot, uImage, an x86 or 32-bit arm kernel); another -errno when the machine
 * failed (-ENOMEM, -EIO). With a message in @err (file, size, what was
 * expected) and nothing left allocated.
 */
int vmm_boot_read(const char *kernel, const char *initrd, uint64_t window, struct vmm_boot *b,
		  char *err, size_t errlen);

/*
 * vmm_boot_place() - addresses for @b in @l's boot bank: the kernel at
 * the bank's first 2 MiB boundary plus text_offset, the DTB at the top
 * of the window, the initrd right below the DTB starting on a 4 KiB
 * boundary and ending at its last byte.
 * Return: 0, or -1 with a message in @err naming the sizes and window.
 */
int vmm_boot_place(struct vmm_boot *b, const struct vmm_layout *l, char *err, size_t errlen);

/*
 * vmm_boot_check_cpu() - whether a vCPU whose ID_AA64MMFR0_EL1 reads
 * @mmfr0 can run @b's kernel: the page size its Image header declares
 * (flags bits 1-2; 0 says nothing) must be a translation granule the
 * CPU has (TGran4, TGran16, TGran64), and a big-endian kernel (bit 0)
 * needs mixed-endian support at EL1 (BigEnd). A raw binary passes.
 * Return: 0, or -1 with a message in @err naming the kernel's need and
 * what the vCPU offers. Linux stops silently in early boot otherwise.
 */
int vmm_boot_check_cpu(const struct vmm_boot *b, uint64_t mmfr0, char *err, size_t errlen);

/* Free what vmm_boot_read() read. */
void vmm_boot_free(struct vmm_boot *b);

#endif
