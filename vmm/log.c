/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "log.h"

enum vmm_loglevel vmm_loglevel = VMM_LOG_INFO;

static const char *const names[] = { "error", "warning", "info", "debug" };

int vmm_loglevel_parse(const char *s, enum vmm_loglevel *l)
{
	for (unsigned i = 0; i < 4; i++)
		if (!strcmp(s, names[i])) {
			*l = (enum vmm_loglevel)i;
			return 0;
		}
	return -1;
}

void vmm_log(enum vmm_loglevel l, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	if (l > vmm_loglevel)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	/* One write per line: vCPU threads log concurrently. */
	fprintf(stderr, "s2vmm: %s%s\n", l == VMM_LOG_ERROR ? "error: " :
		l == VMM_LOG_WARNING ? "warning: " : "", line);
}
