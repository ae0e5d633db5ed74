#include "daemon/channels/mattermost_text.hpp"
#include "daemon/channels/slack_text.hpp"
#include "daemon/channels/text_util.hpp"
#include "daemon/channels/webhook_payload.hpp"
#include "tests/support/catch_result.hpp"
#include "tests/unit/channels/channel_test_support.hpp"

#include <boost/json.hpp>

#include <algorithm>

using namespace otklik;
using namespace otklik::channels;
namespace json = boost::json;

TEST_CASE("slack escaping defuses mentions and links", "[channels][slack]") {
  struct Case {
    std::string in, out;
  };
  const std::vector<Case> cases{
      {"<!channel> hi", "&lt;!channel&gt; hi"},
      {"<!here|here>", "&lt;!here|here&gt;"},
      {"<!everyone>", "&lt;!everyone&gt;"},
      {"<@U024BE7LH>", "&lt;@U024BE7LH&gt;"},
      {"<http://evil.example|Your bank>", "&lt;http://evil.example|Your bank&gt;"},
      {"@here @channel", "@here @channel"},  // plain text in webhook messages (no link_names)
      {"a & b &amp;", "a &amp; b &amp;amp;"},
      {"Привет", "Привет"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.in);
    CHECK(escape_slack(c.in) == c.out);
  }
}

TEST_CASE("slack escaping: review text cannot add formatting", "[channels][slack]") {
  struct Case {
    std::string in, out;
  };
  const std::vector<Case> cases{
      {"*bold* _italic_ `code` ~strike~", "\u2217bold\u2217 \u02CDitalic\u02CD \u02CBcode\u02CB \u223Cstrike\u223C"},
      {"```\nblock\n```", "\u02CB\u02CB\u02CB\nblock\n\u02CB\u02CB\u02CB"},
      {"snake_case_name", "snake\u02CDcase\u02CDname"},
      {"2*3*4", "2\u22173\u22174"},
      {"> quoted", "\u00AD&gt; quoted"},
      {"  > indented quote", "  \u00AD&gt; indented quote"},
      {"a > b\n> c", "a &gt; b\n\u00AD&gt; c"},
      {"\uFF1E full-width quote", "\u00AD\uFF1E full-width quote"},
      {"\uFF0A\u592A\uFF0A \uFF3F\u659C\uFF3F \uFF40x\uFF40 \uFF5Ey\uFF5E", "\uFE61\u592A\uFE61 \u2E0F\u659C\u2E0F \u02CBx\u02CB \u223Cy\u223C"},
      {"*<!channel>*", "\u2217&lt;!channel&gt;\u2217"},
      {"ok: no change.", "ok: no change."},
  };
  for (const auto& c : cases) {
    CAPTURE(c.in);
    CHECK(escape_slack(c.in) == c.out);
  }
}

TEST_CASE("slack payload: hostile review text keeps the alert's own bold and adds none", "[channels][slack]") {
  const auto& en = strings_for("en");
  auto req = test::sample_alert();
  req.mention->mention.text = "*FREE* _money_ `rm -rf` ~gone~ terrible service\n> fake quote *";
  req.mention->mention.author = "*Admin*";
  const auto& m = req.mention->mention;
  req.mention->sentiment.sentences = {{0, m.title.size() + 1 + m.text.size(), -0.8, Label::negative}};  // all bold
  const std::string payload = build_slack_payload(build_alert_content(req, TimeZone{}, en), en);
  const auto body = json::parse(payload).as_object();
  std::size_t own_stars = 0;
  for (const auto& block : body.at("blocks").as_array()) {
    const auto* text = block.as_object().if_contains("text");
    if (!text) continue;
    const std::string t(text->at("text").as_string());
    CAPTURE(t);
    for (const std::string_view bad : {"*FREE*", "_money_", "`rm -rf`", "~gone~", "*Admin*", "\n> ", "\n&gt; "})
      CHECK(t.find(bad) == std::string::npos);
    own_stars += static_cast<std::size_t>(std::count(t.begin(), t.end(), '*'));
  }
  // Every "*" left is one of the alert's own, in pairs: "*Negative review*", "*brand*", …
  CHECK(own_stars % 2 == 0);
  CHECK(payload.find("\u2217FREE\u2217 \u02CDmoney\u02CD \u02CBrm -rf\u02CB \u223Cgone\u223C") != std::string::npos);
  CHECK(payload.find("\u2217Admin\u2217") != std::string::npos);
  CHECK(payload.find("\u00AD&gt; fake quote \u2217") != std::string::npos);
}

TEST_CASE("slack payload: blocks within limits, negative sentences bold", "[channels][slack]") {
  const auto& en = strings_for("en");
  auto req = test::sample_alert();
  const auto body = json::parse(build_slack_payload(build_alert_content(req, TimeZone{}, en), en)).as_object();
  CHECK(body.at("text").as_string() == "Negative review · Кофейня Бобры · maps-reviews");
  CHECK(body.at("unfurl_links").as_bool() == false);
  const auto& blocks = body.at("blocks").as_array();
  REQUIRE(blocks.size() == 3);
  const std::string review(blocks[1].at("text").at("text").as_string());
  CHECK(review == "*Долгое ожидание*\nЗашли утром. *Ждали кофе сорок минут &amp; никто не извинился.*");
  const std::string head(blocks[0].at("text").at("text").as_string());
  CHECK(head.find("Author: Ирина &lt;К.&gt;") != std::string::npos);
  const std::string foot(blocks[2].at("text").at("text").as_string());
  CHECK(foot.find("<https://reviews.example/r/100?a=1&amp;b=2|Open the review>") != std::string::npos);
}

TEST_CASE("slack payload of a huge hostile review stays within limits", "[channels][slack]") {
  const auto& ru = strings_for("ru");
  auto req = test::sample_alert();
  req.mention->mention.text = std::string(20000, '<');
  req.mention->sentiment.sentences.clear();
  const auto body = json::parse(build_slack_payload(build_alert_content(req, TimeZone{}, ru), ru)).as_object();
  const auto& blocks = body.at("blocks").as_array();
  CHECK(blocks.size() <= kSlackMaxBlocks);
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    const std::string text(blocks[i].at("text").at("text").as_string());
    CHECK(utf16_length(text) <= kSlackSectionMax);
    if (i + 1 < blocks.size()) CHECK(text.find('<') == std::string::npos);  // the last holds our link
  }
  CHECK(blocks.size() >= 3);
}

TEST_CASE("slack splitting never cuts an entity", "[channels][slack]") {
  const std::string text = escape_slack(std::string(5000, '&'));
  const auto parts = split_slack_text(text, 3000);
  std::string joined;
  for (const auto& p : parts) {
    CHECK(p.size() <= 3000);
    CHECK(p.substr(p.size() - 5) == "&amp;");
    joined += p;
  }
  CHECK(joined == text);
  const auto lines = split_slack_text(std::string(2000, 'a') + "\n" + std::string(2000, 'b'), 3000);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0] == std::string(2000, 'a') + "\n");
}

TEST_CASE("mattermost escaping defuses mentions and markdown", "[channels][mattermost]") {
  struct Case {
    std::string in, out;
  };
  const std::vector<Case> cases{
      {"@channel look", "@\u200Bchannel look"},
      {"@all @here", "@\u200Ball @\u200Bhere"},
      {"[click](http://evil)", "\\[click\\]\\(http://evil\\)"},
      {"**bold** _it_ `code`", "\\*\\*bold\\*\\* \\_it\\_ \\`code\\`"},
      {"# heading", "\\# heading"},
      {"- item\n1. first", "\\- item\n1\\. first"},
      {"~town-square", "\\~town-square"},
      {"a - b 2.5", "a - b 2.5"},
      {"<b>", "\\<b\\>"},
      {"back\\slash", "back\\\\slash"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.in);
    CHECK(escape_mattermost(c.in) == c.out);
  }
}

TEST_CASE("mattermost payload is one markdown text within the post limit", "[channels][mattermost]") {
  const auto& ru = strings_for("ru");
  auto req = test::sample_alert();
  auto body = json::parse(build_mattermost_payload(build_alert_content(req, TimeZone{}, ru), ru)).as_object();
  const std::string text(body.at("text").as_string());
  CHECK(text.find("**Ждали кофе сорок минут & никто не извинился\\.**") == std::string::npos);  // '.' is not escaped
  CHECK(text.find("**Ждали кофе сорок минут & никто не извинился.**") != std::string::npos);
  CHECK(text.find("[Открыть отзыв](https://reviews.example/r/100?a=1&b=2)") != std::string::npos);
  req.mention->mention.text = std::string(30000, '*');
  body = json::parse(build_mattermost_payload(build_alert_content(req, TimeZone{}, ru), ru)).as_object();
  CHECK(code_point_length(body.at("text").as_string()) <= kMattermostMaxChars);
}

TEST_CASE("webhook payload follows the otklik.alert.v1 schema", "[channels][webhook]") {
  const auto& en = strings_for("en");
  const auto req = test::sample_alert();
  const auto body = json::parse(build_webhook_payload(req, build_alert_content(req, TimeZone{}, en), en)).as_object();
  CHECK(body.at("schema").as_string() == "otklik.alert.v1");
  CHECK(body.at("id").as_string() == "otklik-42");
  CHECK(body.at("kind").as_string() == "alert");
  CHECK(body.at("channel").as_string() == "team");
  CHECK(body.at("created").as_string() == "2026-11-23T12:30:00Z");
  CHECK(body.at("severity").as_string() == "high");
  CHECK(body.at("brand").as_string() == "Кофейня Бобры");
  CHECK(body.at("locale").as_string() == "en");
  CHECK(body.at("text").as_string().starts_with("\U0001F534 **Negative review**"));
  const auto& m = body.at("mention").as_object();
  CHECK(m.at("id").as_int64() == 7);
  CHECK(m.at("source").as_string() == "maps-reviews");
  CHECK(m.at("external_id").as_string() == "r-100");
  CHECK(m.at("url").as_string() == "https://reviews.example/r/100?a=1&b=2");
  CHECK(m.at("author").as_string() == "Ирина <К.>");
  CHECK(m.at("rating").as_double() == 1.0);
  CHECK(m.at("published").as_string() == "2026-11-23T12:30:00Z");
  const auto& s = body.at("sentiment").as_object();
  CHECK(s.at("label").as_string() == "negative");
  CHECK(s.at("score").as_double() == -0.72);
  CHECK(s.at("lang").as_string() == "ru");
  CHECK(s.at("why").as_array().size() == 2);
  CHECK(s.at("why").as_array()[0].at("term").as_string() == "никто не извинился");
  CHECK(s.at("sentences").as_array().size() == 3);
  CHECK(!body.contains("notice"));

  const auto notice = test::sample_notice();
  const auto nb = json::parse(build_webhook_payload(notice, build_alert_content(notice, TimeZone{}, en), en)).as_object();
  CHECK(nb.at("kind").as_string() == "notice");
  CHECK(nb.at("id").as_string() == "otklik-43");
  CHECK(nb.at("notice").at("title").as_string() == "Source broken");
  CHECK(!nb.contains("mention"));
}

TEST_CASE("idempotency keys are stable per outbox row", "[channels][webhook]") {
  CHECK(idempotency_key(42) == "otklik-42");
  CHECK(idempotency_key(42) == idempotency_key(42));
  CHECK(idempotency_key(43) != idempotency_key(42));
}
