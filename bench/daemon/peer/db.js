'use strict';
// The Node peer's SQLite store (WAL): items keyed by (feed, guid), and each feed's poll state.
const Database = require('better-sqlite3');

function openDb(path) {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`CREATE TABLE IF NOT EXISTS items (feed TEXT NOT NULL, guid TEXT NOT NULL, link TEXT, title TEXT,
             published INTEGER, fetched INTEGER NOT NULL, score INTEGER NOT NULL, PRIMARY KEY (feed, guid));
           CREATE TABLE IF NOT EXISTS feeds (name TEXT PRIMARY KEY, etag TEXT, last_modified TEXT,
             polls INTEGER NOT NULL DEFAULT 0)`);
  return db;
}

module.exports = { openDb };
