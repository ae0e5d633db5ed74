// `otklik lexicon learn`: the overlay it writes from corrections, its report, and that a config
// listing the overlay itself does not make the next run compound it.

#include "daemon/app/application.hpp"

#include "tests/unit/app/cli_run.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

using otklik::test::cli;
namespace fs = std::filesystem;

namespace {

fs::path temp_dir() {
  std::random_device rd;
  fs::path d = fs::temp_directory_path() / ("otklik-learn-" + std::to_string(rd()) + std::to_string(rd()));
  fs::create_directories(d);
  return d;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// A subscription service whose monthly charge notices the scorer took for complaints: the team
/// dismissed them as "not negative" (as `otklik feedback export` writes them), and one real
/// complaint stays negative.
constexpr const char* kCorrections =
    "neutral\tСписание по подписке прошло пятого числа, чек в приложении\n"
    "neutral\tСписание за тариф Семейный будет завтра\n"
    "neutral\tНапоминаем: списание за месяц в понедельник\n"
    "neutral\tСписание прошло, спасибо что с нами\n"
    "neutral\tОчередное списание за подписку, всё как договаривались\n"
    "negative\tДвойное списание и никто не отвечает уже неделю\n"
    "neutral\tСписание прошло, спасибо что с нами\n";  // the same item twice counts once

}  // namespace

TEST_CASE("lexicon learn writes an overlay of changed weights, with a report", "[cli][learn]") {
  const fs::path dir = temp_dir();
  std::ofstream(dir / "feedback.tsv") << kCorrections;
  const auto r = cli({"lexicon", "learn", (dir / "feedback.tsv").string(), "-o", (dir / "overlay.tsv").string(),
                      "--report"});
  INFO(r.err);
  REQUIRE(r.code == otklik::kExitOk);
  const std::string overlay = slurp(dir / "overlay.tsv");
  INFO(overlay);
  // The entry "списания" (-1.5) in the 5 dismissed notices: (4·-1.5) / (5 + 4) = -0.67. The
  // complaint is carried by the phrase "двойное списание", another entry, which stays.
  CHECK(overlay.find("списания\t-0.67\tservice,learned\twas -1.5; 5 items (negative 0, neutral 5, positive 0), "
                     "5 misclassified") != std::string::npos);
  CHECK(overlay.find("подписк") == std::string::npos);  // terms and counts, never the items' text
  CHECK(r.out.find("списания: -1.5 -> -0.67") != std::string::npos);
  CHECK(r.out.find("6 corrected items") != std::string::npos);

  const auto check = cli({"lexicon", "check", (dir / "overlay.tsv").string()});
  CHECK(check.code == otklik::kExitOk);

  // Loaded by a config that also names the output: the next run starts from the built-in weight
  // again (the overlay is replaced, not compounded), and --eval scores with and without it.
  std::ofstream(dir / "otklik.toml") << "[daemon]\nstate = \"s.db\"\n[[channel]]\nname = \"c\"\ntype = \"console\"\n"
                                        "[[route]]\nchannel = \"c\"\n[sentiment]\nlexicons = [\"overlay.tsv\"]\n";
  const auto again = cli({"lexicon", "learn", (dir / "feedback.tsv").string(), "-c", (dir / "otklik.toml").string(),
                          "-o", (dir / "overlay.tsv").string(), "--eval", (dir / "feedback.tsv").string()});
  INFO(again.err);
  REQUIRE(again.code == otklik::kExitOk);
  CHECK(slurp(dir / "overlay.tsv") == overlay);
  const auto before = again.out.find("before the overlay:");
  const auto after = again.out.find("with the overlay:");
  CHECK(before != std::string::npos);
  CHECK(after != std::string::npos);
  CHECK(before < after);
  fs::remove_all(dir);
}

TEST_CASE("lexicon learn without enough evidence changes nothing", "[cli][learn]") {
  const fs::path dir = temp_dir();
  std::ofstream(dir / "feedback.tsv") << "neutral\tСписание за тариф будет завтра\n"
                                         "positive\tСпасибо, всё быстро починили\n";
  const auto r = cli({"lexicon", "learn", (dir / "feedback.tsv").string()});
  INFO(r.err);
  REQUIRE(r.code == otklik::kExitOk);
  CHECK(r.out.find("0 weights changed") != std::string::npos);  // the header comment
  CHECK(r.out.find("\t") == std::string::npos);                 // and no entry
  CHECK(r.err.find("2 corrected items") != std::string::npos);
  fs::remove_all(dir);
}
