// otklik: the command line and the daemon. Everything lives in the libraries (daemon/app).
#include "daemon/app/cli.hpp"

#include <libxml/parser.h>

#include <exception>
#include <iostream>

int main(int argc, char** argv) {
  xmlInitParser();  // once, before any thread may parse (libxml2's own global set-up)
  try {
    return otklik::run_cli(argc, argv, std::cin, std::cout, std::cerr);
  } catch (const std::exception& e) {
    std::cerr << "otklik: fatal: " << e.what() << "\n";
    return 1;
  }
}
