/* SPDX-License-Identifier: MIT */
/* The checking helpers of unit.h. */
#include "unit.h"

unsigned long unit_checks, unit_test_fails;

__attribute__((format(printf, 4, 0)))
static void vreport(const char *file, int line, const char *what, const char *ctx, va_list ap)
{
	char buf[512];

	if (unit_test_fails++ >= CHECK_MAX_REPORTS)
		return;
	vsnprintf(buf, sizeof(buf), ctx, ap);
	print_error("%s:%d: [%s] %s\n", file, line, buf, what);
}

bool unit_eq(uint64_t got, uint64_t want, const char *expr, const char *file, int line,
	     const char *ctx, ...)
{
	char what[256];
	va_list ap;

	unit_checks++;
	if (got == want)
		return true;
	snprintf(what, sizeof(what), "%s = %#llx (%lld), expected %#llx (%lld)", expr,
		 (unsigned long long)got, (long long)got,
		 (unsigned long long)want, (long long)want);
	va_start(ap, ctx);
	vreport(file, line, what, ctx, ap);
	va_end(ap);
	return false;
}

bool unit_streq(const char *got, const char *want, const char *expr, const char *file,
		int line, const char *ctx, ...)
{
	char what[512];
	va_list ap;

	unit_checks++;
	if (got && want && strcmp(got, want) == 0)
		return true;
	snprintf(what, sizeof(what), "%s = \"%s\", expected \"%s\"", expr,
		 got ? got : "(null)", want ? want : "(null)");
	va_start(ap, ctx);
	vreport(file, line, what, ctx, ap);
	va_end(ap);
	return false;
}

static bool is_word_char(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool has_token(const char *s, const char *tok)
{
	size_t n = strlen(tok);

	for (const char *p = s; (p = strstr(p, tok)) != NULL; p++) {
		bool left = p == s || !is_word_char(p[-1]);
		bool right = !is_word_char(p[n]);
		if (left && right)
			return true;
	}
	return false;
}

bool unit_has(const char *msg, const char *tok, bool whole, const char *file, int line,
	      const char *ctx, ...)
{
	char what[512];
	va_list ap;
	bool ok;

	unit_checks++;
	ok = whole ? has_token(msg, tok) : strstr(msg, tok) != NULL;
	if (ok)
		return true;
	snprintf(what, sizeof(what), "message \"%s\" does not mention \"%s\"", msg, tok);
	va_start(ap, ctx);
	vreport(file, line, what, ctx, ap);
	va_end(ap);
	return false;
}

int unit_setup(void **state)
{
	(void)state;
	unit_test_fails = 0;
	return 0;
}

int unit_teardown(void **state)
{
	(void)state;
	if (!unit_test_fails)
		return 0;
	print_error("%lu check(s) failed%s\n", unit_test_fails,
		    unit_test_fails > CHECK_MAX_REPORTS ? " (first ones shown)" : "");
	return -1;
}

int unit_run(const char *name, const struct CMUnitTest *tests, size_t n)
{
	int rc = _cmocka_run_group_tests(name, tests, n, NULL, NULL);

	printf("%s: %lu checks\n", name, unit_checks);
	return rc;
}
