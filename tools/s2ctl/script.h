/* SPDX-License-Identifier: MIT */
/* `s2ctl run` scripts: one stage-2 table operation a line. */
#ifndef S2CTL_SCRIPT_H
#define S2CTL_SCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <s2/pgtable.h>

enum op_kind {
	OP_MAP, OP_UNMAP, OP_PROTECT, OP_WRPROTECT, OP_SPLIT, OP_COLLAPSE,
	OP_TRANSLATE, OP_DUMP, OP_MKOLD, OP_MKYOUNG, OP_MARK_DIRTY, OP_HARVEST,
	OP_FLUSH, OP_STATS,
};

struct op {
	enum op_kind kind;
	const char *name;
	uint64_t ipa, size, pa;
	unsigned prot;      /* S2_PROT_* */
	unsigned flags;     /* S2_MAP_* */
};

/* The longest script line, newline not counted; longer lines are refused. */
#define SCRIPT_LINE_MAX 4096
#define S2CTL_XSTR(x) #x
#define S2CTL_STR(x) S2CTL_XSTR(x)

#define SCRIPT_SYNTAX \
	"Script: one operation a line (at most " S2CTL_STR(SCRIPT_LINE_MAX) " bytes), '#' starts a\n" \
	"comment. Numbers are decimal or\n" \
	"0x-hex with an optional K/M/G/T/P suffix (powers of 1024). PROT is letters\n" \
	"from rwx (or 'none') with an optional ',device'.\n" \
	"  map IPA SIZE PA PROT [pages]   unmap IPA SIZE      protect IPA SIZE PROT\n" \
	"  wrprotect IPA SIZE             split IPA SIZE      collapse IPA SIZE\n" \
	"  translate IPA                  dump                stats\n" \
	"  mkold IPA SIZE   mkyoung IPA   mark-dirty IPA   harvest IPA SIZE   flush IPA SIZE\n"

/**
 * script_parse_line() - parse one line (modified in place).
 * Return: 1 and *@op; 0 for a blank or comment line; -1 with a message
 * in @err that says what was wrong and what is accepted.
 */
int script_parse_line(char *line, struct op *op, char *err, size_t errlen);

/** PROT back in the script's own spelling ("rw", "r,device", "none"). */
const char *script_prot_string(unsigned prot, char *buf);

/**
 * op_exec() - apply @op (from script line @line) to @pgt; with @print,
 * write its JSON line to stdout. Return: 0, or the library's negative
 * error (message in @d).
 */
int op_exec(struct s2_pgtable *pgt, const struct op *op, unsigned line, bool print,
	    struct s2_diag *d);

struct cmd;
/**
 * script_run() - read @path ("-" for stdin) and apply every line.
 * With @print, one JSON line per operation and failed operations do not
 * stop the script; without, the first failure stops it (its message
 * names the line, in @d).
 * Return: 0; EXIT_LIB if an operation failed (its error in *@op_err if
 * not NULL); EXIT_USAGE for a script that cannot be read or parsed
 * (reported on stderr, naming the line).
 */
int script_run(const struct cmd *c, const char *path, struct s2_pgtable *pgt, bool print,
	       struct s2_diag *d, int *op_err);

#endif
