/* SPDX-License-Identifier: MIT */
/*
 * The limit is read from KVM_CAP_ARM_VM_IPA_SIZE and then tried: a VM of
 * exactly the limit must be created and one bit more refused, so the
 * report shows what KVM does, not only what it says.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <s2/host.h>
#include <s2/vmtype.h>

#include "caps.h"
#include "kvm.h"
#include "layout.h"
#include "log.h"
#include "opts.h"
#include "vcpu_features.h"

static enum s2_granule host_granule(void)
{
	long p = sysconf(_SC_PAGESIZE);

	return p == 65536 ? S2_GRANULE_64K : p == 16384 ? S2_GRANULE_16K : S2_GRANULE_4K;
}

static uint64_t max_ram(enum vmm_layout_policy p, unsigned limit)
{
	struct vmm_layout_req r = { .cpus = 1, .policy = p, .ipa_limit = limit };

	return vmm_layout_max_ram(&r);
}

int vmm_caps_main(int argc, char **argv)
{
	static const enum vmm_layout_policy pols[] = { VMM_LAYOUT_LOW, VMM_LAYOUT_HIGH, VMM_LAYOUT_SPLIT };
	enum s2_granule g = host_granule();
	struct vmm_kvm k;
	bool json = false;
	int o, rc, at_limit, above = -EINVAL;
	struct vmm_config none;
	struct vmm_features f;
	bool has_its, has_pmu;
	char sz[32], err[160];

	o = vmm_caps_opts_parse(argc, argv, &json, err, sizeof(err));
	if (o < 0) {
		pr_err("%s", err);
		return 2;
	}
	if (o) {
		printf("usage: s2vmm caps [--json]\n"
		       "KVM API version, IPA limit (KVM_CAP_ARM_VM_IPA_SIZE), the largest RAM\n"
		       "each --layout can hold, and stage-2 levels per IPA size.\n");
		return 0;
	}
	rc = vmm_kvm_open(&k);
	if (rc)
		return 1;      /* the failing call is named */
	has_its = vmm_kvm_has_device(&k, KVM_DEV_TYPE_ARM_VGIC_ITS);
	has_pmu = vmm_kvm_cap(&k, KVM_CAP_ARM_PMU_V3) > 0;
	memset(&none, 0, sizeof(none));
	vmm_features_resolve(&k, &none, &f, sz, sizeof(sz));
	at_limit = vmm_kvm_probe_type(&k, k.has_ipa_cap ? S2_VM_TYPE_IPA(k.ipa_limit) : 0);
	if (k.has_ipa_cap && k.ipa_limit < 52)
		above = vmm_kvm_probe_type(&k, S2_VM_TYPE_IPA(k.ipa_limit + 1));
	if (json) {
		printf("{\"api_version\": %d, \"ipa_cap\": %s, \"ipa_limit\": %u, \"ipa_min\": %u, "
		       "\"ipa_default\": %u, \"page_size\": \"%s\", \"vm_at_limit\": %s, "
		       "\"vm_above_limit_refused\": %s, \"max_ram\": {",
		       k.api_version, k.has_ipa_cap ? "true" : "false", k.ipa_limit, S2_IPA_MIN,
		       S2_IPA_DEFAULT, s2_granule_name(g), at_limit ? "false" : "true",
		       above ? "true" : "false");
		for (unsigned i = 0; i < 3; i++)
			printf("%s\"%s\": %" PRIu64, i ? ", " : "", vmm_layout_name(pols[i]),
			       max_ram(pols[i], k.ipa_limit));
		printf("}, \"features\": {\"sve\": %s, \"ptrauth\": %s, \"mte\": %s, \"pmu\": %s, "
		       "\"pvtime\": %s, \"its\": %s}", f.sve ? "true" : "false",
		       f.ptrauth ? "true" : "false", f.mte ? "true" : "false", has_pmu ? "true" : "false",
		       f.pvtime ? "true" : "false", has_its ? "true" : "false");
		printf(", \"stage2_levels\": {");
		for (unsigned n = S2_IPA_MIN; n <= k.ipa_limit; n++)
			printf("%s\"%u\": %u", n > S2_IPA_MIN ? ", " : "", n, s2_stage2_levels(g, n));
		printf("}}\n");
	} else {
		printf("KVM API version:      %d\n", k.api_version);
		if (k.has_ipa_cap)
			printf("IPA limit:            %u bits (KVM_CAP_ARM_VM_IPA_SIZE); VM types %u..%u\n",
			       k.ipa_limit, S2_IPA_MIN, k.ipa_limit);
		else
			printf("IPA limit:            none reported (no KVM_CAP_ARM_VM_IPA_SIZE): type 0, %u bits\n",
			       S2_IPA_DEFAULT);
		printf("VM at the limit:      %s\n", at_limit ? strerror(-at_limit) : "created");
		if (k.has_ipa_cap && k.ipa_limit < 52)
			printf("VM one bit above:     %s\n", above ? "refused" : "created (unexpected)");
		printf("host page size:       %s\n", s2_granule_name(g));
		for (unsigned i = 0; i < 3; i++)
			printf("largest RAM, --layout %-5s %s\n", vmm_layout_name(pols[i]),
			       vmm_fmt_size(max_ram(pols[i], k.ipa_limit), sz, sizeof(sz)));
		printf("vCPU features:        SVE %s, pointer authentication %s, MTE %s, PMUv3 %s, stolen time %s\n",
		       f.sve ? "yes" : "no", f.ptrauth ? "yes" : "no", f.mte ? "yes" : "no",
		       has_pmu ? "yes" : "no", f.pvtime ? "yes" : "no");
		printf("GIC ITS:              %s\n", has_its ? "yes" : "no");
		printf("stage-2 levels:      ");
		for (unsigned n = S2_IPA_MIN; n <= k.ipa_limit; n += 4)
			printf(" %u bits: %u;", n, s2_stage2_levels(g, n));
		printf("\n");
	}
	vmm_kvm_close(&k);
	return 0;
}
