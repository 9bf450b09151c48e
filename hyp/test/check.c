/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include "check.h"
#include "printf.h"

uint64_t checks_run, checks_failed;

bool check(bool ok, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	checks_run++;
	if (ok)
		return true;
	checks_failed++;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printf("FAIL: %s\n", msg);
	return false;
}
