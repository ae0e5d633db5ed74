#pragma once
/// RSS 0.9x, RSS 1.0 (RDF), RSS 2.0, Atom 1.0 and Atom 0.3 → Mentions. Pure.

#include "daemon/core/error.hpp"
#include "sources/generic/parsed_page.hpp"

namespace otklik {

/// Parses a feed (see xml_util.hpp for the XML security properties).
/// - id: guid / atom:id / link / rdf:about, else content_hash_id();
/// - url: link (Atom: rel="alternate" or no rel), resolved against xml:base and `base_url`;
///   an RSS guid that is a permalink stands in for a missing link;
/// - text: content:encoded / atom:content, else description / atom:summary, HTML reduced to text;
///   the title when there is no body at all; an item with neither is skipped with a warning;
/// - author: author (name part of "mail (Name)") / dc:creator / atom:author/name (entry, then feed);
/// - published: pubDate (RFC 822), dc:date, atom:published, atom:updated (RFC 3339); Atom 0.3
///   (http://purl.org/atom/ns#): issued, created, modified (W3C-DTF); an unparsable date leaves
///   `published` unset with a warning;
/// - Atom 0.3 content constructs by their `mode`: xml (inline markup), escaped, base64; by their
///   `type`: HTML reduced to text, anything else as plain text.
/// Bytes that are invalid in the document's charset are replaced by U+FFFD (read_xml) and the
/// items kept; the page then carries a "bytes_repaired" notice (reported once per source).
/// Malformed or truncated XML → parse_failed (no partial results: the next poll retries).
/// A document that is XML but not a feed → parse_failed.
Result<ParsedPage> parse_rss(const ParseInput& input);

}  // namespace otklik
