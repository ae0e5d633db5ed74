// render_alert(): the one layout of an alert, written in each chat's markup (alert_render.hpp).
#include "daemon/channels/alert_render.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace otklik::channels {
namespace {

std::string_view severity_marker(Severity s) {
  switch (s) {
    case Severity::high: return "\U0001F534";    // red circle
    case Severity::medium: return "\U0001F7E0";  // orange circle
    case Severity::low: break;
  }
  return "\U0001F7E1";  // yellow circle
}

std::string plain_escape(std::string_view text) { return std::string(text); }
std::string plain_strong(std::string_view escaped) { return wrap_lines(escaped, "**", "**"); }
std::string plain_emphasis(std::string_view escaped) { return std::string(escaped); }
std::string plain_link(std::string_view url, std::string_view label) { return fmt::format("{}: {}", label, url); }

constexpr Markup kPlain{plain_escape, plain_strong, plain_emphasis, plain_link};

/// Leading whitespace + strong(core) + trailing whitespace.
std::string strong_span(std::string_view escaped, const Markup& markup) {
  constexpr std::string_view kSpace = " \t\n";
  const auto b = escaped.find_first_not_of(kSpace);
  if (b == std::string_view::npos) return std::string(escaped);
  const auto e = escaped.find_last_not_of(kSpace) + 1;
  return std::string(escaped.substr(0, b)) + markup.strong(escaped.substr(b, e - b)) + std::string(escaped.substr(e));
}

/// Claims (numbered, with their topics), the topic list, response hints and earlier mentions.
std::string render_points(const AlertContent& c, const Strings& s, const Markup& m) {
  std::string out;
  auto join = [](const std::vector<std::string>& names) {
    std::string j;
    for (const auto& n : names) j += (j.empty() ? "" : ", ") + n;
    return j;
  };
  if (!c.claims.empty()) {
    out += m.strong(m.escape(std::string(s.claims) + ":"));
    for (std::size_t i = 0; i < c.claims.size(); ++i) {
      std::string line = fmt::format("{}. {}", i + 1, c.claims[i].text);
      if (!c.claims[i].topics.empty()) line += " \u2014 " + join(c.claims[i].topics);
      out += "\n" + m.escape(line);
    }
  }
  if (!c.topics.empty()) {
    if (!out.empty()) out += "\n";
    out += m.escape(fmt::format("{}: {}", s.topics, join(c.topics)));
  }
  if (!c.hints.empty()) {
    if (!out.empty()) out += "\n\n";
    out += m.strong(m.escape(std::string(s.hints) + ":"));
    for (const auto& h : c.hints) out += "\n" + m.escape("\u2022 " + h);
  }
  if (!c.earlier.empty()) {
    if (!out.empty()) out += "\n\n";
    out += m.escape(std::string(s.earlier) + ":");
    for (const auto& e : c.earlier) {
      out += "\n" + m.escape("\u2022 ");
      out += e.url.empty() ? m.escape(e.label) : m.link(e.url, m.escape(e.label));
    }
  }
  return out;
}

}  // namespace

const Markup& plain_markup() noexcept { return kPlain; }

std::string wrap_lines(std::string_view escaped, std::string_view open, std::string_view close) {
  std::string out;
  std::size_t pos = 0;
  while (pos <= escaped.size()) {
    const std::size_t nl = std::min(escaped.find('\n', pos), escaped.size());
    const std::string_view line = escaped.substr(pos, nl - pos);
    const auto b = line.find_first_not_of(" \t");
    if (b == std::string_view::npos) {
      out.append(line);
    } else {
      const auto e = line.find_last_not_of(" \t") + 1;
      out.append(line.substr(0, b)).append(open).append(line.substr(b, e - b)).append(close).append(line.substr(e));
    }
    if (nl == escaped.size()) break;
    out.push_back('\n');
    pos = nl + 1;
  }
  return out;
}

std::string RenderedAlert::joined() const {
  std::string out;
  for (const std::string* part : {&head, &body, &points, &foot, &status}) {
    if (part->empty()) continue;
    if (!out.empty()) out += "\n\n";
    out += *part;
  }
  return out;
}

RenderedAlert render_alert(const AlertContent& c, const Strings& s, const Markup& m) {
  RenderedAlert r;
  if (c.kind == ContentKind::notice) {
    std::string heading(s.notice);
    if (!c.notice_title.empty()) heading += ": " + c.notice_title;
    r.head = fmt::format("\u2139\uFE0F {}", m.strong(m.escape(heading)));
    r.body = m.escape(c.notice_text);
    return r;
  }
  if (!c.lead.empty()) {
    r.head = m.strong(m.escape(c.lead));
    for (const auto& who : c.mentions) r.head += " " + (m.mention ? m.mention(who) : m.escape(who));
    r.head += "\n";
  }
  r.head += fmt::format("{} {}", severity_marker(c.severity), m.strong(m.escape(s.negative_review)));
  if (!c.brand.empty()) r.head += " \u00B7 " + m.strong(m.escape(c.brand));
  if (!c.brand_form.empty())
    r.head += " " + m.escape(fmt::format("({}: {}{}{})", s.written_as, s.quote_open, c.brand_form, s.quote_close));
  auto fact = [&](std::string_view label, std::string_view value) {
    if (!value.empty()) r.head += fmt::format("\n{}: {}", label, m.escape(value));
  };
  fact(s.source, c.source);
  if (c.stars) fact(s.rating, format_stars(*c.stars));
  fact(s.author, c.author);
  fact(s.date, c.date);
  if (!c.repeat.empty()) r.head += "\n" + m.strong(m.escape(c.repeat));
  if (!c.repeated_topics.empty()) {
    std::string names;
    for (const auto& t : c.repeated_topics) names += (names.empty() ? "" : ", ") + t;
    r.head += "\n" + m.escape(fmt::format("\u21A9\uFE0F {}: {}", s.repeated, names));
  }

  if (!c.title.empty()) r.body = m.strong(m.escape(c.title)) + "\n";
  if (c.review.empty()) r.body += m.emphasis(m.escape(s.no_text));
  for (const auto& span : c.review) r.body += span.negative ? strong_span(m.escape(span.text), m) : m.escape(span.text);
  if (c.truncated) r.body += " " + m.emphasis(m.escape(s.shortened));
  if (!c.company_reply.empty())
    r.body += "\n\n" + m.escape("\U0001F4AC ") + m.strong(m.escape(std::string(s.company_reply) + ":")) + "\n" +
              m.emphasis(m.escape(c.company_reply));

  r.points = render_points(c, s, m);

  r.foot = fmt::format("{}: {} \u00B7 {}: {}", s.sentiment, format_score(c.score), s.severity,
                       severity_name(c.severity, s));
  if (!c.why.empty()) {
    r.foot += fmt::format("\n{}: ", s.why);
    for (std::size_t i = 0; i < c.why.size(); ++i) {
      if (i) r.foot += ", ";
      r.foot += fmt::format("{}{}{} ({})", s.quote_open, m.escape(c.why[i].term), s.quote_close,
                            format_score(c.why[i].weight));
    }
  }
  if (!c.link.empty()) r.foot += "\n" + m.link(c.link, m.escape(s.open));
  r.status = m.escape(c.status);
  return r;
}

std::string render_plain_text(const AlertContent& content, const Strings& strings) {
  return render_alert(content, strings, kPlain).joined();
}

}  // namespace otklik::channels
