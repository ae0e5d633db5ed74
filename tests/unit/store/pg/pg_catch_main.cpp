// The Catch2 main of the PostgreSQL tests: without a server in the environment (PGHOST, PGPORT,
// PGDATABASE or PGSERVICE, as pg_virtualenv exports them) every test exits with 77, which CTest
// reports as skipped; listing the tests (catch_discover_tests at build time) needs no server.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include "pg_test_support.hpp"

#include <iostream>

int main(int argc, char* argv[]) {
  Catch::Session session;
  if (const int rc = session.applyCommandLine(argc, argv); rc != 0) return rc;
  const auto& config = session.configData();
  const bool listing = config.listTests || config.listTestNamesOnly || config.listTags || config.listReporters ||
                       config.showHelp || config.libIdentify;
  if (!listing && !otklik::test::pg_environment()) {
    std::cout << "SKIPPED: no PostgreSQL server in the environment (PGHOST, PGPORT, PGDATABASE, PGSERVICE unset); "
                 "run under pg_virtualenv -v 15, as scripts/test.sh does\n";
    return otklik::test::kSkipped;
  }
  return session.run();
}
