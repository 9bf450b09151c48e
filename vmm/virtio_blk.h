/* SPDX-License-Identifier: MIT */
/* virtio-blk disks from raw image files (kvmtool's -d/--disk FILE[,ro]). */
#ifndef VMM_VIRTIO_BLK_H
#define VMM_VIRTIO_BLK_H

#include <stdbool.h>
#include <stddef.h>

#define VMM_MAX_DISKS 4

struct vmm_disk_arg {
	const char *path;
	bool ro;
};

/*
 * vmm_blk_open_all() - open and lock every disk before a VM exists: a
 * file that is missing, not a regular file or block device (a FIFO is
 * refused, never waited on), smaller than one 512-byte sector, named
 * twice when either is writable (by any path to it), or locked by
 * another process (an OFD or flock lock, as another VMM holds) is
 * refused with a message in @err naming the file and why. A size that
 * is not a multiple of 512 is warned about: its tail is not seen.
 * Return: 0, or -1 with nothing left open.
 */
int vmm_blk_open_all(const struct vmm_disk_arg *d, unsigned n, char *err, size_t errlen);
/* Close what vmm_blk_open_all() opened. */
void vmm_blk_close_all(void);

#endif
