// The repliers of google_business, app_store_connect and trustpilot over real HTTP against the shared fake
// sites (tests/support/sites): the source reads the review, the replier finds it from the mention,
// publishes, reads its own answer back, and the next poll shows it as the company's reply; a
// refusal the fake is told to give surfaces with the site's words. This also holds the fakes to
// the wire format the preset and the replier use.
#include "daemon/net/http_client.hpp"
#include "sources/source.hpp"
#include "tests/support/catch_result.hpp"
#include "tests/support/fixture.hpp"
#include "tests/support/sites/fake_app_store_connect.hpp"
#include "tests/support/sites/fake_google_business.hpp"
#include "tests/support/sites/fake_trustpilot.hpp"

#include <catch2/catch.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <algorithm>
#include <cstdlib>

using namespace otklik;
using namespace std::chrono_literals;

namespace {

template <class T>
T run_on(boost::asio::io_context& io, boost::asio::awaitable<T> task) {
  auto future = boost::asio::co_spawn(io, std::move(task), boost::asio::use_future);
  io.restart();
  io.run();
  return future.get();
}

std::unique_ptr<HttpClient> http_client(boost::asio::io_context& io) {
  HttpConfig config;
  config.per_host_delay = 0ms;
  return make_http_client(io.get_executor(), config, "otklik-test");
}

const Mention* with_id(const PollResult& poll, std::string_view id) {
  auto it = std::find_if(poll.mentions.begin(), poll.mentions.end(),
                         [&](const Mention& m) { return m.external_id == id; });
  return it == poll.mentions.end() ? nullptr : &*it;
}

SourceConfig google_config(const test::FakeGoogleBusiness& google) {
  SourceConfig c;
  c.name = "gbp";
  c.type = "google_business";
  c.brand = "romashka";
  c.url = google.url();
  c.options.insert("account_id", google.options().account_id);
  c.options.insert("token_url", google.token_url());
  c.secrets.emplace_back("client_id", Secret("env:GBP_ID", google.options().client_id));
  c.secrets.emplace_back("client_secret", Secret("env:GBP_SECRET", google.options().client_secret));
  c.secrets.emplace_back("refresh_token", Secret("env:GBP_REFRESH", google.options().refresh_token));
  return c;
}

SourceConfig asc_config(const test::FakeAppStoreConnect& apple) {
  SourceConfig c;
  c.name = "asc";
  c.type = "app_store_connect";
  c.brand = "rocketbank";
  c.url = apple.url();
  c.options.insert("app_id", apple.options().app_id);
  c.options.insert("issuer_id", apple.options().issuer_id);
  c.options.insert("key_id", apple.options().key_id);
  c.secrets.emplace_back("private_key",
                         Secret("file:AuthKey_TEST2K7Q9Z.p8", test::read_fixture("app_store_connect/AuthKey_TEST2K7Q9Z.p8")));
  return c;
}

SourceConfig trustpilot_config(const test::FakeTrustpilot& tp) {
  SourceConfig c;
  c.name = "tp";
  c.type = "trustpilot";
  c.brand = "rocket";
  c.url = tp.page_url();
  c.options.insert("domain", tp.options().domain);
  c.options.insert("api_url", tp.url());
  c.options.insert("business_user_id", tp.options().business_user_id);
  c.secrets.emplace_back("business_api_key", Secret("env:TP_KEY", tp.options().api_key));
  c.secrets.emplace_back("business_api_secret", Secret("env:TP_SECRET", tp.options().api_secret));
  return c;
}

}  // namespace

TEST_CASE("google_business answers through the fake Business Profile API", "[google_business_reply][fake_site]") {
  test::FakeGoogleBusiness google;
  const std::string location = "4081234567890123456";
  google.add_location({location, "Кофейня «Ромашка»", "Тверская, 12", "https://maps.google.com/maps?cid=9182736450918273645"});
  google.add_review(location, {"AbFvOqn7LmWp3sE8dH5gZq", "Марина К.", "TWO", "Кофе остыл, столы грязные.",
                               "2026-11-20T18:05:03Z", std::nullopt});
  google.add_review(location, {"AbFvOqm1xKzT0aQ9cR2uYw", "Алексей", "FIVE", "Лучший круассан в городе.",
                               "2026-11-21T07:42:18Z", std::string("Спасибо, Алексей!")});

  boost::asio::io_context io;
  auto http = http_client(io);
  const auto registry = SourceRegistry::with_builtin_types();
  const SourceConfig config = google_config(google);
  auto source = registry.create(config);
  auto poster = registry.create_replier(config);
  REQUIRE(poster != nullptr);
  const TimePoint now = SystemClock::now();

  SourceState state;
  auto first = run_on(io, source->poll(PollContext{*http, state, now, "otklik-test"}));
  REQUIRE(first);
  const Mention* cold = with_id(*first, "gbp:4081234567890123456:AbFvOqn7LmWp3sE8dH5gZq");
  const Mention* warm = with_id(*first, "gbp:4081234567890123456:AbFvOqm1xKzT0aQ9cR2uYw");
  REQUIRE(cold != nullptr);
  REQUIRE(warm != nullptr);
  CHECK(cold->company_reply.empty());
  CHECK(warm->company_reply == "Спасибо, Алексей!");
  const Mention review = *cold;

  ApiContext ctx{*http, now, "otklik-test", {}};
  auto before = run_on(io, poster->current_answer(ctx, review));
  REQUIRE(before);
  CHECK_FALSE(before->has_value());
  auto already = run_on(io, poster->current_answer(ctx, *warm));
  REQUIRE(already);
  REQUIRE(already->has_value());
  CHECK((*already)->text == "Спасибо, Алексей!");

  auto posted = run_on(io, poster->post(ctx, review, "Марина, простите нас: столы теперь моют каждый час.", false));
  REQUIRE(posted);
  CHECK(posted->text == "Марина, простите нас: столы теперь моют каждый час.");
  CHECK(posted->at.has_value());
  CHECK(google.reply_of(location, "AbFvOqn7LmWp3sE8dH5gZq") ==
        std::optional<std::string>("Марина, простите нас: столы теперь моют каждый час."));
  auto after = run_on(io, poster->current_answer(ctx, review));
  REQUIRE(after);
  REQUIRE(after->has_value());
  CHECK((*after)->text == "Марина, простите нас: столы теперь моют каждый час.");

  auto second = run_on(io, source->poll(PollContext{*http, state, now + 20min, "otklik-test"}));
  REQUIRE(second);
  // `state` kept no cursor: the second poll reads the list afresh.
  const Mention* again = with_id(*second, review.external_id);
  REQUIRE(again != nullptr);
  CHECK(again->company_reply == "Марина, простите нас: столы теперь моют каждый час.");

  // The review is deleted: the API's 404 with its words; then a 5xx the fake is told to give.
  google.fail_next_answer_with(500, test::FakeGoogleBusiness::error_body(500, "INTERNAL", "Internal error encountered."));
  auto failed = run_on(io, poster->post(ctx, review, "Ещё раз спасибо.", true));
  REQUIRE_FALSE(failed);
  CHECK(failed.error().http_status == 500);
  google.delete_review(location, "AbFvOqn7LmWp3sE8dH5gZq");
  auto gone = run_on(io, poster->post(ctx, review, "Ещё раз спасибо.", true));
  REQUIRE_FALSE(gone);
  CHECK(gone.error().code == make_error_code(errc::http_status));
  CHECK(gone.error().http_status == 404);
  CHECK(gone.error().detail.ends_with(": NOT_FOUND: Requested entity was not found."));

  const auto answers = google.answers();
  REQUIRE(answers.size() == 3);
  CHECK(answers[0].status == 200);
  CHECK(answers[0].authorization == "Bearer " + google.options().access_token);
  CHECK(answers[1].status == 500);
  CHECK(answers[2].status == 404);
  CHECK(google.problems().empty());
}

TEST_CASE("app_store_connect answers through the fake App Store Connect API", "[app_store_connect_reply][fake_site]") {
  test::FakeAppStoreConnect apple;
  apple.add_review({"00000042-b08c-0014-5a1e-0c1d00000003", 2, "Списали комиссию за перевод",
                    "Перевёл другу 5 000 ₽ — списали комиссию 150 ₽.", "Айдар", "2026-11-18T14:30:00+05:00", "KAZ"});

  boost::asio::io_context io;
  auto http = http_client(io);
  const auto registry = SourceRegistry::with_builtin_types();
  const SourceConfig config = asc_config(apple);
  auto source = registry.create(config);
  auto poster = registry.create_replier(config);
  REQUIRE(poster != nullptr);
  const TimePoint now = SystemClock::now();

  SourceState state;
  auto first = run_on(io, source->poll(PollContext{*http, state, now, "otklik-test"}));
  REQUIRE(first);
  const Mention* found = with_id(*first, "asc:00000042-b08c-0014-5a1e-0c1d00000003");
  REQUIRE(found != nullptr);
  CHECK(found->company_reply.empty());
  const Mention review = *found;

  ApiContext ctx{*http, now, "otklik-test", {}};
  auto before = run_on(io, poster->current_answer(ctx, review));
  REQUIRE(before);
  CHECK_FALSE(before->has_value());

  auto posted = run_on(io, poster->post(ctx, review, "Айдар, комиссию вернули на карту.", false));
  REQUIRE(posted);
  CHECK(posted->id == "resp-00000042-b08c-0014-5a1e-0c1d00000003");
  REQUIRE(apple.response_of(review.external_id.substr(4)));
  CHECK(apple.response_of(review.external_id.substr(4))->state == "PENDING_PUBLISH");
  auto after = run_on(io, poster->current_answer(ctx, review));
  REQUIRE(after);
  REQUIRE(after->has_value());
  CHECK((*after)->text == "Айдар, комиссию вернули на карту.");

  // An edit overwrites the same response.
  auto edited = run_on(io, poster->post(ctx, review, "Айдар, комиссию вернули 20 ноября.", true));
  REQUIRE(edited);
  CHECK(edited->id == posted->id);
  apple.publish_responses();
  // The token is signed at the poll's clock reading, and the fake checks it against the wall clock.
  auto second = run_on(io, source->poll(PollContext{*http, state, SystemClock::now(), "otklik-test"}));
  REQUIRE(second);
  const Mention* again = with_id(*second, review.external_id);
  REQUIRE(again != nullptr);
  CHECK(again->company_reply == "Айдар, комиссию вернули 20 ноября.");

  apple.fail_next_answer_with(409, test::FakeAppStoreConnect::error_body(409, "ENTITY_ERROR.ATTRIBUTE.INVALID",
                                                                          "An attribute value is invalid.",
                                                                          "The response body is invalid."));
  auto refused = run_on(io, poster->post(ctx, review, "Спасибо!", true));
  REQUIRE_FALSE(refused);
  CHECK(refused.error().http_status == 409);
  CHECK(refused.error().detail.ends_with(": ENTITY_ERROR.ATTRIBUTE.INVALID: The response body is invalid."));
  apple.delete_review(review.external_id.substr(4));
  auto gone = run_on(io, poster->current_answer(ctx, review));
  REQUIRE_FALSE(gone);
  CHECK(gone.error().http_status == 404);

  const auto answers = apple.answers();
  REQUIRE(answers.size() == 3);
  CHECK(answers[0].status == 201);
  CHECK(answers[1].status == 201);
  CHECK(answers[2].status == 409);
  CHECK(apple.problems().empty());
}

TEST_CASE("trustpilot answers through the fake business API", "[trustpilot_reply][fake_site]") {
  test::FakeTrustpilot tp;
  tp.add_review({"65f1c0de0123456789abcdef", "Anna", "A week late", "The parcel came a week late and crushed.", 2,
                 "2026-11-20T18:05:03.000Z", std::nullopt});

  boost::asio::io_context io;
  auto http = http_client(io);
  const auto registry = SourceRegistry::with_builtin_types();
  const SourceConfig config = trustpilot_config(tp);
  auto source = registry.create(config);
  auto poster = registry.create_replier(config);
  REQUIRE(poster != nullptr);
  const TimePoint now = SystemClock::now();

  SourceState state;
  auto first = run_on(io, source->poll(PollContext{*http, state, now, "otklik-test"}));
  REQUIRE(first);
  const Mention* found = with_id(*first, "65f1c0de0123456789abcdef");
  REQUIRE(found != nullptr);
  CHECK(found->company_reply.empty());
  const Mention review = *found;

  ApiContext ctx{*http, now, "otklik-test", {}};
  auto before = run_on(io, poster->current_answer(ctx, review));
  REQUIRE(before);
  CHECK_FALSE(before->has_value());
  auto posted = run_on(io, poster->post(ctx, review, "Anna, we are sorry: the delivery is refunded.", false));
  REQUIRE(posted);
  CHECK(tp.reply_of(review.external_id) == std::optional<std::string>("Anna, we are sorry: the delivery is refunded."));
  auto after = run_on(io, poster->current_answer(ctx, review));
  REQUIRE(after);
  REQUIRE(after->has_value());
  CHECK((*after)->text == "Anna, we are sorry: the delivery is refunded.");

  // Posting again over a reply is refused by the fake; an edit deletes first.
  auto edited = run_on(io, poster->post(ctx, review, "Anna, the refund reached your card on 24 November.", true));
  REQUIRE(edited);
  auto second = run_on(io, source->poll(PollContext{*http, state, now + 2h, "otklik-test"}));
  REQUIRE(second);
  const Mention* again = with_id(*second, review.external_id);
  REQUIRE(again != nullptr);
  CHECK(again->company_reply == "Anna, the refund reached your card on 24 November.");

  tp.fail_next_answer_with(500, R"({"message": "Internal error"})");
  auto failed = run_on(io, poster->post(ctx, review, "Thank you!", false));
  REQUIRE_FALSE(failed);
  CHECK(failed.error().http_status == 500);

  const auto answers = tp.answers();
  REQUIRE(answers.size() == 4);
  CHECK(answers[0].method == "POST");
  CHECK(answers[0].status == 201);
  CHECK(answers[1].method == "DELETE");
  CHECK(answers[1].status == 204);
  CHECK(answers[2].status == 201);
  CHECK(answers[3].status == 500);
  CHECK(tp.problems().empty());
}
