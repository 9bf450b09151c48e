/* SPDX-License-Identifier: MIT */
/* Messages and exit codes common to every subcommand. */
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "s2ctl.h"

bool json_hint;

bool json_in_argv(int argc, char **argv, const struct option *lo)
{
	/* As getopt_long reads the words: "--" ends the options, a long
	   option that takes a value and has no '=' consumes the next word,
	   and any unambiguous prefix of "--json" is --json. */
	for (int i = 1; i < argc; i++) {
		const char *w = argv[i];
		size_t n;

		if (!strcmp(w, "--"))
			break;
		if (strncmp(w, "--", 2) || strchr(w, '='))
			continue;
		n = strlen(w + 2);
		if (n && !strncmp(w + 2, "json", n)) {
			bool other = false;

			for (const struct option *o = lo; lo && o->name; o++)
				other |= strcmp(o->name, "json") && !strncmp(o->name, w + 2, n);
			if (!other)
				return true;
		}
		for (const struct option *o = lo; lo && o->name; o++)
			if (o->has_arg == required_argument && !strcmp(o->name, w + 2)) {
				i++;
				break;
			}
	}
	return false;
}

void json_usage(const char *msg)
{
	struct json j;

	j_begin(&j, stdout);
	j_str(&j, "error", "EINVAL");
	j_bool(&j, "usage", true);
	j_str(&j, "message", msg);
	j_end(&j);
}

int usage_error(const struct cmd *c, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* A JSON reader gets the refusal on stdout too, marked as a usage
	   error (exit 2) rather than a refusal of the request (exit 1). */
	if (c->json || json_hint)
		json_usage(msg);
	fprintf(stderr, "s2ctl %s: %s\nTry 's2ctl %s --help'.\n", c->name, msg, c->name);
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
	/* out_write() opens without waiting: ENXIO is a FIFO with no reader. */
	const char *hint = err == ENXIO ? " (a FIFO nobody reads?)" : "";

	if (c->json) {
		char msg[S2_DIAG_LEN];
		struct json j;

		snprintf(msg, sizeof(msg), "cannot write %s: %s%s", file, strerror(err), hint);
		j_begin(&j, stdout);
		j_str(&j, "error", "EIO");
		j_str(&j, "message", msg);
		j_end(&j);
	}
	fprintf(stderr, "s2ctl %s: cannot write %s: %s%s\n", c->name, file, strerror(err), hint);
	return EXIT_LIB;
}

int show_help(const struct cmd *c)
{
	fputs(c->usage, stdout);
	return 0;
}

/* A long option getopt_long refused with '?': it names no option, a
   prefix of several, or one that takes no value but was given one. */
static int long_error(const struct cmd *c, const char *word, const struct option *lo)
{
	const char *name = word + 2;
	size_t len = strcspn(name, "=");
	const struct option *hit = NULL;
	char fits[256] = "";
	unsigned n = 0;

	for (const struct option *o = lo; o && o->name; o++) {
		if (strncmp(o->name, name, len))
			continue;
		if (strlen(o->name) == len) {       /* an exact name wins */
			hit = o;
			n = 1;
			break;
		}
		hit = o;
		n++;
		if (strlen(fits) + strlen(o->name) + 5 < sizeof(fits))
			snprintf(fits + strlen(fits), sizeof(fits) - strlen(fits), "%s--%s",
				 n > 1 ? ", " : "", o->name);
	}
	if (n > 1)
		return usage_error(c, "option '--%.*s' is ambiguous: it could be %s", (int)len,
				   name, fits);
	if (n == 1 && name[len] == '=' && hit->has_arg == no_argument)
		return usage_error(c, "option '--%s' takes no value (got '%s')", hit->name, word);
	return usage_error(c, "unknown option '%s'", word);
}

int getopt_error(const struct cmd *c, int ch, char **argv, const struct option *lo)
{
	/* Long options leave optind past the offending word; a short option
	   in a cluster ("-x" or "-12") is only identified by optopt. */
	const char *word = optind > 0 ? argv[optind - 1] : "?";

	if (ch == '?' && !strncmp(word, "--", 2) && word[2])
		return long_error(c, word, lo);
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

	/* A usage error found while parsing is reported in JSON when --json
	   is anywhere among the options, also after the offending word. */
	c->json = json_in_argv(argc, argv, lo);
	json_hint = c->json;
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
		return getopt_error(c, ch, argv, lo);
	}
	return 0;
}
