/* SPDX-License-Identifier: MIT */
#include "host.h"
#include "printf.h"
#include "stage2.h"
#include "sysreg.h"

struct s2_id_regs host_regs;
struct s2_host_caps host_caps;
static struct s2_host hosts[3];
static bool host_ok[3];

static const enum s2_granule granules[3] = { S2_GRANULE_4K, S2_GRANULE_16K, S2_GRANULE_64K };

int host_init(void)
{
	struct s2_diag d;
	int err;

	host_regs.mmfr0 = read_sysreg(id_aa64mmfr0_el1);
	host_regs.mmfr1 = read_sysreg(id_aa64mmfr1_el1);
	host_regs.mmfr2 = read_sysreg(id_aa64mmfr2_el1);
	printf("host: ID_AA64MMFR0_EL1=%#018llx MMFR1=%#018llx MMFR2=%#018llx\n",
	       (unsigned long long)host_regs.mmfr0, (unsigned long long)host_regs.mmfr1,
	       (unsigned long long)host_regs.mmfr2);
	err = s2_host_caps_decode(&host_regs, &host_caps, &d);
	if (err) {
		printf("host: %s\n", d.msg);
		return err;
	}
	printf("host: PARange %u bits, FEAT_LPA %s, LPA2 at stage 2 %s, %u-bit VMIDs, HA %s, HD %s, TTL %s, BBM level %u\n",
	       host_caps.pa_bits, host_caps.lpa ? "yes" : "no", host_caps.lpa2 ? "yes" : "no",
	       host_caps.vmid_bits, host_caps.ha ? "yes" : "no", host_caps.hd ? "yes" : "no",
	       host_caps.ttl ? "yes" : "no", host_caps.bbm);
	hyp_feat.vmid_bits = host_caps.vmid_bits;
	hyp_feat.ttl = host_caps.ttl;
	hyp_feat.lpa2 = host_caps.lpa2;

	for (unsigned i = 0; i < 3; i++) {
		struct s2_host_config cfg = {
			.granule = granules[i],
			.lpa2 = true,
			.policy = S2_POLICY_INDEPENDENT,
		};
		err = s2_host_init(&hosts[i], &host_caps, &cfg, &d);
		host_ok[i] = err == 0;
		if (err)
			printf("host: %-3s granule: %s\n", s2_granule_name(granules[i]), d.msg);
		else
			printf("host: %-3s granule: IPA limit %u bits (KVM_CAP_ARM_VM_IPA_SIZE), VTCR.PS %u bits%s\n",
			       s2_granule_name(granules[i]), hosts[i].ipa_limit, hosts[i].ps_bits,
			       hosts[i].ds ? ", LPA2 (VTCR.DS=1)" :
			       granules[i] == S2_GRANULE_64K && host_caps.lpa ? ", FEAT_LPA" : "");
	}
	return 0;
}

const struct s2_host *host_for(enum s2_granule g)
{
	unsigned i = s2_gran_index(g);

	return host_ok[i] ? &hosts[i] : NULL;
}
