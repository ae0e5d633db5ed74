// otklik: the command line and the daemon. Everything lives in the libraries (daemon/app).
#include "daemon/app/cli.hpp"

#include <libxml/parser.h>
#include <malloc.h>
#include <sqlite3.h>

#include <exception>
#include <iostream>

int main(int argc, char** argv) {
  xmlInitParser();  // once, before any thread may parse (libxml2's own global set-up)
  // SQLite's count of its own memory takes a process-wide mutex on every allocation; nothing
  // reads it. Set before SQLite initialises (it refuses later).
  sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  // Buffers of 256 KiB and more (a /metrics page of megabytes with 10,000 sources, a large feed)
  // are mapped and unmapped on their own, so that their memory goes back to the system when freed.
  // glibc would otherwise raise this threshold after the first such buffer is freed and serve the
  // next ones from a heap that keeps its peak (tens of MiB of resident memory after a few scrapes).
  mallopt(M_MMAP_THRESHOLD, 256 * 1024);
  try {
    return otklik::run_cli(argc, argv, std::cin, std::cout, std::cerr);
  } catch (const std::exception& e) {
    std::cerr << "otklik: fatal: " << e.what() << "\n";
    return 1;
  }
}
