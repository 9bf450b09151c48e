/* SPDX-License-Identifier: MIT */
/*
 * virtio block device (virtio 1.2, 5.2) over a raw image: one request
 * queue; a request is a 16-byte header the driver wrote, data buffers,
 * and a status byte the device writes. Writes go to the file with
 * pwrite(), so once the guest's flush (VIRTIO_BLK_T_FLUSH, fdatasync)
 * returns they are on disk, and everything written is in the file when
 * s2vmm exits. A read-only disk says so (VIRTIO_BLK_F_RO) and fails
 * writes with an I/O error.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/fs.h>
#include <linux/virtio_blk.h>
#include <linux/virtio_ids.h>

#include "layout.h"
#include "log.h"
#include "virtio.h"
#include "virtio_blk.h"

#define SECTOR   512
#define MAX_SEGS 64

struct disk {
	struct vmm_virtio_dev vd;
	const char *path;
	int fd;
	bool ro;
	uint64_t size;
	struct virtio_blk_config config;
};

static struct disk disks[VMM_MAX_DISKS];
static unsigned nr_disks;

static void close_from(unsigned n)
{
	while (n--) {
		close(disks[n].fd);
		disks[n].fd = -1;
	}
}

void vmm_blk_close_all(void)
{
	close_from(nr_disks);
	nr_disks = 0;
}

static int lock(int fd, bool ro)
{
	struct flock l = { .l_type = ro ? F_RDLCK : F_WRLCK, .l_whence = SEEK_SET };

	/* Open-file-description locks (QEMU's kind) and flock() (what
	   flock(1) and other tools take) do not see each other: take both. */
	if (fcntl(fd, F_OFD_SETLK, &l))
		return -1;
	return flock(fd, (ro ? LOCK_SH : LOCK_EX) | LOCK_NB);
}

static int open_one(struct disk *k, const struct vmm_disk_arg *a, char *err, size_t errlen)
{
	struct stat st;

	k->fd = open(a->path, (a->ro ? O_RDONLY : O_RDWR) | O_CLOEXEC);
	if (k->fd < 0) {
		snprintf(err, errlen, "--disk '%s': %s", a->path,
			 errno == EISDIR ? "is a directory" : strerror(errno));
		return -1;
	}
	if (fstat(k->fd, &st) || (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode))) {
		snprintf(err, errlen, "--disk '%s': %s", a->path,
			 S_ISDIR(st.st_mode) ? "is a directory" : "not a regular file or block device");
		goto fail;
	}
	if (lock(k->fd, a->ro)) {
		snprintf(err, errlen, "--disk '%s': locked by another process (%s)%s", a->path,
			 strerror(errno), a->ro ? "" : "; a disk is written by one VMM at a time");
		goto fail;
	}
	k->size = (uint64_t)st.st_size;
	if (S_ISBLK(st.st_mode) && ioctl(k->fd, BLKGETSIZE64, &k->size)) {
		snprintf(err, errlen, "--disk '%s': BLKGETSIZE64: %s", a->path, strerror(errno));
		goto fail;
	}
	k->path = a->path;
	k->ro = a->ro;
	return 0;
fail:
	close(k->fd);
	k->fd = -1;
	return -1;
}

int vmm_blk_open_all(const struct vmm_disk_arg *a, unsigned n, char *err, size_t errlen)
{
	vmm_blk_close_all();
	if (n > VMM_MAX_DISKS) {
		snprintf(err, errlen, "%u disks: at most %u", n, VMM_MAX_DISKS);
		return -1;
	}
	for (unsigned i = 0; i < n; i++)
		if (open_one(&disks[i], &a[i], err, errlen)) {
			close_from(i);
			return -1;
		}
	nr_disks = n;
	return 0;
}

/* Move @len bytes between guest buffer @p and the file at @off. */
static int xfer(struct disk *k, uint8_t *p, uint32_t len, uint64_t off, bool write)
{
	while (len) {
		ssize_t n = write ? pwrite(k->fd, p, len, (off_t)off) : pread(k->fd, p, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (!n) {                  /* read past a file that shrank */
			memset(p, 0, len);
			return 0;
		}
		p += n;
		off += (uint64_t)n;
		len -= (uint32_t)n;
	}
	return 0;
}

static uint8_t request(struct disk *k, struct vmm_vq_buf *b, int n, uint32_t *written)
{
	struct virtio_blk_outhdr h;
	uint64_t off;
	uint8_t st = VIRTIO_BLK_S_OK;

	if (b[0].len < sizeof(h) || b[0].write)
		return VIRTIO_BLK_S_IOERR;
	memcpy(&h, vmm_gpa(k->vd.vm, b[0].addr, sizeof(h)), sizeof(h));
	if (h.sector > k->size / SECTOR)
		return VIRTIO_BLK_S_IOERR;
	off = h.sector * SECTOR;
	switch (h.type) {
	case VIRTIO_BLK_T_IN:
	case VIRTIO_BLK_T_OUT: {
		bool wr = h.type == VIRTIO_BLK_T_OUT;

		if (wr && k->ro)
			return VIRTIO_BLK_S_IOERR;
		for (int i = 1; i < n - 1; i++) {
			if (b[i].write == wr || off > k->size || b[i].len > k->size - off)
				return VIRTIO_BLK_S_IOERR;
			if (xfer(k, vmm_gpa(k->vd.vm, b[i].addr, b[i].len), b[i].len, off, wr)) {
				pr_warn("disk '%s': %s at byte %" PRIu64 ": %s", k->path,
					wr ? "write" : "read", off, strerror(errno));
				return VIRTIO_BLK_S_IOERR;
			}
			off += b[i].len;
			if (!wr)
				*written += b[i].len;
		}
		return st;
	}
	case VIRTIO_BLK_T_FLUSH:
		return k->ro || !fdatasync(k->fd) ? VIRTIO_BLK_S_OK : VIRTIO_BLK_S_IOERR;
	case VIRTIO_BLK_T_GET_ID:
		if (n < 3 || !b[1].write)
			return VIRTIO_BLK_S_IOERR;
		{
			char id[VIRTIO_BLK_ID_BYTES] = { 0 };
			uint32_t l = b[1].len < sizeof(id) ? b[1].len : (uint32_t)sizeof(id);

			snprintf(id, sizeof(id), "s2vmm-disk%u", (unsigned)(k - disks));
			memcpy(vmm_gpa(k->vd.vm, b[1].addr, l), id, l);
			*written += l;
		}
		return st;
	}
	return VIRTIO_BLK_S_UNSUPP;
}

static void notify(struct vmm_virtio_dev *d, unsigned q)
{
	struct disk *k = (struct disk *)d;
	struct vmm_vq_buf b[MAX_SEGS];
	uint16_t head;
	int n;

	while ((n = vmm_vq_pop(d, q, &head, b, MAX_SEGS)) > 0) {
		uint32_t written = 0;
		struct vmm_vq_buf *s = &b[n - 1];
		uint8_t st;

		if (n < 2 || !s->write || !s->len) {
			vmm_virtio_fail(d, "queue %u: request %u has no status byte", q, head);
			return;
		}
		st = request(k, b, n, &written);
		*(uint8_t *)vmm_gpa(d->vm, s->addr + s->len - 1, 1) = st;
		vmm_vq_push(d, q, head, written + 1);
	}
	vmm_virtio_interrupt(d);
}

static const struct vmm_virtio_ops blk_ops = {
	.features = 1ULL << VIRTIO_BLK_F_FLUSH,
	.notify = notify,
};

static const struct vmm_virtio_ops blk_ro_ops = {
	.features = 1ULL << VIRTIO_BLK_F_FLUSH | 1ULL << VIRTIO_BLK_F_RO,
	.notify = notify,
};

static int blk_setup(struct vmm_vm *vm, const struct vmm_region *r)
{
	struct disk *k = &disks[r->index];

	if (r->index >= nr_disks || k->fd < 0) {
		pr_err("virtio-blk %u: no disk open", r->index);
		return -1;
	}
	memset(&k->config, 0, sizeof(k->config));
	k->config.capacity = k->size / SECTOR;
	if (vmm_virtio_init(&k->vd, vm, r, k->ro ? &blk_ro_ops : &blk_ops,
			    (const uint8_t *)&k->config))
		return -1;
	pr_info("disk '%s' (%" PRIu64 " bytes%s) on %s", k->path, k->size, k->ro ? ", read-only" : "",
		k->vd.where);
	if (k->size % SECTOR)
		pr_warn("disk '%s': the last %" PRIu64 " bytes are not a whole sector and are not seen",
			k->path, k->size % SECTOR);
	return 0;
}

static unsigned blk_instances(const struct vmm_layout_req *req)
{
	return req->nr_disks;
}

static const struct vmm_device blk_device = {
	.name = "virtio-blk",
	.what = "virtio-blk disk",
	.kind = VMM_DEV_VIRTIO,
	.virtio_id = VIRTIO_ID_BLOCK,
	.nr_queues = 1,
	.config_size = sizeof(struct virtio_blk_config),
	.instances = blk_instances,
	.fdt = vmm_virtio_fdt,
	.setup = blk_setup,
};
VMM_DEVICE_REGISTER(blk_device);
