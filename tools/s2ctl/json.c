/* SPDX-License-Identifier: MIT */
/*
 * A minimal JSON writer: one object per line, keys in the order the
 * caller emits them, so output is stable for scripts and tests.
 * Addresses and register values are "0x..." strings because JSON numbers
 * lose precision above 2^53 in most readers.
 */
#include "s2ctl.h"

static void sep(struct json *j, const char *key)
{
	if (j->need_comma[j->depth])
		fputs(j->compact ? "," : ", ", j->f);
	j->need_comma[j->depth] = true;
	if (key)
		fprintf(j->f, j->compact ? "\"%s\":" : "\"%s\": ", key);
}

static void j_open(struct json *j, const char *key, char ch)
{
	sep(j, key);
	fputc(ch, j->f);
	if (j->depth < 15)
		j->depth++;
	j->need_comma[j->depth] = false;
}

void j_begin(struct json *j, FILE *f)
{
	j->f = f;
	j->compact = false;
	j->depth = 0;
	j->need_comma[0] = false;
	fputc('{', f);
	j->depth = 1;
	j->need_comma[1] = false;
}

void j_begin_compact(struct json *j, FILE *f)
{
	j_begin(j, f);
	j->compact = true;
}

void j_end(struct json *j)
{
	fputs("}\n", j->f);
	j->depth = 0;
}

void j_obj(struct json *j, const char *key) { j_open(j, key, '{'); }
void j_arr(struct json *j, const char *key) { j_open(j, key, '['); }

void j_close_obj(struct json *j)
{
	fputc('}', j->f);
	j->depth--;
}

void j_close_arr(struct json *j)
{
	fputc(']', j->f);
	j->depth--;
}

/* Length of the well-formed UTF-8 sequence at @s (Unicode, Table 3-7: no
   overlong forms, no surrogates, nothing above U+10FFFF), 0 if it is not
   one. */
static unsigned utf8_len(const unsigned char *s)
{
	unsigned n, lo = 0x80, hi = 0xbf;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, lo = s[0] == 0xe0 ? 0xa0 : 0x80, hi = s[0] == 0xed ? 0x9f : 0xbf;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, lo = s[0] == 0xf0 ? 0x90 : 0x80, hi = s[0] == 0xf4 ? 0x8f : 0xbf;
	else
		return 0;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (unsigned i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

/* Strings come from file names and script text as well as from us: every
   byte that is not part of well-formed UTF-8 is written as the text \xNN,
   so each line stays valid UTF-8 and JSON. */
void j_str(struct json *j, const char *key, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	sep(j, key);
	fputc('"', j->f);
	while (*u) {
		unsigned n = utf8_len(u);

		if (*u == '"' || *u == '\\')
			fprintf(j->f, "\\%c", *u);
		else if (*u < 0x20 || *u == 0x7f)
			fprintf(j->f, "\\u%04x", *u);
		else if (n == 0)
			fprintf(j->f, "\\\\x%02x", *u);
		else
			fwrite(u, 1, n, j->f);
		u += n ? n : 1;
	}
	fputc('"', j->f);
}

void j_hex(struct json *j, const char *key, uint64_t v)
{
	sep(j, key);
	fprintf(j->f, "\"0x%llx\"", (unsigned long long)v);
}

void j_u64(struct json *j, const char *key, uint64_t v)
{
	sep(j, key);
	fprintf(j->f, "%llu", (unsigned long long)v);
}

void j_int(struct json *j, const char *key, long long v)
{
	sep(j, key);
	fprintf(j->f, "%lld", v);
}

void j_bool(struct json *j, const char *key, bool v)
{
	sep(j, key);
	fputs(v ? "true" : "false", j->f);
}

void j_null(struct json *j, const char *key)
{
	sep(j, key);
	fputs("null", j->f);
}
