#include "daemon/understanding/understanding_json.hpp"

#include "daemon/sentiment/sentiment_json.hpp"

#include <boost/json.hpp>

namespace otklik::understanding {
namespace json = boost::json;
namespace {

Failure bad(std::string_view what) { return Failure(errc::parse_failed, "stored understanding JSON: " + std::string(what)); }

/// Field readers: absent keys leave `out` unchanged; a present key of the wrong type is an error.
struct Reader {
  const json::object& o;
  std::string error;

  void text(std::string_view key, std::string& out) {
    if (const auto* v = o.if_contains(key)) {
      if (v->is_string()) out = std::string(v->get_string());
      else fail(key);
    }
  }
  void number(std::string_view key, double& out) {
    if (const auto* v = o.if_contains(key)) {
      if (v->is_number()) out = v->to_number<double>();
      else fail(key);
    }
  }
  template <class Int>
  void integer(std::string_view key, Int& out) {
    if (const auto* v = o.if_contains(key)) {
      if (v->is_int64()) out = static_cast<Int>(v->get_int64());
      else if (v->is_uint64()) out = static_cast<Int>(v->get_uint64());
      else fail(key);
    }
  }
  void list(std::string_view key, std::vector<std::string>& out) {
    const auto* v = o.if_contains(key);
    if (v == nullptr) return;
    const auto* a = v->if_array();
    if (a == nullptr) return fail(key);
    out.clear();
    for (const auto& e : *a) {
      if (!e.is_string()) return fail(key);
      out.emplace_back(e.get_string());
    }
  }
  const json::array* array(std::string_view key) {
    const auto* v = o.if_contains(key);
    if (v == nullptr) return nullptr;
    if (const auto* a = v->if_array()) return a;
    fail(key);
    return nullptr;
  }
  const json::object* object(std::string_view key) {
    const auto* v = o.if_contains(key);
    if (v == nullptr || v->is_null()) return nullptr;
    if (const auto* x = v->if_object()) return x;
    fail(key);
    return nullptr;
  }
  void fail(std::string_view key) {
    if (error.empty()) error = "\"" + std::string(key) + "\" has the wrong type";
  }
};

}  // namespace

namespace {

void append_strings(std::string& out, const std::vector<std::string>& v) {
  out += '[';
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i > 0) out += ',';
    append_json_quote(out, v[i]);
  }
  out += ']';
}

void append_key(std::string& out, std::string_view key) {
  out += ",\"";
  out += key;
  out += "\":";
}

void append_text(std::string& out, std::string_view key, std::string_view value) {
  append_key(out, key);
  append_json_quote(out, value);
}

void append_int(std::string& out, std::string_view key, long long value) {
  append_key(out, key);
  append_json_integer(out, value);
}

}  // namespace

std::string to_json(const Understanding& u, const JsonOptions& options) {
  // Written by hand: the store makes one for every negative mention, and Boost.JSON's objects
  // (with a claim as an object of five keys) cost more than the claims' arrays take to write.
  std::string out;
  out.reserve(48 + 48 * u.claims.size());
  out += "{\"v\":2,\"claims\":[";
  for (std::size_t i = 0; i < u.claims.size(); ++i) {
    const Claim& c = u.claims[i];
    append_json_span(out, i == 0, c.begin, c.end, c.score);
    out += ',';
    append_strings(out, c.topics);
    const bool is_span = options.spans_of && c.begin <= c.end && c.end <= options.spans_of->size() &&
                         options.spans_of->compare(c.begin, c.end - c.begin, c.text) == 0;
    if (!c.text.empty() && !is_span) {
      out += ',';
      append_json_quote(out, c.text);
    }
    out += ']';
  }
  out += "],\"topics\":";
  append_strings(out, u.topics);
  if (u.brand) {
    const BrandMatch& b = *u.brand;
    out += ",\"brand\":{\"brand\":";
    append_json_quote(out, b.brand);
    append_text(out, "form", b.form);
    append_text(out, "how", b.how);
    append_int(out, "distance", b.distance);
    append_int(out, "begin", static_cast<long long>(b.begin));
    append_int(out, "end", static_cast<long long>(b.end));
    out += '}';
  }
  if (options.author_keys && !u.author_id_key.empty()) append_text(out, "author_id_key", u.author_id_key);
  if (options.author_keys && !u.author_name_key.empty()) append_text(out, "author_name_key", u.author_name_key);
  if (u.repeat) {
    const RepeatAuthor& r = *u.repeat;
    out += ",\"repeat\":{\"negatives\":";
    append_json_integer(out, r.negatives);
    append_int(out, "window_days", r.window_days);
    append_key(out, "by_source");
    out += '[';
    for (std::size_t i = 0; i < r.by_source.size(); ++i) {
      out += i == 0 ? "{\"source\":" : ",{\"source\":";
      append_json_quote(out, r.by_source[i].first);
      append_int(out, "count", r.by_source[i].second);
      out += '}';
    }
    out += ']';
    append_key(out, "previous");
    out += '[';
    for (std::size_t i = 0; i < r.previous.size(); ++i) {
      const PreviousMention& p = r.previous[i];
      out += i == 0 ? "{\"mention_id\":" : ",{\"mention_id\":";
      append_json_integer(out, p.mention_id);
      append_text(out, "source", p.source);
      append_text(out, "url", p.url);
      append_int(out, "at_ms", p.published_ms);
      append_key(out, "topics");
      append_strings(out, p.topics);
      append_text(out, "case_state", p.case_state);
      out += '}';
    }
    out += ']';
    append_key(out, "repeated_topics");
    append_strings(out, r.repeated_topics);
    out += '}';
  }
  out += '}';
  return out;
}

Result<Understanding> from_json(std::string_view text) {
  Understanding u;
  if (text.empty()) return u;
  boost::system::error_code ec;
  const json::value root = json::parse(text, ec);
  if (ec) return bad(ec.message());
  const json::object* o = root.if_object();
  if (o == nullptr) return bad("not an object");
  Reader r{*o, {}};
  if (const auto* claims = r.array("claims")) {
    u.claims.reserve(claims->size());
    for (const auto& v : *claims) {
      if (const auto* ca = v.if_array()) {
        // Version 2: [begin, end, score, [topics]] and the text when it is not the span's.
        const json::array& a = *ca;
        if (a.size() != 4 && a.size() != 5) return bad("a claim is not [begin, end, score, topics, text]");
        Claim c;
        const auto* b = a[0].if_int64();
        const auto* e = a[1].if_int64();
        const auto* topics = a[3].if_array();
        if (b == nullptr || e == nullptr || *b < 0 || *e < 0 || !a[2].is_number() || topics == nullptr ||
            (a.size() == 5 && !a[4].is_string()))
          return bad("claim: wrong types");
        c.begin = static_cast<std::size_t>(*b);
        c.end = static_cast<std::size_t>(*e);
        c.score = a[2].to_number<double>();
        for (const auto& t : *topics) {
          if (!t.is_string()) return bad("claim: a topic is not a string");
          c.topics.emplace_back(t.get_string());
        }
        if (a.size() == 5) c.text = std::string(a[4].get_string());
        u.claims.push_back(std::move(c));
        continue;
      }
      const auto* co = v.if_object();
      if (co == nullptr) return bad("a claim is not an object");
      Reader cr{*co, {}};
      Claim c;
      cr.text("text", c.text);
      cr.number("score", c.score);
      cr.list("topics", c.topics);
      cr.integer("begin", c.begin);
      cr.integer("end", c.end);
      if (!cr.error.empty()) return bad("claim: " + cr.error);
      u.claims.push_back(std::move(c));
    }
  }
  r.list("topics", u.topics);
  if (const auto* b = r.object("brand")) {
    Reader br{*b, {}};
    BrandMatch m;
    br.text("brand", m.brand);
    br.text("form", m.form);
    br.text("how", m.how);
    br.integer("distance", m.distance);
    br.integer("begin", m.begin);
    br.integer("end", m.end);
    if (!br.error.empty()) return bad("brand: " + br.error);
    u.brand = std::move(m);
  }
  r.text("author_id_key", u.author_id_key);
  r.text("author_name_key", u.author_name_key);
  if (const auto* rep = r.object("repeat")) {
    Reader rr{*rep, {}};
    RepeatAuthor ra;
    rr.integer("negatives", ra.negatives);
    rr.integer("window_days", ra.window_days);
    rr.list("repeated_topics", ra.repeated_topics);
    if (const auto* bs = rr.array("by_source")) {
      for (const auto& v : *bs) {
        const auto* so = v.if_object();
        if (so == nullptr) return bad("by_source entry is not an object");
        Reader sr{*so, {}};
        std::pair<std::string, int> e;
        sr.text("source", e.first);
        sr.integer("count", e.second);
        if (!sr.error.empty()) return bad("by_source: " + sr.error);
        ra.by_source.push_back(std::move(e));
      }
    }
    if (const auto* prev = rr.array("previous")) {
      for (const auto& v : *prev) {
        const auto* po = v.if_object();
        if (po == nullptr) return bad("previous entry is not an object");
        Reader pr{*po, {}};
        PreviousMention p;
        pr.integer("mention_id", p.mention_id);
        pr.text("source", p.source);
        pr.text("url", p.url);
        pr.integer("at_ms", p.published_ms);
        pr.list("topics", p.topics);
        pr.text("case_state", p.case_state);
        if (!pr.error.empty()) return bad("previous: " + pr.error);
        ra.previous.push_back(std::move(p));
      }
    }
    if (!rr.error.empty()) return bad("repeat: " + rr.error);
    u.repeat = std::move(ra);
  }
  if (!r.error.empty()) return bad(r.error);
  return u;
}

}  // namespace otklik::understanding
