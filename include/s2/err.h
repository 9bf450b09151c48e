/* SPDX-License-Identifier: MIT */
/*
 * s2kit error codes and diagnostics.
 *
 * Every library function that can fail returns 0 (or a non-negative
 * result) on success and one of the negative values below on failure.
 * The values equal Linux's errno numbers so that a VMM can hand them
 * straight to strerror() or compare them with what KVM returned.
 *
 *   S2_EINVAL   an argument is malformed or forbidden by the architecture
 *   S2_ERANGE   an address or size lies outside the configured space
 *   S2_ENOMEM   the environment's allocator failed
 *   S2_ENOTSUP  the host (CPU or configuration) cannot do what was asked
 *   S2_EEXIST   the target is already in use (e.g. a mapping is present)
 *   S2_ENOENT   the target does not exist (e.g. nothing is mapped there)
 *   S2_EAGAIN   a shared (concurrent) call lost a race for an entry to
 *               another CPU; nothing of the call is left half-done and
 *               nothing leaked: call again (a fault handler may simply
 *               return to the guest, as Linux's does)
 *
 * Functions that take a `struct s2_diag *` (which may be NULL) also write
 * a one-line English message naming the offending value, the limit it
 * broke and, where there is one, what would fit.
 */
#ifndef S2_ERR_H
#define S2_ERR_H

#include <stdarg.h>

#define S2_ENOENT   (-2)
#define S2_EAGAIN   (-11)
#define S2_ENOMEM   (-12)
#define S2_EEXIST   (-17)
#define S2_EINVAL   (-22)
#define S2_ERANGE   (-34)
#define S2_ENOTSUP  (-95)

#define S2_DIAG_LEN 240

/** A diagnostic message buffer; `msg` is always NUL-terminated. */
struct s2_diag {
	char msg[S2_DIAG_LEN];
};

/**
 * s2_errname() - symbolic name of an s2kit error code.
 * @err: a negative S2_E* value (or 0).
 *
 * Return: "EINVAL", "ERANGE", ... ; "OK" for 0 and "EUNKNOWN" otherwise.
 */
const char *s2_errname(int err);

/**
 * s2_diag_set() - format a message into @d (if non-NULL) and return @err.
 * @d:   diagnostic buffer or NULL.
 * @err: the error code to return.
 * @fmt: printf-like format: %s %c %d %u %x %p %% with the flags '-', '0'
 *       and '#', a width (or '*'), and the length modifiers l, ll and z.
 *       Output is truncated to fit the buffer.
 *
 * Return: @err, so callers can write `return s2_diag_set(d, S2_EINVAL, ...)`.
 */
int s2_diag_set(struct s2_diag *d, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/**
 * s2_snprintf() - the freestanding formatter behind s2_diag_set().
 * @buf: destination, @len bytes including the terminating NUL (len > 0).
 *
 * Return: the number of characters written, excluding the NUL.
 */
int s2_snprintf(char *buf, unsigned long len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/** s2_vsnprintf() - s2_snprintf() with a va_list. */
int s2_vsnprintf(char *buf, unsigned long len, const char *fmt, va_list ap);

#endif
