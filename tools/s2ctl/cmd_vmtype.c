/* SPDX-License-Identifier: MIT */
/* s2ctl vm-type: a KVM_CREATE_VM machine type to the IPA size, with KVM's
   rules, on a given host. */
#include "s2ctl.h"

#include <s2/vmtype.h>

static const char usage[] =
	"usage: s2ctl vm-type TYPE [host options] [--json]\n"
	"The IPA size KVM_CREATE_VM gives a VM of machine type TYPE (bits [7:0]: IPA\n"
	"bits, 0 = 40; no other bit may be set) on the host below. Prints\n"
	"{\"ipa_bits\": N}, or exits 1 with {\"error\": ..., \"message\": ...}.\n"
	"Without a CPU option the host is a model 52-bit CPU (--pa-bits 52).\n\n"
	HOST_USAGE;

int cmd_vm_type(int argc, char **argv)
{
	static const struct option lo[] = { COMMON_LONGOPTS, HOST_LONGOPTS, { 0 } };
	struct cmd c = { "vm-type", usage, false };
	struct s2_diag d = { "" };
	struct hostopt o;
	struct s2_host h;
	uint64_t type;
	int rc, bits;

	hostopt_init(&o);
	rc = parse_opts(&c, argc, argv, lo, hostopt_handle, &o);
	if (rc)
		return rc < 0 ? 0 : rc;
	if (argc - optind < 1)
		return usage_error(&c, "missing TYPE (the KVM_CREATE_VM argument, e.g. 0 or 48)");
	if ((rc = expect_args(&c, argc, argv, 1)) ||
	    (rc = num_opt_u64(&c, "TYPE", argv[optind], &type)) ||
	    (rc = hostopt_finish(&o, &c, false)) || (rc = hostopt_resolve(&o, &c, &h)))
		return rc;

	bits = s2_vm_type_ipa_bits(type, h.ipa_limit, &d);
	if (bits < 0)
		return lib_error(&c, bits, &d);
	if (c.json) {
		struct json j;
		j_begin(&j, stdout);
		j_int(&j, "ipa_bits", bits);
		j_end(&j);
	} else {
		printf("VM type %#llx: %d-bit IPA (host limit %u bits)\n",
		       (unsigned long long)type, bits, h.ipa_limit);
	}
	return 0;
}
