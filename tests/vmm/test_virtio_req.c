/* SPDX-License-Identifier: MIT */
/*
 * Requests to virtio-blk and virtio-rng on the build host, as a driver
 * makes them: split virtqueues built in a fake guest RAM, the device
 * notified through its virtio-mmio registers, the used ring, the status
 * byte, the image file and the bytes around every buffer read back.
 * Each expectation is a rule of the virtio 1.2 specification (or QEMU's
 * virtio-blk where the specification leaves the device a choice),
 * written out beside it, not what the device code happens to do.
 */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/virtio_blk.h>
#include <linux/virtio_config.h>
#include <linux/virtio_mmio.h>
#include <linux/virtio_ring.h>

#include "unit.h"
#include "device.h"
#include "fake_vm.h"
#include "layout.h"
#include "virtio.h"
#include "virtio_blk.h"

#define RAM_GPA  0x80000000ULL
#define RAM_SIZE (1 * MiB)
#define QN       16             /* queue size the driver sets */
#define DESC     0x0000         /* ring offsets in RAM */
#define AVAIL    0x1000
#define USED     0x2000
#define BUF      0x10000        /* request buffers from here */
#define SECTORS  128            /* the image: 64 KiB */
#define STATUS_UNSET 0xee

static uint8_t ram[RAM_SIZE];
static struct vmm_vm vm;
static uint64_t base;           /* the device's virtio-mmio window */
static uint16_t avail_idx, used_seen;
static char image[] = "/tmp/s2vmm-test-blk-XXXXXX";
static int image_fd = -1;

static uint32_t rd(uint64_t off)
{
	uint32_t v = 0;

	assert_true(vmm_mmio_dispatch(&vm, base + off, (uint8_t *)&v, 4, false));
	return v;
}

static void wr(uint64_t off, uint32_t v)
{
	assert_true(vmm_mmio_dispatch(&vm, base + off, (uint8_t *)&v, 4, true));
}

static uint64_t gpa(uint64_t off)
{
	return RAM_GPA + off;
}

/* What the image holds at byte @o before any test writes it. */
static uint8_t pattern(uint64_t o)
{
	return (uint8_t)(o * 131 + (o >> 9) * 7 + 1);
}

static void handshake(void);

/* Place device @name (instance 0) on virtio-mmio, set it up and bring
   it up (handshake()). */
static void start(const char *name, unsigned nr_disks, bool rng)
{
	struct vmm_layout_req r = { 0 };
	struct s2_diag d;
	const struct vmm_region *reg;

	r.nr_ram = 1;
	r.ram[0].size = 256 * MiB;
	r.cpus = 1;
	r.ipa_limit = 40;
	r.nr_disks = nr_disks;
	r.rng = rng;
	fake_vm_init(&vm, ram, RAM_GPA, RAM_SIZE);
	memset(ram, 0, sizeof(ram));
	assert_int_equal(vmm_layout_compute(&r, &vm.layout, &d), 0);
	reg = vmm_layout_dev(&vm.layout, name, 0);
	assert_non_null(reg);
	assert_int_equal(reg->dev->setup(&vm, reg), 0);
	base = reg->base;
	handshake();
}

/* Reset the device, then bring it up as a modern driver does (virtio
   1.2, 3.1.1) with empty rings and queue 0 of QN entries. */
static void handshake(void)
{
	wr(VIRTIO_MMIO_STATUS, 0);
	memset(ram, 0, BUF);
	avail_idx = used_seen = 0;
	wr(VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER);
	wr(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
	wr(VIRTIO_MMIO_DRIVER_FEATURES, 1u << (VIRTIO_F_VERSION_1 - 32));
	wr(VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
	   VIRTIO_CONFIG_S_FEATURES_OK);
	wr(VIRTIO_MMIO_QUEUE_SEL, 0);
	wr(VIRTIO_MMIO_QUEUE_NUM, QN);
	wr(VIRTIO_MMIO_QUEUE_DESC_LOW, (uint32_t)gpa(DESC));
	wr(VIRTIO_MMIO_QUEUE_AVAIL_LOW, (uint32_t)gpa(AVAIL));
	wr(VIRTIO_MMIO_QUEUE_USED_LOW, (uint32_t)gpa(USED));
	wr(VIRTIO_MMIO_QUEUE_READY, 1);
	assert_int_equal(rd(VIRTIO_MMIO_QUEUE_READY), 1);
	wr(VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
	   VIRTIO_CONFIG_S_FEATURES_OK | VIRTIO_CONFIG_S_DRIVER_OK);
}

static void desc(unsigned i, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next)
{
	struct vring_desc v = { .addr = addr, .len = len, .flags = flags, .next = next };

	memcpy(ram + DESC + 16 * i, &v, sizeof(v));
}

/* Offer the chain at @head and notify queue 0. */
static void submit(uint16_t head)
{
	memcpy(ram + AVAIL + 4 + 2 * (avail_idx % QN), &head, 2);
	avail_idx++;
	memcpy(ram + AVAIL + 2, &avail_idx, 2);
	wr(VIRTIO_MMIO_QUEUE_NOTIFY, 0);
}

/* The next used element: false if the device returned none. */
static bool used(uint32_t *id, uint32_t *len)
{
	uint16_t idx;

	memcpy(&idx, ram + USED + 2, 2);
	if (idx == used_seen)
		return false;
	memcpy(id, ram + USED + 4 + 8 * (used_seen % QN), 4);
	memcpy(len, ram + USED + 4 + 8 * (used_seen % QN) + 4, 4);
	used_seen++;
	return true;
}

static bool device_failed(void)
{
	return rd(VIRTIO_MMIO_STATUS) & VIRTIO_CONFIG_S_NEEDS_RESET;
}

/* ---- virtio-blk ---- */

static int blk_setup(bool ro)
{
	uint8_t img[SECTORS * 512];
	struct vmm_disk_arg a = { image, ro };
	char err[256];

	strcpy(image, "/tmp/s2vmm-test-blk-XXXXXX");
	image_fd = mkstemp(image);
	assert_true(image_fd >= 0);
	for (unsigned i = 0; i < sizeof(img); i++)
		img[i] = pattern(i);
	assert_int_equal(pwrite(image_fd, img, sizeof(img), 0), (ssize_t)sizeof(img));
	assert_int_equal(vmm_blk_open_all(&a, 1, err, sizeof(err)), 0);
	start("virtio-blk", 1, false);
	return 0;
}

static int blk_rw(void **s)
{
	unit_setup(s);
	return blk_setup(false);
}

static int blk_ro(void **s)
{
	unit_setup(s);
	return blk_setup(true);
}

static int blk_teardown(void **s)
{
	vmm_blk_close_all();
	close(image_fd);
	unlink(image);
	return unit_teardown(s);
}

static void header(uint64_t off, uint32_t type, uint64_t sector)
{
	struct virtio_blk_outhdr h = { .type = type, .ioprio = 0, .sector = sector };

	memcpy(ram + off, &h, sizeof(h));
}

struct seg {
	uint32_t len;
	bool write;     /* device-writable */
};

/*
 * Linux's framing: header (16 bytes, its own descriptor), the data
 * segments @seg at BUF + 0x1000 on, the status byte in its own
 * descriptor. Data buffers are filled with 0x33 first. Returns the
 * status byte the device wrote (STATUS_UNSET if none) and the used
 * length in @ulen (~0 when nothing was returned).
 */
static unsigned blk_request(uint32_t type, uint64_t sector, const struct seg *seg, unsigned n,
			    uint32_t *ulen)
{
	uint64_t data = BUF + 0x1000, status = BUF + 0x100;
	unsigned i;
	uint32_t id;

	header(BUF, type, sector);
	ram[status] = STATUS_UNSET;
	desc(0, gpa(BUF), 16, VRING_DESC_F_NEXT, 1);
	for (i = 0; i < n; i++) {
		memset(ram + data, 0x33, seg[i].len);
		desc(1 + i, gpa(data), seg[i].len,
		     VRING_DESC_F_NEXT | (seg[i].write ? VRING_DESC_F_WRITE : 0), (uint16_t)(2 + i));
		data += seg[i].len;
	}
	desc(1 + n, gpa(status), 1, VRING_DESC_F_WRITE, 0);
	submit(0);
	*ulen = ~0u;
	if (used(&id, ulen))
		CHECK_EQ(id, 0, "used element's id is the chain's head");
	return ram[status];
}

static bool image_is(uint64_t off, const uint8_t *want, size_t len)
{
	uint8_t got[SECTORS * 512];

	assert_true(len <= sizeof(got));
	assert_int_equal(pread(image_fd, got, len, (off_t)off), (ssize_t)len);
	return !memcmp(got, want, len);
}

static bool image_untouched(void)
{
	uint8_t want[SECTORS * 512];

	for (unsigned i = 0; i < sizeof(want); i++)
		want[i] = pattern(i);
	return image_is(0, want, sizeof(want));
}

static void blk_features_and_config(void **s)
{
	struct virtio_blk_config c;

	(void)s;
	CHECK_EQ(rd(VIRTIO_MMIO_DEVICE_ID), 2, "virtio-blk is device ID 2 (5.2.1)");
	wr(VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
	CHECK(rd(VIRTIO_MMIO_DEVICE_FEATURES) & 1u << VIRTIO_BLK_F_FLUSH, "FLUSH offered");
	CHECK(!(rd(VIRTIO_MMIO_DEVICE_FEATURES) & 1u << VIRTIO_BLK_F_RO), "a writable disk is not RO");
	/* 5.2.4: seg_max is valid when SEG_MAX is offered; with it the driver
	   sends at most seg_max data segments (and a header and a status). */
	CHECK(rd(VIRTIO_MMIO_DEVICE_FEATURES) & 1u << VIRTIO_BLK_F_SEG_MAX, "SEG_MAX offered");
	for (unsigned i = 0; i < sizeof(c); i += 4) {
		uint32_t v = rd(VIRTIO_MMIO_CONFIG + i);

		memcpy((uint8_t *)&c + i, &v, sizeof(c) - i < 4 ? sizeof(c) - i : 4);
	}
	CHECK_EQ(c.capacity, SECTORS, "capacity in 512-byte sectors");
	CHECK(c.seg_max >= 1, "seg_max %u", c.seg_max);
}

static void blk_read(void **s)
{
	struct seg seg[] = { { 512, true }, { 1024, true } };
	uint32_t ulen;
	uint8_t want[1536];

	(void)s;
	/* 5.2.6: a read of sector 3 into two data segments: the data is the
	   image from byte 3 * 512; the used length counts every byte written
	   into the chain (2.7.8): the data and the status byte. */
	CHECK_EQ(blk_request(VIRTIO_BLK_T_IN, 3, seg, 2, &ulen), VIRTIO_BLK_S_OK, "read status");
	CHECK_EQ(ulen, 1536 + 1, "read used length");
	for (unsigned i = 0; i < sizeof(want); i++)
		want[i] = pattern(3 * 512 + i);
	CHECK(!memcmp(ram + BUF + 0x1000, want, sizeof(want)), "read data is the image's");
	/* The last sector is inside the disk. */
	CHECK_EQ(blk_request(VIRTIO_BLK_T_IN, SECTORS - 1, seg, 1, &ulen), VIRTIO_BLK_S_OK,
		 "read of the last sector");
	CHECK_EQ(ram[BUF + 0x1000 + 511], pattern(SECTORS * 512 - 1), "last byte of the disk");
	CHECK(!device_failed(), "no device error");
}

static void blk_write_and_flush(void **s)
{
	uint8_t want[1024];
	uint32_t ulen;

	(void)s;
	/* A write of sector 5: the data lands in the image; the device wrote
	   only the status byte into the chain. */
	for (unsigned i = 0; i < sizeof(want); i++)
		want[i] = (uint8_t)(0xa0 ^ i);
	header(BUF, VIRTIO_BLK_T_OUT, 5);
	desc(0, gpa(BUF), 16, VRING_DESC_F_NEXT, 1);
	memcpy(ram + BUF + 0x1000, want, sizeof(want));
	desc(1, gpa(BUF + 0x1000), 1024, VRING_DESC_F_NEXT, 2);
	ram[BUF + 0x100] = STATUS_UNSET;
	desc(2, gpa(BUF + 0x100), 1, VRING_DESC_F_WRITE, 0);
	submit(0);
	CHECK(used(&(uint32_t){ 0 }, &ulen), "write returned");
	CHECK_EQ(ram[BUF + 0x100], VIRTIO_BLK_S_OK, "write status");
	CHECK_EQ(ulen, 1, "write used length: the status byte only");
	CHECK(image_is(5 * 512, want, sizeof(want)), "written data in the image");
	/* 5.2.6.2 / FLUSH: the sector field is unused (and the device ignores
	   it) for requests other than reads and writes. */
	CHECK_EQ(blk_request(VIRTIO_BLK_T_FLUSH, 0, NULL, 0, &ulen), VIRTIO_BLK_S_OK, "flush");
	CHECK_EQ(ulen, 1, "flush used length");
	CHECK_EQ(blk_request(VIRTIO_BLK_T_FLUSH, ~0ULL, NULL, 0, &ulen), VIRTIO_BLK_S_OK,
		 "flush with a sector past the disk");
	CHECK(!device_failed(), "no device error");
}

static void blk_get_id(void **s)
{
	struct seg seg[] = { { VIRTIO_BLK_ID_BYTES, true } }, small[] = { { 4, true } };
	char want[VIRTIO_BLK_ID_BYTES] = "s2vmm-disk0";
	uint32_t ulen;

	(void)s;
	/* 5.2.6: GET_ID fills 20 bytes: the ID, NUL-padded when shorter. */
	CHECK_EQ(blk_request(VIRTIO_BLK_T_GET_ID, 0, seg, 1, &ulen), VIRTIO_BLK_S_OK, "get-id");
	CHECK(!memcmp(ram + BUF + 0x1000, want, sizeof(want)), "the ID, NUL-padded");
	CHECK_EQ(ulen, VIRTIO_BLK_ID_BYTES + 1, "get-id used length");
	/* A shorter buffer gets what fits, nothing beyond it. */
	CHECK_EQ(blk_request(VIRTIO_BLK_T_GET_ID, 0, small, 1, &ulen), VIRTIO_BLK_S_OK,
		 "get-id, 4 bytes");
	CHECK(!memcmp(ram + BUF + 0x1000, "s2vm", 4), "first 4 bytes of the ID");
	CHECK_EQ(ulen, 4 + 1, "short get-id used length");
}

static void blk_unsupported(void **s)
{
	struct seg seg[] = { { 512, true } };
	uint32_t ulen;

	(void)s;
	/* 5.2.6: VIRTIO_BLK_S_UNSUPP for a request the device does not
	   support: discard and write-zeroes are not offered, 99 is no type;
	   the sector (unused by them) does not matter. */
	CHECK_EQ(blk_request(VIRTIO_BLK_T_DISCARD, 0, seg, 1, &ulen), VIRTIO_BLK_S_UNSUPP, "discard");
	CHECK_EQ(blk_request(VIRTIO_BLK_T_WRITE_ZEROES, 0, seg, 1, &ulen), VIRTIO_BLK_S_UNSUPP,
		 "write zeroes");
	CHECK_EQ(blk_request(99, ~0ULL, seg, 1, &ulen), VIRTIO_BLK_S_UNSUPP, "type 99");
	CHECK_EQ(ulen, 1, "unsupported: status byte only");
	CHECK_EQ(ram[BUF + 0x1000], 0x33, "no data written");
	CHECK(image_untouched(), "image unchanged");
	CHECK(!device_failed(), "no device error");
}

static void blk_out_of_range(void **s)
{
	struct seg one[] = { { 512, true } }, two[] = { { 1024, true } }, wone[] = { { 512, false } },
		   odd[] = { { 700, true } };
	uint32_t ulen;

	(void)s;
	/* A transfer beyond capacity fails with IOERR before any byte moves
	   (QEMU: virtio_blk_sect_range_ok), including one whose sector *
	   512 would wrap; as does a length that is not whole sectors. */
	CHECK_EQ(blk_request(VIRTIO_BLK_T_IN, SECTORS, one, 1, &ulen), VIRTIO_BLK_S_IOERR,
		 "read at capacity");
	CHECK_EQ(blk_request(VIRTIO_BLK_T_IN, SECTORS - 1, two, 1, &ulen), VIRTIO_BLK_S_IOERR,
		 "read across the end");
	CHECK_EQ(ram[BUF + 0x1000], 0x33, "nothing read into the buffer");
	CHECK_EQ(blk_request(VIRTIO_BLK_T_IN, 1ULL << 55, one, 1, &ulen), VIRTIO_BLK_S_IOERR,
		 "read at 2^55 (2^64 bytes)");
	CHECK_EQ(blk_request(VIRTIO_BLK_T_IN, ~0ULL, one, 1, &ulen), VIRTIO_BLK_S_IOERR,
		 "read at sector 2^64-1");
	CHECK_EQ(blk_request(VIRTIO_BLK_T_OUT, SECTORS, wone, 1, &ulen), VIRTIO_BLK_S_IOERR,
		 "write at capacity");
	CHECK_EQ(blk_request(VIRTIO_BLK_T_IN, 0, odd, 1, &ulen), VIRTIO_BLK_S_IOERR,
		 "700-byte read");
	CHECK_EQ(ulen, 1, "failed read: status byte only");
	CHECK(image_untouched(), "image unchanged");
	CHECK(!device_failed(), "IOERR is no device error");
}

static void blk_wrong_direction(void **s)
{
	struct seg rdonly[] = { { 512, false } }, wronly[] = { { 512, true } };
	uint32_t ulen;

	(void)s;
	/* 2.7.4: a device MUST NOT write a device-readable buffer (and
	   SHOULD NOT read a device-writable one). A read's data is the
	   writable bytes before the status, a write's the readable bytes
	   after the header (as QEMU reads a request): a "read" into a
	   readable buffer reads nothing and leaves it alone, a "write" from
	   a writable buffer writes nothing. */
	CHECK_EQ(blk_request(VIRTIO_BLK_T_IN, 0, rdonly, 1, &ulen), VIRTIO_BLK_S_OK,
		 "read into a device-readable buffer");
	CHECK_EQ(ulen, 1, "no data read");
	for (unsigned i = 0; i < 512; i++)
		CHECK_EQ(ram[BUF + 0x1000 + i], 0x33, "readable byte %u not written", i);
	CHECK_EQ(blk_request(VIRTIO_BLK_T_OUT, 0, wronly, 1, &ulen), VIRTIO_BLK_S_OK,
		 "write from a device-writable buffer");
	CHECK_EQ(ulen, 1, "status only");
	CHECK(image_untouched(), "image unchanged");
	/* A header shorter than 16 bytes. */
	desc(0, gpa(BUF), 8, VRING_DESC_F_NEXT, 1);
	ram[BUF + 0x100] = STATUS_UNSET;
	desc(1, gpa(BUF + 0x100), 1, VRING_DESC_F_WRITE, 0);
	submit(0);
	CHECK(used(&(uint32_t){ 0 }, &ulen), "short header returned");
	CHECK_EQ(ram[BUF + 0x100], VIRTIO_BLK_S_IOERR, "short header: IOERR");
	CHECK(!device_failed(), "no device error");
}

static void blk_any_framing(void **s)
{
	uint8_t want[1024];
	uint32_t ulen;

	(void)s;
	/* 2.6.4: the device makes no assumption about how the request is cut
	   into descriptors. The header in two pieces (10 + 6 bytes), a
	   read's data and status in one 1025-byte descriptor. */
	header(BUF, VIRTIO_BLK_T_IN, 7);
	desc(0, gpa(BUF), 10, VRING_DESC_F_NEXT, 1);
	desc(1, gpa(BUF + 10), 6, VRING_DESC_F_NEXT, 2);
	memset(ram + BUF + 0x1000, 0x33, 1025);
	desc(2, gpa(BUF + 0x1000), 1025, VRING_DESC_F_WRITE, 0);
	submit(0);
	CHECK(used(&(uint32_t){ 0 }, &ulen), "returned");
	CHECK_EQ(ram[BUF + 0x1000 + 1024], VIRTIO_BLK_S_OK, "status in the data descriptor's last byte");
	CHECK_EQ(ulen, 1025, "used length");
	for (unsigned i = 0; i < sizeof(want); i++)
		want[i] = pattern(7 * 512 + i);
	CHECK(!memcmp(ram + BUF + 0x1000, want, sizeof(want)), "data");
	/* A write whose header and data share one descriptor (16 + 512). */
	header(BUF + 0x4000, VIRTIO_BLK_T_OUT, 9);
	memset(ram + BUF + 0x4000 + 16, 0x5c, 512);
	desc(3, gpa(BUF + 0x4000), 16 + 512, VRING_DESC_F_NEXT, 4);
	ram[BUF + 0x100] = STATUS_UNSET;
	desc(4, gpa(BUF + 0x100), 1, VRING_DESC_F_WRITE, 0);
	submit(3);
	CHECK(used(&(uint32_t){ 0 }, &ulen), "returned");
	CHECK_EQ(ram[BUF + 0x100], VIRTIO_BLK_S_OK, "write status");
	memset(want, 0x5c, 512);
	CHECK(image_is(9 * 512, want, 512), "written from the header's descriptor");
	CHECK(!device_failed(), "no device error");
}

static void blk_read_only(void **s)
{
	struct seg w[] = { { 512, false } }, r[] = { { 512, true } };
	uint32_t ulen;

	(void)s;
	wr(VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
	CHECK(rd(VIRTIO_MMIO_DEVICE_FEATURES) & 1u << VIRTIO_BLK_F_RO, "RO offered");
	/* 5.2.6.2: with RO offered the device fails writes with IOERR and
	   writes no data. Reads and flushes work. */
	CHECK_EQ(blk_request(VIRTIO_BLK_T_OUT, 0, w, 1, &ulen), VIRTIO_BLK_S_IOERR, "write to RO disk");
	CHECK_EQ(ulen, 1, "status only");
	CHECK(image_untouched(), "image unchanged");
	CHECK_EQ(blk_request(VIRTIO_BLK_T_IN, 0, r, 1, &ulen), VIRTIO_BLK_S_OK, "read of RO disk");
	CHECK_EQ(ram[BUF + 0x1000 + 1], pattern(1), "read data");
	CHECK_EQ(blk_request(VIRTIO_BLK_T_FLUSH, 0, NULL, 0, &ulen), VIRTIO_BLK_S_OK, "flush of RO disk");
	CHECK(!device_failed(), "no device error");
}

/* A chain the device cannot answer: a device error (status gains
   DEVICE_NEEDS_RESET, the driver gets a configuration interrupt; 2.1.2),
   nothing returned, no byte of RAM written, later notifies ignored until
   a reset, after which the device works again. */
static void expect_device_error(const char *what)
{
	static uint8_t before[RAM_SIZE];
	uint32_t id, ulen;
	struct seg r[] = { { 512, true } };

	memcpy(before, ram, sizeof(before));
	submit(0);
	CHECK(device_failed(), "%s: device error", what);
	CHECK(rd(VIRTIO_MMIO_INTERRUPT_STATUS) & VIRTIO_MMIO_INT_CONFIG, "%s: config interrupt", what);
	CHECK(!used(&id, &ulen), "%s: nothing returned", what);
	/* Everything but the available ring (the driver's) unchanged. */
	CHECK(!memcmp(before, ram, AVAIL), "%s: descriptors unchanged", what);
	CHECK(!memcmp(before + AVAIL + 4 + 2 * QN, ram + AVAIL + 4 + 2 * QN,
		      sizeof(before) - AVAIL - 4 - 2 * QN), "%s: RAM unchanged", what);
	blk_request(VIRTIO_BLK_T_IN, 0, r, 1, &ulen);
	CHECK_EQ(ulen, ~0u, "%s: a broken device ignores notifies", what);
	handshake();
	CHECK(!device_failed(), "%s: reset clears DEVICE_NEEDS_RESET", what);
	CHECK_EQ(blk_request(VIRTIO_BLK_T_IN, 0, r, 1, &ulen), VIRTIO_BLK_S_OK, "%s: works after reset", what);
}

static void blk_malformed_chains(void **s)
{
	(void)s;
	header(BUF, VIRTIO_BLK_T_IN, 0);
	/* Status descriptor device-readable. */
	desc(0, gpa(BUF), 16, VRING_DESC_F_NEXT, 1);
	desc(1, gpa(BUF + 0x100), 1, 0, 0);
	ram[BUF + 0x100] = STATUS_UNSET;
	expect_device_error("read-only status");
	/* Status descriptor of 0 bytes (and nothing else writable). */
	header(BUF, VIRTIO_BLK_T_IN, 0);
	desc(0, gpa(BUF), 16, VRING_DESC_F_NEXT, 1);
	desc(1, gpa(BUF + 0x100), 0, VRING_DESC_F_WRITE, 0);
	expect_device_error("empty status");
	/* Only a header. */
	desc(0, gpa(BUF), 16, 0, 0);
	expect_device_error("header alone");
	/* Readable after writable (2.7.4.2). */
	desc(0, gpa(BUF), 16, VRING_DESC_F_NEXT, 1);
	desc(1, gpa(BUF + 0x1000), 512, VRING_DESC_F_NEXT | VRING_DESC_F_WRITE, 2);
	desc(2, gpa(BUF + 0x100), 1, 0, 0);
	expect_device_error("readable after writable");
	/* Data reaching past guest RAM by one byte, and wholly outside. */
	desc(0, gpa(BUF), 16, VRING_DESC_F_NEXT, 1);
	desc(1, gpa(RAM_SIZE - 511), 512, VRING_DESC_F_NEXT | VRING_DESC_F_WRITE, 2);
	desc(2, gpa(BUF + 0x100), 1, VRING_DESC_F_WRITE, 0);
	expect_device_error("data past RAM");
	desc(1, RAM_GPA - 0x1000, 512, VRING_DESC_F_NEXT | VRING_DESC_F_WRITE, 2);
	expect_device_error("data below RAM");
	desc(1, ~0ULL - 100, 512, VRING_DESC_F_NEXT | VRING_DESC_F_WRITE, 2);
	expect_device_error("data wrapping the address space");
	/* A status byte past RAM. */
	desc(0, gpa(BUF), 16, VRING_DESC_F_NEXT, 1);
	desc(1, gpa(RAM_SIZE), 1, VRING_DESC_F_WRITE, 0);
	expect_device_error("status past RAM");
	/* Loops: to itself, and 0 -> 1 -> 0. */
	desc(0, gpa(BUF), 16, VRING_DESC_F_NEXT, 0);
	expect_device_error("self loop");
	desc(0, gpa(BUF), 16, VRING_DESC_F_NEXT, 1);
	desc(1, gpa(BUF + 0x100), 1, VRING_DESC_F_NEXT | VRING_DESC_F_WRITE, 0);
	expect_device_error("two-descriptor loop");
	/* next beyond the queue. */
	desc(0, gpa(BUF), 16, VRING_DESC_F_NEXT, QN);
	expect_device_error("next out of the queue");
}

/* Indirect table entry @i at @table (RAM offset). */
static void idesc(uint64_t table, unsigned i, uint64_t addr, uint32_t len, uint16_t flags,
		  uint16_t next)
{
	struct vring_desc v = { .addr = addr, .len = len, .flags = flags, .next = next };

	memcpy(ram + table + 16 * i, &v, sizeof(v));
}

static void blk_indirect(void **s)
{
	uint64_t t = BUF + 0x8000;
	uint8_t want[1024];
	uint32_t id, ulen;

	(void)s;
	wr(VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
	CHECK(rd(VIRTIO_MMIO_DEVICE_FEATURES) & 1u << VIRTIO_RING_F_INDIRECT_DESC, "indirect offered");
	/* 2.7.5.3: a ring descriptor with INDIRECT names a table of len / 16
	   descriptors chained from entry 0; the device ignores its WRITE
	   flag. Here after one ordinary descriptor (the header): 2.7.5.3.2
	   lets normal descriptors precede the indirect one. */
	header(BUF, VIRTIO_BLK_T_IN, 4);
	memset(ram + BUF + 0x1000, 0x33, 1024);
	idesc(t, 0, gpa(BUF + 0x1000), 512, VRING_DESC_F_WRITE | VRING_DESC_F_NEXT, 2);
	idesc(t, 2, gpa(BUF + 0x1200), 512, VRING_DESC_F_WRITE | VRING_DESC_F_NEXT, 1);
	idesc(t, 1, gpa(BUF + 0x100), 1, VRING_DESC_F_WRITE, 0);
	ram[BUF + 0x100] = STATUS_UNSET;
	desc(0, gpa(BUF), 16, VRING_DESC_F_NEXT, 5);
	desc(5, gpa(t), 3 * 16, VRING_DESC_F_INDIRECT | VRING_DESC_F_WRITE, 0);
	submit(0);
	CHECK(used(&id, &ulen), "returned");
	CHECK_EQ(id, 0, "head");
	CHECK_EQ(ram[BUF + 0x100], VIRTIO_BLK_S_OK, "status");
	CHECK_EQ(ulen, 1024 + 1, "used length");
	for (unsigned i = 0; i < sizeof(want); i++)
		want[i] = pattern(4 * 512 + i);
	CHECK(!memcmp(ram + BUF + 0x1000, want, sizeof(want)), "data through the indirect table");
	CHECK(!device_failed(), "no device error");

	/* What a driver must not do (2.7.5.3.1) is a device error. */
	desc(0, gpa(t), 3 * 16, VRING_DESC_F_INDIRECT | VRING_DESC_F_NEXT, 1);
	expect_device_error("indirect with NEXT");
	idesc(t, 0, gpa(t + 0x100), 32, VRING_DESC_F_INDIRECT, 0);
	desc(0, gpa(t), 16, VRING_DESC_F_INDIRECT, 0);
	expect_device_error("nested indirect table");
	desc(0, gpa(t), 20, VRING_DESC_F_INDIRECT, 0);
	expect_device_error("table of 20 bytes");
	desc(0, gpa(t), 0, VRING_DESC_F_INDIRECT, 0);
	expect_device_error("empty table");
	desc(0, gpa(RAM_SIZE - 16), 32, VRING_DESC_F_INDIRECT, 0);
	expect_device_error("table past RAM");
	/* A loop inside the table, and a next beyond its end. */
	idesc(t, 0, gpa(BUF), 16, VRING_DESC_F_NEXT, 1);
	idesc(t, 1, gpa(BUF + 0x100), 1, VRING_DESC_F_WRITE | VRING_DESC_F_NEXT, 0);
	desc(0, gpa(t), 2 * 16, VRING_DESC_F_INDIRECT, 0);
	expect_device_error("loop in the table");
	idesc(t, 1, gpa(BUF + 0x100), 1, VRING_DESC_F_WRITE | VRING_DESC_F_NEXT, 2);
	desc(0, gpa(t), 2 * 16, VRING_DESC_F_INDIRECT, 0);
	expect_device_error("next beyond the table");
}

static void blk_head_out_of_queue(void **s)
{
	uint16_t head = QN + 3;

	(void)s;
	memcpy(ram + AVAIL + 4, &head, 2);
	avail_idx++;
	memcpy(ram + AVAIL + 2, &avail_idx, 2);
	wr(VIRTIO_MMIO_QUEUE_NOTIFY, 0);
	CHECK(device_failed(), "a head beyond the queue is a device error");
}

/* A ready queue's size and ring addresses are the driver's promise
   (4.2.3.2): writes to them while it is ready change nothing, not even
   a size of 0, and requests go on through the rings set up. */
static void blk_queue_fixed_while_ready(void **s)
{
	struct seg r[] = { { 512, true } };
	uint32_t ulen;

	(void)s;
	wr(VIRTIO_MMIO_QUEUE_NUM, 0);
	CHECK_EQ(blk_request(VIRTIO_BLK_T_IN, 1, r, 1, &ulen), VIRTIO_BLK_S_OK, "size 0 written: read");
	CHECK_EQ(ulen, 512 + 1, "size 0 written: returned");
	wr(VIRTIO_MMIO_QUEUE_DESC_LOW, (uint32_t)gpa(BUF + 0x4000));
	wr(VIRTIO_MMIO_QUEUE_AVAIL_LOW, (uint32_t)gpa(BUF + 0x5000));
	wr(VIRTIO_MMIO_QUEUE_USED_LOW, (uint32_t)gpa(BUF + 0x6000));
	CHECK_EQ(blk_request(VIRTIO_BLK_T_IN, 1, r, 1, &ulen), VIRTIO_BLK_S_OK, "rings moved: read");
	CHECK_EQ(ulen, 512 + 1, "through the rings set up");
	wr(VIRTIO_MMIO_QUEUE_NUM, 3);
	for (unsigned i = 0; i < 2 * QN; i++) {
		CHECK_EQ(blk_request(VIRTIO_BLK_T_IN, i, r, 1, &ulen), VIRTIO_BLK_S_OK,
			 "size 3 written: read %u", i);
		CHECK_EQ(ulen, 512 + 1, "read %u returned", i);
	}
	CHECK(!device_failed(), "no device error");
}

/* QueueReady 0 then 1 with new rings (4.2.3.2 allows the driver to
   set a queue up again once it is not ready): the new available ring
   starts at index 0, and its first request is taken, not skipped until
   the index passes the old queue's count. */
static void blk_queue_enabled_again(void **s)
{
	struct seg r[] = { { 512, true } };
	uint32_t ulen;

	(void)s;
	for (unsigned i = 0; i < 3; i++)
		CHECK_EQ(blk_request(VIRTIO_BLK_T_IN, i, r, 1, &ulen), VIRTIO_BLK_S_OK, "read %u", i);
	wr(VIRTIO_MMIO_QUEUE_READY, 0);
	CHECK_EQ(rd(VIRTIO_MMIO_QUEUE_READY), 0, "queue off");
	memset(ram, 0, BUF);               /* the driver's new, empty rings */
	avail_idx = used_seen = 0;
	wr(VIRTIO_MMIO_QUEUE_NUM, QN);
	wr(VIRTIO_MMIO_QUEUE_READY, 1);
	CHECK_EQ(rd(VIRTIO_MMIO_QUEUE_READY), 1, "queue on again");
	CHECK_EQ(blk_request(VIRTIO_BLK_T_IN, 5, r, 1, &ulen), VIRTIO_BLK_S_OK, "first request on the new rings");
	CHECK_EQ(ulen, 512 + 1, "returned");
	CHECK(!device_failed(), "no device error");
}

/* The available index runs ahead of the device by at most the queue's
   size (2.7.6): QN chains at once are taken; QN + 1 (or an index moved
   back, 65535 ahead) is a device error, no ring entry taken. */
static void blk_avail_index_jump(void **s)
{
	static const uint16_t steps[] = { QN + 1, 0x8000, 0xffff };
	struct seg r[] = { { 512, true } };
	uint32_t id, ulen;

	(void)s;
	blk_request(VIRTIO_BLK_T_IN, 0, r, 1, &ulen);
	used_seen = 0;
	memset(ram + USED, 0, 4 + 8 * QN);
	memset(ram + AVAIL + 4, 0, 2 * QN);       /* every entry: head 0 */
	avail_idx += QN - 1;
	submit(0);                                /* QN chains offered at once */
	for (unsigned i = 0; i < QN; i++)
		CHECK(used(&id, &ulen) && id == 0 && ulen == 512 + 1, "chain %u of %u taken", i, QN);
	CHECK(!device_failed(), "QN at once is no error");
	for (unsigned i = 0; i < ARRAY_LEN(steps); i++) {
		uint16_t idx = (uint16_t)(avail_idx + steps[i]);

		memcpy(ram + AVAIL + 2, &idx, 2);
		wr(VIRTIO_MMIO_QUEUE_NOTIFY, 0);
		CHECK(device_failed(), "index %u ahead: device error", steps[i]);
		CHECK(!used(&id, &ulen), "index %u ahead: nothing returned", steps[i]);
		handshake();
		CHECK_EQ(blk_request(VIRTIO_BLK_T_IN, 0, r, 1, &ulen), VIRTIO_BLK_S_OK,
			 "index %u ahead: works after reset", steps[i]);
	}
}

/*
 * A hostile driver: descriptor tables of random addresses (in RAM, at
 * its edges, outside it, wrapping 2^64, on the rings themselves),
 * lengths (0 to 2^32 - 1), flags (NEXT, WRITE, INDIRECT), next indices
 * (inside and beyond the queue), headers of any type and sector, and
 * random heads. Whatever the chain, the device either returns it with
 * a used length no larger than its device-writable bytes, or fails
 * (DEVICE_NEEDS_RESET) and is reset; the image never grows past its
 * capacity; and nothing else happens (the sanitizers see every access).
 */
static void blk_random_chains(void **s)
{
	uint64_t rng = 0x5eed5eed12345678ULL;
	unsigned returned = 0, failed = 0;

	(void)s;
	for (unsigned iter = 0; iter < 3000; iter++) {
		uint64_t w[QN] = { 0 };
		uint32_t id, ulen;
		uint16_t head = (uint16_t)(unit_rand(&rng) % (QN + 2));

		for (unsigned i = 0; i < QN; i++) {
			uint64_t r = unit_rand(&rng), addr;
			static const uint32_t lens[] = { 0, 1, 15, 16, 17, 512, 513, 1024, 4096,
							  RAM_SIZE, 0xffffffffu };
			uint32_t len = r % 8 ? lens[(r >> 3) % ARRAY_LEN(lens)] : (uint32_t)(r >> 8) % 8192;
			/* NEXT and WRITE at random, INDIRECT one time in eight. */
			uint16_t flags = (uint16_t)(((r >> 40) & 3) | (((r >> 42) & 7) ? 0 : 4));

			/* Mostly where a driver's buffers would be. */
			switch ((r >> 44) % 24) {
			case 0: addr = gpa(RAM_SIZE - ((r >> 48) % 1024)); break;
			case 1: addr = RAM_GPA - ((r >> 48) % 4096); break;
			case 2: addr = ~0ULL - ((r >> 48) % 4096); break;
			case 3: case 4: addr = gpa((r >> 48) % BUF); break;        /* the rings */
			case 5: case 6: case 7: case 8: case 9:
				addr = gpa(BUF + (r >> 48) % (RAM_SIZE - BUF - 0x10000)); break;
			default: addr = gpa(BUF + 0x10000 * ((r >> 48) % 8)); break;
			}
			desc(i, addr, len, flags, (uint16_t)((r >> 56) % (QN + 2)));
			w[i] = flags & VRING_DESC_F_WRITE ? len : 0;
		}
		for (unsigned b = 0; b < 8; b++) {
			uint64_t r = unit_rand(&rng);
			static const uint32_t types[] = { VIRTIO_BLK_T_IN, VIRTIO_BLK_T_OUT,
							  VIRTIO_BLK_T_FLUSH, VIRTIO_BLK_T_GET_ID, 0xdead };
			static const uint64_t sectors[] = { 0, 1, SECTORS - 2, SECTORS - 1, SECTORS,
							    SECTORS + 1, 1ULL << 55, ~0ULL };

			header(BUF + 0x10000 * b, types[r % ARRAY_LEN(types)],
			       sectors[(r >> 8) % ARRAY_LEN(sectors)]);
		}
		submit(head);
		if (device_failed()) {
			failed++;
			handshake();
			continue;
		}
		while (used(&id, &ulen)) {
			uint64_t most = 0;

			/* Bounded by every writable byte in the table: a chain
			   repeats none (a loop is refused), but may go through
			   an indirect table, whose entries are not these. */
			for (unsigned i = 0; i < QN; i++)
				most += w[i];
			if (ulen > most + RAM_SIZE)
				CHECK(false, "iteration %u: used length %u beyond any chain", iter, ulen);
			CHECK(id < QN, "iteration %u: used id %u is a head", iter, id);
			returned++;
		}
		struct stat st;

		assert_int_equal(fstat(image_fd, &st), 0);
		CHECK_EQ(st.st_size, SECTORS * 512, "iteration %u: the image keeps its size", iter);
	}
	/* Both outcomes were reached: the table made real requests. */
	CHECK(returned > 300 && failed > 300, "returned %u, failed %u", returned, failed);
	print_message("random chains: %u returned, %u device errors\n", returned, failed);
}

static void blk_two_banks(void **s)
{
	static uint8_t bank1[64 * KiB];
	uint64_t b1 = RAM_GPA + RAM_SIZE;      /* right after bank 0 */
	uint8_t want[512];
	uint32_t ulen;

	(void)s;
	vm.ram[1] = (struct vmm_ram){ b1, sizeof(bank1), bank1 };
	vm.nr_ram = 2;
	memset(bank1, 0x33, sizeof(bank1));
	/* A buffer in the second bank is read into that bank's memory. */
	header(BUF, VIRTIO_BLK_T_IN, 2);
	desc(0, gpa(BUF), 16, VRING_DESC_F_NEXT, 1);
	desc(1, b1 + 0x800, 512, VRING_DESC_F_NEXT | VRING_DESC_F_WRITE, 2);
	desc(2, gpa(BUF + 0x100), 1, VRING_DESC_F_WRITE, 0);
	submit(0);
	CHECK(used(&(uint32_t){ 0 }, &ulen), "returned");
	CHECK_EQ(ram[BUF + 0x100], VIRTIO_BLK_S_OK, "status");
	for (unsigned i = 0; i < sizeof(want); i++)
		want[i] = pattern(2 * 512 + i);
	CHECK(!memcmp(bank1 + 0x800, want, sizeof(want)), "data in the second bank");
	/* Adjacent in the guest, apart in the host: a buffer across the
	   boundary has no host pointer, so it is a device error and neither
	   bank is written. */
	memset(bank1, 0x33, sizeof(bank1));
	memset(ram + RAM_SIZE - 256, 0x33, 256);
	desc(1, b1 - 256, 512, VRING_DESC_F_NEXT | VRING_DESC_F_WRITE, 2);
	submit(0);
	CHECK(device_failed(), "buffer across two banks: device error");
	for (unsigned i = 0; i < 256; i++) {
		CHECK_EQ(ram[RAM_SIZE - 256 + i], 0x33, "bank 0 byte %u", i);
		CHECK_EQ(bank1[i], 0x33, "bank 1 byte %u", i);
	}
}

/* ---- virtio-rng ---- */

static int rng_setup(void **s)
{
	unit_setup(s);
	start("virtio-rng", 0, true);
	return 0;
}

static void rng_fills_writable(void **s)
{
	uint32_t id, ulen;
	unsigned changed = 0;

	(void)s;
	CHECK_EQ(rd(VIRTIO_MMIO_DEVICE_ID), 4, "virtio-rng is device ID 4 (5.4.1)");
	/* 5.4.6: the device places random bytes in the driver's writable
	   buffer; the used length is how many (2.7.8). s2vmm fills all of it.
	   The bytes around it stay as they were. */
	memset(ram + BUF, 0xaa, 0x400);
	desc(0, gpa(BUF + 0x100), 100, VRING_DESC_F_WRITE, 0);
	submit(0);
	CHECK(used(&id, &ulen), "returned");
	CHECK_EQ(id, 0, "head");
	CHECK_EQ(ulen, 100, "used length is the buffer's");
	for (unsigned i = 0; i < 100; i++)
		changed += ram[BUF + 0x100 + i] != 0xaa;
	CHECK(changed > 80, "%u of 100 bytes changed", changed);
	for (unsigned i = 0; i < 0x400; i++)
		if (i < 0x100 || i >= 0x100 + 100)
			CHECK_EQ(ram[BUF + i], 0xaa, "byte %#x around the buffer", i);
	/* Two writable buffers: both filled, the lengths summed. */
	desc(1, gpa(BUF + 0x1000), 4096, VRING_DESC_F_WRITE | VRING_DESC_F_NEXT, 2);
	desc(2, gpa(BUF + 0x3000), 1, VRING_DESC_F_WRITE, 0);
	submit(1);
	CHECK(used(&id, &ulen), "returned");
	CHECK_EQ(id, 1, "head");
	CHECK_EQ(ulen, 4097, "used length is the sum");
	CHECK(!device_failed(), "no device error");
}

static void rng_skips_readable(void **s)
{
	uint32_t id, ulen;

	(void)s;
	/* 2.7.4: a device-readable buffer is not written; only the writable
	   one counts. */
	memset(ram + BUF, 0xaa, 0x400);
	desc(0, gpa(BUF), 64, VRING_DESC_F_NEXT, 1);
	desc(1, gpa(BUF + 0x200), 32, VRING_DESC_F_WRITE, 0);
	submit(0);
	CHECK(used(&id, &ulen), "returned");
	CHECK_EQ(ulen, 32, "only the writable bytes");
	for (unsigned i = 0; i < 64; i++)
		CHECK_EQ(ram[BUF + i], 0xaa, "readable byte %u untouched", i);
	/* A buffer past RAM: device error, nothing written. */
	desc(0, gpa(RAM_SIZE - 16), 32, VRING_DESC_F_WRITE, 0);
	submit(0);
	CHECK(device_failed(), "buffer past RAM: device error");
	CHECK(!used(&id, &ulen), "nothing returned");
	/* Indirect descriptors are not offered here: a device error. */
	handshake();
	wr(VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
	CHECK(!(rd(VIRTIO_MMIO_DEVICE_FEATURES) & 1u << VIRTIO_RING_F_INDIRECT_DESC), "not offered");
	desc(1, gpa(BUF + 0x200), 32, VRING_DESC_F_WRITE, 0);
	desc(0, gpa(BUF + 0x100), 16, VRING_DESC_F_INDIRECT, 0);
	memcpy(ram + BUF + 0x100, ram + DESC + 16, 16);
	submit(0);
	CHECK(device_failed(), "indirect not offered: device error");
	CHECK(!used(&id, &ulen), "nothing returned");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(blk_features_and_config, blk_rw, blk_teardown),
		cmocka_unit_test_setup_teardown(blk_read, blk_rw, blk_teardown),
		cmocka_unit_test_setup_teardown(blk_write_and_flush, blk_rw, blk_teardown),
		cmocka_unit_test_setup_teardown(blk_get_id, blk_rw, blk_teardown),
		cmocka_unit_test_setup_teardown(blk_unsupported, blk_rw, blk_teardown),
		cmocka_unit_test_setup_teardown(blk_out_of_range, blk_rw, blk_teardown),
		cmocka_unit_test_setup_teardown(blk_wrong_direction, blk_rw, blk_teardown),
		cmocka_unit_test_setup_teardown(blk_any_framing, blk_rw, blk_teardown),
		cmocka_unit_test_setup_teardown(blk_read_only, blk_ro, blk_teardown),
		cmocka_unit_test_setup_teardown(blk_malformed_chains, blk_rw, blk_teardown),
		cmocka_unit_test_setup_teardown(blk_indirect, blk_rw, blk_teardown),
		cmocka_unit_test_setup_teardown(blk_head_out_of_queue, blk_rw, blk_teardown),
		cmocka_unit_test_setup_teardown(blk_two_banks, blk_rw, blk_teardown),
		cmocka_unit_test_setup_teardown(blk_queue_fixed_while_ready, blk_rw, blk_teardown),
		cmocka_unit_test_setup_teardown(blk_avail_index_jump, blk_rw, blk_teardown),
		cmocka_unit_test_setup_teardown(blk_queue_enabled_again, blk_rw, blk_teardown),
		cmocka_unit_test_setup_teardown(blk_random_chains, blk_rw, blk_teardown),
		cmocka_unit_test_setup_teardown(rng_fills_writable, rng_setup, unit_teardown),
		cmocka_unit_test_setup_teardown(rng_skips_readable, rng_setup, unit_teardown),
	};
	return unit_run("s2vmm virtio requests", tests, ARRAY_LEN(tests));
}
