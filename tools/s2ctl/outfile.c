/* SPDX-License-Identifier: MIT */
/*
 * Writing an output file so that a failure changes nothing: a regular file
 * is replaced through a temporary file beside it and rename(2), a file we
 * created is removed again, and a FIFO nobody reads is an error rather
 * than a wait.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "s2ctl.h"

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? errno : EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* A temporary file beside @path, with @mode; -1 (and errno) if the
   directory does not take one. */
static int open_temp(const char *path, mode_t mode, char **tmp)
{
	size_t n = strlen(path) + sizeof(".XXXXXX");
	int fd;

	*tmp = malloc(n);
	if (!*tmp)
		return -1;
	snprintf(*tmp, n, "%s.XXXXXX", path);
	fd = mkstemp(*tmp);
	if (fd < 0) {
		free(*tmp);
		*tmp = NULL;
		return -1;
	}
	if (fchmod(fd, mode & 07777) != 0) {
		/* Keep going: the content matters more than the mode. */
	}
	return fd;
}

int out_write(const char *path, const void *buf, size_t len)
{
	struct stat st;
	bool existed = stat(path, &st) == 0;
	char *tmp = NULL;
	int fd = -1, err;

	if (existed && S_ISREG(st.st_mode))
		fd = open_temp(path, st.st_mode, &tmp);
	if (fd < 0) {
		/* O_NONBLOCK: opening a FIFO without a reader fails with ENXIO
		   instead of waiting for one; the writes below block again. */
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NONBLOCK | O_CLOEXEC, 0666);
		if (fd < 0)
			return errno;
		if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) != 0) {
			err = errno;
			close(fd);
			return err;
		}
	}
	err = write_all(fd, buf, len);
	if (close(fd) != 0 && !err)
		err = errno;
	if (tmp) {
		if (!err && rename(tmp, path) != 0)
			err = errno;
		if (err)
			unlink(tmp);
		free(tmp);
	} else if (err && !existed) {
		unlink(path);
	}
	return err;
}
