/* SPDX-License-Identifier: MIT */
/*
 * diskio: the disk benchmark's measuring tool, one static aarch64 binary
 * run unchanged on the QEMU host (the page cache: the limit) and inside
 * the s2vmm guest (virtio-blk), so both figures come from the same code.
 *
 *   diskio [--direct] [--size BYTES] [--secs S] [--reps N] --label L FILE OP...
 *
 * OP is write (sequential 1 MiB writes from offset 0, then fsync; the
 * time includes the fsync, so the data has reached the file or device),
 * read (sequential 1 MiB reads from offset 0) or randread (4 KiB reads at
 * random 4 KiB-aligned offsets, one at a time: queue depth 1). --direct
 * opens the file with O_DIRECT so that reads and writes reach the device
 * rather than the guest's page cache (whose first touch of each page
 * costs a stage-2 fault, not disk time). Each OP runs for --secs seconds over the
 * first --size bytes (default: the file's or block device's size), the
 * sequential ones starting again at offset 0 when they reach its end;
 * the repetitions interleave the OPs. One line per OP and repetition:
 *
 *   S2DISK L OP rep=I bytes=B secs=T MBps=X IOPS=Y
 */
#define _GNU_SOURCE   /* O_DIRECT */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <linux/fs.h>

#define SEQ_BLOCK  (1u << 20)
#define RAND_BLOCK 4096u
#define ALIGN      4096u

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int parse_u64(const char *s, uint64_t *v)
{
	char *end;
	unsigned long long x;

	errno = 0;
	if (*s < '0' || *s > '9')
		return -1;
	x = strtoull(s, &end, 0);
	if (errno)
		return -1;
	switch (*end) {
	case 'K': x <<= 10; end++; break;
	case 'M': x <<= 20; end++; break;
	case 'G': x <<= 30; end++; break;
	}
	if (*end)
		return -1;
	*v = x;
	return 0;
}

struct run {
	const char *path, *label;
	bool direct;
	uint64_t size;       /* bytes the sequential passes cover */
	double secs;         /* per OP and repetition */
	uint8_t *buf;        /* SEQ_BLOCK bytes, ALIGN-aligned */
};

static void report(const struct run *r, const char *op, unsigned rep, uint64_t bytes,
		   uint64_t ios, double t)
{
	printf("S2DISK %s %s rep=%u bytes=%" PRIu64 " secs=%.4f MBps=%.2f IOPS=%.1f\n", r->label,
	       op, rep, bytes, t, (double)bytes / t / 1e6, (double)ios / t);
	fflush(stdout);
}

static int fail(const struct run *r, const char *what)
{
	fprintf(stderr, "diskio: %s: %s: %s\n", r->path, what, strerror(errno));
	return -1;
}

static int open_file(const struct run *r, int flags, bool direct)
{
	int fd = open(r->path, flags | (direct ? O_DIRECT : 0), 0644);

	if (fd < 0)
		fail(r, direct ? "open with O_DIRECT" : "open");
	return fd;
}

static int seq_write(const struct run *r, unsigned rep)
{
	int fd = open_file(r, O_WRONLY | O_CREAT, r->direct);
	uint64_t off = 0;
	double t0, end;

	if (fd < 0)
		return -1;
	/* Different bytes each repetition: nothing below may skip a write
	   that changes nothing. */
	memset(r->buf, 0x5a ^ (int)rep, SEQ_BLOCK);
	t0 = now();
	end = t0 + r->secs;
	while (now() < end) {
		uint64_t pos = off % r->size;
		uint32_t n = r->size - pos < SEQ_BLOCK ? (uint32_t)(r->size - pos) : SEQ_BLOCK;
		ssize_t w;

		memcpy(r->buf, &off, sizeof(off));
		w = pwrite(fd, r->buf, n, (off_t)pos);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			close(fd);
			return fail(r, "write");
		}
		off += (uint64_t)w;
	}
	if (fsync(fd)) {
		close(fd);
		return fail(r, "fsync");
	}
	report(r, "write", rep, off, off / SEQ_BLOCK, now() - t0);
	return close(fd);
}

static int seq_read(const struct run *r, unsigned rep)
{
	int fd = open_file(r, O_RDONLY, r->direct);
	uint64_t off = 0;
	double t0, end;

	if (fd < 0)
		return -1;
	t0 = now();
	end = t0 + r->secs;
	while (now() < end) {
		uint64_t pos = off % r->size;
		uint32_t n = r->size - pos < SEQ_BLOCK ? (uint32_t)(r->size - pos) : SEQ_BLOCK;
		ssize_t got = pread(fd, r->buf, n, (off_t)pos);

		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			close(fd);
			return fail(r, got ? "read" : "read (end of file before --size)");
		}
		off += (uint64_t)got;
	}
	report(r, "read", rep, off, off / SEQ_BLOCK, now() - t0);
	return close(fd);
}

static int rand_read(const struct run *r, unsigned rep)
{
	int fd = open_file(r, O_RDONLY, r->direct);
	uint64_t blocks = r->size / RAND_BLOCK, ios = 0, x = 0x9e3779b97f4a7c15ULL + rep;
	double t0, end;

	if (fd < 0)
		return -1;
	t0 = now();
	end = t0 + r->secs;
	/* Batches of 16 between clock reads: a read of the clock costs as
	   much as a read from the page cache. */
	while (now() < end) {
		for (unsigned i = 0; i < 16; i++) {
			uint64_t b;
			ssize_t got;

			x ^= x >> 12;
			x ^= x << 25;
			x ^= x >> 27;
			b = (x * 0x2545f4914f6cdd1dULL) % blocks;
			got = pread(fd, r->buf, RAND_BLOCK, (off_t)(b * RAND_BLOCK));
			if (got != (ssize_t)RAND_BLOCK) {
				if (got < 0 && errno == EINTR)
					continue;
				close(fd);
				return fail(r, "random read");
			}
			ios++;
		}
	}
	report(r, "randread", rep, ios * RAND_BLOCK, ios, now() - t0);
	return close(fd);
}

static void usage(void)
{
	fprintf(stderr, "usage: diskio [--direct] [--size BYTES] [--secs S] [--reps N] --label L FILE "
		"write|read|randread...\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "direct", no_argument, NULL, 'd' },
		{ "size", required_argument, NULL, 's' },
		{ "secs", required_argument, NULL, 't' },
		{ "reps", required_argument, NULL, 'r' },
		{ "label", required_argument, NULL, 'l' },
		{ 0 },
	};
	struct run r = { .secs = 2, .label = NULL };
	uint64_t reps = 3, secs;
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': r.direct = true; break;
		case 's':
			if (parse_u64(optarg, &r.size) || !r.size || r.size % RAND_BLOCK) {
				fprintf(stderr, "diskio: --size '%s': give a multiple of %u bytes\n", optarg,
					RAND_BLOCK);
				return 2;
			}
			break;
		case 't':
			if (parse_u64(optarg, &secs) || !secs || secs > 600) {
				fprintf(stderr, "diskio: --secs '%s': give 1..600\n", optarg);
				return 2;
			}
			r.secs = (double)secs;
			break;
		case 'r':
			if (parse_u64(optarg, &reps) || !reps || reps > 100) {
				fprintf(stderr, "diskio: --reps '%s': give 1..100\n", optarg);
				return 2;
			}
			break;
		case 'l': r.label = optarg; break;
		default: usage();
		}
	}
	if (!r.label || optind + 2 > argc)
		usage();
	r.path = argv[optind++];
	for (int i = optind; i < argc; i++)
		if (strcmp(argv[i], "write") && strcmp(argv[i], "read") && strcmp(argv[i], "randread")) {
			fprintf(stderr, "diskio: '%s': the operations are write, read and randread\n",
				argv[i]);
			return 2;
		}
	if (!r.size) {
		struct stat st;
		int fd = open(r.path, O_RDONLY);

		if (fd < 0 || fstat(fd, &st)) {
			fail(&r, "open");
			return 1;
		}
		r.size = (uint64_t)st.st_size;
		if (S_ISBLK(st.st_mode) && ioctl(fd, BLKGETSIZE64, &r.size)) {
			fail(&r, "BLKGETSIZE64");
			return 1;
		}
		close(fd);
		r.size -= r.size % RAND_BLOCK;
		if (!r.size) {
			fprintf(stderr, "diskio: %s: smaller than %u bytes; give --size\n", r.path,
				RAND_BLOCK);
			return 2;
		}
	}
	if (posix_memalign((void **)&r.buf, ALIGN, SEQ_BLOCK)) {
		fprintf(stderr, "diskio: no memory for a %u-byte buffer\n", SEQ_BLOCK);
		return 1;
	}
	for (unsigned rep = 1; rep <= reps; rep++)
		for (int i = optind; i < argc; i++) {
			int e = !strcmp(argv[i], "write") ? seq_write(&r, rep) :
				!strcmp(argv[i], "read") ? seq_read(&r, rep) : rand_read(&r, rep);

			if (e)
				return 1;
		}
	free(r.buf);
	return 0;
}
