/* SPDX-License-Identifier: MIT */
/* Messages and exit codes common to every subcommand. */
#include <stdarg.h>
#include <string.h>

#include "s2ctl.h"

int usage_error(const struct cmd *c, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "s2ctl %s: ", c->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 's2ctl %s --help'.\n", c->name);
	return EXIT_USAGE;
}

int lib_error(const struct cmd *c, int err, const struct s2_diag *d)
{
	const char *msg = d && d->msg[0] ? d->msg : "(no message)";

	if (c->json) {
		struct json j;

		j_begin(&j, stdout);
		j_str(&j, "error", s2_errname(err));
		j_str(&j, "message", msg);
		j_end(&j);
	} else {
		fprintf(stderr, "s2ctl %s: %s: %s\n", c->name, s2_errname(err), msg);
	}
	return EXIT_LIB;
}

int io_error(const struct cmd *c, const char *file, int err)
{
	if (c->json) {
		char msg[S2_DIAG_LEN];
		struct json j;

		snprintf(msg, sizeof(msg), "cannot write %s: %s", file, strerror(err));
		j_begin(&j, stdout);
		j_str(&j, "error", "EIO");
		j_str(&j, "message", msg);
		j_end(&j);
	}
	fprintf(stderr, "s2ctl %s: cannot write %s: %s\n", c->name, file, strerror(err));
	return EXIT_LIB;
}

int show_help(const struct cmd *c)
{
	fputs(c->usage, stdout);
	return 0;
}

int getopt_error(const struct cmd *c, int ch, char **argv)
{
	/* Long options leave optind past the offending word; a short option
	   in a cluster ("-x" or "-12") is only identified by optopt. */
	const char *word = optind > 0 ? argv[optind - 1] : "?";

	if (ch == ':' && optopt > 0 && optopt < 256)
		return usage_error(c, "option '-%c' needs a value", optopt);
	if (ch == ':')
		return usage_error(c, "option '%s' needs a value", word);
	if (optopt >= '0' && optopt <= '9')
		return usage_error(c, "unknown option '-%c': values cannot be negative "
				   "(give decimal or 0x-hex)", optopt);
	if (optopt > 0 && optopt < 256)
		return usage_error(c, "unknown option '-%c'", optopt);
	return usage_error(c, "unknown option '%s'", word);
}

int expect_args(const struct cmd *c, int argc, char **argv, int want)
{
	if (argc - optind > want)
		return usage_error(c, "unexpected argument '%s'", argv[optind + want]);
	if (argc - optind < want)
		return usage_error(c, "missing argument (%d expected)", want);
	return 0;
}

int parse_opts(struct cmd *c, int argc, char **argv, const struct option *lo,
	       opt_fn fn, void *ctx)
{
	int ch, rc;

	/* Our own messages name the option and what it accepts. */
	opterr = 0;
	optind = 1;
	while ((ch = getopt_long(argc, argv, ":h", lo, NULL)) != -1) {
		if (ch == OPT_HELP) {
			show_help(c);
			return -1;
		}
		if (ch == OPT_JSON) {
			c->json = true;
			continue;
		}
		rc = 0;
		if (fn && fn(ctx, c, ch, optarg, &rc)) {
			if (rc)
				return rc;
			continue;
		}
		return getopt_error(c, ch, argv);
	}
	return 0;
}
