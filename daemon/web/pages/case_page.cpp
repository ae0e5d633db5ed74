// The case page: the review in full, what Otklik understood of it, why it scored so, the author's
// earlier complaints, the case's timeline, and the actions (as POST forms) for agents and admins.
#include "daemon/lifecycle/transition.hpp"
#include "daemon/web/pages/format.hpp"
#include "daemon/web/pages/html_escape.hpp"
#include "daemon/web/pages/page_parts.hpp"
#include "daemon/web/pages/pages.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace otklik::web {
namespace {

using namespace detail;

constexpr std::size_t kWhyTerms = 8;
constexpr std::size_t kWhySentences = 3;

std::string section(std::string_view id, std::string_view title, std::string_view html) {
  return fmt::format(R"(<section class="panel" id="{}"><h2>{}</h2>{}</section>)", escape(id), escape(title), html);
}

std::string signed_number(double v) {
  return fmt::format("{}{:.2f}", v < 0 ? "−" : "+", v < 0 ? -v : v);
}

std::string review_html(const PageContext& ctx, const CaseView& view) {
  const Locale l = ctx.locale;
  const Mention& m = view.mention.mention;
  std::string meta = R"(<dl class="meta">)";
  auto item = [&](Text key, const std::string& html) {
    meta += fmt::format("<div><dt>{}</dt><dd>{}</dd></div>", escape(tr(l, key)), html);
  };
  item(Text::col_time, time_html(ctx, event_time(m.published, view.mention.first_seen)));
  std::string where = escape(m.source);
  if (!m.subject.empty()) where += " \u00B7 " + escape(m.subject);
  if (!m.brand.empty()) where += fmt::format(R"( <span class="brand">{}</span>)", escape(m.brand));
  item(Text::col_where, where);
  item(Text::author, m.author.empty() ? fmt::format(R"(<span class="muted">{}</span>)", escape(tr(l, Text::anonymous)))
                                      : escape(m.author));
  item(Text::rating, rating_html(ctx, m.rating));
  std::string status = label_badge(ctx, view.mention.sentiment.label);
  if (!view.relabels.empty())
    status += fmt::format(R"( <span class="team">{}: {}</span>)", escape(tr(l, Text::team_label)),
                          escape(label_name(l, view.relabels.front().label)));
  if (view.record) {
    status += " " + state_badge(ctx, to_string(view.record->state));
    if (!view.record->severity.empty()) status += " " + severity_badge(ctx, view.record->severity);
  }
  item(Text::col_status, status);
  if (!m.url.empty()) item(Text::original, external_link(m.url, m.url));
  meta += "</dl>";
  std::string out = meta;
  // pre-wrap in the stylesheet keeps the review's line breaks.
  out += fmt::format(R"(<div class="review-text">{}</div>)", escape(m.text));
  return out;
}

std::string actions_html(const PageContext& ctx, const CaseView& view) {
  if (!view.record || !can_act(ctx)) return {};
  const auto actions = available_actions(view.record->state);
  if (actions.empty()) return {};
  std::string form = fmt::format(R"(<form class="actions" method="post" action="/case/{}/action">{})",
                                 view.mention.id, csrf_field(ctx));
  for (CaseAction a : actions)
    form += fmt::format(R"(<button type="submit" name="action" value="{}" class="act-{}">{}</button>)",
                        to_string(a), to_string(a), escape(action_name(ctx.locale, a)));
  form += "</form>";
  return section("actions", tr(ctx.locale, Text::actions), form);
}

std::string reply_html(const PageContext& ctx, const CaseView& view) {
  if (!view.reply || !can_act(ctx)) return {};
  const Locale l = ctx.locale;
  std::string form = fmt::format(R"(<form class="reply" method="post" action="/case/{}/reply">{})", view.mention.id,
                                 csrf_field(ctx));
  if (!view.reply->target.empty())
    form += fmt::format(R"(<p class="muted">{} {}</p>)", escape(tr(l, Text::reply_to)), escape(view.reply->target));
  form += fmt::format(R"(<textarea name="text" rows="8" aria-label="{}">{}</textarea>)", escape(tr(l, Text::reply_title)),
                      escape(view.reply->draft));
  form += fmt::format(R"(<button type="submit">{}</button></form>)", escape(tr(l, Text::reply_submit)));
  return section("reply", tr(l, Text::reply_title), form);
}

std::string claims_html(const PageContext& ctx, const CaseView& view) {
  const auto& u = view.mention.understanding;
  std::string out;
  if (!u.claims.empty()) {
    std::string list = R"(<ol class="claims">)";
    for (const auto& c : u.claims)
      list += fmt::format("<li>{}{}</li>", escape(c.text), topic_chips(view.topics, c.topics));
    out += section("claims", tr(ctx.locale, Text::claims), list + "</ol>");
  }
  if (!u.topics.empty()) out += section("topics", tr(ctx.locale, Text::topics), topic_chips(view.topics, u.topics));
  return out;
}

/// The terms that moved the score and the most negative sentences of the scored text (title and
/// text: the sentences' offsets refer to it).
std::string why_html(const PageContext& ctx, const CaseView& view) {
  const Locale l = ctx.locale;
  const Sentiment& s = view.mention.sentiment;
  std::string out = fmt::format(R"(<p>{}: <strong>{}</strong> · {}</p>)", escape(tr(l, Text::score)),
                                escape(signed_number(s.score)), label_badge(ctx, s.label));
  if (!s.why.empty()) {
    out += fmt::format(R"(<h3>{}</h3><ul class="terms">)", escape(tr(l, Text::why_terms)));
    for (std::size_t i = 0; i < s.why.size() && i < kWhyTerms; ++i)
      out += fmt::format(R"(<li><span class="term">{}</span> <span class="weight {}">{}</span></li>)",
                         escape(s.why[i].term), s.why[i].weight < 0 ? "neg" : "pos",
                         escape(signed_number(s.why[i].weight)));
    out += "</ul>";
  }
  const std::string scored = scored_text(view.mention.mention);
  std::vector<SentenceScore> negative;
  for (const auto& sentence : s.sentences)
    if (sentence.label == Label::negative && sentence.begin < sentence.end && sentence.end <= scored.size())
      negative.push_back(sentence);
  std::stable_sort(negative.begin(), negative.end(),
                   [](const SentenceScore& a, const SentenceScore& b) { return a.score < b.score; });
  if (!negative.empty()) {
    out += fmt::format(R"(<h3>{}</h3><ul class="sentences">)", escape(tr(l, Text::why_sentences)));
    for (std::size_t i = 0; i < negative.size() && i < kWhySentences; ++i)
      out += fmt::format(R"(<li><q>{}</q> <span class="weight neg">{}</span></li>)",
                         escape(scored.substr(negative[i].begin, negative[i].end - negative[i].begin)),
                         escape(signed_number(negative[i].score)));
    out += "</ul>";
  }
  return section("why", tr(l, Text::why_title), out);
}

std::string earlier_html(const PageContext& ctx, const CaseView& view) {
  const auto& repeat = view.mention.understanding.repeat;
  if (view.earlier.empty() && !repeat) return {};
  std::string out;
  if (repeat) {
    out += fmt::format(R"(<p><strong>{}</strong></p>)",
                       escape(repeat_summary(ctx.locale, repeat->negatives, repeat->window_days)));
    if (!repeat->repeated_topics.empty())
      out += fmt::format(R"(<div class="repeat">{}: {}</div>)", escape(tr(ctx.locale, Text::repeated_topics)),
                         topic_chips(view.topics, repeat->repeated_topics));
  }
  if (!view.earlier.empty()) {
    out += R"(<ul class="earlier">)";
    for (const auto& e : view.earlier) {
      out += fmt::format(R"(<li>{} <span class="source">{}</span> )", time_html(ctx, e.at), escape(e.source));
      if (!e.case_state.empty()) out += state_badge(ctx, e.case_state) + " ";
      out += fmt::format(R"(<a href="/case/{}">{}</a>)", e.mention_id, escape(tr(ctx.locale, Text::open_case)));
      if (!e.url.empty()) out += " · " + external_link(e.url, tr(ctx.locale, Text::original));
      out += topic_chips(view.topics, e.topics) + "</li>";
    }
    out += "</ul>";
  }
  return section("earlier", tr(ctx.locale, Text::earlier_title), out);
}

/// "Escalation: take, step 1" from "escalate:take:1"; the action's name for the others.
std::string event_name(Locale l, std::string_view action) {
  if (action == "open") return std::string(tr(l, Text::ev_open));
  if (action == "follow_up") return std::string(tr(l, Text::ev_follow_up));
  if (const auto a = parse_case_action(action)) return std::string(action_name(l, *a));
  if (action.starts_with("escalate:")) {
    std::string_view rest = action.substr(9);
    const auto colon = rest.find(':');
    const std::string_view deadline = rest.substr(0, colon);
    const std::string_view step = colon == std::string_view::npos ? std::string_view() : rest.substr(colon + 1);
    const std::string_view what = deadline == "take" ? action_name(l, CaseAction::take)
                                  : deadline == "resolve" ? action_name(l, CaseAction::resolve)
                                                          : deadline;
    std::string out = std::string(tr(l, Text::ev_escalate)) + ": " + std::string(what);
    if (!step.empty()) out += l == Locale::ru ? ", шаг " + std::string(step) : ", step " + std::string(step);
    return out;
  }
  return std::string(action);
}

std::string timeline_html(const PageContext& ctx, const CaseView& view) {
  const Locale l = ctx.locale;
  if (!view.record && view.events.empty())
    return section("timeline", tr(l, Text::timeline), fmt::format(R"(<p class="muted">{}</p>)", escape(tr(l, Text::no_case))));
  if (view.events.empty())
    return section("timeline", tr(l, Text::timeline), fmt::format(R"(<p class="muted">{}</p>)", escape(tr(l, Text::no_events))));
  std::string list = R"(<ol class="timeline">)";
  for (const auto& e : view.events) {
    list += fmt::format(R"(<li{}>{} <strong>{}</strong>)", e.changed ? "" : R"( class="unchanged")",
                        time_html(ctx, e.at), escape(event_name(l, e.action)));
    if (!e.by.name.empty() || !e.by.id.empty())
      list += fmt::format(R"( · <span class="actor">{}</span>)", escape(e.by.name.empty() ? e.by.id : e.by.name));
    if (!e.by.platform.empty()) list += fmt::format(R"( <span class="muted">({})</span>)", escape(e.by.platform));
    if (!e.changed) list += fmt::format(R"( <span class="muted">— {}</span>)", escape(tr(l, Text::ev_unchanged)));
    if (!e.note.empty()) list += fmt::format(R"(<p class="note">{}</p>)", escape(e.note));
    list += "</li>";
  }
  return section("timeline", tr(l, Text::timeline), list + "</ol>");
}

std::string relabel_html(const PageContext& ctx, const CaseView& view) {
  const Locale l = ctx.locale;
  std::string out;
  if (can_act(ctx)) {
    // Offer the correction that changes what the mention counts as now.
    const Label now = view.relabels.empty() ? view.mention.sentiment.label : view.relabels.front().label;
    const bool negative = now == Label::negative;
    out += fmt::format(
        R"(<form class="relabel" method="post" action="/case/{}/relabel">{}<button type="submit" name="label" value="{}">{}</button></form>)",
        view.mention.id, csrf_field(ctx), negative ? "neutral" : "negative",
        escape(tr(l, negative ? Text::relabel_to_neutral : Text::relabel_to_negative)));
  }
  if (view.relabels.empty()) {
    out += fmt::format(R"(<p class="muted">{}</p>)", escape(tr(l, Text::no_relabels)));
  } else {
    out += fmt::format(R"(<h3>{}</h3><ul class="relabels">)", escape(tr(l, Text::relabel_history)));
    for (const auto& r : view.relabels)
      out += fmt::format(R"(<li>{} {} · <span class="actor">{}</span></li>)", time_html(ctx, r.at),
                         label_badge(ctx, r.label), escape(r.by.name.empty() ? r.by.id : r.by.name));
    out += "</ul>";
  }
  return section("relabel", tr(l, Text::relabel_title), out);
}

}  // namespace

std::string render_case_page(const PageContext& ctx, const CaseView& view) {
  const Locale l = ctx.locale;
  const Mention& m = view.mention.mention;
  const std::string title = m.title.empty() ? fmt::format("{} #{}", tr(l, Text::case_title), view.mention.id) : m.title;
  std::string body = fmt::format(R"(<article class="case"><h1>{}</h1>)", escape(title));
  body += review_html(ctx, view);
  body += actions_html(ctx, view);
  body += reply_html(ctx, view);
  body += claims_html(ctx, view);
  body += why_html(ctx, view);
  if (!m.company_reply.empty())
    body += section("company-reply", tr(l, Text::company_reply),
                    fmt::format(R"(<div class="review-text">{}</div>)", escape(m.company_reply)));
  body += earlier_html(ctx, view);
  body += timeline_html(ctx, view);
  body += relabel_html(ctx, view);
  body += "</article>";
  return layout(ctx, title, "case", body);
}

}  // namespace otklik::web
