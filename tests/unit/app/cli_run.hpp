#pragma once
// Runs the command line (`otklik ARGS…`) in-process with `input` as standard input.

#include "daemon/app/cli.hpp"

#include <sstream>
#include <string>
#include <vector>

namespace otklik::test {

struct Run {
  int code;
  std::string out, err;
};

inline Run cli(std::vector<std::string> args, const std::string& input = "") {
  args.insert(args.begin(), "otklik");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  std::istringstream in(input);
  std::ostringstream out, err;
  const int code = run_cli(static_cast<int>(argv.size()), argv.data(), in, out, err);
  return {code, out.str(), err.str()};
}

}  // namespace otklik::test
