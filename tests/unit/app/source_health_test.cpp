// Source health: when a source counts as broken (captcha / ban page, nothing found N polls in a
// row), that it is reported once and recovers once, and what the notice says.
#include "daemon/app/source_health.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

using namespace otklik;
using namespace std::chrono_literals;

namespace {

const TimePoint kT0 = TimePoint{} + 24h * 20'000;

PollOutcome ok(std::size_t items) { return {true, false, items, ""}; }
PollOutcome not_modified() { return {true, true, 0, ""}; }
PollOutcome blocked(std::string why) { return {false, false, 0, std::move(why)}; }
PollOutcome failed() { return {false, false, 0, ""}; }
PollOutcome rejected(std::string why) { return {false, false, 0, "", std::move(why)}; }

struct Step {
  PollOutcome outcome;
  HealthChange expected;
  std::int64_t empty_polls_after;
  bool broken_after;
};

}  // namespace

TEST_CASE("a source is reported broken once and recovered once", "[app][health]") {
  struct Story {
    const char* what;
    int limit;
    std::vector<Step> steps;
  };
  const Story stories[] = {
      {"three empty polls with a limit of three",
       3,
       {{ok(5), HealthChange::none, 0, false},
        {ok(0), HealthChange::none, 1, false},
        {not_modified(), HealthChange::none, 1, false},  // a 304 says nothing
        {ok(0), HealthChange::none, 2, false},
        {failed(), HealthChange::none, 2, false},        // a timeout is not "nothing found"
        {ok(0), HealthChange::broken, 3, true},
        {ok(0), HealthChange::none, 4, true},            // reported once
        {ok(0), HealthChange::none, 5, true},
        {ok(2), HealthChange::recovered, 0, false},
        {ok(0), HealthChange::none, 1, false}}},
      {"a captcha page breaks at once and an empty poll does not mend it",
       5,
       {{blocked("captcha page"), HealthChange::broken, 0, true},
        {blocked("captcha page"), HealthChange::none, 0, true},
        {ok(0), HealthChange::none, 1, true},
        {not_modified(), HealthChange::none, 1, true},
        {ok(1), HealthChange::recovered, 0, false}}},
      {"a refused key breaks at once, once, and any poll that works again mends it, reviews or not",
       3,
       {{ok(4), HealthChange::none, 0, false},
        {rejected("Wildberries refused the credentials (HTTP 401): token expired"), HealthChange::broken, 0, true},
        {rejected("Wildberries refused the credentials (HTTP 401): token expired"), HealthChange::none, 0, true},
        {failed(), HealthChange::none, 0, true},
        {ok(0), HealthChange::recovered, 0, false},
        {rejected("Wildberries refused the credentials (HTTP 401): token expired"), HealthChange::broken, 0, true},
        {not_modified(), HealthChange::recovered, 0, false}}},
      {"a limit of zero never counts empty polls",
       0,
       {{ok(0), HealthChange::none, 1, false},
        {ok(0), HealthChange::none, 2, false},
        {blocked("access denied page"), HealthChange::broken, 2, true}}},
  };
  for (const auto& story : stories) {
    INFO(story.what);
    SourceState state;
    state.source = "maps";
    TimePoint now = kT0;
    std::optional<TimePoint> broken_at;
    for (std::size_t i = 0; i < story.steps.size(); ++i) {
      INFO("step " << i + 1);
      const Step& s = story.steps[i];
      now += 10min;
      const HealthStep step = track_health(state, s.outcome, story.limit, now);
      CHECK(step.change == s.expected);
      CHECK(state.empty_polls == s.empty_polls_after);
      CHECK(state.broken_since.has_value() == s.broken_after);
      if (step.change == HealthChange::broken) {
        broken_at = now;
        CHECK(state.broken_reason == step.reason);
        CHECK_FALSE(step.reason.empty());
      }
      if (state.broken_since) CHECK(state.broken_since == broken_at);  // kept from the report
      if (!state.broken_since) CHECK(state.broken_reason.empty());
    }
  }
}

TEST_CASE("the reason of an empty source counts its polls", "[app][health]") {
  SourceState state;
  for (int i = 0; i < 4; ++i) track_health(state, ok(0), 4, kT0);
  CHECK(state.broken_reason == "no items in 4 polls in a row");
}

TEST_CASE("health notices say what happened in the team's language", "[app][health]") {
  SourceConfig source;
  source.name = "maps-main";
  source.url = "https://maps.example/org/1/reviews";
  auto fields = [](const std::string& payload) {
    auto v = boost::json::parse(payload).as_object();
    return std::pair<std::string, std::string>(std::string(v.at("title").as_string()),
                                               std::string(v.at("text").as_string()));
  };
  SourceState state;
  state.empty_polls = 5;
  auto [t1, x1] = fields(health_notice(source, {HealthChange::broken, "no items in 5 polls in a row"}, state, 0, "ru"));
  CHECK(t1 == "Источник «maps-main» перестал находить отзывы");
  CHECK(x1.find("5 успешных опросов подряд") != std::string::npos);
  CHECK(x1.find("нас заблокировали") != std::string::npos);
  CHECK(x1.find(source.url) != std::string::npos);

  SourceState blocked_state;
  auto [t2, x2] = fields(health_notice(source, {HealthChange::broken, "captcha page"}, blocked_state, 0, "en"));
  CHECK(t2 == "Source \"maps-main\" is blocked: captcha page");
  CHECK(x2.find("answered with a captcha page") != std::string::npos);

  SourceState rejected_state;
  const HealthStep refused = track_health(
      rejected_state, rejected("Ozon refused the credentials (HTTP 403): Premium Plus subscription required"), 5, kT0);
  CHECK(rejected_state.broken_reason ==
        "credentials rejected: Ozon refused the credentials (HTTP 403): Premium Plus subscription required");
  auto [t4, x4] = fields(health_notice(source, refused, rejected_state, 0, "ru"));
  CHECK(t4 == "Источник «maps-main»: API не принимает ключ");
  CHECK(x4.starts_with("credentials rejected: Ozon refused the credentials (HTTP 403): Premium Plus subscription "
                       "required. Пока ключ или токен не заменён"));
  auto [t5, x5] = fields(health_notice(source, refused, rejected_state, 0, "en"));
  CHECK(t5 == "Source \"maps-main\": the API rejected the credentials");
  CHECK(x5.find("until the key or token is renewed") != std::string::npos);

  auto [t3, x3] = fields(health_notice(source, {HealthChange::recovered, ""}, SourceState{}, 7, "ru"));
  CHECK(t3 == "Источник «maps-main» снова работает");
  CHECK(x3 == "Последний опрос нашёл отзывов: 7.");
}

TEST_CASE("health notices go to the configured channels, or every chat but e-mail", "[app][health]") {
  Config c;
  ChannelConfig tg;
  tg.name = "team";
  tg.type = "telegram";
  ChannelConfig mail;
  mail.name = "mail";
  mail.type = "email";
  ChannelConfig ops;
  ops.name = "ops";
  ops.type = "slack";
  c.channels = {tg, mail, ops};
  CHECK(health_channels(c) == std::vector<std::string>{"team", "ops"});
  c.source_health.channels = {"ops"};
  CHECK(health_channels(c) == std::vector<std::string>{"ops"});
  c.source_health.empty_polls = 7;
  c.daemon.locale = "en";
  const SourceHealthPolicy p = make_health_policy(c);
  CHECK(p.empty_polls == 7);
  CHECK(p.channels == std::vector<std::string>{"ops"});
  CHECK(p.locale == "en");
}
