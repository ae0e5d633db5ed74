#include "daemon/store/sentiment_json.hpp"

#include "daemon/sentiment/sentiment_json.hpp"

#include <boost/json.hpp>

namespace otklik::store {
namespace json = boost::json;

namespace {

/// A sentence's label in the compact form: -1 negative, 0 neutral, 1 positive (on disk: never changes).
int label_code(Label l) { return l == Label::negative ? -1 : l == Label::positive ? 1 : 0; }

}  // namespace

std::string sentiment_to_json(const Sentiment& s) {
  // Written by hand, not through Boost.JSON's objects: the store makes one for every negative
  // mention, and building, serialising and deflating the object form (1.8 KiB for a 1.3 KiB
  // review) was a fifth of a first poll's CPU. The arrays hold the same numbers in half the bytes.
  std::string out;
  out.reserve(112 + 28 * s.sentences.size() + 32 * s.why.size());
  out += "{\"v\":2,\"label\":\"";
  out += to_string(s.label);
  out += "\",\"score\":";
  append_json_exact(out, s.score);
  out += ",\"confidence\":";
  append_json_exact(out, s.confidence);
  out += ",\"lang\":\"";
  out += to_string(s.lang);
  out += "\",\"sentences\":[";
  for (std::size_t i = 0; i < s.sentences.size(); ++i) {
    const SentenceScore& x = s.sentences[i];
    append_json_span(out, i == 0, x.begin, x.end, x.score);
    out += ',';
    append_json_integer(out, label_code(x.label));
    out += ']';
  }
  out += "],\"why\":[";
  for (std::size_t i = 0; i < s.why.size(); ++i) {
    out += i == 0 ? "[" : ",[";
    append_json_quote(out, s.why[i].term);
    out += ',';
    append_json_exact(out, s.why[i].weight);
    out += ']';
  }
  out += "]}";
  return out;
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

std::optional<std::uint64_t> offset(const json::value& v) {
  if (v.is_uint64()) return v.get_uint64();
  if (v.is_int64() && v.get_int64() >= 0) return static_cast<std::uint64_t>(v.get_int64());
  return std::nullopt;
}

std::optional<std::uint64_t> offset(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr) return std::nullopt;
  return offset(*v);
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

  // Version 2 (sentiment_to_json) keeps a sentence as [begin, end, score, label code] and a term
  // as [term, weight]; rows written before it keep objects with named keys.
  const json::value* version = o->if_contains("v");
  const bool compact = version != nullptr;
  if (compact && !(version->is_int64() && version->get_int64() == 2)) return bad("unknown version");

  if (const json::value* v = o->if_contains("sentences"); v != nullptr) {
    if (!v->is_array()) return bad("sentences is not an array");
    s.sentences.reserve(v->get_array().size());
    for (const json::value& item : v->get_array()) {
      if (compact) {
        const json::array* x = item.if_array();
        if (x == nullptr || x->size() != 4) return bad("sentence is not [begin, end, score, label]");
        auto begin = offset((*x)[0]);
        auto end = offset((*x)[1]);
        auto code = (*x)[3].if_int64();
        if (!begin || !end || !(*x)[2].is_number() || code == nullptr || *code < -1 || *code > 1)
          return bad("bad sentence");
        const Label l = *code < 0 ? Label::negative : *code > 0 ? Label::positive : Label::neutral;
        s.sentences.push_back({static_cast<std::size_t>(*begin), static_cast<std::size_t>(*end),
                               (*x)[2].to_number<double>(), l});
        continue;
      }
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
    s.why.reserve(v->get_array().size());
    for (const json::value& item : v->get_array()) {
      if (compact) {
        const json::array* x = item.if_array();
        if (x == nullptr || x->size() != 2 || !(*x)[0].is_string() || !(*x)[1].is_number())
          return bad("bad why entry");
        s.why.push_back({std::string((*x)[0].get_string()), (*x)[1].to_number<double>()});
        continue;
      }
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
