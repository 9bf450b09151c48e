/* SPDX-License-Identifier: MIT */
/*
 * badinput-gen S2VMM CASES SEED: random command lines and files for
 * `s2vmm run`, each run in its own process under a time limit.
 *
 * S2VMM is the sanitized host build (no KVM: valid input that would run
 * a VM exits 1 at the open). Every run must end by itself within the
 * limit, with exit 0, 1 or 2, no sanitizer report, and:
 *   - exit 2 prints an "s2vmm: error:" line and writes no --dtb-out;
 *   - exit 0 needs --ipa-limit or --help (only they stop before KVM);
 *   - a number option whose text breaks the grammar (decimal or 0x
 *     hex digits, nothing else; kvmtool's K/M/G/T/P suffix for sizes)
 *     or whose value is out of range is refused: the grammar is written
 *     out again here, apart from the parser under test.
 * Files: a FIFO, a directory, devices, an empty file, a sparse 4 GiB
 * file, and arm64 Image headers with random text_offset and image_size.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_ARGS 48
#define TIMEOUT_S 20

static uint64_t rng;
static char dir[64];

static uint64_t rnd(void)
{
	/* xorshift64*: reproducible from the seed on any host. */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ULL;
}

static unsigned pick(unsigned n)
{
	return (unsigned)(rnd() % n);
}

#define ONE_OF(a) ((a)[pick(sizeof(a) / sizeof((a)[0]))])
/* One of the first @nvalid words of @a, or any when the case is messy. */
#define WORD(a, nvalid) ((char *)(a)[pick(mess ? sizeof(a) / sizeof((a)[0]) : (nvalid))])

/* Argument strings live until the case ends. */
static char pool[1 << 20];
static size_t pool_used;

static char *keep(const char *s, size_t n)
{
	char *p;

	if (pool_used + n + 1 > sizeof(pool))
		return (char *)"";
	p = pool + pool_used;
	memcpy(p, s, n);
	p[n] = 0;
	pool_used += n + 1;
	return p;
}

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, f);
	n = vsnprintf(buf, sizeof(buf), f, ap);
	va_end(ap);
	return keep(buf, n < 0 ? 0 : (size_t)n >= sizeof(buf) ? sizeof(buf) - 1 : (size_t)n);
}

/* A number as a user might type it, or mistype it. */
static char *number(void)
{
	static const char *const odd[] = {
		"", " ", "+1", "-1", " 1", "1 ", "\t2", "0x", "0x-1", "0X10", "0x+4", "1e3",
		"٣", "0b101", "00", "0x0", "18446744073709551615", "18446744073709551616",
		"0xffffffffffffffff", "0x10000000000000000", "4294967296", "4294967336",
		"99999999999999999999999", "--", "1.5", "０",
	};
	static const char *const sfx[] = { "", "", "K", "M", "G", "T", "P", "k", "m", "g", "X", "MB", "@" };
	switch (pick(6)) {
	case 0: return (char *)ONE_OF(odd);
	case 1: return fmt("%u", pick(80));
	case 2: return fmt("0x%x", pick(0x100));
	case 3: return fmt("%llu%s", (unsigned long long)(rnd() >> pick(64)), ONE_OF(sfx));
	case 4: return fmt("0x%llx%s", (unsigned long long)(rnd() >> pick(64)), pick(4) ? "" : ONE_OF(sfx));
	default: return fmt("%s%u%s", pick(2) ? "" : ONE_OF(odd), pick(5000), ONE_OF(sfx));
	}
}

/* Half the cases are messy; in the others every value is well formed,
   so they reach the layout, the files and the device tree. */
static bool mess;

static char *bank(void)
{
	if (!mess)
		return pick(2) ? fmt("%u%s", 1u << pick(11), pick(4) ? "M" : "G") :
			fmt("%uM@0x%llx", 16u << pick(6), (unsigned long long)(rnd() >> (12 + pick(52))) & ~0xffffULL);
	switch (pick(4)) {
	case 0: return number();
	case 1: return fmt("%s@%s", number(), number());
	case 2: return fmt("%uM@0x%llx", 16u << pick(8), (unsigned long long)(rnd() >> pick(64)) & ~0xffffULL);
	default: return fmt("%u%s", 1u << pick(12), pick(2) ? "M" : "G");
	}
}

static char *text(void)
{
	size_t n = !mess || pick(4) ? pick(64) : pick(3) ? 2000 + pick(100) : 100000;
	char *s = pool_used + n + 1 <= sizeof(pool) ? pool + pool_used : NULL;

	if (!s)
		return (char *)"";
	for (size_t i = 0; i < n; i++) {
		unsigned c = !mess || pick(4) ? 'a' + pick(26) : 1 + pick(255);
		s[i] = (char)c;
	}
	s[n] = 0;
	pool_used += n + 1;
	return s;
}

static void put_le64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* A file for -k or -i: a special file, or one made for this case. */
static char *file(unsigned n)
{
	static const char *const special[] = {
		"/dev/null", "/dev/zero", "/dev/full", "/nonexistent", "/", "",
	};
	char *path;
	FILE *f;

	switch (mess ? pick(8) : 7) {
	case 0: return (char *)ONE_OF(special);
	case 1: return fmt("%s/fifo", dir);
	case 2: return fmt("%s", dir);
	case 3: return fmt("%s/sparse", dir);
	case 4: return fmt("%s/empty", dir);
	default: break;
	}
	path = fmt("%s/f%u", dir, n);
	f = fopen(path, "wb");
	if (f) {
		uint8_t h[64] = { 0 };
		size_t size = pick(3) ? 64 + pick(8192) : pick(2) ? pick(64) : (1u << 20) + pick(1024);
		static const uint64_t sizes[] = {
			0, 1, 0x1000, 0x200000, 0x1000000, 0x10000000, 0x10000001, 1ULL << 63,
			UINT64_MAX, UINT64_MAX - 0xfff, 0x80000, 0xfffffffffff00000ULL,
		};

		if (!mess) {
			size = 64 + pick(1 << 16);
			if (pick(2)) {              /* a sane arm64 Image header */
				put_le64(h + 16, size + pick(1 << 24));
				memcpy(h + 56, "ARM\x64", 4);
			}
		} else if (pick(4)) {               /* an arm64 Image header */
			put_le64(h + 8, pick(2) ? ONE_OF(sizes) : rnd() >> pick(64));
			put_le64(h + 16, pick(2) ? ONE_OF(sizes) : rnd() >> pick(64));
			memcpy(h + 56, "ARM\x64", 4);
			if (!pick(4)) {
				h[0] = 'M';             /* a PE header that may point anywhere */
				h[1] = 'Z';
				h[0x3c] = (uint8_t)pick(64);
			}
		}
		fwrite(h, 1, size < sizeof(h) ? size : sizeof(h), f);
		for (size_t i = sizeof(h); i < size; i++)
			fputc((int)pick(256), f);
		fclose(f);
	}
	return path;
}

struct probe {
	const char *opt;        /* a number option given exactly once */
	const char *val;
	uint64_t lo, hi;
	bool size;              /* -m: kvmtool's size grammar */
};

static bool grammar_ok(const char *s, bool size, uint64_t lo, uint64_t hi);

/* The probe's rule: the grammar, the range, and for --sve-max-vl the
   architecture's vector lengths (multiples of 128 bits). */
static bool probe_ok(const struct probe *pr)
{
	if (!grammar_ok(pr->val, pr->size, pr->lo, pr->hi))
		return false;
	if (!strcmp(pr->opt, "--sve-max-vl")) {
		unsigned long long v = strtoull(pr->val, NULL, 0);

		return v % 128 == 0;
	}
	return true;
}

/* The grammar, written out: decimal digits, or 0x and hex digits; a
   size may end in one of KMGTP (either case) when decimal; no more. */
static bool grammar_ok(const char *s, bool size, uint64_t lo, uint64_t hi)
{
	bool hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
	const char *p = hex ? s + 2 : s;
	unsigned shift = 0;
	uint64_t v = 0;
	size_t nd = 0;

	for (; *p; p++, nd++) {
		unsigned d;

		if (*p >= '0' && *p <= '9')
			d = (unsigned)(*p - '0');
		else if (hex && *p >= 'a' && *p <= 'f')
			d = (unsigned)(*p - 'a' + 10);
		else if (hex && *p >= 'A' && *p <= 'F')
			d = (unsigned)(*p - 'A' + 10);
		else
			break;
		if (__builtin_mul_overflow(v, hex ? 16u : 10u, &v) || __builtin_add_overflow(v, d, &v))
			return false;
	}
	if (!nd)
		return false;
	if (size && !hex) {
		static const char sfx[] = "kmgtp";
		const char *q = *p ? strchr(sfx, *p | 0x20) : NULL;

		if (*p && (!q || p[1]))
			return false;
		shift = *p ? 10 * (unsigned)(q - sfx + 1) : 20;
		if (v > UINT64_MAX >> shift)
			return false;
		v <<= shift;
	} else if (*p) {
		return false;
	}
	return v >= lo && v <= hi;
}

static void quote(FILE *f, const char *s)
{
	fputc('\'', f);
	for (size_t i = 0; s[i] && i < 200; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\'')
			fputs("'\\''", f);
		else if (c < 32 || c >= 127)
			fprintf(f, "'$'\\x%02x''", c);
		else
			fputc(c, f);
	}
	if (strlen(s) > 200)
		fprintf(f, "...(%zu bytes)", strlen(s));
	fputc('\'', f);
}

/* Run one case; Return: 0 passed, 1 failed (printed), -1 no fork.
   *@code: its exit status, -1 when it did not exit. */
static int run_case(const char *s2vmm, unsigned n, char **argv, int argc, const char *dtb,
		    const struct probe *pr, bool limit, bool help, int *code)
{
	char out[96];
	int fd, status;
	pid_t pid;
	const char *why = NULL;
	static char log[1 << 16];
	ssize_t len;

	snprintf(out, sizeof(out), "%s/out", dir);
	unlink(dtb);
	*code = -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int in = open("/dev/null", O_RDONLY);

		if (fd < 0 || in < 0)
			_exit(125);
		dup2(in, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		argv[0] = (char *)s2vmm;
		execv(s2vmm, argv);
		_exit(126);
	}
	for (int t = 0;; t++) {
		pid_t w = waitpid(pid, &status, WNOHANG);

		if (w == pid)
			break;
		if (t >= TIMEOUT_S * 100) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			why = "did not finish in time (hang)";
			break;
		}
		usleep(10000);
	}
	fd = open(out, O_RDONLY);
	len = fd >= 0 ? read(fd, log, sizeof(log) - 1) : 0;
	if (fd >= 0)
		close(fd);
	log[len > 0 ? len : 0] = 0;
	*code = !why && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	if (!why && !WIFEXITED(status))
		why = "killed by a signal (crash)";
	else if (!why && WEXITSTATUS(status) > 2)
		why = "exit status other than 0, 1 or 2";
	else if (!why && (strstr(log, "Sanitizer") || strstr(log, "runtime error")))
		why = "sanitizer report";
	else if (!why && WEXITSTATUS(status) == 2 && !strstr(log, "s2vmm: error: "))
		why = "exit 2 without an error message";
	else if (!why && WEXITSTATUS(status) == 2 && access(dtb, F_OK) == 0)
		why = "exit 2, yet --dtb-out was written";
	else if (!why && WEXITSTATUS(status) == 0 && !limit && !help)
		why = "exit 0 without --ipa-limit: this build has no KVM";
	else if (!why && pr && !probe_ok(pr) && WEXITSTATUS(status) != 2)
		why = "a number outside the grammar or range was accepted";
	if (!why)
		return 0;
	printf("FAIL case %u: %s (status %#x)\n  s2vmm", n, why, status);
	for (int i = 1; i < argc; i++) {
		putchar(' ');
		quote(stdout, argv[i]);
	}
	printf("\n  output: %.2000s\n", log);
	return 1;
}

int main(int argc, char **argv)
{
	static const char *const consoles[] = { "serial", "virtio", "hvc", "" };
	static const char *const irqchips[] = { "gicv3", "gicv3-its", "auto", "gicv2", "" };
	static const char *const layouts[] = { "low", "high", "split", "middle", "" };
	static const char *const transports[] = { "mmio", "mmio-legacy", "pci" };
	static const char *const loglevels[] = { "error", "warning", "info", "debug", "loud" };
	static const char *const flags[] = { "--pmu", "--disable-mte", "--no-pvtime", "--debug-mmio", "--nodefaults" };
	static char *const cpulists[] = { "0-1", "1-0", "0,,1", "", "-", "0-", "4096", "0-1023", "x", "1,3-5,7", " 0" };
	static const char *const unknown[] = { "--disk", "--frob", "-z", "--", "-", "--mem=1G", "--cpus=2" };
	unsigned cases, fails = 0, exits[3] = { 0 };
	char path[96], dtb[96];
	int fd;

	if (argc != 4) {
		fprintf(stderr, "usage: badinput-gen S2VMM CASES SEED\n");
		return 2;
	}
	cases = (unsigned)strtoul(argv[2], NULL, 0);
	rng = strtoull(argv[3], NULL, 0) | 1;
	snprintf(dir, sizeof(dir), "/tmp/s2vmm-badinput.XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(path, sizeof(path), "%s/fifo", dir);
	mkfifo(path, 0600);
	snprintf(path, sizeof(path), "%s/empty", dir);
	close(open(path, O_WRONLY | O_CREAT, 0600));
	snprintf(path, sizeof(path), "%s/sparse", dir);
	fd = open(path, O_WRONLY | O_CREAT, 0600);
	if (fd < 0 || ftruncate(fd, 4LL << 30)) {
		perror(path);
		return 1;
	}
	close(fd);
	snprintf(dtb, sizeof(dtb), "%s/out.dtb", dir);

	for (unsigned n = 0; n < cases; n++) {
		char *av[MAX_ARGS + 2];
		int ac = 1;
		unsigned nopts = pick(9);
		struct probe pr = { 0 }, *prp = NULL;
		bool limit = false, help = false;

		pool_used = 0;
		mess = pick(2);
		av[ac++] = (char *)"run";
		/* Most cases plan for a limit, so they get past the layout
		   to the files and the device tree. */
		if (pick(4)) {
			av[ac++] = (char *)"--ipa-limit";
			av[ac++] = !mess || pick(8) ? fmt("%u", 32 + pick(21)) : number();
			limit = true;
		}
		if (!mess) {
			/* One kernel (or none, with --print-layout) and its initrd. */
			if (pick(4)) {
				av[ac++] = (char *)"-k";
				av[ac++] = file(n);
				if (pick(2)) {
					av[ac++] = (char *)"-i";
					av[ac++] = file(n + 100000);
				}
			} else {
				av[ac++] = (char *)"--print-layout";
			}
		}
		if (mess && pick(2)) {
			static const struct probe kinds[] = {
				{ "-c", NULL, 1, 64, false },
				{ "--ipa-bits", NULL, 32, 52, false },
				{ "--cpus", NULL, 1, 64, false },
				{ "-m", NULL, 1, UINT64_MAX, true },
				{ "--kaslr-seed", NULL, 0, UINT64_MAX, false },
				{ "--sve-max-vl", NULL, 128, 2048, false },
				{ "--ipa-limit", NULL, 32, 52, false },
			};
			pr = ONE_OF(kinds);
			pr.val = number();
			av[ac++] = (char *)pr.opt;
			av[ac++] = (char *)pr.val;
			prp = &pr;
		}
		for (unsigned i = 0; i < nopts && ac < MAX_ARGS - 2; i++) {
			switch (pick(22)) {
			case 0: av[ac++] = (char *)"-m"; av[ac++] = bank(); break;
			case 1: av[ac++] = (char *)"-c"; av[ac++] = !mess || pick(2) ? fmt("%u", 1 + pick(64)) : number(); break;
			case 2: if (mess) { av[ac++] = (char *)"-k"; av[ac++] = file(n); } break;
			case 3: if (mess) { av[ac++] = (char *)"-i"; av[ac++] = file(n + 100000); } break;
			case 4: av[ac++] = (char *)"-p"; av[ac++] = text(); break;
			case 5: av[ac++] = (char *)"--console"; av[ac++] = WORD(consoles, 2); break;
			case 6: av[ac++] = (char *)"--irqchip"; av[ac++] = WORD(irqchips, 3); break;
			case 7: av[ac++] = (char *)"--nodefaults"; break;
			case 8: av[ac++] = (char *)"--layout"; av[ac++] = WORD(layouts, 3); break;
			case 9: av[ac++] = (char *)"--ipa-bits"; av[ac++] = !mess || pick(2) ? fmt("%u", 32 + pick(21)) : number(); break;
			case 10: av[ac++] = (char *)"--virtio-transport"; av[ac++] = WORD(transports, 2); break;
			case 11: av[ac++] = (char *)"--loglevel"; av[ac++] = WORD(loglevels, 4); break;
			case 12: av[ac++] = (char *)"--print-layout"; break;
			case 13: av[ac++] = pick(2) ? (char *)"--dtb-out" : (char *)"--dump-dtb"; av[ac++] = pick(4) ? dtb : (char *)"/dev/full"; break;
			case 14: av[ac++] = mess ? (char *)ONE_OF(unknown) : (char *)"--nodefaults"; break;
			case 15: if (mess) av[ac++] = file(n + 200000); break;   /* positional kernel */
			case 16: av[ac++] = (char *)"--network"; av[ac++] = !mess || pick(2) ? (char *)"mode=none" : text(); break;
			case 17: av[ac++] = (char *)ONE_OF(flags); break;
			case 18: av[ac++] = (char *)"--sve-max-vl"; av[ac++] = !mess || pick(2) ? fmt("%u", 128 * (1 + pick(16))) : number(); break;
			case 19: av[ac++] = (char *)"--kaslr-seed"; av[ac++] = !mess || pick(2) ? fmt("%#llx", (unsigned long long)rnd()) : number(); break;
			case 20: av[ac++] = (char *)"--vcpu-affinity"; av[ac++] = !mess || pick(2) ? (char *)"0" : ONE_OF(cpulists); break;
			default:
				if (!pick(8)) {
					av[ac++] = (char *)"--help";
					help = true;
				} else if (mess) {
					av[ac++] = text();
				}
			}
		}
		av[ac] = NULL;
		/* The probe comes before every other option but --ipa-limit,
		   and options are parsed in order: a bad probe is refused
		   whatever follows it. */
		int code, rc = run_case(argv[1], n, av, ac, dtb, prp, limit, help, &code);
		if (rc < 0) {
			perror("fork");
			return 1;
		}
		fails += (unsigned)rc;
		if (code >= 0 && code <= 2)
			exits[code]++;
	}
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	if (system(path))
		fprintf(stderr, "could not remove %s\n", dir);
	printf("badinput-gen (s2vmm host build): %u cases (exit 0: %u, 1: %u, 2: %u), %u failed (seed %s)\n",
	       cases, exits[0], exits[1], exits[2], fails, argv[3]);
	return fails ? 1 : 0;
}
