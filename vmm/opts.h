/* SPDX-License-Identifier: MIT */
/* `s2vmm run` options: kvmtool's `lkvm run` where it has the same one. */
#ifndef VMM_OPTS_H
#define VMM_OPTS_H

#include <stdbool.h>
#include <stddef.h>

#include "layout.h"
#include "log.h"
#include "size.h"

enum vmm_console { VMM_CONSOLE_SERIAL, VMM_CONSOLE_VIRTIO };

struct vmm_config {
	struct vmm_bank_arg ram[VMM_MAX_BANKS];
	unsigned nr_ram;
	unsigned cpus;
	const char *kernel, *initrd, *params;
	enum vmm_console console;
	bool its;
	bool nodefaults;
	enum vmm_loglevel loglevel;
	const char *dtb_out;
	bool print_layout;
	unsigned ipa_bits;        /* 0: auto */
	enum vmm_layout_policy layout;
	bool virtio_legacy;
};

#define VMM_DEFAULT_RAM (256ULL << 20)

/*
 * vmm_opts_parse() - parse `run`'s arguments (argv[0] is "run").
 * Return: 0 to run, 1 when --help was printed to @help, -1 on bad input
 * with a message in @err naming the option, the value and what is valid.
 */
int vmm_opts_parse(int argc, char **argv, struct vmm_config *c, FILE *help,
		   char *err, size_t errlen);

void vmm_opts_usage(FILE *f);

#endif
