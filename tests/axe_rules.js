// Runs axe-core over XHTML documents in headless Chromium with the rules DAISY Ace leaves out
// (tests/test_accessibility.py runs Ace for the rest): those Ace turns off for EPUBs
// (region, page-has-heading-one, bypass…), those axe keeps off by default among WCAG 2.2 A/AA
// and best practices (target-size), and the landmark rules, which Ace's report misses (it
// passed documents without a main landmark). Prints the violations as JSON:
// [{document, rule, impact, help, targets}]. Ace's own puppeteer and axe-core are used
// (NODE_PATH=.ace/node_modules), on the browser PUPPETEER_EXECUTABLE_PATH names, so that
// nothing is downloaded.
//   node tests/axe_rules.js DOCUMENT.xhtml…
'use strict';

const path = require('path');
const fs = require('fs');
const puppeteer = require('puppeteer');

const AXE = fs.readFileSync(require.resolve('@daisy/axe-core-for-ace/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
// As @daisy/ace-core 1.4.6 runs axe (lib/scripts/ace-axe.js).
const ACE_OFF = ['bypass', 'region', 'page-has-heading-one', 'landmark-complementary-is-top-level'];

(async () => {
  // The sandbox needs a user namespace that containers (and root) often lack; the pages are
  // the book's own documents, without scripts.
  const browser = await puppeteer.launch({
    headless: true, args: ['--no-sandbox', '--disable-setuid-sandbox', '--disable-gpu']});
  const found = [];
  const queue = process.argv.slice(2);
  // A few pages at a time: each mostly waits for its document and axe's script to load.
  const worker = async () => {
    const page = await browser.newPage();
    for (let document = queue.shift(); document; document = queue.shift()) {
      await page.goto('file://' + path.resolve(document), {waitUntil: 'load'});
      await page.addScriptTag({content: AXE});
      const result = await page.evaluate((tags, aceOff) => {
        const wanted = new Set(window.axe.getRules(tags).map((rule) => rule.ruleId));
        const ids = window.axe._audit.rules
          .filter((rule) => wanted.has(rule.id) && (rule.enabled === false
            || aceOff.includes(rule.id) || rule.id.startsWith('landmark-')))
          .map((rule) => rule.id);
        return window.axe.run(document, {runOnly: {type: 'rule', values: ids}});
      }, TAGS, ACE_OFF);
      for (const violation of result.violations) {
        found.push({document, rule: violation.id, impact: violation.impact,
                    help: violation.help,
                    targets: violation.nodes.slice(0, 5).map((n) => n.target.join(' '))});
      }
    }
  };
  try {
    await Promise.all([worker(), worker(), worker()]);
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify(found));
})().catch((error) => {
  process.stderr.write(String(error && error.stack || error) + '\n');
  process.exit(2);
});
