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

void j_str(struct json *j, const char *key, const char *s)
{
	sep(j, key);
	fputc('"', j->f);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\')
			fprintf(j->f, "\\%c", ch);
		else if (ch < 0x20)
			fprintf(j->f, "\\u%04x", ch);
		else
			fputc(ch, j->f);
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
