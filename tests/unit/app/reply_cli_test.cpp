// `otklik reply draft|eval` and the reply templates in `otklik check-config`.
#include "daemon/app/application.hpp"

#include "tests/unit/app/cli_run.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>

using namespace otklik;
using otklik::test::cli;
namespace fs = std::filesystem;

namespace {

fs::path temp_dir() {
  std::random_device rd;
  fs::path d = fs::temp_directory_path() / ("otklik-reply-cli-" + std::to_string(rd()) + std::to_string(rd()));
  fs::create_directories(d);
  return d;
}

}  // namespace

TEST_CASE("reply draft prints a draft that answers each claim, in the review's language", "[cli][reply]") {
  auto ru = cli({"reply", "draft", "Ждал в очереди два часа, а кассир мне нахамил.", "--author", "Ирина Котова"});
  INFO(ru.err);
  CHECK(ru.code == kExitOk);
  CHECK(ru.out.rfind("Здравствуйте, Ирина!\n\n", 0) == 0);
  CHECK(ru.out.find("claim 1 (waiting), claim 2 (rudeness)") != std::string::npos);
  CHECK(ru.out.find("language: ru") != std::string::npos);
  CHECK(ru.out.find("blanks to fill before posting: ") != std::string::npos);

  auto en = cli({"reply", "draft", "The app crashes every time I log in.", "--author", "user123"});
  CHECK(en.code == kExitOk);
  CHECK(en.out.rfind("Hello,\n\n", 0) == 0);
  CHECK(en.out.find("claim 1 (app_failure)") != std::string::npos);

  auto bad = cli({"reply", "draft", "x", "--lang", "de"});
  CHECK(bad.code == kExitUsage);
}

TEST_CASE("reply eval measures drafts on a claims-labelled file", "[cli][reply]") {
  const fs::path dir = temp_dir();
  std::ofstream(dir / "claims.tsv") << "text\tЖдал в очереди два часа, а кассир мне нахамил.\n"
                                       "claim\twaiting\tЖдал в очереди два часа\n"
                                       "claim\trudeness\tкассир мне нахамил\n\n"
                                       "text\tThe app crashes every time I log in.\n"
                                       "claim\tapp_failure\tThe app crashes every time I log in\n";
  auto r = cli({"reply", "eval", (dir / "claims.tsv").string()});
  INFO(r.err);
  CHECK(r.code == kExitOk);
  CHECK(r.out.find("all: 2 complaints, 3 claims; addressed 3/3 = 100.0%; by its own topic 3/3 = 100.0%; "
                   "drafts with a deny-list phrase 0; in the wrong language 0") != std::string::npos);
  CHECK(r.out.find("  ru: 1 complaints, 2 claims") != std::string::npos);
  CHECK(r.out.find("  en: 1 complaints, 1 claims") != std::string::npos);

  // A complaint told as an event scores neutral as text; as a 1-star review it is negative and its
  // claim is answered.
  std::ofstream(dir / "event.tsv") << "text\tТретий раз переносят доставку на следующую неделю.\n"
                                      "claim\tdelivery\tТретий раз переносят доставку на следующую неделю\n";
  auto plain = cli({"reply", "eval", (dir / "event.tsv").string()});
  auto starred = cli({"reply", "eval", (dir / "event.tsv").string(), "--rating", "1"});
  INFO(plain.out << starred.out);
  CHECK(starred.out.find("addressed 1/1 = 100.0%") != std::string::npos);
  CHECK(cli({"reply", "eval", (dir / "event.tsv").string(), "--rating", "7"}).code == kExitUsage);

  std::ofstream(dir / "broken.tsv") << "claim\t-\tno text yet\n";
  auto broken = cli({"reply", "eval", (dir / "broken.tsv").string()});
  CHECK(broken.code == 1);
  CHECK(broken.err.find("broken.tsv:1: a claim before any text line") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("check-config and reply draft -c load the team's templates and report their problems", "[cli][reply]") {
  const fs::path dir = temp_dir();
  fs::create_directories(dir / "replies");
  std::ifstream shipped(std::string(OTKLIK_SOURCE_DIR) + "/config/replies/en.toml");
  std::string en((std::istreambuf_iterator<char>(shipped)), std::istreambuf_iterator<char>());
  const std::string from = "greeting = [\"Hello,\"]";
  REQUIRE(en.find(from) != std::string::npos);
  en.replace(en.find(from), from.size(), "greeting = [\"Good day,\"]");
  std::ofstream(dir / "replies" / "en.toml") << en;
  std::ofstream(dir / "otklik.toml") << "[daemon]\nstate = \"s.db\"\nlocale = \"en\"\n[[channel]]\nname = \"c\"\n"
                                        "type = \"console\"\n[[route]]\nchannel = \"c\"\n"
                                        "[replies]\ntemplates = \"replies\"\n";
  auto ok = cli({"check-config", "-c", (dir / "otklik.toml").string()});
  INFO(ok.err);
  CHECK(ok.code == kExitOk);
  auto draft = cli({"reply", "draft", "-c", (dir / "otklik.toml").string(), "The app crashes every time I log in."});
  CHECK(draft.code == kExitOk);
  CHECK(draft.out.rfind("Good day,\n\n", 0) == 0);

  std::ofstream(dir / "replies" / "ru.toml") << "greeting = [\"Привет, {nick}!\"]\n";
  auto bad = cli({"check-config", "-c", (dir / "otklik.toml").string()});
  CHECK(bad.code == kExitConfig);
  CHECK(bad.err.find("ru.toml:1: greeting: unknown placeholder {nick}") != std::string::npos);
  CHECK(bad.err.find("ru.toml:1: thanks: missing") != std::string::npos);
  CHECK(bad.err.find("missing topics (each needs a template): rudeness, waiting, unreachable") != std::string::npos);
  fs::remove_all(dir);
}
