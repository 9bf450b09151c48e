/* SPDX-License-Identifier: MIT */
/* Unhandled MMIO reports: once per address, bounded, every one in debug. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "unhandled.h"

static void counts(struct vmm_unhandled *u, uint64_t addr, unsigned times, unsigned out[3])
{
	for (unsigned i = 0; i < times; i++)
		out[vmm_unhandled_note(u, addr)]++;
}

static void once_per_address(void **s)
{
	struct vmm_unhandled u;
	unsigned c[3] = { 0 };

	(void)s;
	vmm_unhandled_init(&u, false);
	counts(&u, 0xa000008, 1000, c);
	assert_int_equal(c[VMM_UNHANDLED_REPORT], 1);
	assert_int_equal(c[VMM_UNHANDLED_QUIET], 999);
	counts(&u, 0xa00000c, 3, c);     /* a new address is reported */
	assert_int_equal(c[VMM_UNHANDLED_REPORT], 2);
	assert_int_equal(c[VMM_UNHANDLED_LAST], 0);
}

static void bounded(void **s)
{
	struct vmm_unhandled u;
	unsigned c[3] = { 0 };

	(void)s;
	vmm_unhandled_init(&u, false);
	for (int round = 0; round < 3; round++)
		for (uint64_t a = 0; a < 1000; a++)
			counts(&u, 0x10000000 + 4 * a, 1, c);
	assert_int_equal(c[VMM_UNHANDLED_REPORT], VMM_UNHANDLED_MAX);
	assert_int_equal(c[VMM_UNHANDLED_LAST], 1);
	assert_int_equal(c[VMM_UNHANDLED_QUIET], 3000 - VMM_UNHANDLED_MAX - 1);
}

static void debug_reports_all(void **s)
{
	struct vmm_unhandled u;
	unsigned c[3] = { 0 };

	(void)s;
	vmm_unhandled_init(&u, true);
	counts(&u, 0xa000008, 1000, c);
	for (uint64_t a = 0; a < 200; a++)
		counts(&u, 4 * a, 1, c);
	assert_int_equal(c[VMM_UNHANDLED_REPORT], 1200);
}

static struct vmm_unhandled shared;
static unsigned reports[8];

static void *hammer(void *arg)
{
	unsigned id = (unsigned)(uintptr_t)arg;

	for (unsigned i = 0; i < 20000; i++)
		if (vmm_unhandled_note(&shared, 0x1000 + 8 * (i % 16)) != VMM_UNHANDLED_QUIET)
			reports[id]++;
	return NULL;
}

/* vCPU threads race on the same addresses: still one report each. */
static void threads_report_once(void **s)
{
	pthread_t t[8];
	unsigned total = 0;

	(void)s;
	vmm_unhandled_init(&shared, false);
	for (unsigned i = 0; i < 8; i++)
		assert_int_equal(pthread_create(&t[i], NULL, hammer, (void *)(uintptr_t)i), 0);
	for (unsigned i = 0; i < 8; i++) {
		pthread_join(t[i], NULL);
		total += reports[i];
	}
	assert_int_equal(total, 16);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(once_per_address),
		cmocka_unit_test(bounded),
		cmocka_unit_test(debug_reports_all),
		cmocka_unit_test(threads_report_once),
	};
	return cmocka_run_group_tests_name("s2vmm unhandled MMIO", tests, NULL, NULL);
}
