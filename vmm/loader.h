/* SPDX-License-Identifier: MIT */
/* Kernel, initrd and DTB: read, check and place in the boot bank. */
#ifndef VMM_LOADER_H
#define VMM_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "layout.h"
#include "vm.h"

struct vmm_blob {
	uint8_t *data;
	size_t size;
};

struct vmm_boot {
	struct vmm_blob kernel, initrd;
	bool linux_image;            /* arm64 Image header found */
	uint64_t kernel_addr, kernel_end, entry;
	uint64_t initrd_start, initrd_end;   /* end 0: none */
	uint64_t dtb;
};

/*
 * vmm_boot_prepare() - read the files and place them: kernel at the boot
 * bank's first 2 MiB boundary (plus text_offset), DTB and initrd at the
 * top of its first 256 MiB, as kvmtool does.
 * Return: 0, or -1 with a message in @err (file, size, what was expected).
 */
int vmm_boot_prepare(const char *kernel, const char *initrd, const struct vmm_layout *l,
		     struct vmm_boot *b, char *err, size_t errlen);

/* Copy kernel, initrd and @dtb into guest RAM. Return 0 or -1. */
int vmm_boot_load(struct vmm_vm *vm, const struct vmm_boot *b, const void *dtb, size_t dtb_size);

#endif
