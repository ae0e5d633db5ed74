// otklik: the command line and the daemon. Everything lives in the libraries (daemon/app).
#include "daemon/app/cli.hpp"

#include <exception>
#include <iostream>

int main(int argc, char** argv) {
  try {
    return otklik::run_cli(argc, argv, std::cin, std::cout, std::cerr);
  } catch (const std::exception& e) {
    std::cerr << "otklik: fatal: " << e.what() << "\n";
    return 1;
  }
}
