/* SPDX-License-Identifier: MIT */
/* s2ctl: the command-line tool over libs2. Dispatches to one file per
   subcommand. */
#include <errno.h>
#include <string.h>

#include "s2ctl.h"

#define S2CTL_VERSION "0.1"

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *what;
} cmds[] = {
	{ "limits", cmd_limits, "host capability and the IPA limit (KVM_CAP_ARM_VM_IPA_SIZE)" },
	{ "vm-type", cmd_vm_type, "KVM_CREATE_VM type to IPA size" },
	{ "geometry", cmd_geometry, "stage-2 table geometry and VTCR_EL2 of a VM" },
	{ "vtcr", cmd_vtcr, "decode or encode VTCR_EL2" },
	{ "vttbr", cmd_vttbr, "encode VTTBR_EL2 from a root PA and VMID" },
	{ "matrix", cmd_matrix, "which IPA sizes each host type allows under a policy" },
	{ "decode", cmd_decode, "decode PAR_EL1, HPFAR_EL2, ESR_EL2, GIC ITS/redistributor bases" },
	{ "virtio-limit", cmd_virtio_limit, "legacy virtio queue-PFN address limit" },
	{ "run", cmd_run, "apply a script of stage-2 table operations (JSON lines)" },
	{ "image", cmd_image, "build stage-2 tables from a script into a loadable image" },
};
#define N_CMDS (sizeof(cmds) / sizeof(cmds[0]))

static void usage(FILE *f)
{
	fprintf(f, "usage: s2ctl COMMAND [OPTIONS]   (s2ctl COMMAND --help for details)\n"
		   "Per-VM IPA sizing and stage-2 translation for arm64 (libs2).\n\n");
	for (unsigned i = 0; i < N_CMDS; i++)
		fprintf(f, "  %-13s %s\n", cmds[i].name, cmds[i].what);
	fprintf(f, "\n  s2ctl help COMMAND   that command's options;  s2ctl --version\n"
		   "\nEvery command takes --json. Numbers are decimal or 0x-hex; sizes and\n"
		   "addresses also take a K/M/G/T/P suffix.\n"
		   "Exit status: 0 ok, 1 the request is impossible (library error), "
		   "2 bad command line (with --json also an\n"
		   "{\"error\": \"EINVAL\", \"usage\": true, \"message\": ...} line on stdout).\n");
}

/* Output that never reached its file is a failure, whatever the command
   said: flush stdout and look. */
static int finish(int rc)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "s2ctl: cannot write standard output: %s\n", strerror(errno));
		return rc ? rc : EXIT_LIB;
	}
	return rc;
}

static int dispatch(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--version")) {
		/* Trailing words are a mistake, not something to ignore. */
		if (argc > 2) {
			char msg[160];

			snprintf(msg, sizeof(msg), "unexpected argument '%s' (--version takes none)",
				 argv[2]);
			fprintf(stderr, "s2ctl: %s\n", msg);
			if (json_in_argv(argc, argv, NULL))
				json_usage(msg);
			return EXIT_USAGE;
		}
		printf("s2ctl (s2kit) " S2CTL_VERSION "\n");
		return 0;
	}
	/* help CMD: that command's --help. */
	if (!strcmp(argv[1], "help") && argc > 2) {
		char *help[] = { argv[2], "--help", NULL };
		if (argc > 3) {
			fprintf(stderr, "s2ctl help: one command at a time (got '%s')\n", argv[3]);
			return EXIT_USAGE;
		}
		for (unsigned i = 0; i < N_CMDS; i++)
			if (!strcmp(argv[2], cmds[i].name))
				return cmds[i].fn(2, help);
	} else if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
		   !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	} else {
		json_hint = json_in_argv(argc, argv, NULL);
		for (unsigned i = 0; i < N_CMDS; i++)
			if (!strcmp(argv[1], cmds[i].name))
				return cmds[i].fn(argc - 1, argv + 1);
	}

	fprintf(stderr, "s2ctl: unknown command '%s'; commands are:", argv[argc > 2 &&
		!strcmp(argv[1], "help") ? 2 : 1]);
	for (unsigned i = 0; i < N_CMDS; i++)
		fprintf(stderr, " %s", cmds[i].name);
	fprintf(stderr, "\nTry 's2ctl --help'.\n");
	if (json_hint) {
		char msg[160];

		snprintf(msg, sizeof(msg), "unknown command '%s'", argv[argc > 2 &&
			 !strcmp(argv[1], "help") ? 2 : 1]);
		json_usage(msg);
	}
	return EXIT_USAGE;
}

int main(int argc, char **argv)
{
	return finish(dispatch(argc, argv));
}
