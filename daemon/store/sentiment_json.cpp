#include "daemon/store/sentiment_json.hpp"

#include <boost/json.hpp>

namespace otklik::store {
namespace json = boost::json;

std::string sentiment_to_json(const Sentiment& s) {
  json::array sentences;
  sentences.reserve(s.sentences.size());
  for (const SentenceScore& x : s.sentences) {
    sentences.push_back(json::object{{"begin", static_cast<std::uint64_t>(x.begin)},
                                     {"end", static_cast<std::uint64_t>(x.end)},
                                     {"score", x.score},
                                     {"label", to_string(x.label)}});
  }
  json::array why;
  why.reserve(s.why.size());
  for (const Contribution& c : s.why) why.push_back(json::object{{"term", c.term}, {"weight", c.weight}});
  const json::object root{{"label", to_string(s.label)}, {"score", s.score},
                          {"confidence", s.confidence},   {"lang", to_string(s.lang)},
                          {"sentences", std::move(sentences)}, {"why", std::move(why)}};
  return json::serialize(root);
}

namespace {

Failure bad(std::string_view what) {
  return Failure(errc::parse_failed, "stored sentiment JSON: " + std::string(what));
}

std::optional<double> number(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || !v->is_number()) return std::nullopt;
  return v->to_number<double>();
}

std::optional<std::uint64_t> offset(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr) return std::nullopt;
  if (v->is_uint64()) return v->get_uint64();
  if (v->is_int64() && v->get_int64() >= 0) return static_cast<std::uint64_t>(v->get_int64());
  return std::nullopt;
}

std::optional<std::string_view> string(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || !v->is_string()) return std::nullopt;
  return std::string_view(v->get_string());
}

}  // namespace

Result<Sentiment> sentiment_from_json(std::string_view text) {
  boost::system::error_code ec;
  const json::value root = json::parse(text, ec);
  if (ec) return bad(ec.message());
  const json::object* o = root.if_object();
  if (o == nullptr) return bad("not an object");

  Sentiment s;
  auto label = string(*o, "label");
  auto lang = string(*o, "lang");
  auto score = number(*o, "score");
  auto confidence = number(*o, "confidence");
  if (!label || !parse_label(*label)) return bad("bad label");
  if (!lang || !parse_lang(*lang)) return bad("bad lang");
  if (!score || !confidence) return bad("missing score or confidence");
  s.label = *parse_label(*label);
  s.lang = *parse_lang(*lang);
  s.score = *score;
  s.confidence = *confidence;

  if (const json::value* v = o->if_contains("sentences"); v != nullptr) {
    if (!v->is_array()) return bad("sentences is not an array");
    for (const json::value& item : v->get_array()) {
      const json::object* x = item.if_object();
      if (x == nullptr) return bad("sentence is not an object");
      auto begin = offset(*x, "begin");
      auto end = offset(*x, "end");
      auto sscore = number(*x, "score");
      auto slabel = string(*x, "label");
      if (!begin || !end || !sscore || !slabel || !parse_label(*slabel)) return bad("bad sentence");
      s.sentences.push_back({static_cast<std::size_t>(*begin), static_cast<std::size_t>(*end), *sscore,
                             *parse_label(*slabel)});
    }
  }
  if (const json::value* v = o->if_contains("why"); v != nullptr) {
    if (!v->is_array()) return bad("why is not an array");
    for (const json::value& item : v->get_array()) {
      const json::object* x = item.if_object();
      if (x == nullptr) return bad("why entry is not an object");
      auto term = string(*x, "term");
      auto weight = number(*x, "weight");
      if (!term || !weight) return bad("bad why entry");
      s.why.push_back({std::string(*term), *weight});
    }
  }
  return s;
}

}  // namespace otklik::store
