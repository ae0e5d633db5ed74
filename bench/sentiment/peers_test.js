// Checks the peer runner's metrics against the same hand-computed numbers as Otklik's eval test
// (tests/unit/sentiment/eval_test.cpp), so both sides of the comparison count alike.
//   node --test bench/sentiment/peers_test.js
'use strict';

const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { metrics, readLabelled, fileLang } = require('./peers');

const near = (a, b) => assert.ok(Math.abs(a - b) < 1e-9, `${a} != ${b}`);

test('metrics match the hand-computed confusion matrix', () => {
  const m = metrics([[3, 1, 1], [1, 2, 0], [0, 1, 3]]);
  assert.strictEqual(m.items, 12);
  near(m.accuracy, 8 / 12);
  near(m.classes.negative.precision, 0.75);
  near(m.classes.negative.recall, 0.6);
  near(m.classes.negative.f1, 2 / 3);
  near(m.classes.neutral.f1, 4 / 7);
  near(m.classes.positive.f1, 0.75);
  near(m.f1pn, (2 / 3 + 0.75) / 2);
  near(m.negative_recall, 0.6);
  near(m.negative_precision, 0.75);
});

test('a class never predicted scores 0, not NaN', () => {
  const m = metrics([[0, 4, 0], [0, 3, 0], [0, 2, 0]]);
  assert.strictEqual(m.classes.negative.precision, 0);
  assert.strictEqual(m.f1pn, 0);
});

test('labelled files are read by the same rules as otklik eval', () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'otklik-peers-')), 'x.tsv');
  fs.writeFileSync(file, '\ufeffnegative\tплохо\r\n\n# comment\nPositive\tfine\nmixed\tboth\nno tab\nangry\tx\nneutral\t \n');
  const r = readLabelled(file);
  assert.deepStrictEqual(r.items, [{ label: 'negative', text: 'плохо' }, { label: 'positive', text: 'fine' }]);
  assert.strictEqual(r.mixed, 1);
  assert.strictEqual(r.malformed, 3);
});

test('file language from the folder or the name', () => {
  assert.strictEqual(fileLang('/c/ru/tweets.tsv'), 'ru');
  assert.strictEqual(fileLang('/c/en/uci_yelp.tsv'), 'en');
  assert.strictEqual(fileLang('reviews_ru.tsv'), 'ru');
  assert.strictEqual(fileLang('/c/ru/x.tsv', 'en'), 'en');
});
