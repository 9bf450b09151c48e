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
#include <endian.h>
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
#include <linux/virtio_ring.h>

#include "layout.h"
#include "log.h"
#include "size.h"
#include "virtio.h"
#include "virtio_blk.h"

#define SECTOR   512
#define MAX_SEGS 256      /* seg_max + 2, as kvmtool */

struct disk {
	struct vmm_virtio_dev vd;
	const char *path;
	int fd;
	bool ro;
	uint64_t size;
	dev_t dev;                 /* which file: the same one twice is refused */
	ino_t ino;
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

static const char *kind(mode_t m)
{
	return S_ISDIR(m) ? "is a directory" :
	       S_ISFIFO(m) ? "is a FIFO, not a regular file or block device" :
	       S_ISCHR(m) ? "is a character device, not a regular file or block device" :
	       S_ISSOCK(m) ? "is a socket, not a regular file or block device" :
	       "not a regular file or block device";
}

/*
 * Disk @i of @a: opened, checked against disks 0..i-1 and locked.
 * O_NONBLOCK: opening a FIFO read-only would wait for a writer, so the
 * type is checked on the open descriptor first (the flag is cleared
 * before any I/O). A file attached twice, once writable, would be two
 * caches of one disk that the guest's two drivers write apart; it is
 * refused by device and inode, whatever the path (a link, ./x, x), and
 * named rather than reported as another process's lock. A disk of less
 * than one sector has capacity 0: the guest would see no byte of it.
 */
static int open_one(struct disk *k, const struct vmm_disk_arg *a, unsigned i, char *err,
		    size_t errlen)
{
	struct stat st;
	char sz[32];

	k->fd = open(a->path, (a->ro ? O_RDONLY : O_RDWR) | O_CLOEXEC | O_NONBLOCK);
	if (k->fd < 0) {
		snprintf(err, errlen, "--disk '%s': %s", a->path,
			 errno == EISDIR ? "is a directory" : strerror(errno));
		return -1;
	}
	if (fstat(k->fd, &st)) {
		snprintf(err, errlen, "--disk '%s': %s", a->path, strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode)) {
		snprintf(err, errlen, "--disk '%s': %s", a->path, kind(st.st_mode));
		goto fail;
	}
	if (fcntl(k->fd, F_SETFL, fcntl(k->fd, F_GETFL) & ~O_NONBLOCK)) {
		snprintf(err, errlen, "--disk '%s': fcntl: %s", a->path, strerror(errno));
		goto fail;
	}
	k->dev = S_ISBLK(st.st_mode) ? st.st_rdev : st.st_dev;
	k->ino = S_ISBLK(st.st_mode) ? 0 : st.st_ino;
	for (unsigned j = 0; j < i; j++)
		if (disks[j].dev == k->dev && disks[j].ino == k->ino && (!a->ro || !disks[j].ro)) {
			snprintf(err, errlen,
				 "--disk '%s' is the same %s as --disk '%s' (disk %u); a disk the guest writes is attached once (two read-only ones may share a file)",
				 a->path, S_ISBLK(st.st_mode) ? "device" : "file", disks[j].path, j);
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
	if (k->size < SECTOR) {
		snprintf(err, errlen,
			 "--disk '%s' is %s, less than one %u-byte sector: the guest would see a disk of capacity 0",
			 a->path, vmm_fmt_size(k->size, sz, sizeof(sz)), SECTOR);
		goto fail;
	}
	if (k->size % SECTOR)
		pr_warn("disk '%s': the last %" PRIu64 " bytes are not a whole %u-byte sector and are not seen",
			a->path, k->size % SECTOR, SECTOR);
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
		if (open_one(&disks[i], &a[i], i, err, errlen)) {
			close_from(i);
			return -1;
		}
	nr_disks = n;
	return 0;
}

/*
 * The bytes of a request, in the order the driver chained them: the
 * device-readable descriptors, then the device-writable ones (virtio
 * 1.2, 2.7.4.2). The device makes no assumption about how they are cut
 * into descriptors (2.6.4, message framing): the 16-byte header is the
 * first 16 readable bytes, the status the last writable byte, the data
 * what lies between.
 */
struct part {
	const struct vmm_vq_buf *b;
	int n;
	uint64_t len;      /* bytes in b[0..n) */
};

/* The host bytes of @p from byte @pos on, up to the end of the
   descriptor holding @pos: their address and (in @len) their count.
   vmm_vq_pop() has checked that each descriptor lies in guest RAM. */
static uint8_t *piece(struct vmm_vm *vm, const struct part *p, uint64_t pos, uint32_t *len)
{
	for (int i = 0; i < p->n; i++) {
		if (pos < p->b[i].len) {
			*len = p->b[i].len - (uint32_t)pos;
			return vmm_gpa(vm, p->b[i].addr + pos, *len);
		}
		pos -= p->b[i].len;
	}
	*len = 0;
	return NULL;
}

/* Copy @len bytes between @p at @pos and @buf (@to_guest: into @p). */
static void copy(struct vmm_vm *vm, const struct part *p, uint64_t pos, void *buf, uint32_t len,
		 bool to_guest)
{
	uint8_t *c = buf;

	while (len) {
		uint32_t n;
		uint8_t *g = piece(vm, p, pos, &n);

		if (n > len)
			n = len;
		memcpy(to_guest ? g : c, to_guest ? c : g, n);
		c += n;
		pos += n;
		len -= n;
	}
}

/* Move @len bytes between @p at @pos and the file at @off. */
static int xfer(struct disk *k, const struct part *p, uint64_t pos, uint64_t len, uint64_t off,
		bool write)
{
	while (len) {
		uint32_t n;
		uint8_t *g = piece(k->vd.vm, p, pos, &n);
		ssize_t done;

		if (n > len)
			n = (uint32_t)len;
		done = write ? pwrite(k->fd, g, n, (off_t)off) : pread(k->fd, g, n, (off_t)off);
		if (done < 0 && errno == EINTR)
			continue;
		if (done < 0)
			return -1;
		if (!done) {               /* read past a file that shrank */
			memset(g, 0, n);
			done = n;
		}
		pos += (uint64_t)done;
		off += (uint64_t)done;
		len -= (uint64_t)done;
	}
	return 0;
}

/*
 * One request (virtio 1.2, 5.2.6): the status for it, and in @written
 * the bytes it put in the device-writable part before the status byte.
 * Out-of-range or partial-sector transfers fail before any byte moves,
 * as QEMU's virtio-blk checks them (virtio_blk_sect_range_ok()).
 */
static uint8_t request(struct disk *k, const struct part *rd, const struct part *wr,
		       uint32_t *written)
{
	struct virtio_blk_outhdr h;
	uint64_t sector, len;

	if (rd->len < sizeof(h))
		return VIRTIO_BLK_S_IOERR;
	copy(k->vd.vm, rd, 0, &h, sizeof(h), false);
	sector = le64toh(h.sector);
	switch (le32toh(h.type)) {
	case VIRTIO_BLK_T_IN:
	case VIRTIO_BLK_T_OUT: {
		bool out = le32toh(h.type) == VIRTIO_BLK_T_OUT;

		/* 5.2.6.2: a read-only device fails writes and writes no data. */
		if (out && k->ro)
			return VIRTIO_BLK_S_IOERR;
		len = out ? rd->len - sizeof(h) : wr->len - 1;
		if (len % SECTOR || len > UINT32_MAX - 1 || sector > k->size / SECTOR ||
		    len > k->size - sector * SECTOR)
			return VIRTIO_BLK_S_IOERR;
		if (xfer(k, out ? rd : wr, out ? sizeof(h) : 0, len, sector * SECTOR, out)) {
			pr_warn("disk '%s': %s of %" PRIu64 " bytes at byte %" PRIu64 ": %s", k->path,
				out ? "write" : "read", len, sector * SECTOR, strerror(errno));
			return VIRTIO_BLK_S_IOERR;
		}
		if (!out)
			*written = (uint32_t)len;
		return VIRTIO_BLK_S_OK;
	}
	case VIRTIO_BLK_T_FLUSH:
		return k->ro || !fdatasync(k->fd) ? VIRTIO_BLK_S_OK : VIRTIO_BLK_S_IOERR;
	case VIRTIO_BLK_T_GET_ID: {
		/* 20 bytes, NUL-padded when shorter (5.2.6): as much of it as
		   the driver's buffer holds. */
		char id[VIRTIO_BLK_ID_BYTES] = { 0 };

		len = wr->len - 1 < sizeof(id) ? wr->len - 1 : sizeof(id);
		snprintf(id, sizeof(id), "s2vmm-disk%u", (unsigned)(k - disks));
		copy(k->vd.vm, wr, 0, id, (uint32_t)len, true);
		*written = (uint32_t)len;
		return VIRTIO_BLK_S_OK;
	}
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
		struct part rd = { b, 0, 0 }, wr;
		uint32_t written = 0, len;
		uint8_t st;

		while (rd.n < n && !b[rd.n].write)
			rd.len += b[rd.n++].len;
		wr = (struct part){ b + rd.n, n - rd.n, 0 };
		for (int i = 0; i < wr.n; i++) {
			/* 2.7.4.2: writable descriptors come after the readable
			   ones; QEMU fails the device on the wrong order too. */
			if (!wr.b[i].write) {
				vmm_virtio_fail(d, "queue %u: request %u has a device-readable descriptor "
						"after a device-writable one", q, head);
				return;
			}
			wr.len += wr.b[i].len;
		}
		if (!wr.len) {
			vmm_virtio_fail(d, "queue %u: request %u has no status byte (no device-writable "
					"byte)", q, head);
			return;
		}
		st = request(k, &rd, &wr, &written);
		*piece(d->vm, &wr, wr.len - 1, &len) = st;
		vmm_vq_push(d, q, head, written + 1);
	}
	vmm_virtio_interrupt(d);
}

/* SEG_MAX: without it Linux sends one data segment per request (a 4 KiB
   page, as user buffers are rarely contiguous). Indirect descriptors:
   a request of many segments takes one ring entry, not seg_max + 2. */
#define BLK_FEATURES (1ULL << VIRTIO_BLK_F_FLUSH | 1ULL << VIRTIO_BLK_F_SEG_MAX | \
		      1ULL << VIRTIO_RING_F_INDIRECT_DESC)
static const struct vmm_virtio_ops blk_ops = {
	.features = BLK_FEATURES,
	.notify = notify,
};

static const struct vmm_virtio_ops blk_ro_ops = {
	.features = BLK_FEATURES | 1ULL << VIRTIO_BLK_F_RO,
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
	k->config.seg_max = MAX_SEGS - 2;          /* header and status */
	if (vmm_virtio_init(&k->vd, vm, r, k->ro ? &blk_ro_ops : &blk_ops,
			    (const uint8_t *)&k->config))
		return -1;
	pr_info("disk '%s' (%" PRIu64 " bytes%s) on %s", k->path, k->size, k->ro ? ", read-only" : "",
		k->vd.where);
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
