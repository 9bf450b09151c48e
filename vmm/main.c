/* SPDX-License-Identifier: MIT */
/* s2vmm: a kvmtool-class VMM for Linux KVM on arm64 with per-VM IPA sizing. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "caps.h"
#include "log.h"
#include "machine.h"
#include "opts.h"
#include "plan.h"

static struct vmm_plan plan;

/* Help written to stdout: a write that failed (a full disk, a closed
   pipe) is an error, not a silent exit 0. */
static int help_written(void)
{
	if (fflush(stdout) || ferror(stdout)) {
		pr_err("--help: cannot write to stdout: %s", strerror(errno));
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct vmm_config c;
	char err[512];
	int rc;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		vmm_opts_usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : help_written();
	}
	if (!strcmp(argv[1], "caps"))
		return vmm_caps_main(argc - 1, argv + 1);
	if (strcmp(argv[1], "run")) {
		pr_err("unknown command '%s': use run or caps (s2vmm --help)", argv[1]);
		return 2;
	}
	rc = vmm_opts_parse(argc - 1, argv + 1, &c, stdout, err, sizeof(err));
	if (rc == 1)
		return help_written();
	if (rc) {
		pr_err("%s", err);
		return 2;
	}
	vmm_loglevel = c.loglevel;
	rc = vmm_plan_inputs(&c, &plan);
	if (!rc && c.ipa_limit)
		rc = vmm_plan_output(&c, &plan);     /* planned for a given limit: no KVM */
	else if (!rc)
		rc = vmm_machine_run(&c, &plan);
	vmm_plan_free(&plan);
	return rc;
}
