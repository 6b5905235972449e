/*
 * A module with a PNP table using every field type of sys/module.h's MODULE_PNP_INFO, laid out as
 * FreeBSD's structures are (struct mod_metadata, struct mod_pnp_match_info). -DHOSTILE=N damages it:
 * 1 entries shorter than the description, 2 an unknown field type, 3 a negative entry count,
 * 4 more entries than the table's section holds.
 */
#include <stdint.h>

#define MDT_MODULE	2
#define MDT_VERSION	3
#define MDT_PNP_INFO	4

struct mod_metadata {
	int		md_version;
	int		md_type;
	const void	*md_data;
	const char	*md_cval;
};

struct mod_version {
	int	mv_version;
};

struct mod_pnp_match_info {
	const char *descr;
	const char *bus;
	const void *table;
	int entry_len;
	int num_entry;
};

struct pnp_entry {
	uint8_t u8, v8;
	uint16_t g16, l16, m16, u16, v16;
	uint32_t u32, v32, w32;
	void *p;
	const char *d, *z;
	uint32_t eisa;
};

static const struct pnp_entry table[] = {
	{ 0x12, 0xff, 0x1234, 0x5678, 3, 0xffff, 0xffff, 0xdeadbeef, 0xffffffff, 0x12348086, 0,
	  "Serial port", "pnp0", 0x0105d041 },
	{ 0, 7, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, "", 0 },
};

#define DESCR "U8:u8;V8:v8;G16:g16;L16:l16;M16:m16;U16:u16;V16:v16;U32:u32;V32:v32;W32:ven/dev;P:#;D:#;Z:z;" \
	"E:eisa;T:mode=host"

#if HOSTILE == 1
static const struct mod_pnp_match_info pnp = { DESCR, "pci", table, 8, 2 };
#elif HOSTILE == 2
static const struct mod_pnp_match_info pnp = { "U8:u8;Q8:x", "pci", table, sizeof(table[0]), 2 };
#elif HOSTILE == 3
static const struct mod_pnp_match_info pnp = { DESCR, "pci", table, sizeof(table[0]), -1 };
#elif HOSTILE == 4
static const struct mod_pnp_match_info pnp = { DESCR, "pci", table, sizeof(table[0]), 100000 };
#else
static const struct mod_pnp_match_info pnp = { DESCR, "pci", table, sizeof(table[0]), 2 };
#endif

static const char name[] = "pnptest";
static const struct mod_version version = { 7 };
static const struct mod_metadata md_module = { 1, MDT_MODULE, 0, name };
static const struct mod_metadata md_version = { 1, MDT_VERSION, &version, name };
static const struct mod_metadata md_pnp = { 1, MDT_PNP_INFO, &pnp, "pci" };

/* The version record comes first in the set: kldxref still writes the module record first. */
__attribute__((section("set_modmetadata_set"), used, aligned(sizeof(void *))))
static const void *const set[] = { &md_version, &md_pnp, &md_module };
