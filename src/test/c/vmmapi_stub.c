/*
 * A stand-in for FreeBSD's libvmmapi, for testing userboot4j's JNA binding on a host without bhyve.
 *
 * It exports the functions bhyveload calls, with the C signatures of lib/libvmmapi/vmmapi.h: built
 * plainly it is the FreeBSD 13 generation (struct vmctx *, int vcpu); with -DVCPU_HANDLE it is the
 * FreeBSD 14 one (struct vcpu * from vm_vcpu_open); adding -DVMMCTL makes it FreeBSD 15's, which also
 * exports vm_openf, vm_close and vm_destroy (VMs made through /dev/vmmctl), keeps an existing VM's
 * memory segment in vm_setup_memory and asserts VM_MMAP_ALL there. -DWITHOUT_SETUP leaves out the
 * register set-up functions, a library no generation matches.
 *
 * Every call is appended to the file VMMAPI_STUB_LOG names, one line each: the function, then its
 * arguments as name=value. Guest memory is a file (VMMAPI_STUB_MEMORY) mapped shared, lowmem at offset
 * 0 and highmem after it, so the test reads what was written after the process has ended.
 * vm_setup_freebsd_registers and its i386 variant do what libvmmapi's do to the vCPU (and, for i386, to
 * guest memory) and then log the whole register state as "state" lines.
 *
 * Failures on demand: VMMAPI_STUB_FAIL=function[:errno] makes that function fail with errno (EPERM by
 * default); VMMAPI_STUB_EXISTS=1 makes vm_create fail with EEXIST, as for a VM that is already there,
 * and VMMAPI_STUB_SEGMENT=N gives that VM a system memory segment of N bytes for vm_setup_memory;
 * VMMAPI_STUB_STALL=1 makes vm_map_gpa wait forever once logged, for a test to signal the caller.
 */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define GB (1UL << 30)
#define LOWMEM_LIMIT (3 * GB)	/* VM_LOWMEM_LIMIT on amd64 */
#define HIGHMEM_BASE (4 * GB)	/* VM_HIGHMEM_BASE */
#define MAGIC_CTX 0x766d6374u
#define MAGIC_VCPU 0x76637075u
#define VM_MMAP_ALL 1			/* enum vm_mmap_style */
#define VMMAPI_OPEN_CREATE 0x01		/* vm_openf's flags */
#define VMMAPI_OPEN_REINIT 0x02

/* enum vm_reg_name, sys/amd64/include/vmm.h: the values this library interprets. */
enum {
	CR0 = 15, CR3 = 16, CR4 = 17, RSP = 19, RIP = 20, RFLAGS = 21,
	ES = 22, CS = 23, SS = 24, DS = 25, FS = 26, GS = 27, LDTR = 28, TR = 29,
	GDTR = 31, EFER = 32, REG_LAST = 49
};

struct vmctx {
	unsigned magic;
	char name[256];
	int memflags;
	size_t lowmem, highmem;
	char *low, *high;
};

struct vcpu {
	unsigned magic;
	struct vmctx *ctx;
	int id;
};

static struct {
	int set;
	uint64_t val;
} regs[REG_LAST];

static struct {
	int set;
	uint64_t base;
	uint32_t limit, access;
} descs[REG_LAST];

static void
note(const char *fmt, ...)
{
	const char *path = getenv("VMMAPI_STUB_LOG");
	FILE *f;
	va_list ap;

	if (path == NULL || (f = fopen(path, "a")) == NULL)
		return;
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
	fclose(f);
}

/* Non-zero (and errno set) when the test asked for function fn to fail. */
static int
failing(const char *fn)
{
	const char *spec = getenv("VMMAPI_STUB_FAIL");
	size_t n = strlen(fn);

	if (spec == NULL || strncmp(spec, fn, n) != 0 || (spec[n] != '\0' && spec[n] != ':'))
		return (0);
	errno = spec[n] == ':' ? atoi(spec + n + 1) : EPERM;
	return (1);
}

/* The handle as the test should see it: "ok" only for one this library gave out. */
static const char *
ctx_ok(struct vmctx *ctx)
{
	return (ctx != NULL && ctx->magic == MAGIC_CTX ? "ok" : "bad");
}

int
vm_create(const char *name)
{
	note("vm_create name=%s", name);
	if (getenv("VMMAPI_STUB_EXISTS") != NULL) {
		errno = EEXIST;
		return (-1);
	}
	return (failing("vm_create") ? -1 : 0);
}

static struct vmctx *
ctx_new(const char *name)
{
	struct vmctx *ctx = calloc(1, sizeof(*ctx));

	ctx->magic = MAGIC_CTX;
	snprintf(ctx->name, sizeof(ctx->name), "%s", name);
	return (ctx);
}

struct vmctx *
vm_open(const char *name)
{
	note("vm_open name=%s", name);
	return (failing("vm_open") ? NULL : ctx_new(name));
}

int
vm_reinit(struct vmctx *ctx)
{
	note("vm_reinit ctx=%s", ctx_ok(ctx));
	return (failing("vm_reinit") ? -1 : 0);
}

#ifdef VMMCTL
/* 15.x: open the VM, creating it (VMMAPI_OPEN_CREATE) or re-initialising one that exists (_REINIT). */
struct vmctx *
vm_openf(const char *name, int flags)
{
	struct vmctx *ctx;

	note("vm_openf name=%s flags=%d", name, flags);
	if (failing("vm_openf"))
		return (NULL);
	if (getenv("VMMAPI_STUB_EXISTS") == NULL && (flags & VMMAPI_OPEN_CREATE) == 0) {
		errno = ENOENT;
		return (NULL);
	}
	ctx = ctx_new(name);
	if (getenv("VMMAPI_STUB_EXISTS") != NULL && (flags & VMMAPI_OPEN_REINIT) != 0 && failing("vm_reinit")) {
		free(ctx);
		return (NULL);
	}
	return (ctx);
}

void
vm_close(struct vmctx *ctx)
{
	note("vm_close ctx=%s", ctx_ok(ctx));
	free(ctx);
}

void
vm_destroy(struct vmctx *ctx)
{
	note("vm_destroy ctx=%s", ctx_ok(ctx));
	free(ctx);
}
#endif

void
vm_set_memflags(struct vmctx *ctx, int flags)
{
	note("vm_set_memflags ctx=%s flags=%d", ctx_ok(ctx), flags);
	ctx->memflags = flags;
}

int
vm_setup_memory(struct vmctx *ctx, size_t len, int style)
{
	const char *path = getenv("VMMAPI_STUB_MEMORY");
	const char *segment = getenv("VMMAPI_STUB_SEGMENT");
	size_t existing = segment != NULL ? strtoull(segment, NULL, 0) : 0;
	int fd = -1, flags = MAP_SHARED;
	size_t objsize;

#ifdef VMMCTL
	assert(style == VM_MMAP_ALL);
#endif

	note("vm_setup_memory ctx=%s len=%zu style=%d", ctx_ok(ctx), len, style);
	if (failing("vm_setup_memory"))
		return (-1);
	if (existing > 0 && existing != len) {
#ifdef VMMCTL
		/* 15.x: with one domain, the segment that is there is used as it is */
		len = existing;
#else
		/* 13.x, 14.x: vm_alloc_memseg refuses a segment of another size */
		errno = EINVAL;
		return (-1);
#endif
	}
	ctx->lowmem = len > LOWMEM_LIMIT ? LOWMEM_LIMIT : len;
	ctx->highmem = len - ctx->lowmem;
	/* the kernel's vm_alloc_memseg takes whole pages, and libvmmapi's object has highmem at 4 GiB */
	objsize = ctx->highmem > 0 ? HIGHMEM_BASE + ctx->highmem : len;
	if (objsize == 0 || (objsize & 4095) != 0) {
		errno = EINVAL;
		return (-1);
	}
	if (path != NULL) {
		fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
		if (fd < 0 || ftruncate(fd, len) != 0)
			return (-1);
	} else
		flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
	ctx->low = mmap(NULL, ctx->lowmem, PROT_READ | PROT_WRITE, flags, fd, 0);
	if (ctx->low == MAP_FAILED)
		return (-1);
	if (ctx->highmem > 0) {
		ctx->high = mmap(NULL, ctx->highmem, PROT_READ | PROT_WRITE, flags, fd, ctx->lowmem);
		if (ctx->high == MAP_FAILED)
			return (-1);
	}
	if (fd >= 0)
		close(fd);
	return (0);
}

/* libvmmapi's rule: the whole range in lowmem, or the whole range in highmem, else NULL. */
static void *
map(struct vmctx *ctx, uint64_t gpa, size_t len)
{
	if (ctx->low == NULL)
		return (NULL);
	if (gpa < ctx->lowmem && len <= ctx->lowmem && gpa + len <= ctx->lowmem)
		return (ctx->low + gpa);
	if (gpa >= HIGHMEM_BASE && gpa - HIGHMEM_BASE < ctx->highmem && len <= ctx->highmem &&
	    gpa - HIGHMEM_BASE + len <= ctx->highmem)
		return (ctx->high + (gpa - HIGHMEM_BASE));
	return (NULL);
}

void *
vm_map_gpa(struct vmctx *ctx, uint64_t gpa, size_t len)
{
	void *p = map(ctx, gpa, len);

	note("vm_map_gpa ctx=%s gpa=0x%llx len=%zu%s", ctx_ok(ctx), (unsigned long long)gpa, len,
	    p == NULL ? " result=NULL" : "");
	while (getenv("VMMAPI_STUB_STALL") != NULL)
		pause();
	return (p);
}

size_t
vm_get_lowmem_size(struct vmctx *ctx)
{
	note("vm_get_lowmem_size ctx=%s", ctx_ok(ctx));
	return (ctx->lowmem);
}

size_t
vm_get_highmem_size(struct vmctx *ctx)
{
	note("vm_get_highmem_size ctx=%s", ctx_ok(ctx));
	return (ctx->highmem);
}

static int
set_reg(int reg, uint64_t val)
{
	if (reg < 0 || reg >= REG_LAST)
		return (EINVAL);
	regs[reg].set = 1;
	regs[reg].val = val;
	return (0);
}

static int
set_desc(int reg, uint64_t base, uint32_t limit, uint32_t access)
{
	if (reg < 0 || reg >= REG_LAST)
		return (EINVAL);
	descs[reg].set = 1;
	descs[reg].base = base;
	descs[reg].limit = limit;
	descs[reg].access = access;
	return (0);
}

static void
log_state(void)
{
	int r;

	for (r = 0; r < REG_LAST; r++)
		if (regs[r].set)
			note("state reg=%d val=0x%llx", r, (unsigned long long)regs[r].val);
	for (r = 0; r < REG_LAST; r++)
		if (descs[r].set)
			note("state desc=%d base=0x%llx limit=0x%x access=0x%x", r,
			    (unsigned long long)descs[r].base, descs[r].limit, descs[r].access);
}

/* vm_setup_freebsd_registers: long mode, flat segments, paging from cr3. */
static int
setup_amd64(uint64_t rip, uint64_t cr3, uint64_t gdtbase, uint64_t rsp)
{
	static const int data[] = { DS, ES, FS, GS, SS };
	int i;

	set_reg(CR0, 0x80000021);	/* CR0_PE | CR0_PG | CR0_NE */
	set_reg(CR4, 0x20);		/* CR4_PAE */
	set_reg(EFER, 0x500);		/* EFER_LME | EFER_LMA */
	set_reg(RFLAGS, 0x2);
	set_desc(CS, 0, 0, 0x209b);
	for (i = 0; i < 5; i++)
		set_desc(data[i], 0, 0, 0x93);
	set_desc(TR, 0, 0, 0x8b);
	set_desc(LDTR, 0, 0, 0x10000);
	set_reg(CS, 1 << 3);
	for (i = 0; i < 5; i++)
		set_reg(data[i], 2 << 3);
	set_reg(TR, 0);
	set_reg(LDTR, 0);
	set_reg(RIP, rip);
	set_reg(CR3, cr3);
	set_desc(GDTR, gdtbase, 3 * 8 - 1, 0);
	set_reg(RSP, rsp);
	log_state();
	return (0);
}

/* vm_setup_freebsd_registers_i386: protected mode without paging; writes its own GDT at gdtbase. */
static int
setup_i386(struct vmctx *ctx, uint32_t eip, uint32_t gdtbase, uint32_t esp)
{
	static const int data[] = { DS, ES, FS, GS, SS };
	uint32_t tss = gdtbase + 0x1000;
	uint64_t gdt[4] = {
		0,
		0x00cf9a000000ffffULL,	/* code: SDT_MEMER, 4 GiB, 32-bit */
		0x00cf92000000ffffULL,	/* data: SDT_MEMRW */
		0x0000890000000067ULL | ((uint64_t)(tss & 0xffffff) << 16),	/* SDT_SYS386TSS */
	};
	void *p = map(ctx, gdtbase, 0x1000);
	int i;

	set_reg(CR0, 0x21);
	set_reg(CR4, 0);
	set_reg(EFER, 0);
	if (p == NULL)
		return (EFAULT);
	memcpy(p, gdt, sizeof(gdt));
	set_desc(GDTR, gdtbase, sizeof(gdt) - 1, 0);
	set_reg(RFLAGS, 0x2);
	set_desc(CS, 0, 0xffffffff, 0xc09b);
	for (i = 0; i < 5; i++)
		set_desc(data[i], 0, 0xffffffff, 0xc093);
	set_desc(TR, tss, 104 - 1, 0x8b);
	set_desc(LDTR, 0, 0, 0x10000);
	set_reg(CS, 1 << 3);
	for (i = 0; i < 5; i++)
		set_reg(data[i], 2 << 3);
	set_reg(TR, 3 << 3);
	set_reg(LDTR, 0);
	set_reg(RIP, eip);
	set_reg(RSP, esp);
	log_state();
	return (0);
}

#ifdef VCPU_HANDLE

struct vcpu *
vm_vcpu_open(struct vmctx *ctx, int id)
{
	struct vcpu *v = calloc(1, sizeof(*v));

	note("vm_vcpu_open ctx=%s vcpuid=%d", ctx_ok(ctx), id);
	v->magic = MAGIC_VCPU;
	v->ctx = ctx;
	v->id = id;
	return (v);
}

static const char *
vcpu_ok(struct vcpu *v)
{
	return (v != NULL && v->magic == MAGIC_VCPU && v->ctx->magic == MAGIC_CTX ? "ok" : "bad");
}

int
vm_set_register(struct vcpu *v, int reg, uint64_t val)
{
	note("vm_set_register vcpu=%s vcpuid=%d reg=%d val=0x%llx", vcpu_ok(v), v->id, reg,
	    (unsigned long long)val);
	return (failing("vm_set_register") ? -1 : set_reg(reg, val));
}

int
vm_set_desc(struct vcpu *v, int reg, uint64_t base, uint32_t limit, uint32_t access)
{
	note("vm_set_desc vcpu=%s vcpuid=%d reg=%d base=0x%llx limit=0x%x access=0x%x", vcpu_ok(v),
	    v->id, reg, (unsigned long long)base, limit, access);
	return (failing("vm_set_desc") ? -1 : set_desc(reg, base, limit, access));
}

#ifndef WITHOUT_SETUP
int
vm_setup_freebsd_registers(struct vcpu *v, uint64_t rip, uint64_t cr3, uint64_t gdtbase, uint64_t rsp)
{
	note("vm_setup_freebsd_registers vcpu=%s vcpuid=%d rip=0x%llx cr3=0x%llx gdtbase=0x%llx rsp=0x%llx",
	    vcpu_ok(v), v->id, (unsigned long long)rip, (unsigned long long)cr3,
	    (unsigned long long)gdtbase, (unsigned long long)rsp);
	return (failing("vm_setup_freebsd_registers") ? -1 : setup_amd64(rip, cr3, gdtbase, rsp));
}

int
vm_setup_freebsd_registers_i386(struct vcpu *v, uint32_t eip, uint32_t gdtbase, uint32_t esp)
{
	note("vm_setup_freebsd_registers_i386 vcpu=%s vcpuid=%d eip=0x%x gdtbase=0x%x esp=0x%x",
	    vcpu_ok(v), v->id, eip, gdtbase, esp);
	if (strcmp(vcpu_ok(v), "ok") != 0)
		return (EINVAL);
	return (failing("vm_setup_freebsd_registers_i386") ? -1 : setup_i386(v->ctx, eip, gdtbase, esp));
}
#endif

#else /* the FreeBSD 13 generation */

int
vm_set_register(struct vmctx *ctx, int vcpu, int reg, uint64_t val)
{
	note("vm_set_register ctx=%s vcpuid=%d reg=%d val=0x%llx", ctx_ok(ctx), vcpu, reg,
	    (unsigned long long)val);
	return (failing("vm_set_register") ? -1 : set_reg(reg, val));
}

int
vm_set_desc(struct vmctx *ctx, int vcpu, int reg, uint64_t base, uint32_t limit, uint32_t access)
{
	note("vm_set_desc ctx=%s vcpuid=%d reg=%d base=0x%llx limit=0x%x access=0x%x", ctx_ok(ctx), vcpu,
	    reg, (unsigned long long)base, limit, access);
	return (failing("vm_set_desc") ? -1 : set_desc(reg, base, limit, access));
}

#ifndef WITHOUT_SETUP
int
vm_setup_freebsd_registers(struct vmctx *ctx, int vcpu, uint64_t rip, uint64_t cr3, uint64_t gdtbase,
    uint64_t rsp)
{
	note("vm_setup_freebsd_registers ctx=%s vcpuid=%d rip=0x%llx cr3=0x%llx gdtbase=0x%llx rsp=0x%llx",
	    ctx_ok(ctx), vcpu, (unsigned long long)rip, (unsigned long long)cr3,
	    (unsigned long long)gdtbase, (unsigned long long)rsp);
	return (failing("vm_setup_freebsd_registers") ? -1 : setup_amd64(rip, cr3, gdtbase, rsp));
}

int
vm_setup_freebsd_registers_i386(struct vmctx *ctx, int vcpu, uint32_t eip, uint32_t gdtbase, uint32_t esp)
{
	note("vm_setup_freebsd_registers_i386 ctx=%s vcpuid=%d eip=0x%x gdtbase=0x%x esp=0x%x",
	    ctx_ok(ctx), vcpu, eip, gdtbase, esp);
	return (failing("vm_setup_freebsd_registers_i386") ? -1 : setup_i386(ctx, eip, gdtbase, esp));
}
#endif

#endif
