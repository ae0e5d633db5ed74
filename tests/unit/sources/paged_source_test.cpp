// Walking a preset's pages: down to the items seen last time, never past max_pages, keeping the
// cursor when a page fails, and keeping an API key out of every error and URL.
#include "daemon/net/http_client.hpp"
#include "sources/generic/feed_source.hpp"
#include "sources/generic/paged_poll.hpp"
#include "tests/support/catch_result.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <deque>
#include <sstream>

using namespace otklik;

namespace {

/// Pages as answers: each line of a body "id text" is an item; the page number is ?page=N.
class PagedSite final : public HttpClient {
 public:
  std::deque<Result<HttpResponse>> answers;
  std::vector<HttpRequest> requests;

  void page(std::string body, int status = 200) {
    HttpResponse r;
    r.status = status;
    r.body = std::move(body);
    answers.emplace_back(std::move(r));
  }

  boost::asio::awaitable<Result<HttpResponse>> fetch(HttpRequest request) override {
    requests.push_back(request);
    Result<HttpResponse> answer = answers.front();
    answers.pop_front();
    if (answer && answer->final_url.empty()) answer->final_url = request.url;
    co_return answer;
  }
};

Result<ParsedPage> parse_lines(const ParseInput& in) {
  if (in.body.starts_with("garbage")) return Failure(errc::parse_failed, in.base_url + ": not a page");
  ParsedPage page;
  std::istringstream lines{std::string(in.body)};
  for (std::string line; std::getline(lines, line);) {
    if (line.empty()) continue;
    Mention m;
    m.source = in.source;
    m.external_id = line.substr(0, line.find(' '));
    m.text = line;
    m.url = in.base_url;
    page.mentions.push_back(std::move(m));
  }
  return page;
}

/// The next page while the page held two items (a full page).
std::optional<std::string> next_by_number(std::string_view url, std::string_view, const ParsedPage& page) {
  if (page.mentions.size() < 2) return std::nullopt;
  const int n = std::stoi(query_param(url, "page").value_or("1"));
  return with_query_param(url, "page", std::to_string(n + 1));
}

FeedSource source(int max_pages, std::string key = "", std::string header = "") {
  SourceConfig config;
  config.name = "site";
  config.type = "test";
  config.url = "https://reviews.example/list?page=1";
  FeedOptions options;
  options.accept = "text/plain";
  options.next_page = next_by_number;
  options.max_pages = max_pages;
  if (!key.empty()) {
    if (header.empty()) {
      options.key_param = "key";
    } else {
      options.key_header = std::move(header);
      options.key_prefix = "Bearer ";
    }
    options.key_value = std::move(key);
  }
  return FeedSource(config, parse_lines, std::move(options));
}

Result<PollResult> poll(FeedSource& s, PagedSite& site, const SourceState& state) {
  boost::asio::io_context io;
  auto future = boost::asio::co_spawn(io, s.poll(PollContext{site, state, SystemClock::now(), ""}), boost::asio::use_future);
  io.run();
  return future.get();
}

std::vector<std::string> ids(const std::vector<Mention>& ms) {
  std::vector<std::string> out;
  for (const auto& m : ms) out.push_back(m.external_id);
  return out;
}

SourceState seen_state(const std::vector<std::string>& seen) {
  std::vector<Mention> ms;
  for (const auto& id : seen) ms.push_back(Mention{.external_id = id});
  SourceState state;
  state.cursor = make_cursor(ms);
  state.etag = "\"v7\"";
  return state;
}

}  // namespace

TEST_CASE("cursor: the newest ids, read back, other cursors are empty", "[sources][paging]") {
  std::vector<Mention> ms;
  for (int i = 0; i < 150; ++i) ms.push_back(Mention{.external_id = "r" + std::to_string(i)});
  ms.push_back(Mention{});  // no id: not kept
  const auto seen = seen_ids(make_cursor(ms));
  CHECK(seen.size() == kCursorIds);
  CHECK(seen.contains("r0"));
  CHECK(seen.contains("r99"));
  CHECK_FALSE(seen.contains("r100"));
  CHECK(seen_ids("").empty());
  CHECK(seen_ids("t3_abc").empty());  // a cursor of another format
  CHECK(seen_ids("{\"seen\":7}").empty());
  CHECK(make_cursor({}).empty());
  CHECK(reaches_seen({Mention{.external_id = "x"}, Mention{.external_id = "r5"}}, seen));
  CHECK_FALSE(reaches_seen({Mention{.external_id = "x"}}, seen));
}

TEST_CASE("the first poll reads one page: the silent baseline needs no history", "[sources][paging]") {
  PagedSite site;
  site.page("d new\nc new\n");
  auto s = source(5);
  auto r = poll(s, site, SourceState{});
  REQUIRE(r);
  CHECK(site.requests.size() == 1);
  CHECK(ids(r->mentions) == std::vector<std::string>{"d", "c"});
  CHECK(seen_ids(r->cursor) == std::set<std::string>{"c", "d"});
}

TEST_CASE("later polls walk down to the first item seen last time", "[sources][paging]") {
  PagedSite site;
  site.page("f new\ne new\n");
  site.page("d new\nc new\n");
  site.page("b seen\na seen\n");
  site.page("never asked\nfor\n");
  auto s = source(5);
  auto r = poll(s, site, seen_state({"b", "a"}));
  REQUIRE(r);
  REQUIRE(site.requests.size() == 3);
  CHECK(site.requests[0].url == "https://reviews.example/list?page=1");
  CHECK(site.requests[1].url == "https://reviews.example/list?page=2");
  CHECK(site.requests[2].url == "https://reviews.example/list?page=3");
  // Only the first page is conditional: older pages are not the ones the validators describe.
  CHECK(site.requests[0].etag == "\"v7\"");
  CHECK(site.requests[1].etag.empty());
  CHECK(ids(r->mentions) == std::vector<std::string>{"f", "e", "d", "c", "b", "a"});
  CHECK(r->warnings.empty());
  CHECK(seen_ids(r->cursor).contains("f"));
}

TEST_CASE("a walk stops at the last page and at max_pages, saying so", "[sources][paging]") {
  SECTION("the site's last page") {
    PagedSite site;
    site.page("f\ne\n");
    site.page("d\n");  // not full: the last page
    auto s = source(5);
    auto r = poll(s, site, seen_state({"zz"}));
    REQUIRE(r);
    CHECK(site.requests.size() == 2);
    CHECK(r->warnings.empty());
  }
  SECTION("the page limit") {
    PagedSite site;
    site.page("f\ne\n");
    site.page("d\nc\n");
    auto s = source(2);
    auto r = poll(s, site, seen_state({"zz"}));
    REQUIRE(r);
    CHECK(site.requests.size() == 2);
    REQUIRE(r->warnings.size() == 1);
    CHECK(r->warnings[0].find("stopped after 2 pages (max_pages)") != std::string::npos);
    CHECK(seen_ids(r->cursor).contains("c"));
  }
}

TEST_CASE("a failing older page keeps what was read and the old cursor", "[sources][paging]") {
  PagedSite site;
  site.page("f\ne\n");
  site.page("busy", 503);
  auto s = source(5);
  const SourceState state = seen_state({"b"});
  auto r = poll(s, site, state);
  REQUIRE(r);
  CHECK(ids(r->mentions) == std::vector<std::string>{"f", "e"});
  REQUIRE(r->warnings.size() == 1);
  CHECK(r->warnings[0].find("page 2 (https://reviews.example/list?page=2) not read") != std::string::npos);
  CHECK(r->warnings[0].find("the next poll reads down to here again") != std::string::npos);
  CHECK(r->cursor == state.cursor);

  PagedSite garbled;
  garbled.page("f\ne\n");
  garbled.page("garbage");
  auto r2 = poll(s, garbled, state);
  REQUIRE(r2);
  CHECK(r2->cursor == state.cursor);
  CHECK(r2->warnings[0].find("not a page") != std::string::npos);
}

TEST_CASE("the first page failing fails the poll, 304 keeps the cursor", "[sources][paging]") {
  PagedSite site;
  site.page("down", 500);
  auto s = source(5);
  CHECK_FALSE(poll(s, site, seen_state({"a"})));

  PagedSite same;
  same.page("", 304);
  const SourceState state = seen_state({"a"});
  auto r = poll(s, same, state);
  REQUIRE(r);
  CHECK(r->not_modified);
  CHECK(r->cursor == state.cursor);
  CHECK(same.requests.size() == 1);
}

TEST_CASE("a short API key is hidden in URLs without mangling words", "[sources][paging]") {
  PagedSite site;
  HttpResponse r;
  r.status = 200;
  r.body = "garbage";
  r.final_url = "https://reviews.example/list?page=1&key=k";
  site.answers.emplace_back(r);
  auto s = source(5, "k");
  auto failed = poll(s, site, SourceState{});
  REQUIRE_FALSE(failed);
  CHECK(failed.error().detail == "https://reviews.example/list?page=1: not a page");
}

TEST_CASE("an API key goes into requests only: never into URLs, errors or warnings", "[sources][paging]") {
  const std::string key = "AIzaSECRET123";
  PagedSite site;
  site.page("f\ne\n");
  site.page("nope", 403);
  auto s = source(5, key);
  auto r = poll(s, site, seen_state({"zz"}));
  REQUIRE(r);
  REQUIRE(site.requests.size() == 2);
  CHECK(site.requests[0].url == "https://reviews.example/list?page=1&key=AIzaSECRET123");
  CHECK(site.requests[1].url == "https://reviews.example/list?page=2&key=AIzaSECRET123");
  for (const auto& m : r->mentions) CHECK(m.url.find(key) == std::string::npos);
  for (const auto& w : r->warnings) CHECK(w.find(key) == std::string::npos);
  CHECK(r->cursor.find(key) == std::string::npos);

  PagedSite refused;
  refused.page("garbage", 200);
  auto failed = poll(s, refused, SourceState{});
  REQUIRE_FALSE(failed);
  CHECK(failed.error().detail.find(key) == std::string::npos);
  CHECK(failed.error().detail.find("not a page") != std::string::npos);
}

TEST_CASE("an API key may travel in a header instead, never in the URL", "[sources][paging]") {
  PagedSite site;
  site.page("f\ne\n");
  auto s = source(5, "mastodon-token-0123456789", "Authorization");
  auto r = poll(s, site, SourceState{});
  REQUIRE(r);
  REQUIRE(site.requests.size() == 1);
  CHECK(site.requests[0].url == "https://reviews.example/list?page=1");
  CHECK(find_header(site.requests[0].headers, "Authorization") ==
        std::optional<std::string_view>("Bearer mastodon-token-0123456789"));
}

TEST_CASE("a first page equal to the one stored last time is not parsed", "[sources][paging][digest]") {
  int parses = 0;
  const auto counting = [&parses](const ParseInput& in) {
    ++parses;
    return parse_lines(in);
  };
  SourceConfig config;
  config.name = "site";
  config.type = "test";
  config.url = "https://reviews.example/list";
  FeedSource s(config, counting, "text/plain");
  PagedSite site;
  const auto answer = [&](std::string body, std::string content_type = "text/plain", int status = 200) {
    HttpResponse r;
    r.status = status;
    r.headers = {{"Content-Type", std::move(content_type)}};
    r.body = std::move(body);
    site.answers.emplace_back(std::move(r));
  };

  answer("b two\na one\n");
  auto first = poll(s, site, SourceState{});
  REQUIRE(first);
  CHECK(parses == 1);
  CHECK_FALSE(first->unchanged);
  CHECK(ids(first->mentions) == std::vector<std::string>{"b", "a"});
  REQUIRE(first->page_digest.size() == 64);

  SourceState stored;
  stored.page_digest = first->page_digest;
  struct Case {
    const char* what;
    std::string body;
    std::string content_type;
    bool unchanged;
  };
  const Case cases[] = {
      {"the same bytes", "b two\na one\n", "text/plain", true},
      {"one byte more", "b two\na one\n\n", "text/plain", false},
      {"an edited item", "b two!\na one\n", "text/plain", false},
      {"another charset", "b two\na one\n", "text/plain; charset=windows-1251", false},
  };
  for (const auto& c : cases) {
    CAPTURE(c.what);
    const int before = parses;
    answer(c.body, c.content_type);
    auto r = poll(s, site, stored);
    REQUIRE(r);
    CHECK(r->unchanged == c.unchanged);
    CHECK_FALSE(r->not_modified);
    CHECK(parses == before + (c.unchanged ? 0 : 1));
    CHECK(r->mentions.size() == (c.unchanged ? 0u : 2u));
    if (c.unchanged) {
      CHECK(r->page_digest.empty());  // nothing new to keep: the stored digest stays
    } else {
      CHECK(r->page_digest.size() == 64);
      CHECK(r->page_digest != stored.page_digest);
    }
  }

  SECTION("another final URL (a redirect elsewhere) is another page") {
    HttpResponse r;
    r.status = 200;
    r.headers = {{"Content-Type", "text/plain"}};
    r.body = "b two\na one\n";
    r.final_url = "https://reviews.example/elsewhere";
    site.answers.emplace_back(std::move(r));
    auto p = poll(s, site, stored);
    REQUIRE(p);
    CHECK_FALSE(p->unchanged);
  }
  SECTION("an error status or a block page is what it is, whatever the bytes") {
    answer("b two\na one\n", "text/plain", 503);
    auto p = poll(s, site, stored);
    REQUIRE_FALSE(p);
    CHECK(p.error().code == make_error_code(errc::http_status));
  }
  SECTION("without a digest stored, the same bytes are parsed") {
    answer("b two\na one\n");
    auto p = poll(s, site, SourceState{});
    REQUIRE(p);
    CHECK_FALSE(p->unchanged);
    CHECK(p->page_digest == stored.page_digest);
  }
}

TEST_CASE("a walk that stopped at a failed page gives no digest: the next poll reads down again",
          "[sources][paging][digest]") {
  PagedSite site;
  site.page("f new\ne new\n");
  site.answers.emplace_back(Failure(errc::timeout, "read timed out"));
  auto s = source(5);
  auto r = poll(s, site, seen_state({"b", "a"}));
  REQUIRE(r);
  CHECK(ids(r->mentions) == std::vector<std::string>{"f", "e"});
  CHECK(r->page_digest.empty());

  site.page("f new\ne new\n");
  site.page("d new\nb old\n");
  auto again = poll(s, site, seen_state({"b", "a"}));
  REQUIRE(again);
  CHECK(ids(again->mentions) == std::vector<std::string>{"f", "e", "d", "b"});
  CHECK(again->page_digest.size() == 64);
}
