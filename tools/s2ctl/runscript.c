/* SPDX-License-Identifier: MIT */
/* Reading a script and applying it line by line (run and image). */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "s2ctl.h"
#include "script.h"

/* One line of @f into @buf, without its newline. Return: 1 a line, 0 end
   of file, -1 a read error (errno set), -2 longer than SCRIPT_LINE_MAX,
   -3 a NUL byte (the line would be cut there). */
static int read_line(FILE *f, char *buf)
{
	size_t n = 0;
	bool nul = false;
	int ch;

	while ((ch = getc(f)) != EOF) {
		if (ch == '\n')
			break;
		if (n == SCRIPT_LINE_MAX)
			return -2;
		nul |= ch == 0;
		buf[n++] = (char)ch;
	}
	if (ch == EOF && ferror(f))
		return -1;
	buf[n] = '\0';
	if (nul)
		return -3;
	return ch == EOF && n == 0 ? 0 : 1;
}

/* A script that cannot be read or parsed: the message on stderr and, as
   every refusal in JSON output, a line with "error" (and "op"). */
static int script_error(const struct cmd *c, const char *name, unsigned lineno,
			const char *errname, const char *msg)
{
	char where[S2_DIAG_LEN + 80];

	snprintf(where, sizeof(where), "%s:%u: %s", name, lineno, msg);
	fprintf(stderr, "s2ctl %s: %s\n", c->name, where);
	if (c->json) {
		struct json j;

		j_begin_compact(&j, stdout);
		j_str(&j, "op", "script");
		j_str(&j, "error", errname);
		j_str(&j, "message", where);
		j_u64(&j, "line", lineno);
		j_end(&j);
	}
	return EXIT_USAGE;
}

int script_run(const struct cmd *c, const char *path, struct s2_pgtable *pgt, bool print,
	       struct s2_diag *d, int *op_err)
{
	const char *name = strcmp(path, "-") ? path : "<stdin>";
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	char line[SCRIPT_LINE_MAX + 1], err[S2_DIAG_LEN];
	unsigned lineno = 0;
	int rc = 0, got;

	if (!f)
		return usage_error(c, "cannot read script '%s': %s", path, strerror(errno));
	while ((got = read_line(f, line)) != 0) {
		struct op op;
		int k;

		lineno++;
		if (got == -1) {
			snprintf(err, sizeof(err), "cannot read %s: %s", name, strerror(errno));
			rc = script_error(c, name, lineno, "EIO", err);
			break;
		}
		if (got == -2 || got == -3) {
			rc = script_error(c, name, lineno, "EINVAL", got == -2 ?
					  "line longer than " S2CTL_STR(SCRIPT_LINE_MAX) " bytes" :
					  "line holds a NUL byte");
			break;
		}
		k = script_parse_line(line, &op, err, sizeof(err));
		if (k < 0) {
			rc = script_error(c, name, lineno, "EINVAL", err);
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
	if (f != stdin)
		fclose(f);
	return rc;
}
