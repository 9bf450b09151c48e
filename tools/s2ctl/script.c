/* SPDX-License-Identifier: MIT */
/* Parsing `s2ctl run` script lines. */
#include <stdio.h>
#include <string.h>

#include "s2ctl.h"
#include "script.h"

/* Arguments: I ipa, S size, P pa, p prot; a trailing '?' word is an
   optional flag (only map's "pages"). */
static const struct {
	const char *name;
	enum op_kind kind;
	const char *args;
	const char *usage;
} ops[] = {
	{ "map", OP_MAP, "ISPp?", "map IPA SIZE PA PROT [pages]" },
	{ "unmap", OP_UNMAP, "IS", "unmap IPA SIZE" },
	{ "protect", OP_PROTECT, "ISp", "protect IPA SIZE PROT" },
	{ "wrprotect", OP_WRPROTECT, "IS", "wrprotect IPA SIZE" },
	{ "split", OP_SPLIT, "IS", "split IPA SIZE" },
	{ "collapse", OP_COLLAPSE, "IS", "collapse IPA SIZE" },
	{ "translate", OP_TRANSLATE, "I", "translate IPA" },
	{ "dump", OP_DUMP, "", "dump" },
	{ "mkold", OP_MKOLD, "IS", "mkold IPA SIZE" },
	{ "mkyoung", OP_MKYOUNG, "I", "mkyoung IPA" },
	{ "mark-dirty", OP_MARK_DIRTY, "I", "mark-dirty IPA" },
	{ "harvest", OP_HARVEST, "IS", "harvest IPA SIZE" },
	{ "flush", OP_FLUSH, "IS", "flush IPA SIZE" },
	{ "stats", OP_STATS, "", "stats" },
};
#define N_OPS (sizeof(ops) / sizeof(ops[0]))
#define MAX_WORDS 8

static int parse_prot(const char *s, unsigned *prot)
{
	unsigned p = 0;
	const char *comma = strchr(s, ',');
	size_t n = comma ? (size_t)(comma - s) : strlen(s);

	if (comma && strcmp(comma, ",device"))
		return -1;
	if (n == 4 && !strncmp(s, "none", 4)) {
		n = 0;
	} else {
		for (size_t i = 0; i < n; i++) {
			unsigned bit = s[i] == 'r' ? S2_PROT_R : s[i] == 'w' ? S2_PROT_W :
				       s[i] == 'x' ? S2_PROT_X : 0;
			if (!bit || (p & bit))
				return -1;
			p |= bit;
		}
		if (n == 0 && !comma)
			return -1;
	}
	*prot = p | (comma ? S2_PROT_DEVICE : 0);
	return 0;
}

const char *script_prot_string(unsigned prot, char *buf)
{
	char *p = buf;

	if (prot & S2_PROT_R)
		*p++ = 'r';
	if (prot & S2_PROT_W)
		*p++ = 'w';
	if (prot & S2_PROT_X)
		*p++ = 'x';
	if (p == buf)
		p += sprintf(p, "none");
	if (prot & S2_PROT_DEVICE)
		p += sprintf(p, ",device");
	*p = '\0';
	return buf;
}

int script_parse_line(char *line, struct op *op, char *err, size_t errlen)
{
	char *w[MAX_WORDS + 1], *save = NULL, *tok;
	unsigned n = 0, k;
	char *hash = strchr(line, '#');

	if (hash)
		*hash = '\0';
	for (tok = strtok_r(line, " \t\r\n\v\f", &save); tok;
	     tok = strtok_r(NULL, " \t\r\n\v\f", &save)) {
		if (n < MAX_WORDS + 1)
			w[n] = tok;
		n++;
	}
	if (n == 0)
		return 0;
	for (k = 0; k < N_OPS && strcmp(w[0], ops[k].name); k++)
		;
	if (k == N_OPS) {
		size_t off = (size_t)snprintf(err, errlen, "unknown operation '%.40s'; accepted:", w[0]);
		for (unsigned i = 0; i < N_OPS && off < errlen; i++)
			off += (size_t)snprintf(err + off, errlen - off, "%s %s", i ? "," : "",
						ops[i].name);
		return -1;
	}

	const char *a = ops[k].args;
	size_t need = strcspn(a, "?"), opt = strlen(a) - need;
	*op = (struct op){ .kind = ops[k].kind, .name = ops[k].name };
	if (n - 1 < need || n - 1 > need + opt) {
		snprintf(err, errlen, "%s takes %zu argument%s, got %u: %s", ops[k].name, need,
			 need == 1 ? "" : "s", n - 1, ops[k].usage);
		return -1;
	}
	for (unsigned i = 0; i < need; i++) {
		const char *s = w[i + 1];
		uint64_t *dst = a[i] == 'I' ? &op->ipa : a[i] == 'S' ? &op->size : &op->pa;
		if (a[i] == 'p') {
			if (parse_prot(s, &op->prot)) {
				snprintf(err, errlen, "%s: PROT '%.40s' is not letters from rwx "
					 "(or none) with an optional ',device'", ops[k].name, s);
				return -1;
			}
		} else if (num_parse_size(s, dst)) {
			snprintf(err, errlen, "%s: %s '%.40s' is not a number: decimal or 0x-hex, "
				 "optional K/M/G/T/P suffix (%s)", ops[k].name,
				 a[i] == 'I' ? "IPA" : a[i] == 'S' ? "SIZE" : "PA", s, ops[k].usage);
			return -1;
		}
	}
	if (n - 1 > need) {
		if (strcmp(w[need + 1], "pages")) {
			snprintf(err, errlen, "%s: unknown flag '%.40s' (accepted: pages)",
				 ops[k].name, w[need + 1]);
			return -1;
		}
		op->flags |= S2_MAP_PAGES;
	}
	return 1;
}
