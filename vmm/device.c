/* SPDX-License-Identifier: MIT */
/*
 * The linker collects every VMM_DEVICE_REGISTER() pointer into the
 * section "vmm_devices" and, because the name is a C identifier, defines
 * __start_vmm_devices and __stop_vmm_devices around it (GNU ld and lld).
 */
#include <stdlib.h>
#include <string.h>

#include "device.h"

extern const struct vmm_device *const __start_vmm_devices[] __attribute__((weak));
extern const struct vmm_device *const __stop_vmm_devices[] __attribute__((weak));

#define VMM_MAX_DEVICE_TYPES 32

static const struct vmm_device *sorted[VMM_MAX_DEVICE_TYPES];
static unsigned nr_sorted;
static bool built;

static int by_name(const void *a, const void *b)
{
	const struct vmm_device *const *x = a, *const *y = b;

	return strcmp((*x)->name, (*y)->name);
}

const struct vmm_device *const *vmm_devices(unsigned *n)
{
	if (!built) {
		for (const struct vmm_device *const *p = __start_vmm_devices;
		     p && p < __stop_vmm_devices && nr_sorted < VMM_MAX_DEVICE_TYPES; p++)
			sorted[nr_sorted++] = *p;
		qsort(sorted, nr_sorted, sizeof(sorted[0]), by_name);
		built = true;
	}
	*n = nr_sorted;
	return sorted;
}

const struct vmm_device *vmm_device_find(const char *name)
{
	unsigned n;
	const struct vmm_device *const *t = vmm_devices(&n);

	for (unsigned i = 0; i < n; i++)
		if (!strcmp(t[i]->name, name))
			return t[i];
	return NULL;
}

static const struct vmm_device *platform[VMM_MAX_DEVICE_TYPES];
static unsigned nr_platform;
static bool platform_built;

static int by_order(const void *a, const void *b)
{
	const struct vmm_device *const *x = a, *const *y = b;

	if ((*x)->order != (*y)->order)
		return (*x)->order < (*y)->order ? -1 : 1;
	return strcmp((*x)->name, (*y)->name);
}

const struct vmm_device *const *vmm_platform_devices(unsigned *n)
{
	if (!platform_built) {
		unsigned nt;
		const struct vmm_device *const *t = vmm_devices(&nt);

		for (unsigned i = 0; i < nt; i++)
			if (t[i]->kind == VMM_DEV_PLATFORM)
				platform[nr_platform++] = t[i];
		qsort(platform, nr_platform, sizeof(platform[0]), by_order);
		platform_built = true;
	}
	*n = nr_platform;
	return platform;
}
