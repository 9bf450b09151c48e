/* SPDX-License-Identifier: MIT */
/*
 * A vector whose message is masked (its own Mask bit or the function's
 * Function Mask) is not sent: its pending bit is set, and the message is
 * sent when the mask clears (PCI Local Bus 3.0, 6.8.2.9 and 6.8.2.10).
 * The requester ID (bus 0, the device number, function 0) is the ITS
 * device ID, as the host bridge's msi-map says.
 */
#include <string.h>
#include <linux/pci_regs.h>

#include "log.h"
#include "msix.h"

#define CAP_LEN 12

static uint16_t control(const struct vmm_msix *m)
{
	return (uint16_t)(m->f->cfg[m->cap + PCI_MSIX_FLAGS] |
			  m->f->cfg[m->cap + PCI_MSIX_FLAGS + 1] << 8);
}

int vmm_msix_init(struct vmm_msix *m, struct vmm_vm *vm, struct vmm_pci_fn *f, unsigned bar,
		  unsigned nr)
{
	uint8_t body[CAP_LEN] = { 0 };
	uint32_t table = bar, pba = VMM_MSIX_PBA_OFF | bar;

	memset(m, 0, sizeof(*m));
	if (!nr || nr > VMM_MSIX_MAX || bar >= VMM_PCI_BARS)
		return -1;
	body[PCI_MSIX_FLAGS] = (uint8_t)(nr - 1);      /* Table Size, N - 1 */
	memcpy(body + PCI_MSIX_TABLE, &table, 4);
	memcpy(body + PCI_MSIX_PBA, &pba, 4);
	m->cap = vmm_pci_add_cap(f, PCI_CAP_ID_MSIX, body, CAP_LEN);
	if (!m->cap)
		return -1;
	/* Only MSI-X Enable and Function Mask are writable. */
	f->wmask[m->cap + PCI_MSIX_FLAGS + 1] = (PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL) >> 8;
	m->vm = vm;
	m->f = f;
	m->nr = nr;
	for (unsigned i = 0; i < nr; i++)
		m->table[i][3] = PCI_MSIX_ENTRY_CTRL_MASKBIT;
	return 0;
}

bool vmm_msix_enabled(const struct vmm_msix *m)
{
	return m->f && (control(m) & PCI_MSIX_FLAGS_ENABLE);
}

static bool masked(const struct vmm_msix *m, unsigned v)
{
	return (control(m) & PCI_MSIX_FLAGS_MASKALL) ||
	       (m->table[v][3] & PCI_MSIX_ENTRY_CTRL_MASKBIT);
}

static void send(struct vmm_msix *m, unsigned v)
{
	uint64_t addr = m->table[v][0] | (uint64_t)m->table[v][1] << 32;
	uint32_t devid = m->f->dev << 3;
	int rc = vmm_msi_send(m->vm, addr, m->table[v][2], devid);

	if (rc < 0)
		pr_warn("MSI-X vector %u of PCI 00:%02x.0 to %#llx (data %#x, device ID %#x): KVM_SIGNAL_MSI: %s",
			v, m->f->dev, (unsigned long long)addr, m->table[v][2], devid, strerror(-rc));
}

void vmm_msix_signal(struct vmm_msix *m, unsigned v)
{
	if (v >= m->nr || !vmm_msix_enabled(m))
		return;
	if (masked(m, v)) {
		m->pba |= 1ULL << v;
		return;
	}
	send(m, v);
}

static void release(struct vmm_msix *m)
{
	if (!vmm_msix_enabled(m))
		return;
	for (unsigned v = 0; v < m->nr; v++)
		if ((m->pba & (1ULL << v)) && !masked(m, v)) {
			m->pba &= ~(1ULL << v);
			send(m, v);
		}
}

void vmm_msix_bar_access(struct vmm_msix *m, uint64_t off, uint8_t *data, unsigned len,
			 bool write)
{
	/* Table and PBA take aligned dword and qword accesses (6.8.2). */
	bool ok = (len == 4 || len == 8) && !(off & (len - 1));
	uint8_t *p = NULL;

	if (ok && off + len <= m->nr * PCI_MSIX_ENTRY_SIZE)
		p = (uint8_t *)m->table + off;
	else if (ok && off >= VMM_MSIX_PBA_OFF && off + len <= VMM_MSIX_PBA_OFF + 8)
		p = (uint8_t *)&m->pba + (off - VMM_MSIX_PBA_OFF);
	if (!write) {
		if (p)
			memcpy(data, p, len);
		else
			memset(data, 0, len);
		return;
	}
	/* The PBA is read-only; writes elsewhere are dropped. */
	if (!p || p >= (uint8_t *)&m->pba)
		return;
	memcpy(p, data, len);
	release(m);
}

void vmm_msix_cap_written(struct vmm_msix *m)
{
	release(m);
}
