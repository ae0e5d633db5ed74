/// [replies]: answer drafts and answers published on the sites (docs/replies.md).
#include "daemon/config/checks.hpp"
#include "daemon/config/load_parts.hpp"

#include <filesystem>

namespace otklik::config_detail {

void load_replies(const toml::node& node, RepliesConfig& out, LoadContext& ctx) {
  const toml::table* t = as_section(node, "replies", ctx.problems);
  if (t == nullptr) return;
  TableReader r(*t, "replies", line_of(node), ctx.problems);
  r.boolean("enabled", out.enabled);
  std::string dir;
  if (r.string("templates", dir) && !dir.empty()) {
    const auto p = resolve_path(dir, ctx.base_dir);
    std::error_code ec;
    if (!std::filesystem::is_directory(p, ec))
      r.error("templates", "is not a folder: " + p.string() + " (copy config/replies/ there and edit the copies)");
    out.templates = p.string();
  }
  if (r.string_list("deny", out.deny)) {
    for (const auto& phrase : out.deny)
      if (phrase.find_first_not_of(" \t") == std::string::npos || has_control_chars(phrase))
        r.error("deny", "phrases must be non-empty and without control characters");
  }
  if (r.string_list("web_users", out.web_users)) {
    for (const auto& user : out.web_users)
      if (user.empty() || has_control_chars(user)) r.error("web_users", "user names must be non-empty");
  }
  r.report_unknown("[replies]");
}

}  // namespace otklik::config_detail
