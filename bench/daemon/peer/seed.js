#!/usr/bin/env node
// Pre-seeds the Node peer's store with history: ROWS items spread over the feeds of FILE and the
// last four weeks, a third of them negative, none of them in any served feed (guids "seed-…").
// The feeds' poll state is left alone, so the first poll of each feed is still its silent baseline.
//
//   node seed.js --db PATH --rows N --feeds FILE
'use strict';
const fs = require('node:fs');
const { parseArgs } = require('node:util');
const { openDb } = require('./db');

const { values: opt } = parseArgs({ options: { db: { type: 'string' }, rows: { type: 'string' }, feeds: { type: 'string' } } });
const rows = Number(opt.rows);
const names = fs.readFileSync(opt.feeds, 'utf8').split('\n').filter(Boolean).map((l) => l.split('\t')[0]);
const db = openDb(opt.db);
const insert = db.prepare(`INSERT OR IGNORE INTO items (feed, guid, link, title, published, fetched, score)
                           VALUES (?, ?, ?, ?, ?, ?, ?)`);
const now = Date.now();
const weeks4 = 28 * 86400 * 1000;
const batch = db.transaction((from, to) => {
  for (let i = from; i < to; i++) {
    const feed = names[i % names.length];
    const t = now - weeks4 + Math.floor((i / rows) * (weeks4 - 3 * 86400 * 1000));
    const score = i % 3 === 0 ? -(2 + (i % 7)) : i % 3;
    insert.run(feed, `seed-${i}`, `http://reviews.example/seed/${i}`, `Earlier review ${i}`, t, t, score);
  }
});
const started = Date.now();
for (let i = 0; i < rows; i += 50000) batch(i, Math.min(rows, i + 50000));
db.pragma('wal_checkpoint(TRUNCATE)');
db.close();
console.error(`seed: ${rows} rows in ${(Date.now() - started) / 1000}s`);
