// AFINN-js (`sentiment` 5.0.2) over every line of stdin, one JSON object a line: the peer that
// score_speed.sh times against `otklik score --json` on the same lines.
//
//   OTKLIK_PEERS_DIR=/tmp/otklik-peers node bench/sentiment/afinn_lines.js < LINES > OUT
'use strict';
const path = require('path');
const dir = process.env.OTKLIK_PEERS_DIR || '/tmp/otklik-peers';
const Sentiment = require(path.join(dir, 'node_modules', 'sentiment'));
const analyzer = new Sentiment();
const lines = require('fs').readFileSync(0, 'utf8').split('\n');
if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
const out = [];
for (const text of lines) {
  const r = analyzer.analyze(text);
  const label = r.score > 0 ? 'positive' : r.score < 0 ? 'negative' : 'neutral';
  out.push(JSON.stringify({label, score: r.score, words: r.words}));
}
process.stdout.write(out.length ? out.join('\n') + '\n' : '');
