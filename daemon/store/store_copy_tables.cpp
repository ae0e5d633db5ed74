// What `otklik store copy` copies: every table of the schema (version 10), column by column, in an
// order that puts parents before the rows that refer to them. A new migration adds its tables and
// columns here, or to the lists of what is not copied (store_copy_test.cpp fails until it does).
#include "daemon/store/store_copy.hpp"

#include <array>

namespace otklik::store {
namespace {

constexpr auto I = CopyKind::integer;
constexpr auto R = CopyKind::real;
constexpr auto T = CopyKind::text;
constexpr auto P = CopyKind::packed;

constexpr std::array<CopyColumn, 27> kMentions{{
    {"id", I}, {"source", T}, {"external_id", T}, {"url", T}, {"author", T}, {"author_id", T},
    {"title", T}, {"text", P}, {"rating", R}, {"published_at", I}, {"fetched_at", I}, {"brand", T},
    {"company_reply", T}, {"text_hash", T}, {"label", T}, {"score", R}, {"confidence", R}, {"lang", T},
    {"sentiment_json", P}, {"first_seen_at", I}, {"updated_at", I}, {"understanding_json", P},
    {"author_id_key", T}, {"author_name_key", T}, {"event_at", I}, {"content_hash", I},
    {"subject", T},
}};

constexpr std::array<CopyColumn, 2> kMentionTopics{{{"mention_id", I}, {"topic", T}}};

constexpr std::array<CopyColumn, 4> kNegativeCounts{{{"brand", T}, {"topic", T}, {"minute", I}, {"n", I}}};

// lease_until is left out: a lease belongs to the process that took it, so every row is free.
constexpr std::array<CopyColumn, 13> kOutbox{{
    {"id", I}, {"channel", T}, {"kind", T}, {"payload", T}, {"mention_id", I}, {"state", T},
    {"attempts", I}, {"next_attempt_at", I}, {"remote_id", T}, {"last_error", T}, {"created_at", I},
    {"sent_at", I}, {"dead_at", I},
}};
// Lease state: every outbox row is free after the copy.
constexpr std::array<std::string_view, 2> kOutboxLeftOut{"lease_until", "leased_by"};

constexpr std::array<CopyColumn, 26> kCases{{
    {"mention_id", I}, {"state", T}, {"severity", T}, {"route", T}, {"created_at", I},
    {"taken_by_platform", T}, {"taken_by_id", T}, {"taken_by_name", T}, {"taken_at", I},
    {"answered_by_platform", T}, {"answered_by_id", T}, {"answered_by_name", T}, {"answered_at", I},
    {"resolved_by_platform", T}, {"resolved_by_id", T}, {"resolved_by_name", T}, {"resolved_at", I},
    {"dismissed_by_platform", T}, {"dismissed_by_id", T}, {"dismissed_by_name", T}, {"dismissed_at", I},
    {"note", T}, {"take_escalations", I}, {"resolve_escalations", I}, {"follow_up_sent_at", I}, {"check_at", I},
}};

constexpr std::array<CopyColumn, 9> kCaseEvents{{
    {"id", I}, {"mention_id", I}, {"action", T}, {"actor_platform", T}, {"actor_id", T}, {"actor_name", T},
    {"note", T}, {"changed", I}, {"at", I},
}};

constexpr std::array<CopyColumn, 8> kSpikes{{
    {"id", I}, {"brand", T}, {"topic", T}, {"started_at", I}, {"ended_at", I}, {"start_count", I},
    {"peak_count", I}, {"usual", R},
}};

constexpr std::array<CopyColumn, 12> kSourcesState{{
    {"source", T}, {"etag", T}, {"last_modified", T}, {"polls", I}, {"consecutive_failures", I},
    {"last_success_at", I}, {"last_attempt_at", I}, {"last_error", T}, {"cursor", T}, {"empty_polls", I},
    {"broken_since", I}, {"broken_reason", T},
}};

constexpr std::array<CopyColumn, 9> kDigests{{
    {"week", T}, {"recipients", T}, {"message_id", T}, {"state", T}, {"attempts", I}, {"next_attempt_at", I},
    {"last_error", T}, {"created_at", I}, {"sent_at", I},
}};

constexpr std::array<CopyColumn, 7> kRelabels{{
    {"id", I}, {"mention_id", I}, {"label", T}, {"by_platform", T}, {"by_id", T}, {"by_name", T}, {"at", I},
}};

constexpr std::array<CopyColumn, 5> kUsers{{
    {"name", T}, {"role", T}, {"password_hash", T}, {"created_at", I}, {"updated_at", I},
}};

constexpr std::array<CopyColumn, 17> kReplies{{
    {"id", I}, {"mention_id", I}, {"source", T}, {"channel", T}, {"actor_platform", T}, {"actor_id", T},
    {"actor_name", T}, {"text", T}, {"state", T}, {"edit", I}, {"automatic", I}, {"preview_message", T},
    {"site_answer_id", T}, {"error", T}, {"created_at", I}, {"updated_at", I}, {"posted_at", I},
}};

// The search words of a mention: SQLite keeps them in its FTS5 table (not copied), PostgreSQL in
// this column, computed from the copied titles and texts before the copy commits.
constexpr std::array<std::string_view, 1> kMentionsComputed{"search"};

constexpr std::array<CopyColumn, 3> kCursors{{{"name", T}, {"value", T}, {"updated_at", I}}};
constexpr std::array<CopyColumn, 2> kCounters{{{"name", T}, {"value", I}}};
constexpr std::array<CopyColumn, 2> kChannelHolds{{{"channel", T}, {"not_before", I}}};

const std::array<CopyTable, 15> kTables{{
    {"mentions", kMentions, 1, {}, "id", "", kMentionsComputed},
    {"mention_topics", kMentionTopics, 2, {}, ""},
    {"negative_counts", kNegativeCounts, 3, {}, ""},
    {"outbox", kOutbox, 1, kOutboxLeftOut, "id"},
    {"cases", kCases, 1, {}, ""},
    {"case_events", kCaseEvents, 1, {}, "id"},
    {"spikes", kSpikes, 1, {}, "id"},
    {"sources_state", kSourcesState, 1, {}, ""},
    {"digests", kDigests, 2, {}, ""},
    {"cursors", kCursors, 1, {}, ""},
    {"counters", kCounters, 1, {}, "", "value = 0"},  // patch 5 creates them at 0
    {"channel_holds", kChannelHolds, 1, {}, ""},
    {"relabels", kRelabels, 1, {}, "id"},
    {"users", kUsers, 1, {}, ""},
    {"replies", kReplies, 1, {}, "id"},
}};

// Runtime coordination of the instances sharing a database, not history: rebuilt as they start.
// The web inbox's sessions: everyone signs in again on the new store (a session is a login, not
// history). SQLite's search index (FTS5 and its shadow tables): PostgreSQL's is mentions.search.
const std::array<std::string_view, 7> kNotCopied{"leases",           "instances",     "web_sessions",
                                                 "mentions_fts",     "mentions_fts_data", "mentions_fts_idx",
                                                 "mentions_fts_config"};

}  // namespace

std::span<const CopyTable> copied_tables() noexcept { return kTables; }

std::span<const std::string_view> tables_not_copied() noexcept { return kNotCopied; }

}  // namespace otklik::store
