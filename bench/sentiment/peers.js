#!/usr/bin/env node
// Runs the npm lexicon sentiment scorers ("peers") over labelled files (LABEL<TAB>TEXT; negative,
// neutral, positive, mixed — mixed left out) and prints the metrics Otklik's eval prints:
// accuracy, per-class precision/recall/F1, F1pn, negative recall/precision, confusion matrix,
// and the scoring loop's speed in texts per second.
//
// Usage: node peers.js [--json] [--passes N] [--peer NAME]... [--english-on-russian] [--lang ru|en] FILE...
//   --passes N: score each file N times (default 1); metrics come from the first pass, speed
//          (texts_per_sec) from the fastest pass, so N > 1 measures the peer warmed up. With
//          N > 1 a pass covers at least 5,000 texts (a small file is scored several times over).
//   Peers: nlpjs (@nlpjs/sentiment with @nlpjs/lang-ru or @nlpjs/lang-en by the file's language),
//          vader (vader-sentiment), afinn (sentiment), wink (wink-sentiment).
//   A file's language is taken from --lang, else from a /ru/ or /en/ folder or a _ru/_en name.
//   English-only peers run on Russian files only with --english-on-russian (to show they fail).
// Node modules are looked up in $OTKLIK_PEERS_DIR/node_modules (set by run-peers.sh).
'use strict';

const fs = require('fs');
const path = require('path');
const Module = require('module');

const peersDir = process.env.OTKLIK_PEERS_DIR;
const req = peersDir ? Module.createRequire(path.join(path.resolve(peersDir), 'package.json')) : require;

const LABELS = ['negative', 'neutral', 'positive'];
const MIN_PASS_TEXTS = 5000;  // the same in bench/sentiment_bench.cpp

// Each peer: the languages it supports, a loader (returns an async-or-sync scoring function
// text -> label) and the rule that maps its score to a label, from the peer's documentation.
const PEERS = {
  nlpjs: {
    package: '@nlpjs/sentiment',
    langs: ['ru', 'en'],
    rule: 'score sign (the analyzer\'s own "vote")',
    async load(lang) {
      const { containerBootstrap } = req('@nlpjs/core');
      const { SentimentAnalyzer } = req('@nlpjs/sentiment');
      const container = await containerBootstrap();
      container.use(lang === 'ru' ? req('@nlpjs/lang-ru').LangRu : req('@nlpjs/lang-en').LangEn);
      const analyzer = new SentimentAnalyzer({ container });
      return async (text) => {
        const r = await analyzer.process({ locale: lang, text });
        return r.sentiment.vote;
      };
    },
  },
  vader: {
    package: 'vader-sentiment',
    langs: ['en'],
    rule: 'compound >= 0.05 positive, <= -0.05 negative (VADER README)',
    async load() {
      const vader = req('vader-sentiment');
      return (text) => {
        const c = vader.SentimentIntensityAnalyzer.polarity_scores(text).compound;
        return c >= 0.05 ? 'positive' : c <= -0.05 ? 'negative' : 'neutral';
      };
    },
  },
  afinn: {
    package: 'sentiment',
    langs: ['en'],
    rule: 'AFINN score sign',
    async load() {
      const Sentiment = req('sentiment');
      const s = new Sentiment();
      return (text) => sign(s.analyze(text).score);
    },
  },
  wink: {
    package: 'wink-sentiment',
    langs: ['en'],
    rule: 'normalizedScore sign',
    async load() {
      const wink = req('wink-sentiment');
      return (text) => sign(wink(text).normalizedScore);
    },
  },
};

function sign(x) {
  return x > 0 ? 'positive' : x < 0 ? 'negative' : 'neutral';
}

function parseArgs(argv) {
  const o = { json: false, passes: 1, peers: [], englishOnRussian: false, lang: null, files: [] };
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i];
    if (a === '--json') o.json = true;
    else if (a === '--english-on-russian') o.englishOnRussian = true;
    else if (a === '--peer') o.peers.push(argv[++i]);
    else if (a === '--lang') o.lang = argv[++i];
    else if (a === '--passes') o.passes = Math.max(1, parseInt(argv[++i], 10) || 1);
    else if (a.startsWith('--')) throw new Error(`unknown option ${a}`);
    else o.files.push(a);
  }
  if (o.peers.length === 0) o.peers = Object.keys(PEERS);
  for (const p of o.peers) if (!PEERS[p]) throw new Error(`unknown peer ${p}`);
  if (o.files.length === 0) throw new Error('no files given');
  return o;
}

function fileLang(file, forced) {
  if (forced) return forced;
  if (/(^|[/_])ru([/_.]|$)/.test(file)) return 'ru';
  if (/(^|[/_])en([/_.]|$)/.test(file)) return 'en';
  return 'en';
}

// The same reading rules as Otklik's eval: blank and '#' lines skipped, mixed left out.
function readLabelled(file) {
  let content = fs.readFileSync(file, 'utf8');
  if (content.charCodeAt(0) === 0xfeff) content = content.slice(1);
  const items = [];
  let mixed = 0;
  let malformed = 0;
  for (let line of content.split('\n')) {
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.trim() === '' || line.startsWith('#')) continue;
    const tab = line.indexOf('\t');
    const label = tab < 0 ? '' : line.slice(0, tab).trim().toLowerCase();
    const text = tab < 0 ? '' : line.slice(tab + 1);
    if (label === 'mixed' && text.trim() !== '') mixed += 1;
    else if (LABELS.includes(label) && text.trim() !== '') items.push({ label, text });
    else malformed += 1;
  }
  return { items, mixed, malformed };
}

function metrics(confusion) {
  const ratio = (a, b) => (b === 0 ? 0 : a / b);
  let total = 0;
  let correct = 0;
  for (let g = 0; g < 3; g += 1) {
    for (let p = 0; p < 3; p += 1) total += confusion[g][p];
    correct += confusion[g][g];
  }
  const classes = {};
  LABELS.forEach((name, c) => {
    let support = 0;
    let predicted = 0;
    for (let k = 0; k < 3; k += 1) {
      support += confusion[c][k];
      predicted += confusion[k][c];
    }
    const precision = ratio(confusion[c][c], predicted);
    const recall = ratio(confusion[c][c], support);
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    classes[name] = { precision, recall, f1, support, predicted };
  });
  return {
    items: total,
    accuracy: ratio(correct, total),
    f1pn: (classes.positive.f1 + classes.negative.f1) / 2,
    negative_recall: classes.negative.recall,
    negative_precision: classes.negative.precision,
    classes,
    confusion: { labels: LABELS, matrix: confusion },
  };
}

async function runOne(peerName, file, lang, score, passes) {
  const { items, mixed, malformed } = readLabelled(file);
  const confusion = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
  let seconds = Infinity;
  let firstSeconds = 0;
  // A timed pass covers at least MIN_PASS_TEXTS texts (a small file is scored several times
  // over), so that a pass lasts long enough to time; metrics come from the first round only.
  const rounds = passes > 1 ? Math.max(1, Math.ceil(MIN_PASS_TEXTS / Math.max(1, items.length))) : 1;
  let perPass = 0;
  for (let pass = 0; pass < passes; pass += 1) {
    const start = process.hrtime.bigint();
    for (let round = 0; round < rounds; round += 1) {
      for (const item of items) {
        // eslint-disable-next-line no-await-in-loop
        const predicted = await score(item.text);
        if (pass === 0 && round === 0) confusion[LABELS.indexOf(item.label)][LABELS.indexOf(predicted)] += 1;
      }
    }
    perPass = items.length * rounds;
    const s = Number(process.hrtime.bigint() - start) / 1e9;
    if (pass === 0) firstSeconds = s;
    seconds = Math.min(seconds, s);
  }
  return {
    peer: peerName,
    package: PEERS[peerName].package,
    lang,
    supported: PEERS[peerName].langs.includes(lang),
    file,
    mixed,
    malformed,
    passes,
    seconds,
    texts_per_pass: perPass,
    texts_per_sec: seconds > 0 ? perPass / seconds : 0,
    texts_per_sec_first_pass: firstSeconds > 0 ? perPass / firstSeconds : 0,
    ...metrics(confusion),
  };
}

const f3 = (x) => x.toFixed(3);

function textReport(r) {
  const c = r.classes;
  const lines = [
    `== ${r.peer} (${r.package}, ${r.lang}${r.supported ? '' : ', language NOT supported'}) ${r.file}`,
    `items ${r.items} (mixed left out ${r.mixed}, malformed ${r.malformed}), ${Math.round(r.texts_per_sec)} texts/s`
      + (r.passes > 1 ? ` (fastest of ${r.passes} passes; first ${Math.round(r.texts_per_sec_first_pass)})` : ''),
    `accuracy ${f3(r.accuracy)}  F1pn ${f3(r.f1pn)}  negative recall ${f3(r.negative_recall)}  negative precision ${f3(r.negative_precision)}`,
    'class       precision  recall      F1  support  predicted',
  ];
  for (const n of LABELS) {
    lines.push(n.padEnd(10) + f3(c[n].precision).padStart(11) + f3(c[n].recall).padStart(8)
      + f3(c[n].f1).padStart(8) + String(c[n].support).padStart(9) + String(c[n].predicted).padStart(11));
  }
  lines.push('confusion (rows gold, columns predicted)', '         negative  neutral positive');
  LABELS.forEach((n, g) => {
    lines.push(n.padEnd(8) + r.confusion.matrix[g].map((v) => String(v).padStart(9)).join(''));
  });
  return `${lines.join('\n')}\n`;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const results = [];
  const loadSeconds = {};
  for (const peerName of opts.peers) {
    const peer = PEERS[peerName];
    const cache = {};
    for (const file of opts.files) {
      const lang = fileLang(file, opts.lang);
      const supported = peer.langs.includes(lang);
      if (!supported && !(opts.englishOnRussian && lang === 'ru')) continue;
      const loadLang = supported ? lang : peer.langs[0];
      if (!cache[loadLang]) {
        const t0 = process.hrtime.bigint();
        // eslint-disable-next-line no-await-in-loop
        cache[loadLang] = await peer.load(loadLang);
        loadSeconds[`${peerName}-${loadLang}`] = Number(process.hrtime.bigint() - t0) / 1e9;
      }
      // eslint-disable-next-line no-await-in-loop
      results.push(await runOne(peerName, file, lang, cache[loadLang], opts.passes));
    }
  }
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ results, load_seconds: loadSeconds })}\n`);
  } else {
    process.stdout.write(results.map(textReport).join('\n'));
    for (const [k, v] of Object.entries(loadSeconds)) process.stdout.write(`load ${k}: ${(v * 1000).toFixed(1)} ms\n`);
  }
}

module.exports = { metrics, readLabelled, fileLang, PEERS };

if (require.main === module) {
  main().catch((e) => {
    process.stderr.write(`peers: ${e.message}\n`);
    process.exit(1);
  });
}
