/* SPDX-License-Identifier: MIT */
/* Reading a script and applying it line by line (run and image). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "s2ctl.h"
#include "script.h"

int script_run(const struct cmd *c, const char *path, struct s2_pgtable *pgt, bool print,
	       struct s2_diag *d, int *op_err)
{
	const char *name = strcmp(path, "-") ? path : "<stdin>";
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	char *line = NULL, err[S2_DIAG_LEN];
	size_t cap = 0;
	unsigned lineno = 0;
	int rc = 0;

	if (!f)
		return usage_error(c, "cannot read script '%s': %s", path, strerror(errno));
	while (getline(&line, &cap, f) >= 0) {
		struct op op;
		int k;

		lineno++;
		k = script_parse_line(line, &op, err, sizeof(err));
		if (k < 0) {
			fprintf(stderr, "s2ctl %s: %s:%u: %s\n", c->name, name, lineno, err);
			rc = EXIT_USAGE;
			break;
		}
		if (k == 0)
			continue;
		int err = op_exec(pgt, &op, lineno, print, d);
		if (err < 0) {
			rc = EXIT_LIB;
			if (op_err)
				*op_err = err;
			if (!print) {
				/* Prefix the library's message with where it happened,
				   truncating to the diag buffer. */
				char msg[2 * S2_DIAG_LEN];
				size_t on = strlen(op.name);
				bool named = !strncmp(d->msg, op.name, on) && d->msg[on] == ':';
				size_t n = (size_t)snprintf(msg, sizeof(msg), "%.60s:%u: %s%s%s",
							    name, lineno, named ? "" : op.name,
							    named ? "" : ": ", d->msg);
				if (n >= sizeof(d->msg))
					n = sizeof(d->msg) - 1;
				memcpy(d->msg, msg, n);
				d->msg[n] = '\0';
				break;
			}
		}
	}
	free(line);
	if (f != stdin)
		fclose(f);
	return rc;
}
