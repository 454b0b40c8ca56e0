// plantrack's pages in a real browser: Debian's Chromium driven by playwright-core.
//
//   node tests/browser/run.mjs PATH/TO/plantrack
//
// Starts `plantrack demo` on a fresh database and a free port, opens every page, checks that the
// figures and the Chinese text are there and that the charts rendered, follows a verdict to its
// evidence in the document viewer and back to the ledger item, switches language, tries a phone's
// width and the keyboard, and saves screenshots in tests/browser/screenshots/. Exits 1 on any
// failure, listing them all.
import { chromium } from 'playwright-core';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const bin = process.argv[2] || process.env.PLANTRACK_BIN;
if (!bin) {
  console.error('usage: node run.mjs PATH/TO/plantrack');
  process.exit(2);
}
const shots = join(here, 'screenshots');
mkdirSync(shots, { recursive: true });
const tmp = mkdtempSync(join(tmpdir(), 'plantrack-browser-'));

const failures = [];
let checks = 0;
function check(ok, what) {
  checks++;
  if (!ok) {
    failures.push(what);
    console.log(`  FAIL ${what}`);
  }
}

// Accounts for the workflow: a reporter of 市科技局 and a supervisor.
const db = join(tmp, 'demo.db');
const password = 'browser-test-password';
for (const args of [
  // Made before the demo ingests its tables: the unit is bound ahead of them (--force).
  ['zhang', '--role', 'reporter', '--unit', '市科技局', '--force'],
  ['li', '--role', 'supervisor'],
]) {
  execFileSync(bin, ['user', 'add', '--db', db, ...args], {
    env: { ...process.env, PLANTRACK_PASSWORD: password },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

// The server: `plantrack demo` prints the URL it serves once it listens.
const server = spawn(bin, ['demo', '--db', db, '--addr', '127.0.0.1:0'], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const base = await new Promise((resolve, reject) => {
  let out = '';
  const timer = setTimeout(() => reject(new Error(`no URL from plantrack demo: ${out}`)), 30000);
  server.stdout.on('data', (d) => {
    out += d;
    const m = out.match(/serving (http:\/\/[^\s]+?)\/? /);
    if (m) {
      clearTimeout(timer);
      resolve(m[1]);
    }
  });
  server.on('exit', (code) => reject(new Error(`plantrack demo exited with ${code}: ${out}`)));
});
console.log(`plantrack demo at ${base}`);

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-background-networking'],
});

async function page(width = 1280, height = 900) {
  const context = await browser.newContext({ viewport: { width, height }, locale: 'zh-CN' });
  const p = await context.newPage();
  p.on('pageerror', (e) => check(false, `script error on ${p.url()}: ${e.message}`));
  p.on('console', (m) => {
    // A page answered 404 on purpose is logged by Chromium as a failed load: not a script error.
    if (m.type() === 'error' && !(p.url().endsWith('/no-such-page') && m.text().includes('404')))
      check(false, `console error on ${p.url()}: ${m.text()}`);
  });
  return p;
}

// Codes of statuses, reviews and the trail that a Chinese page must say in words.
const RAW_CODES = /\b(not_started|on_track|at_risk|unreported|overdue|completed|not_achieved|no_data|submitted|accepted|returned|acknowledged|delayed|report\.submit|report\.accept|report\.return|task\.acknowledge|task\.add|evidence\.add|admin|supervisor|reporter)\b/;

async function open(p, path) {
  const resp = await p.goto(base + path, { waitUntil: 'load' });
  check(resp && resp.status() === 200, `${path} answers 200 (got ${resp && resp.status()})`);
  await noRawCodes(p, path);
  return resp;
}

/// A Chinese page says statuses, reviews and changes in words, never as their codes.
async function noRawCodes(p, path) {
  if (path.includes('lang=en') || path.startsWith('/documents/')) return;
  const found = (await p.evaluate(() => document.body.innerText)).match(RAW_CODES);
  check(!found, `${path}: no raw code on the Chinese page (${found && found[0]})`);
}

async function chartsRendered(p, min, path) {
  await p.waitForFunction(
    (n) => document.querySelectorAll('[data-chart][data-rendered="1"] canvas').length >= n,
    min,
    { timeout: 30000 },
  ).catch(() => {});
  const drawn = await p.evaluate(() =>
    [...document.querySelectorAll('[data-chart][data-rendered="1"] canvas')].filter(
      (c) => c.width > 0 && c.height > 0,
    ).length,
  );
  check(drawn >= min, `${path}: at least ${min} charts drawn (got ${drawn})`);
}

async function shot(p, name) {
  await p.screenshot({ path: join(shots, `${name}.png`), fullPage: false });
}

async function text(p) {
  return p.evaluate(() => document.body.innerText);
}

try {
  const p = await page();
  const asOf = 'as_of=2024-03-01';

  // Overview: counts, charts, Chinese text.
  console.log('overview');
  await open(p, `/?${asOf}`);
  let t = await text(p);
  check(t.includes('总览') && t.includes('天津市') && t.includes('2023'), 'overview: title, region and year');
  const achieved = Number(await p.textContent('#count-achieved'));
  check(achieved >= 40, `overview: achieved targets counted (${achieved})`);
  check(t.includes('国家高新技术企业数量'), 'overview: a key indicator with yearly figures');
  await chartsRendered(p, 3, '/');
  await shot(p, '01-overview');

  // Targets against results: filter, then click from a verdict to its evidence.
  console.log('targets → evidence');
  await open(p, `/targets?${asOf}`);
  t = await text(p);
  check(t.includes('地区生产总值') && t.includes('4.3%') && t.includes('4%左右'), 'targets: GDP 4% target and 4.3% result');
  await p.selectOption('select[name=status]', 'not_achieved');
  await Promise.all([p.waitForNavigation(), p.click('form.filters button[type=submit]')]);
  t = await text(p);
  check(p.url().includes('status=not_achieved') && t.includes('南港120万吨乙烯'), 'targets: the not-achieved filter shows 南港120万吨乙烯');
  await shot(p, '02-targets-not-achieved');
  await open(p, `/targets?${asOf}&q=${encodeURIComponent('地区生产总值')}&status=achieved`);
  const link = p.locator('a.result-evidence').first();
  await Promise.all([p.waitForNavigation(), link.click()]);
  check(/\/documents\/\d+/.test(p.url()) && p.url().includes('#b'), `evidence link opens the document viewer at the item (${p.url()})`);
  const here = p.locator('mark.here');
  await here.waitFor({ timeout: 5000 }).catch(() => {});
  check((await here.count()) === 1, 'document viewer: the linked item is highlighted');
  const marked = (await here.count()) ? await here.innerText() : '';
  check(marked.includes('4.3%'), `document viewer: the highlighted item is the 4.3% result (${marked})`);
  check(await here.isVisible().catch(() => false), 'document viewer: the item is scrolled into view');
  await shot(p, '03-document-evidence');
  // …and from the text back to the ledger item.
  await Promise.all([p.waitForNavigation(), here.locator('a').click()]);
  t = await text(p);
  check(p.url().includes('/items/quantity/'), 'a highlighted item opens its ledger item');
  check(t.includes('地区生产总值') && t.includes('已完成'), 'ledger item: metric and verdict');
  await shot(p, '04-item');

  // ---- The five-year plan, an indicator's page and a metric's history (issue 15 items 4, 5) ----
  // /plan: the plan's table by its groups, attributes and binding indicators marked; charts for
  // the indicators with yearly figures, each with its data as a table.
  console.log('plan, indicator pages, history');
  await open(p, '/plan');
  t = await text(p);
  check(t.includes('国家高新技术企业数量') && t.includes('正常推进'), 'plan: indicator and status');
  check((await p.locator('table.plan-table tr[id^=ind]').count()) === 25, 'plan: 25 indicators');
  const groups = await p.locator('table.plan-table tr.group th').allInnerTexts();
  check(groups.join('/') === '经济发展/创新驱动/绿色生态/民生福祉/安全保障', `plan: the table's five groups in order (${groups})`);
  check((await p.locator('table.plan-table tr.binding strong.attr.binding').count()) === 8, 'plan: the 8 binding indicators marked');
  check(t.includes('6%左右（2021—2025年平均）') && !t.includes('6*左右'), 'plan: 6*左右 said as a five-year average, no stray asterisk');
  check(t.includes('17%（2016—2020年累计）'), 'plan: 〔17〕 said as the previous five years\' total');
  await chartsRendered(p, 3, '/plan');
  check((await p.locator('article.indicator details table.chart-data').count()) === (await p.locator('article.indicator [data-chart]').count()),
    'plan: every chart has its data table');
  await shot(p, '05-plan');
  await p.locator('article.indicator').first().scrollIntoViewIfNeeded();
  await shot(p, '05b-plan-charts');
  // An average (*): from the table to its page.
  await Promise.all([p.waitForNavigation(), p.locator('table.plan-table tr#ind1 a').first().click()]);
  const indicator1 = new URL(p.url()).pathname;
  check(/^\/plan\/\d+\/1$/.test(indicator1), `plan: an indicator links its page (${indicator1})`);
  await noRawCodes(p, indicator1);
  t = await text(p);
  check(t.includes('*为五年平均数') && t.includes('进度比') && t.includes('平均值 ÷ 目标平均值'), 'indicator 1: the average and the ratio explained');
  check(t.includes('天津市2024年政府工作报告') && !/\d{3}_[0-9a-f]{16}\.txt/.test(t), 'indicator 1: sources by title');
  await chartsRendered(p, 1, indicator1);
  const axis = await p.evaluate(() => JSON.parse(document.querySelector('#indicator-chart').dataset.chart).yAxis);
  check(axis.min === 0, `indicator 1: a growth rate's axis starts at zero (${JSON.stringify(axis)})`);
  check((await p.locator('table.chart-data tbody tr').count()) === 5, 'indicator 1: the chart\'s five years as a table');
  await shot(p, '21-indicator-average');
  // The yearly figure's source opens the viewer at its sentence.
  await Promise.all([p.waitForNavigation(), p.locator('table.sources a.evidence').first().click()]);
  check(/\/documents\/\d+/.test(p.url()) && p.url().includes('#b'), `indicator 1: a yearly figure links its sentence (${p.url()})`);
  // A binding total (〔〕) without yearly figures yet: what it is, and why nothing is drawn.
  const doc = indicator1.split('/')[2];
  await open(p, `/plan/${doc}/12`);
  t = await text(p);
  check(t.includes('约束性（必须完成）') && t.includes('〔 〕内为五年累计数') && t.includes('逐年连乘'), 'indicator 12: a binding five-year total explained');
  check(t.includes('暂无年度数据'), 'indicator 12: says why nothing is drawn');
  await shot(p, '22-indicator-total');
  // The history of a metric, from a target row.
  await open(p, `/targets?${asOf}&q=${encodeURIComponent('地区生产总值')}&status=achieved`);
  const hist = p.locator('a.history-link').first();
  check((await hist.count()) === 1, 'targets: a row links its metric\'s history');
  check((await p.locator('a.indicator-link').count()) >= 1, 'targets: a target of the plan years links its indicator');
  await Promise.all([p.waitForNavigation(), hist.click()]);
  await noRawCodes(p, '/history');
  t = await text(p);
  check(p.url().includes('/history?metric=') && t.includes('历年目标与结果'), `history: opened from the target (${p.url()})`);
  check(t.includes('4%左右') && t.includes('4.3%') && t.includes('已完成'), 'history: 2023 target against its result');
  await chartsRendered(p, 1, '/history');
  check((await p.locator('table.chart-data tbody tr').count()) >= 1, 'history: the chart\'s data as a table');
  await shot(p, '23-history');
  // Without JavaScript: the tables are all there.
  const nojs = await (await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } })).newPage();
  await nojs.goto(`${base}/plan/${doc}/1`);
  const rowsNoJs = await nojs.locator('table.chart-data tbody tr').count();
  const sources = await nojs.locator('table.sources tbody tr').count();
  check(rowsNoJs === 5 && sources >= 1, `no JavaScript: the indicator's chart data and sources are tables (${rowsNoJs}, ${sources})`);
  await nojs.goto(`${base}/plan`);
  check((await nojs.locator('table.plan-table tr[id^=ind]').count()) === 25, 'no JavaScript: /plan lists the 25 indicators');
  await nojs.close();
  // ---- end of the plan pages ----

  // Tasks: filter by unit, open a task, follow it into the text.
  console.log('tasks');
  await open(p, `/tasks?${asOf}`);
  check((await p.locator('table.tasks tbody tr').count()) === 160, 'tasks: 160 rows');
  await p.selectOption('select[name=unit]', '市科技局');
  await Promise.all([p.waitForNavigation(), p.click('form.filters button[type=submit]')]);
  const rows = await p.locator('table.tasks tbody tr').count();
  check(rows > 0 && rows < 160, `tasks: the unit filter narrows the ledger (${rows})`);
  await shot(p, '06-tasks');
  await Promise.all([p.waitForNavigation(), p.locator('table.tasks tbody a').first().click()]);
  t = await text(p);
  check(t.includes('市科技局') && t.includes('完成时限'), 'task page: units and deadline');
  await Promise.all([p.waitForNavigation(), p.locator('a.evidence').first().click()]);
  check(p.url().includes('#t'), 'task page links to its row in the document');
  await shot(p, '07-task-in-text');

  // Warnings: traffic lights before a deadline and after it.
  console.log('warnings');
  await open(p, '/warnings?as_of=2023-06-15');
  t = await text(p);
  check(t.includes('即将到期') && (await p.locator('tr.yellow').count()) > 0, 'warnings: yellow rows before the June deadlines');
  await shot(p, '07b-warnings');
  await open(p, '/warnings?as_of=2024-01-05');
  check((await p.locator('tr.red').count()) > 100, 'warnings: red rows after the year');

  // Scorecards of units, leaders and regions.
  console.log('scorecards');
  for (const [path, word] of [['/units', '市发展改革委'], ['/leaders', '分管领导'], ['/regions', '西青区']]) {
    await open(p, `${path}?${asOf}`);
    t = await text(p);
    check(t.includes(word) && t.includes('完成率'), `${path}: scorecards`);
  }
  await open(p, `/regions/${encodeURIComponent('西青区')}?year=2023&${asOf}`);
  t = await text(p);
  check(t.includes('未完成'), 'region page: the city target for 西青区 not achieved');
  await shot(p, '08-region');

  // Documents and search.
  console.log('documents, search');
  await open(p, '/documents');
  check((await p.locator('table tbody tr').count()) === 5, 'documents: five samples');
  await open(p, '/search');
  await p.fill('input[name=q]', '高新技术企业');
  await Promise.all([p.waitForNavigation(), p.press('input[name=q]', 'Enter')]);
  t = await text(p);
  check(t.includes('天津市2024年政府工作报告') && !t.includes('.txt'), 'search: a paragraph of the work report, under its title');
  await shot(p, '09-search');

  // English.
  console.log('english');
  await open(p, '/');
  await Promise.all([p.waitForNavigation(), p.click('a.lang')]);
  t = await text(p);
  check(p.url().includes('lang=en') && t.includes('Overview') && t.includes('Targets and results'), 'the English switch');
  await shot(p, '10-english');

  // The supervision workflow: a unit reports, the public does not see the draft, a supervisor
  // accepts it, the public sees it.
  console.log('workflow');
  const task = '/tasks/4/17';
  const reporter = await page();
  await open(reporter, task);
  await Promise.all([reporter.waitForNavigation(), reporter.click('#login-link')]);
  await reporter.fill('input[name=name]', 'zhang');
  await reporter.fill('input[name=password]', password);
  await Promise.all([reporter.waitForNavigation(), reporter.press('input[name=password]', 'Enter')]);
  check(reporter.url().endsWith(task), `sign-in returns to the task (${reporter.url()})`);
  check((await text(reporter)).includes('zhang（填报员）'), 'the reporter is signed in');
  // The queue: the task to acknowledge and the report it owes.
  await open(reporter, '/me?year=2023');
  t = await text(reporter);
  check(t.includes('我的待办') && t.includes('待签收') && t.includes('未按期反馈'), 'the reporter\'s queue: to acknowledge, reports late');
  await shot(reporter, '11b-queue');
  await reporter.locator('#my-queue .count').waitFor({ timeout: 5000 }).catch(() => {});
  const count = await reporter.locator('#my-queue .count').innerText().catch(() => '');
  check(Number(count) > 0, `the header counts the queue's items (${count})`);
  await open(reporter, task);
  // The lead unit acknowledges the task (签收).
  await Promise.all([reporter.waitForNavigation(), reporter.click('form.ack button')]);
  await noRawCodes(reporter, task);
  check((await text(reporter)).includes('zhang 签收了任务'), 'the acknowledgement is in the trail, in words');
  // A first report with two files in its own form; the supervisor returns it; the unit fixes it.
  await reporter.selectOption('select[name=status]', 'on_track');
  await reporter.fill('input[name=percent]', '40');
  await reporter.fill('textarea[name=narrative]', '核心区建设推进中');
  const pdf = (name) => ({ name, mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n% plantrack browser test\n') });
  await reporter.setInputFiles('form.report-form input[name=file]', [pdf('施工照片说明.pdf'), pdf('资金拨付单.pdf')]);
  await Promise.all([reporter.waitForNavigation(), reporter.click('form.report-form button[type=submit]')]);
  check((await reporter.locator('li.report').first().locator('ul.evidence-files a').count()) === 2, 'a report and its two files in one form');
  const reviewer = await page();
  await open(reviewer, `/login?next=${encodeURIComponent('/me?year=2023')}`);
  await reviewer.fill('input[name=name]', 'li');
  await reviewer.fill('input[name=password]', password);
  await Promise.all([reviewer.waitForNavigation(), reviewer.click('form.login button')]);
  check((await text(reviewer)).includes('审核市科技局的进展报告'), 'the report waits in the supervisor\'s queue');
  await open(reviewer, task);
  await reviewer.fill('form.review input[name=comment]', '请补充投资完成情况');
  await Promise.all([reviewer.waitForNavigation(), reviewer.click('form.review button[value=return]')]);
  check((await text(reviewer)).includes('li 退回了进展报告：请补充投资完成情况'), 'returned, with its comment, in the trail');
  await open(reporter, '/me?year=2023');
  check((await text(reporter)).includes('报告被退回：请补充投资完成情况'), 'the returned report is the unit\'s to fix');
  await open(reporter, task);
  await reporter.selectOption('select[name=status]', 'on_track');
  await reporter.fill('input[name=percent]', '60');
  await reporter.fill('textarea[name=narrative]', '核心区建设已启动，完成投资3亿元');
  await Promise.all([reporter.waitForNavigation(), reporter.click('form.report-form button[type=submit]')]);
  check((await text(reporter)).includes('核心区建设已启动'), 'the report is on the task page');
  await open(reporter, '/me?year=2023');
  check(!(await text(reporter)).includes('报告被退回'), 'fixed: nothing to fix in the queue');
  await open(reporter, task);
  // Evidence for the report: a PDF.
  await reporter.setInputFiles('form.upload input[name=file]', {
    name: '核心区建设进展.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from('%PDF-1.4\n% plantrack browser test\n'),
  });
  await Promise.all([reporter.waitForNavigation(), reporter.click('form.upload button')]);
  check((await reporter.locator('li.report').first().locator('ul.evidence-files a').count()) === 1, 'the evidence file is listed');
  await shot(reporter, '12-report-submitted');
  const visitor = await page();
  await open(visitor, task);
  t = await text(visitor);
  check(!t.includes('核心区建设已启动') && !t.includes('核心区建设推进中'), 'the public sees neither the draft nor the returned report');
  const supervisor = await page();
  await open(supervisor, `/login?next=${encodeURIComponent(task)}`);
  await supervisor.fill('input[name=name]', 'li');
  await supervisor.fill('input[name=password]', password);
  await Promise.all([supervisor.waitForNavigation(), supervisor.click('form.login button')]);
  await open(supervisor, '/me?year=2023');
  check((await text(supervisor)).includes('审核市科技局的进展报告'), 'the supervisor\'s queue holds the report to review');
  await open(supervisor, task);
  await supervisor.fill('form.review input[name=comment]', '同意，请继续推进');
  await Promise.all([supervisor.waitForNavigation(), supervisor.click('form.review button[value=accept]')]);
  t = await text(supervisor);
  check(t.includes('已通过') && t.includes('li 审核通过了进展报告：同意，请继续推进'), 'the supervisor accepts; the trail records it in words');
  await noRawCodes(supervisor, task);
  await shot(supervisor, '13-report-accepted');
  await open(visitor, task);
  t = await text(visitor);
  check(t.includes('核心区建设已启动') && t.includes('同意，请继续推进'), 'the public sees the accepted report');
  const evidence = await visitor.locator('ul.evidence-files a').first().getAttribute('href');
  const download = await visitor.request.get(base + evidence);
  check(download.status() === 200 && (await download.text()).startsWith('%PDF'), 'the public downloads its evidence');
  // 催办: the supervisor urges the lead unit; the urge waits in the unit's queue.
  check((await supervisor.locator('main span.status').first().innerText()) === '逾期未完成', 'reported on, past the deadline: overdue');
  await supervisor.fill('form.urge input[name=message]', '请于本周内报送资金到位情况');
  await Promise.all([supervisor.waitForNavigation(), supervisor.click('form.urge button')]);
  await supervisor.waitForFunction(() => document.body.innerText.includes('催办市科技局'), null, { timeout: 30000 }).catch(() => {});
  check((await text(supervisor)).includes('li 催办市科技局：请于本周内报送资金到位情况'), 'the urge is in the trail');
  await open(reporter, '/me?year=2023');
  check((await text(reporter)).includes('li催办：请于本周内报送资金到位情况'), "the urge is in the unit's queue");
  await shot(reporter, '13b-queue-urged');
  // 延期申请: the lead unit asks for a new deadline; the supervisor approves; the status follows.
  await open(reporter, task);
  await reporter.fill('form.extension-request input[name=deadline]', '2099-06-30');
  await reporter.fill('form.extension-request textarea[name=reason]', '受施工季节影响，需顺延');
  await Promise.all([reporter.waitForNavigation(), reporter.click('form.extension-request button')]);
  await reporter.waitForFunction(() => document.body.innerText.includes('申请延期至2099-06-30'), null, { timeout: 30000 }).catch(() => {});
  check((await text(reporter)).includes('申请延期至2099-06-30：受施工季节影响，需顺延'), 'the request is on the task page');
  await open(supervisor, '/me?year=2023');
  check((await text(supervisor)).includes('市科技局申请延期至2099-06-30'), "the request is in the supervisor's queue");
  await open(supervisor, task);
  await supervisor.fill('form.decide input[name=comment]', '同意顺延');
  await Promise.all([supervisor.waitForNavigation(), supervisor.click('form.decide button[value=approve]')]);
  // The answer to the form may still be loading when the navigation is reported: wait for it.
  await supervisor.waitForFunction(() => document.body.innerText.includes('已批准延期至'), null, { timeout: 30000 }).catch(() => {});
  t = await text(supervisor);
  check(t.includes('已批准延期至2099-06-30') && t.includes('li 批准延期至2099-06-30：同意顺延'),
    `the approval is recorded (${supervisor.url()}: ${t.slice(0, 600).replace(/\s+/g, ' ')})`);
  const statusNow = await supervisor.locator('main span.status').first().innerText();
  check(!t.includes('逾期未完成') && statusNow === '正常推进', `the approved deadline changes the status (${statusNow})`);
  await noRawCodes(supervisor, task);
  await shot(supervisor, '13c-extension-approved');
  await Promise.all([supervisor.waitForNavigation(), supervisor.click('header form.inline button')]);
  check((await supervisor.locator('#login-link').count()) === 1, 'signing out');

  // Keyboard: the first Tab reaches the skip link, which moves focus to the content.
  // Every page a supervisor can open, in Chinese: statuses, reviews, roles and the trail in words.
  console.log('raw codes');
  const sweeper = await page();
  await open(sweeper, '/login?next=%2Fme');
  await sweeper.fill('input[name=name]', 'li');
  await sweeper.fill('input[name=password]', password);
  await Promise.all([sweeper.waitForNavigation(), sweeper.click('form.login button')]);
  for (const path of [
    '/', `/targets?${asOf}`, '/plan', `/tasks?${asOf}`, '/tasks?year=2023', task, '/warnings', '/warnings?as_of=2024-01-05',
    '/units', '/leaders', '/regions', `/units/${encodeURIComponent('市科技局')}`, `/units/${encodeURIComponent('市科技局')}/report?year=2023`,
    `/leaders/${encodeURIComponent('刘桂平')}`, `/regions/${encodeURIComponent('西青区')}`, '/documents', '/search?q=%E9%AB%98%E6%96%B0', '/me', '/me?year=2023',
  ]) {
    await open(sweeper, path);
  }

  // Report drafts (issue 16): the office head opens the annual report from the overview and
  // reads it as the printed page would be, every figure footnoted to its document.
  console.log('reports');
  await open(sweeper, '/?year=2023');
  const reportLink = sweeper.locator('p.report-links a', { hasText: '打印版网页' });
  check((await reportLink.count()) === 1, 'the overview links to the annual report for a signed-in user');
  await Promise.all([sweeper.waitForNavigation(), reportLink.click()]);
  t = await text(sweeper);
  check(t.includes('计划执行情况监测报告') && t.includes('一、总体情况') && t.includes('注释'),
    'the annual report opens as a page with its sections and notes');
  check(!/\d{3}_[0-9a-f]{16}\.txt/.test(t), 'the report names documents by title, never by file name');
  const notes = await sweeper.locator('section.notes li').count();
  check(notes > 20, `the report's figures have their notes (${notes})`);
  const first = await sweeper.locator('section.notes li a').first().getAttribute('href');
  check(first && first.startsWith('/documents/'), `a note links to its sentence in the viewer (${first})`);
  const a4 = await sweeper.evaluate(() => {
    const m = document.querySelector('main').getBoundingClientRect();
    return Math.round(m.width / 96 * 25.4);
  });
  check(Math.abs(a4 - 210) <= 1, `the page is A4 wide on screen (${a4} mm)`);
  await shot(sweeper, '20-annual-report-first-page');
  const printed = await sweeper.pdf({ format: 'A4', preferCSSPageSize: true });
  check(printed.length > 10000, `the report prints (${printed.length} bytes of PDF)`);
  await open(sweeper, '/plan?year=2023');
  check((await sweeper.locator('p.report-links a[href*="/reports/midterm"]').count()) === 2,
    'the plan page links to the mid-term evaluation (Word and page)');
  await sweeper.close();

  // ---- Issue 15 item 6: pages people can use (titles, /targets, search, the viewer, upload).
  console.log('issue 15: titles, /targets paging, search marks, the viewer\'s contents, upload');
  {
    const q = await page();
    // /targets: not achieved first, 50 a page, page links that keep the filters, no script needed.
    await open(q, `/targets?${asOf}`);
    const rowsOn = () => q.locator('table.verdicts tbody tr').count();
    const statusesOn = () => q.locator('table.verdicts tbody tr td:first-child .status').evaluateAll(
      (xs) => xs.map((x) => x.className.replace('status ', '')));
    check((await rowsOn()) === 50, `targets: 50 rows on the first page (${await rowsOn()})`);
    const first = await statusesOn();
    check(first[0] === 'not_achieved', `targets: not achieved first (${first[0]})`);
    t = await text(q);
    check(!t.includes('.txt'), 'targets: documents named by their titles, never their files');
    check((await q.locator('nav.pager a').count()) >= 4, 'targets: page links');
    await shot(q, '20-targets-page-1');
    await Promise.all([q.waitForNavigation(), q.click('nav.pager a[rel=next]')]);
    check(q.url().includes('page=2') && q.url().includes('as_of=2024-03-01'), `targets: the next page keeps the date (${q.url()})`);
    check((await q.locator('nav.pager a[aria-current=page]').innerText()) === '2', 'targets: page 2 is marked');
    const last = await q.locator('nav.pager a:not([rel])').last().getAttribute('href');
    await open(q, last);
    const tail = await statusesOn();
    check(tail.length > 0 && tail[tail.length - 1] === 'no_data', `targets: no data last (${tail[tail.length - 1]})`);
    // The reason at the page's size and colour.
    // The reason at the size and colour of the table's other text.
    const reason = await q.locator('td.src .reason').first().evaluate((e) => {
      const s = getComputedStyle(e); const b = getComputedStyle(e.closest('tr').querySelector('td:nth-child(3)'));
      return { size: s.fontSize, body: b.fontSize, colour: s.color, fg: b.color };
    });
    check(reason.size === reason.body && reason.colour === reason.fg, `targets: the reason is readable (${JSON.stringify(reason)})`);
    // Filtering by source document, by the plain form.
    await open(q, `/targets?${asOf}`);
    const option = await q.locator('select[name=doc] option').nth(1).getAttribute('value');
    await q.selectOption('select[name=doc]', option);
    await Promise.all([q.waitForNavigation(), q.click('form.filters button[type=submit]')]);
    const docs = await q.locator('a.target-evidence').allInnerTexts();
    check(q.url().includes(`doc=${option}`) && docs.length > 0 && docs.every((d) => d === docs[0]), `targets: the source filter keeps one document (${docs.length})`);
    await shot(q, '21-targets-by-source');
    // Search: under the document's title, the words marked.
    await open(q, `/search?q=${encodeURIComponent('高新技术企业')}`);
    const marks = await q.locator('ol.hits mark').count();
    check(marks > 0, `search: the words are marked (${marks})`);
    await shot(q, '22-search-marked');
    // The viewer: Markdown rendered, its contents, a heading reached from them.
    await open(q, '/documents/3');
    t = await q.locator('#doc-text').innerText();
    check(!/(^|\n)#+ /.test(t), 'viewer: no raw # of the Markdown');
    check(t.includes('PM2.5') && (await q.locator('#doc-text sub').count()) > 0, 'viewer: PM2.5 with its subscript');
    const entries = await q.locator('nav.toc a').count();
    check(entries > 10, `viewer: a table of contents (${entries} entries)`);
    check((await q.locator('#doc-text table.doc-table').count()) > 0, 'viewer: the indicator table is a table');
    await shot(q, '23-viewer-contents');
    const entry = q.locator('nav.toc a', { hasText: '第五章' }).first();
    const target = await entry.getAttribute('href');
    await entry.click();
    await q.waitForFunction((h) => location.hash === h, target, { timeout: 5000 }).catch(() => {});
    const top = await q.evaluate((h) => document.getElementById(h.slice(1)).getBoundingClientRect().top, target);
    check(q.url().endsWith(target) && top >= -2 && top < 300, `viewer: a contents entry scrolls to its heading (${target}, top ${Math.round(top)})`);
    await shot(q, '24-viewer-chapter');
    // An item's anchor still opens the viewer at it.
    await open(q, '/documents/2#b11381');
    await q.locator('mark.here').waitFor({ timeout: 5000 }).catch(() => {});
    check((await q.locator('mark.here').count()) === 1, 'viewer: #b anchors still mark their item');
    // A supervisor imports a table of figures on /documents.
    await open(q, '/login?next=%2Fdocuments');
    await q.fill('input[name=name]', 'li');
    await q.fill('input[name=password]', password);
    await Promise.all([q.waitForNavigation(), q.click('form.login button')]);
    const figures = '地区,年份,指标,数值,单位,口径,来源\n天津市,2023,粮食播种面积,577.6,万亩,总量,统计公报\n' +
      '天津市,2023,城镇污水集中处理率,95.5,%,比重,统计公报\n天津市,2023,固定资产投资,-16.4,%,增速,统计公报\n';
    await q.setInputFiles('form.import-form input[name=file]', { name: '2023年统计数据.csv', mimeType: 'text/csv', buffer: Buffer.from(figures) });
    await Promise.all([q.waitForNavigation(), q.click('form.import-form button')]);
    t = await text(q);
    check(q.url().includes('imported=inserted') && t.includes('已导入') && t.includes('li 导入了2023年统计数据.csv的3行数据'), `upload: imported and audited (${q.url()})`);
    await shot(q, '25-import-done');
    await open(q, `/targets?${asOf}&q=${encodeURIComponent('粮食播种面积')}`);
    t = await text(q);
    check(t.includes('统计数据导入') && t.includes('577.6'), 'upload: the target cites the imported figure');
    await shot(q, '26-target-from-import');
    await q.close();
  }

  // A city's office compares its districts (issue 17): the city's targets for each district
  // against its results, sortable without JavaScript, reached from the city's region page.
  console.log('regions compared');
  const office = await page();
  await open(office, `/regions/${encodeURIComponent('天津市')}?year=2023`);
  const compareLink = office.locator('#region-compare');
  check((await compareLink.count()) === 1, 'the city\'s page links to the comparison of its districts');
  await Promise.all([office.waitForNavigation(), compareLink.click()]);
  const firstRow = await office.locator('table.compare tbody tr').first().innerText();
  check(firstRow.includes('西青区') && firstRow.includes('未完成'),
    `the district that missed the city's target comes first (${firstRow.replace(/\s+/g, ' ')})`);
  const compareRows = await office.locator('table.compare tbody tr').count();
  check(compareRows >= 6, `every district the city set targets for is a row (${compareRows})`);
  await noRawCodes(office, office.url().replace(base, ''));
  await shot(office, '21-districts-compared');
  await Promise.all([office.waitForNavigation(), office.locator('p.sorts a', { hasText: '地区名称' }).click()]);
  check(office.url().includes('by=name'), 'sorting is a link that works without JavaScript');
  const phoneCompare = await page(390, 844);
  await open(phoneCompare, `/regions/${encodeURIComponent('天津市')}/compare?year=2023`);
  const compareOverflow = await phoneCompare.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(compareOverflow <= 1, `phone: the comparison fits the screen (overflow ${compareOverflow}px)`);
  await shot(phoneCompare, '22-phone-districts-compared');
  await office.close();
  await phoneCompare.close();

  console.log('keyboard, phone');
  await open(p, '/targets');
  await p.keyboard.press('Tab');
  const focused = await p.evaluate(() => document.activeElement && document.activeElement.className);
  check(focused === 'skip', `keyboard: the first Tab reaches the skip link (${focused})`);
  await p.keyboard.press('Enter');
  const inMain = await p.evaluate(() => document.activeElement && document.activeElement.id);
  check(inMain === 'main', `keyboard: the skip link moves focus to the content (${inMain})`);

  // A phone: nothing wider than the screen but the tables' own scroll boxes.
  const phone = await page(390, 844);
  for (const path of ['/', '/targets', '/tasks', '/plan', '/warnings']) {
    await open(phone, path);
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    check(overflow <= 1, `phone: ${path} fits the screen (overflow ${overflow}px)`);
  }
  await shot(phone, '11-phone-overview');
  // A page that is not there: said in Chinese, with the site's navigation.
  const missing = await phone.goto(base + '/no-such-page', { waitUntil: 'load' });
  t = await text(phone);
  check(missing.status() === 404 && t.includes('找不到这个页面') && t.includes('重点任务'), 'a missing page is named in Chinese, with the navigation');
  await shot(phone, '14-not-found');
  await open(phone, '/');
  await chartsRendered(phone, 2, '/ on a phone');

  // Liaison staff on a phone (issue 13 item 8): the reporter's queue, task lists as cards, the
  // task page and its report form at 390px, and a report sent with two files in one form.
  console.log('phone: queue, cards, report with files');
  const mobile = await page(390, 844);
  await open(mobile, '/login?next=%2Fme%3Fyear%3D2023');
  await mobile.fill('input[name=name]', 'zhang');
  await mobile.fill('input[name=password]', password);
  await Promise.all([mobile.waitForNavigation(), mobile.click('form.login button')]);
  const fits = async (what) => {
    const overflow = await mobile.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    check(overflow <= 1, `phone: ${what} has no horizontal overflow (${overflow}px)`);
  };
  // Controls narrower than 40px in height, by their text, among those a selector names.
  const small = (sel) => mobile.evaluate((sel) =>
    [...document.querySelectorAll(sel)]
      .filter((e) => e.offsetParent !== null && e.getBoundingClientRect().height < 40)
      .map((e) => `${e.tagName.toLowerCase()} ${(e.innerText || e.name || '').slice(0, 12)} ${Math.round(e.getBoundingClientRect().height)}px`), sel);
  check(mobile.url().includes('/me'), `phone: sign-in lands on the queue (${mobile.url()})`);
  await noRawCodes(mobile, '/me');
  await fits('/me');
  let tiny = await small('ul.queue a, main button');
  check(tiny.length === 0, `phone: the queue's links are at least 40px high (${tiny.slice(0, 3)})`);
  await shot(mobile, '15-phone-queue');
  const card = async (path, table) => {
    await open(mobile, path);
    await fits(path);
    const row = await mobile.evaluate((table) => {
      const tr = document.querySelector(`table.${table} tbody tr`);
      if (!tr) return null;
      const td = tr.querySelector('td');
      return {
        display: getComputedStyle(tr).display,
        width: tr.getBoundingClientRect().width,
        right: tr.getBoundingClientRect().right,
        label: td ? getComputedStyle(td, '::before').content : '',
      };
    }, table);
    check(row && row.display === 'block' && row.right <= 390 && row.width > 300,
      `phone: ${path} shows its rows as cards (${JSON.stringify(row)})`);
    check(row && row.label && row.label !== 'none' && row.label !== '""',
      `phone: ${path} labels each cell (${row && row.label})`);
  };
  await card(`/tasks?${asOf}`, 'tasks');
  await shot(mobile, '16-phone-tasks');
  await card('/warnings?as_of=2024-01-05', 'warnings');
  await shot(mobile, '17-phone-warnings');
  await card(`/units/${encodeURIComponent('市科技局')}?${asOf}`, 'tasks');
  await card(`/units/${encodeURIComponent('市科技局')}/report?year=2023&${asOf}`, 'report-table');
  // The task page and its report form.
  await open(mobile, task);
  await fits(task);
  const form = await mobile.evaluate(() => {
    const f = document.querySelector('form.report-form');
    if (!f) return null;
    const fw = f.getBoundingClientRect().width;
    const narrow = [...f.querySelectorAll('input:not([type=hidden]), select, textarea, button')]
      .filter((e) => e.getBoundingClientRect().width < fw - 2)
      .map((e) => e.name || e.tagName);
    return { fw, narrow, multiple: f.querySelector('input[type=file]')?.multiple, enctype: f.enctype };
  });
  check(form && form.fw >= 340 && form.narrow.length === 0,
    `phone: the report form's fields are full width (${JSON.stringify(form)})`);
  check(form && form.multiple && form.enctype === 'multipart/form-data', 'phone: the report form takes several files');
  tiny = await small('form.report-form input:not([type=hidden]), form.report-form select, form.report-form button');
  check(tiny.length === 0, `phone: the report form's controls are at least 40px high (${tiny.slice(0, 3)})`);
  await mobile.locator('form.report-form').scrollIntoViewIfNeeded();
  await shot(mobile, '18-phone-report-form');
  await mobile.selectOption('form.report-form select[name=status]', 'on_track');
  await mobile.fill('form.report-form input[name=percent]', '80');
  await mobile.fill('form.report-form textarea[name=narrative]', '手机报送：园区二期完成主体施工');
  await mobile.setInputFiles('form.report-form input[name=file]', [
    { name: '二期施工进度.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n% phone one\n') },
    { name: '现场验收记录.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n% phone two\n') },
  ]);
  await Promise.all([mobile.waitForNavigation(), mobile.click('form.report-form button[type=submit]')]);
  const hash = new URL(mobile.url()).hash;
  check(/^#report-\d+$/.test(hash), `phone: the report form lands on the new report (${mobile.url()})`);
  await noRawCodes(mobile, task);
  await fits('the task page after the report');
  const listed = hash
    ? await mobile.locator(`li${hash} ul.evidence-files a`).allInnerTexts()
    : [];
  check(listed.length === 2 && listed.includes('二期施工进度.pdf') && listed.includes('现场验收记录.pdf'),
    `phone: both files are listed under the report (${listed})`);
  check((await text(mobile)).includes('手机报送：园区二期完成主体施工'), 'phone: the report is on the task page');
  if (hash) await mobile.locator(`li${hash}`).scrollIntoViewIfNeeded();
  await shot(mobile, '19-phone-report-with-files');
} catch (e) {
  check(false, `unexpected: ${e.stack || e}`);
} finally {
  await browser.close();
  server.kill();
  rmSync(tmp, { recursive: true, force: true });
}

console.log(`${checks - failures.length} of ${checks} checks passed; screenshots in ${shots}`);
if (failures.length) {
  console.log(failures.map((f) => `- ${f}`).join('\n'));
  process.exit(1);
}
