// jemalloc's options for the executables that link it (build/loa and the planner benchmark: the
// loa::allocator target compiles this file into each of them). jemalloc reads this symbol once,
// at start-up.
//
// thp:always: jemalloc asks for transparent huge pages (madvise) on the memory it maps. The planner
// builds one network of ~150,000 arcs for a city's month and LEMON's simplex and its graph fill
// tens of megabytes at once; in 4 KiB pages each first touch is a page fault (on the virtual
// machines measured, ~9 µs each; 19 % of a city-month process's samples, more in zeroing the
// pages), and the simplex's walks over a subtree miss the TLB. With 2 MiB pages a city-month plan
// with separation rules took 153–197 ms instead of 212–215 ms (docs/planner.md, "Memory, and a
// smaller network"). The price: memory in 2 MiB pages filled only in part (an idle `loa serve`
// holds ~36 MB instead of ~24 MB). Where the kernel's THP setting is "never" the option does
// nothing; the environment's MALLOC_CONF (e.g. MALLOC_CONF=thp:never) overrides it.
extern "C" {
const char* malloc_conf = "thp:always";  // NOLINT: the name and type jemalloc looks for
}
