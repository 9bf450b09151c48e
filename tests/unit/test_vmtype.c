/* SPDX-License-Identifier: MIT */
/*
 * KVM_CREATE_VM machine type to IPA size, with Linux KVM's semantics
 * (Documentation/virt/kvm/api.rst, KVM_VM_TYPE_ARM_IPA_SIZE; measured on
 * Linux 6.12 under QEMU: type 0 and 32..52 accepted, 31 and 53 EINVAL):
 *   bits [7:0] are the IPA size, any other bit set is EINVAL;
 *   0 means 40 bits, EINVAL when the host limit is below 40;
 *   otherwise 32 <= N <= limit, else EINVAL.
 * Every type 0..255 and every single higher bit, against limits 32..52.
 */
#include "unit.h"
#include <s2/vmtype.h>

static void test_vm_type_low_byte(void **state)
{
	(void)state;
	for (unsigned limit = 32; limit <= 52; limit++)
	for (unsigned type = 0; type <= 255; type++) {
		struct s2_diag d = { "" };
		int want;

		if (type == 0)
			want = limit >= 40 ? 40 : S2_EINVAL;
		else
			want = type >= 32 && type <= limit ? (int)type : S2_EINVAL;

		CHECK_EQ(s2_vm_type_ipa_bits(type, limit, &d), want, "type %u limit %u", type, limit);
		CHECK_EQ(s2_vm_type_ipa_bits(type, limit, NULL), want, "type %u limit %u, no diag",
			 type, limit);
		if (want != S2_EINVAL)
			continue;
		/* The message names the value asked for and the host limit. */
		CHECK_MSG_DEC(d.msg, type == 0 ? 40 : type, "type %u limit %u", type, limit);
		CHECK_MSG_DEC(d.msg, limit, "type %u limit %u", type, limit);
	}
}

/* KVM_VM_TYPE_ARM_IPA_SIZE(n) is n in the low byte. */
static void test_vm_type_macro(void **state)
{
	(void)state;
	for (unsigned n = 0; n <= 255; n++)
		CHECK_EQ(S2_VM_TYPE_IPA(n), n, "n %u", n);
	CHECK_EQ(S2_VM_TYPE_IPA(0x1234), 0x34, "high bits dropped");
}

/* Any bit outside [7:0] is EINVAL, alone or next to a valid IPA size, and
   whatever the limit; the message gives the type in hex. */
static void test_vm_type_high_bits(void **state)
{
	(void)state;
	for (unsigned limit = 32; limit <= 52; limit++)
	for (unsigned bit = 8; bit <= 63; bit++) {
		const uint64_t types[] = {
			1ULL << bit,
			(1ULL << bit) | 40,
			(1ULL << bit) | limit,
			(1ULL << bit) | 0xff,
		};

		for (unsigned i = 0; i < ARRAY_LEN(types); i++) {
			struct s2_diag d = { "" };

			CHECK_EQ(s2_vm_type_ipa_bits(types[i], limit, &d), S2_EINVAL,
				 "type %#llx limit %u", (unsigned long long)types[i], limit);
			CHECK_MSG_HEX(d.msg, types[i], "type %#llx limit %u",
				      (unsigned long long)types[i], limit);
		}
	}
	for (unsigned limit = 32; limit <= 52; limit++) {
		struct s2_diag d = { "" };

		CHECK_EQ(s2_vm_type_ipa_bits(~0ULL, limit, &d), S2_EINVAL, "all ones, limit %u", limit);
		CHECK_EQ(s2_vm_type_ipa_bits(~0xffULL, limit, &d), S2_EINVAL, "~0xff, limit %u", limit);
	}
}

/* Linux KVM 6.12 (limit 52) and 6.1 (limit 48), as measured under QEMU. */
static void test_vm_type_kvm_measured(void **state)
{
	(void)state;
	CHECK_EQ(s2_vm_type_ipa_bits(0, 52, NULL), 40, "6.12 type 0");
	CHECK_EQ(s2_vm_type_ipa_bits(32, 52, NULL), 32, "6.12 type 32");
	CHECK_EQ(s2_vm_type_ipa_bits(52, 52, NULL), 52, "6.12 type 52");
	CHECK_EQ(s2_vm_type_ipa_bits(31, 52, NULL), S2_EINVAL, "6.12 type 31");
	CHECK_EQ(s2_vm_type_ipa_bits(53, 52, NULL), S2_EINVAL, "6.12 type 53");
	CHECK_EQ(s2_vm_type_ipa_bits(48, 48, NULL), 48, "6.1 type 48");
	CHECK_EQ(s2_vm_type_ipa_bits(49, 48, NULL), S2_EINVAL, "6.1 type 49");
}

/* A host limit no host has (KVM_CAP_ARM_VM_IPA_SIZE is a PARange size of
   32..52 bits) is refused for every type, naming the limit, rather than
   granting an IPA no geometry can hold. */
static void test_vm_type_bad_limit(void **state)
{
	static const unsigned limits[] = { 0, 1, 31, 53, 60, 64, 200, 0xffffffffu };
	static const uint64_t types[] = { 0, 32, 40, 52, 53, 60, 64, 200, 255 };

	(void)state;
	for (unsigned i = 0; i < ARRAY_LEN(limits); i++)
	for (unsigned t = 0; t < ARRAY_LEN(types); t++) {
		struct s2_diag d = { "" };

		CHECK_EQ(s2_vm_type_ipa_bits(types[t], limits[i], &d), S2_EINVAL,
			 "type %llu limit %u", (unsigned long long)types[t], limits[i]);
		CHECK_MSG_DEC(d.msg, limits[i], "type %llu limit %u",
			      (unsigned long long)types[t], limits[i]);
		CHECK_MSG_HAS(d.msg, "32..52", "type %llu limit %u",
			      (unsigned long long)types[t], limits[i]);
	}
}

static const struct CMUnitTest tests[] = {
	UNIT_TEST(test_vm_type_low_byte),
	UNIT_TEST(test_vm_type_macro),
	UNIT_TEST(test_vm_type_high_bits),
	UNIT_TEST(test_vm_type_kvm_measured),
	UNIT_TEST(test_vm_type_bad_limit),
};

UNIT_MAIN("vmtype", tests)
