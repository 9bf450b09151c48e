/* SPDX-License-Identifier: MIT */
/* s2ctl run: apply a script of table operations to one VM's stage 2. */
#include "s2ctl.h"
#include "script.h"
#include "table.h"

static const char usage[] =
	"usage: s2ctl run [table options] SCRIPT|-\n"
	"Build a VM's stage-2 tables on the host by applying SCRIPT (- for stdin),\n"
	"printing one JSON line per operation: {\"op\":\"map\",\"rc\":0}, or\n"
	"{\"op\":\"map\",\"error\":\"ERANGE\",\"message\":\"...\",\"line\":N}; translate prints\n"
	"{\"op\":\"translate\",\"ipa\":\"0x...\",\"pa\":\"0x...\",\"prot\":\"rw\",\"level\":3,...}\n"
	"or {\"op\":\"translate\",\"ipa\":\"0x...\",\"fault\":\"translation\",\"level\":L}.\n"
	"Exit 1 if an operation failed (the script goes on), 2 for a script line\n"
	"that does not parse (the script stops; the message names the line).\n\n"
	TABLE_USAGE "\n" SCRIPT_SYNTAX;

int cmd_run(int argc, char **argv)
{
	static const struct option lo[] = { COMMON_LONGOPTS, TABLE_LONGOPTS, { 0 } };
	struct cmd c = { "run", usage, false };
	struct s2_diag d = { "" };
	struct tableopt o;
	struct table t;
	int rc;

	tableopt_init(&o);
	rc = parse_opts(&c, argc, argv, lo, tableopt_handle, &o);
	if (rc)
		return rc < 0 ? 0 : rc;
	if (argc - optind < 1)
		return usage_error(&c, "missing SCRIPT (a file, or - for stdin)");
	if ((rc = expect_args(&c, argc, argv, 1)))
		return rc;
	/* Output is JSON lines whatever --json says. */
	c.json = true;
	if ((rc = table_open(&t, &c, &o)))
		return rc;
	rc = script_run(&c, argv[optind], &t.pgt, true, &d, NULL);
	table_close(&t);
	return rc;
}
