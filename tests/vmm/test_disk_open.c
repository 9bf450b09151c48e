/* SPDX-License-Identifier: MIT */
/*
 * Opening -d/--disk files, as a user may name them wrongly: each
 * refusal names the file and why, comes at once (a FIFO is never waited
 * on: a SIGALRM ends a test that blocks), and leaves nothing open or
 * locked. What is refused is written out here from what the guest would
 * see: one file behind two disks the guest writes is two unsynchronised
 * caches of one disk; a file of less than one 512-byte sector is a disk
 * of capacity 0 (virtio 1.2, 5.2.4: capacity counts 512-byte sectors).
 */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"
#include "virtio_blk.h"

static char dir[] = "/tmp/s2vmm-test-disk-XXXXXX";
static char err[512];

static unsigned open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	unsigned n = 0;

	assert_non_null(d);
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

/* @name in the test's directory; a test uses fewer than 64 at a time. */
static const char *path(const char *name)
{
	static char p[64][128];
	static unsigned which;
	char *s = p[which++ % 64];

	snprintf(s, sizeof(p[0]), "%s/%s", dir, name);
	return s;
}

static void file_of(const char *name, size_t size)
{
	int fd = open(path(name), O_CREAT | O_TRUNC | O_WRONLY, 0600);

	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)size), 0);
	close(fd);
}

/* Nothing holds a lock on @name: an exclusive flock and OFD lock of
   our own are granted at once. */
static bool unlocked(const char *name)
{
	struct flock l = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	int fd = open(path(name), O_RDWR);
	bool ok;

	assert_true(fd >= 0);
	ok = !flock(fd, LOCK_EX | LOCK_NB) && !fcntl(fd, F_OFD_SETLK, &l);
	close(fd);
	return ok;
}

/* Open @n disks; expect a refusal naming each string of @has (NULL
   ends), with no descriptor left open and @free_file unlocked. */
static void refused(const struct vmm_disk_arg *a, unsigned n, const char *free_file,
		    const char *const *has)
{
	unsigned before = open_fds();

	err[0] = 0;
	alarm(5);
	CHECK_EQ(vmm_blk_open_all(a, n, err, sizeof(err)), -1, "%s: refused", a[n - 1].path);
	alarm(0);
	for (; *has; has++)
		CHECK_MSG_HAS(err, *has, "%s", a[n - 1].path);
	CHECK_EQ(open_fds(), before, "%s: nothing left open", a[n - 1].path);
	if (free_file)
		CHECK(unlocked(free_file), "%s: %s left unlocked", a[n - 1].path, free_file);
}

static int setup(void **s)
{
	strcpy(dir, "/tmp/s2vmm-test-disk-XXXXXX");
	assert_non_null(mkdtemp(dir));
	return unit_setup(s);
}

static int teardown(void **s)
{
	static const char *const names[] = { "fifo", "a.img", "link.img", "b.img", "0", "1", "511",
					     "512", "1000" };

	vmm_blk_close_all();
	for (unsigned i = 0; i < ARRAY_LEN(names); i++)
		unlink(path(names[i]));
	rmdir(dir);
	return unit_teardown(s);
}

/* Opening a FIFO read-only waits for a writer; read-write does not:
   both are refused at once, as not a disk. */
static void fifo_refused_at_once(void **s)
{
	(void)s;
	assert_int_equal(mkfifo(path("fifo"), 0600), 0);
	for (int ro = 0; ro <= 1; ro++) {
		struct vmm_disk_arg a = { path("fifo"), ro };

		refused(&a, 1, NULL, (const char *const[]){ path("fifo"), "FIFO", NULL });
	}
	struct vmm_disk_arg c = { "/dev/null", true };

	refused(&c, 1, NULL, (const char *const[]){ "/dev/null", "character device", NULL });
}

/* One file twice: refused by device and inode whatever the spelling
   (the same path, a symbolic link, "dir/./name") when either disk is
   writable, naming both; two read-only disks may share it. */
static void same_file_twice(void **s)
{
	char dotted[160];

	(void)s;
	file_of("a.img", 4096);
	file_of("b.img", 4096);
	assert_int_equal(symlink(path("a.img"), path("link.img")), 0);
	snprintf(dotted, sizeof(dotted), "%s/./a.img", dir);
	const struct { const char *second; bool ro0, ro1; } c[] = {
		{ path("a.img"), false, false }, { path("link.img"), false, true },
		{ dotted, true, false }, { path("link.img"), false, false },
	};
	for (unsigned i = 0; i < ARRAY_LEN(c); i++) {
		struct vmm_disk_arg a[3] = { { path("b.img"), false }, { path("a.img"), c[i].ro0 },
					     { c[i].second, c[i].ro1 } };

		refused(a, 3, "a.img", (const char *const[]){ a[1].path, a[2].path, "same file",
							      "(disk 1)", NULL });
		CHECK(unlocked("b.img"), "case %u: the disk before left unlocked", i);
	}
	struct vmm_disk_arg ro[2] = { { path("a.img"), true }, { path("link.img"), true } };

	CHECK_EQ(vmm_blk_open_all(ro, 2, err, sizeof(err)), 0, "two read-only: %s", err);
	vmm_blk_close_all();
	CHECK(unlocked("a.img"), "closed");
}

/* Less than one sector is a disk of no sectors: refused with the size
   and the sector; one sector and more are taken. */
static void smaller_than_a_sector(void **s)
{
	static const struct { const char *name; size_t size; const char *says; } c[] = {
		{ "0", 0, "is 0 bytes" }, { "1", 1, "is 1 bytes" }, { "511", 511, "is 511 bytes" },
	};

	(void)s;
	for (unsigned i = 0; i < ARRAY_LEN(c); i++) {
		struct vmm_disk_arg a = { path(c[i].name), i == 1 };

		file_of(c[i].name, c[i].size);
		refused(&a, 1, c[i].name, (const char *const[]){ a.path, c[i].says, "512-byte sector",
							       NULL });
	}
	file_of("512", 512);
	file_of("1000", 1000);
	struct vmm_disk_arg ok[2] = { { path("512"), false }, { path("1000"), true } };

	CHECK_EQ(vmm_blk_open_all(ok, 2, err, sizeof(err)), 0, "512 and 1000 bytes: %s", err);
	vmm_blk_close_all();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(fifo_refused_at_once, setup, teardown),
		cmocka_unit_test_setup_teardown(same_file_twice, setup, teardown),
		cmocka_unit_test_setup_teardown(smaller_than_a_sector, setup, teardown),
	};

	return unit_run("s2vmm disk files", tests, ARRAY_LEN(tests));
}
