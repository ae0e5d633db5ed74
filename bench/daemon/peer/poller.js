#!/usr/bin/env node
// The Node.js RSS poller Otklik's load benchmark compares the daemon with: what a competent
// developer would write for "poll these feeds, store new items, post the negative ones".
//
//   node poller.js --feeds FILE --db PATH --sink URL [--interval 60] [--concurrency 32]
//                  [--health-port 0] [--user-agent UA]
//
// FILE lists one feed per line: NAME<TAB>URL. Each feed is polled every interval, the first polls
// spread evenly over the first interval; conditional GET (If-None-Match / If-Modified-Since) over
// kept-alive connections (Node's fetch); at most --concurrency fetches at once; items stored with
// INSERT OR IGNORE keyed by (feed, guid) in SQLite (WAL); a new item is scored with AFINN
// (`sentiment`) and, when negative and not from the feed's first poll, POSTed to the sink.
'use strict';
const fs = require('node:fs');
const http = require('node:http');
const { parseArgs } = require('node:util');
const Parser = require('rss-parser');
const Sentiment = require('sentiment');
const { openDb } = require('./db');

const { values: opt } = parseArgs({
  options: {
    feeds: { type: 'string' }, db: { type: 'string' }, sink: { type: 'string' },
    interval: { type: 'string', default: '60' }, concurrency: { type: 'string', default: '32' },
    'health-port': { type: 'string', default: '' }, 'user-agent': { type: 'string', default: 'node-peer/1.0' },
  },
});
const intervalMs = Number(opt.interval) * 1000;
const maxActive = Number(opt.concurrency);
const feeds = fs.readFileSync(opt.feeds, 'utf8').split('\n').filter(Boolean).map((l) => {
  const [name, url] = l.split('\t');
  return { name, url };
});

const db = openDb(opt.db);
const known = db.prepare('SELECT 1 FROM items WHERE feed = ? AND guid = ?');
const insertItem = db.prepare(`INSERT OR IGNORE INTO items (feed, guid, link, title, published, fetched, score)
                               VALUES (?, ?, ?, ?, ?, ?, ?)`);
const saveFeed = db.prepare(`INSERT INTO feeds (name, etag, last_modified, polls) VALUES (?, ?, ?, ?)
                             ON CONFLICT (name) DO UPDATE SET etag = excluded.etag,
                             last_modified = excluded.last_modified, polls = excluded.polls`);
const state = new Map(db.prepare('SELECT * FROM feeds').all().map((r) => [r.name, r]));

const parser = new Parser();
const sentiment = new Sentiment();
const log = (...a) => console.error(new Date().toISOString(), ...a);

// Stores a parsed feed's new items in one transaction; returns them with their scores.
const storeItems = db.transaction((feed, items, now) => {
  const fresh = [];
  for (const it of items) {
    const guid = it.guid || it.id || it.link;
    if (!guid || known.get(feed.name, guid)) continue;
    const text = `${it.title || ''}. ${it.contentSnippet || it.content || ''}`;
    const score = sentiment.analyze(text).score;
    const published = it.isoDate ? Date.parse(it.isoDate) : null;
    if (insertItem.run(feed.name, guid, it.link || null, it.title || null, published, now, score).changes === 1)
      fresh.push({ guid, link: it.link, title: it.title, score });
  }
  return fresh;
});

async function alert(feed, item) {
  const body = JSON.stringify({ feed: feed.name, guid: item.guid, link: item.link, title: item.title, score: item.score });
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      const res = await fetch(opt.sink, { method: 'POST', body, headers: { 'content-type': 'application/json' },
                                          signal: AbortSignal.timeout(10000) });
      await res.arrayBuffer();
      if (res.ok) return;
      log(`alert ${feed.name} ${item.guid}: HTTP ${res.status}`);
    } catch (e) {
      log(`alert ${feed.name} ${item.guid}: ${e.message}`);
    }
    await new Promise((r) => setTimeout(r, 1000 * attempt));
  }
}

async function poll(feed) {
  const st = state.get(feed.name) || { name: feed.name, etag: null, last_modified: null, polls: 0 };
  const headers = { 'user-agent': opt['user-agent'] };
  if (st.etag) headers['if-none-match'] = st.etag;
  if (st.last_modified) headers['if-modified-since'] = st.last_modified;
  const res = await fetch(feed.url, { headers, signal: AbortSignal.timeout(30000) });
  const text = await res.text();
  if (res.status === 304) return;
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const parsed = await parser.parseString(text);
  const fresh = storeItems(feed, parsed.items, Date.now());
  const first = st.polls === 0;
  st.etag = res.headers.get('etag');
  st.last_modified = res.headers.get('last-modified');
  st.polls += 1;
  saveFeed.run(st.name, st.etag, st.last_modified, st.polls);
  state.set(feed.name, st);
  if (!first) for (const item of fresh) if (item.score < 0) await alert(feed, item);
}

// At most maxActive polls at once; the others wait in a queue. A feed whose previous poll is still
// queued or running is not queued again (when behind, polls are late, not doubled).
let active = 0;
const queue = [];
function runNext() {
  while (active < maxActive && queue.length > 0) {
    const feed = queue.shift();
    active++;
    poll(feed).catch((e) => log(`poll ${feed.name}: ${e.message}`))
      .finally(() => { feed.busy = false; active--; runNext(); });
  }
}

let stopping = false;
const started = Date.now();
feeds.forEach((feed, i) => {
  let due = started + (i * intervalMs) / feeds.length;
  const tick = () => {
    if (stopping) return;
    if (!feed.busy) {
      feed.busy = true;
      queue.push(feed);
      runNext();
    }
    due += intervalMs;
    setTimeout(tick, Math.max(0, due - Date.now()));
  };
  setTimeout(tick, due - Date.now());
});

if (opt['health-port'] !== '') {
  http.createServer((req, res) => res.end(req.url === '/healthz' ? 'ok\n' : 'not found\n'))
    .listen(Number(opt['health-port']), '127.0.0.1');
}

function shutdown() {
  if (stopping) return;
  stopping = true;
  queue.length = 0;
  const deadline = Date.now() + 5000;
  const wait = () => {
    if (active === 0 || Date.now() > deadline) {
      db.close();
      process.exit(0);
    }
    setTimeout(wait, 50);
  };
  wait();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
log(`polling ${feeds.length} feeds every ${intervalMs / 1000}s, at most ${maxActive} at once`);
