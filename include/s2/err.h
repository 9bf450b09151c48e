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
 * Diagnostics rule: a call that can fail takes a `struct s2_diag *`
 * (which may be NULL) and writes into it a one-line English message
 * naming the offending value, the limit it broke and, where there is one,
 * what would fit. The calls that take none say "No diag" in their
 * comment, and their Return: lines say what each error means:
 *   - converters of one value (s2_parange_bits(), s2_parange_enc(),
 *     s2_parange_round_up(), s2_policy_allows()): the caller holds the
 *     value and can name it;
 *   - s2_host_env_init(), whose one error is a failed mmap;
 *   - the single-entry calls of a guest's fault path (s2_relax_perms(),
 *     s2_mark_dirty(), s2_mkyoung(), s2_translate()), which run once per
 *     fault, where formatting a message would cost more than the call,
 *     and whose errors each have one cause;
 *   - s2_walk() and its visitors (s2/walk.h), whose callers, the range
 *     operations, take a diag and check the range before walking.
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
 * @fmt: printf-like format: %s %c %d %i %u %x %X %p %% with the flags
 *       '-', '0', '#', '+' and ' ', a width and a precision (either may be
 *       '*'), and the length modifiers hh, h, l, ll, z, t and j, all as C's
 *       printf. Output is truncated to fit the buffer.
 *
 * Return: @err, so callers can write `return s2_diag_set(d, S2_EINVAL, ...)`
 * (the call itself cannot fail).
 */
int s2_diag_set(struct s2_diag *d, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/**
 * s2_snprintf() - the freestanding formatter behind s2_diag_set().
 * @buf: destination, @len bytes including the terminating NUL (len > 0).
 * @fmt: as for s2_diag_set(); the output is truncated to fit @buf.
 *
 * Return: the number of characters written, excluding the NUL (the call
 * cannot fail).
 */
int s2_snprintf(char *buf, unsigned long len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/**
 * s2_vsnprintf() - s2_snprintf() with a va_list.
 * @buf: destination, @len bytes including the terminating NUL (len > 0).
 * @fmt: as for s2_diag_set().
 * @ap:  the arguments @fmt converts.
 *
 * Return: as s2_snprintf() (the call cannot fail).
 */
int s2_vsnprintf(char *buf, unsigned long len, const char *fmt, va_list ap);

#endif
