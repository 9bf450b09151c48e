/* SPDX-License-Identifier: MIT */
/* `s2vmm run` options: kvmtool's `lkvm run` where it has the same one. */
#ifndef VMM_OPTS_H
#define VMM_OPTS_H

#include <sched.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <limits.h>

#include "layout.h"
#include "log.h"
#include "size.h"
#include "virtio_blk.h"

enum vmm_console { VMM_CONSOLE_SERIAL, VMM_CONSOLE_VIRTIO };
/* AUTO is kvmtool's default: gicv3-its when KVM offers an ITS. */
enum vmm_irqchip { VMM_IRQCHIP_AUTO, VMM_IRQCHIP_GICV3, VMM_IRQCHIP_GICV3_ITS };

struct vmm_config {
	struct vmm_bank_arg ram[VMM_MAX_BANKS];
	unsigned nr_ram;
	unsigned cpus;            /* 0: kvmtool's choice, the online host CPUs */
	const char *kernel, *initrd, *params;
	enum vmm_console console;
	enum vmm_irqchip irqchip;
	bool nodefaults;
	enum vmm_loglevel loglevel;
	const char *dtb_out;
	bool print_layout;
	unsigned ipa_bits;        /* 0: auto */
	unsigned ipa_limit;       /* --ipa-limit: plan for it without KVM; 0: ask KVM */
	enum vmm_layout_policy layout;
	bool virtio_legacy;       /* --virtio-transport *-legacy */
	bool virtio_mmio;         /* --virtio-transport mmio*: else PCI (kvmtool's default) */
	struct vmm_disk_arg disks[VMM_MAX_DISKS];   /* -d/--disk FILE[,ro] */
	char disk_path[VMM_MAX_DISKS][PATH_MAX];     /* their file names */
	unsigned nr_disks;
	bool rng;                 /* --rng */
	/* vCPU features, kvmtool's arm64 options */
	bool pmu;                 /* --pmu: PMUv3, overflow interrupt on PPI 23 */
	bool disable_mte;         /* --disable-mte: no MTE even when KVM offers it */
	bool no_pvtime;           /* --no-pvtime: no stolen-time structures */
	unsigned sve_max_vl;      /* --sve-max-vl in bits; 0: KVM's largest */
	uint64_t kaslr_seed;      /* /chosen/kaslr-seed */
	bool has_affinity;        /* --vcpu-affinity given */
	cpu_set_t affinity;
	bool debug_mmio;          /* report every access no device claims */
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

/*
 * vmm_caps_opts_parse() - `caps`'s arguments (argv[0] is "caps"):
 * --json (into @json) and --help.
 * Return: 0, 1 for --help, -1 on an unknown option or any other
 * argument, with a message in @err naming it.
 */
int vmm_caps_opts_parse(int argc, char **argv, bool *json, char *err, size_t errlen);

#endif
