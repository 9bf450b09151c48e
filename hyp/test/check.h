/* SPDX-License-Identifier: MIT */
/*
 * Check accounting: every check that fails prints a FAIL line and makes
 * the run exit non-zero. The exit status is 0 only if none failed.
 */
#ifndef HYP_CHECK_H
#define HYP_CHECK_H

#include <stdbool.h>
#include <stdint.h>

extern uint64_t checks_run, checks_failed;

/* Record one check; on failure print "FAIL: <message>". Returns @ok. */
bool check(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
