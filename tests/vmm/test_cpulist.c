/* SPDX-License-Identifier: MIT */
/* --vcpu-affinity lists: Linux's cpulist syntax, and back. */
#include "unit.h"

#include "cpulist.h"

static void round_trip(void **s)
{
	static const struct { const char *in, *out; int count; } c[] = {
		{ "0", "0", 1 }, { "3", "3", 1 }, { "0-3", "0-3", 4 }, { "0,2,4", "0,2,4", 3 },
		{ "1-2,2-3", "1-3", 3 }, { "5,0-1", "0-1,5", 3 }, { "1023", "1023", 1 },
		{ "0-1023", "0-1023", 1024 },
	};
	char buf[128], err[128];
	cpu_set_t set;

	(void)s;
	for (unsigned i = 0; i < ARRAY_LEN(c); i++) {
		assert_int_equal(vmm_cpulist_parse(c[i].in, &set, err, sizeof(err)), 0);
		assert_int_equal(CPU_COUNT(&set), c[i].count);
		assert_string_equal(vmm_cpulist_fmt(&set, buf, sizeof(buf)), c[i].out);
	}
}

static void refusals(void **s)
{
	static const struct { const char *in, *msg; } c[] = {
		{ "", "'' is not a CPU list (like 0-3,6)" },
		{ "a", "'a' is not a CPU list (like 0-3,6)" },
		{ "1,", "'1,' is not a CPU list (like 0-3,6)" },
		{ ",1", "',1' is not a CPU list (like 0-3,6)" },
		{ "1-", "'1-' is not a CPU list (like 0-3,6)" },
		{ "-1", "'-1' is not a CPU list (like 0-3,6)" },
		{ "1 2", "'1 2' is not a CPU list (like 0-3,6)" },
		{ "0-3:2", "'0-3:2' is not a CPU list (like 0-3,6)" },
		{ "3-1", "'3-1': range 3-1 ends before it starts" },
		{ "1024", "'1024': CPU numbers go up to 1023" },
		{ "0-99999999999999999999", "'0-99999999999999999999': CPU numbers go up to 1023" },
	};
	char err[128];
	cpu_set_t set;

	(void)s;
	for (unsigned i = 0; i < ARRAY_LEN(c); i++) {
		assert_int_equal(vmm_cpulist_parse(c[i].in, &set, err, sizeof(err)), -1);
		assert_string_equal(err, c[i].msg);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip),
		cmocka_unit_test(refusals),
	};
	return cmocka_run_group_tests_name("s2vmm cpu lists", tests, NULL, NULL);
}
