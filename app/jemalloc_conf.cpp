// jemalloc's options compiled into the cloudledger program (jemalloc(3), "malloc_conf";
// MALLOC_CONF in the environment still applies on top of them). Built only when the
// program allocates through jemalloc (app/CMakeLists.txt, CLOUDLEDGER_JEMALLOC).
//
// thp:always: jemalloc asks the kernel for transparent huge pages on the memory it maps
// (madvise MADV_HUGEPAGE). The kernel's default on our machines is "madvise", so a program
// that does not ask gets none. A network of 10,000 nodes reads its per-node state at
// random over ~120 MB, and with 4 KiB pages most of those reads miss the TLB as well as
// the caches: the SimBlock-equivalent run is ~15 % faster with huge pages, for ~15 MB
// more peak memory (docs/benchmarks.md, "Huge pages"). Results are unchanged: this is
// where memory lies, not what it holds.
extern "C" {
const char* malloc_conf = "thp:always";
}
