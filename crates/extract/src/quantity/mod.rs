//! Quantified targets and results in running text.
//!
//! Each paragraph is cut into sentences (`。！？`) and each sentence into clauses (`，；：`).
//! [`number::tokens`] finds the numbers with units; for each, this module reads:
//!
//! - **the metric**: the words before the number in its clause, after the previous number
//!   (`改造燃气管网623公里、供热管网150公里` → 燃气管网, 供热管网), with leading context words
//!   (`全市`, `2023年`, `力争`) and trailing verbs (`增长`, `达到`, `控制在`) taken off. A number
//!   whose metric is empty takes the metric of the number before it in the sentence
//!   (`集装箱吞吐量达到2218万标准箱、增长5.5%`). A count whose words before are only a verb counts
//!   the noun after it (`实施20项民心工程` → 民心工程).
//! - **lists**: `A、B分别增长6%、14.1%` pairs subjects and numbers in order; `A、B均突破1.1万家`
//!   gives each subject the number.
//! - **qualifier**: before the number `超过`, `突破`, `超` (more than), `不少于`, `不低于` (at
//!   least), `控制在`, `不超过` (at most), `约`, `近` (about); after it `左右`, `以上`, `以内`,
//!   `以下`; a range (`6.5%－7%`); `余`/`多` after a count (more than).
//! - **direction and measure**: `增长`, `提高`, `提升`, `增加`, `上涨` increase; `下降`, `降低`,
//!   `减少` decrease. A percentage with a direction (or `增速`, `增幅`, `涨幅`) is a growth rate;
//!   `个百分点` a point change; `比重`, `占比`, `比例` a share; `新增`, `新建` an increment;
//!   `累计` cumulative; anything else a level.
//! - **role and year**: the part the sentence stands in (`一、2023年工作回顾` → results of 2023;
//!   `二、2024年主要目标任务` → targets for 2024); with no part, the document's plan year, or for a
//!   five-year plan its last year (and the year before its first in `发展基础`). Inside the
//!   sentence, `到2025年` sets a target year; a year before the plan year marks a result of that
//!   year; `预计` marks an estimated result.
//! - **region**: a section or a clause headed by a region (`3.西青区：经济预期增长5.0%`), else the
//!   document's region.
//!
//! Milestones ([`milestone`]) are read from the same sentences.

mod milestone;

pub(crate) mod number;

use plantrack_model::{
    Aggregation, Direction, DocumentKind, Measure, Milestone, PartRole, Qualifier, Quantity,
    QuantityRole, Section, Span,
};

use number::Token;

/// What the surrounding document says about the sentences in it.
pub(crate) struct Context<'a> {
    pub lex: &'a crate::lexicon::Lexicon,
    pub kind: DocumentKind,
    pub year: Option<i32>,
    pub year_end: Option<i32>,
    pub region: Option<&'a str>,
    pub sections: &'a [Section],
    /// For each section, the region its title names, if it is a region's name.
    pub section_regions: Vec<Option<String>>,
    /// For each section, whether it reviews the years before a five-year plan (`发展基础`).
    pub section_reviews: Vec<bool>,
    /// For each section, whether its title speaks of five years (`过去一年和五年工作回顾`).
    pub section_five_years: Vec<bool>,
}

/// Role and year a sentence has by default, from its place in the document.
#[derive(Debug, Clone)]
pub(crate) struct Place {
    pub role: QuantityRole,
    pub year: Option<i32>,
    pub region: Option<String>,
    /// The sentence stands in a part or paragraph about five years (`一、过去一年和五年工作回顾`,
    /// `过去五年，…`): averages and sums in it are the period's.
    pub five_years: bool,
}

impl<'a> Context<'a> {
    pub fn new(
        lex: &'a crate::lexicon::Lexicon,
        kind: DocumentKind,
        year: Option<i32>,
        year_end: Option<i32>,
        region: Option<&'a str>,
        sections: &'a [Section],
    ) -> Context<'a> {
        let section_regions = sections
            .iter()
            .map(|s| region_title(lex, &s.title))
            .collect();
        let section_reviews = sections
            .iter()
            .map(|s| {
                kind == DocumentKind::FiveYearPlan
                    && ["发展基础", "发展成就", "回顾", "取得的成就"]
                        .iter()
                        .any(|w| s.title.contains(w))
            })
            .collect();
        let section_five_years = sections
            .iter()
            .map(|s| s.title.contains("五年") || covers_years(&s.title))
            .collect();
        Context {
            section_five_years,
            lex,
            kind,
            year,
            year_end,
            region,
            sections,
            section_regions,
            section_reviews,
        }
    }

    /// The place of an original byte offset: innermost section's part and region.
    pub fn place(&self, at: usize) -> Place {
        let mut role = QuantityRole::Target;
        let mut year = self.year;
        if self.kind == DocumentKind::FiveYearPlan {
            year = self.year_end.or(self.year);
        }
        let mut region = self.region.map(str::to_owned);
        let mut five_years = false;
        // Sections containing `at`, outermost first: from the last section that starts before
        // `at`, up its parents (sections are in document order, so this is a binary search).
        let mut chain: Vec<(&Section, Option<&String>, bool, bool)> = Vec::new();
        let last = self.sections.partition_point(|s| s.extent.start <= at);
        let mut cursor = last.checked_sub(1);
        while let Some(i) = cursor {
            let s = &self.sections[i];
            if s.extent.start <= at && at < s.extent.end {
                chain.push((
                    s,
                    self.section_regions.get(i).and_then(Option::as_ref),
                    self.section_reviews.get(i).copied().unwrap_or(false),
                    self.section_five_years.get(i).copied().unwrap_or(false),
                ));
            }
            cursor = s.parent;
        }
        chain.reverse();
        for (s, section_region, reviews, about_five_years) in &chain {
            if let Some(p) = s.part {
                role = match p.role {
                    PartRole::Review => QuantityRole::Actual,
                    PartRole::Plan => QuantityRole::Target,
                };
                // `过去一年工作回顾`: a review without its year reviews the year before the plan.
                year = match (p.year, p.role) {
                    (Some(y), _) => Some(y),
                    (None, PartRole::Review) => self.year.map(|y| y - 1),
                    (None, PartRole::Plan) => self.year,
                };
            }
            if *reviews {
                role = QuantityRole::Actual;
                year = self.year.map(|y| y - 1);
            }
            if let Some(r) = section_region {
                region = Some((*r).clone());
            }
            five_years |= *about_five_years;
        }
        Place {
            role,
            year,
            region,
            five_years,
        }
    }
}

/// A section title that is a region's name (`滨海新区`, `西青区`), as in a column of district
/// targets.
fn region_title(lex: &crate::lexicon::Lexicon, title: &str) -> Option<String> {
    let t = title.trim();
    if t.len() > 30 || !t.ends_with(['市', '区', '县', '州', '旗', '省']) {
        return None;
    }
    // `新区` is too often generic (`国家级新区`) for the region finder, but a two-character
    // name before it, standing alone as a heading or a clause head, is a district
    // (`滨海新区`, `浦东新区`).
    if let Some(stem) = t.strip_suffix("新区")
        && stem.chars().count() == 2
        && stem.chars().all(crate::normalize::is_ideograph)
        && !NOT_NEW_AREAS.contains(&stem)
    {
        return Some(t.to_string());
    }
    let names = crate::metadata::regions_in(lex, t);
    (names.len() == 1 && names[0] == t).then(|| t.to_string())
}

/// A clause head without the item number before it: `1.滨海新区` → `滨海新区`.
fn strip_item_number(head: &str) -> &str {
    let rest = head.trim_start_matches(|c: char| c.is_ascii_digit());
    if rest.len() < head.len()
        && let Some(r) = rest.strip_prefix(['.', '、', '．'])
    {
        return r;
    }
    head
}

/// Two-character words before `新区` that make it a kind of area, not a district's name.
const NOT_NEW_AREAS: &[&str] = &[
    "国家", "产业", "城市", "建设", "开发", "规划", "一批", "各个",
];

/// Sentence ends.
fn is_sentence_end(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '!' | '?')
}

/// Clause separators inside a sentence.
fn is_clause_sep(c: char) -> bool {
    matches!(c, '，' | '；' | '：' | ',' | ';' | ':')
}

/// Sentences of a paragraph: byte ranges, each including its end mark.
pub(crate) fn sentences(p: &str) -> Vec<(usize, usize)> {
    scan(p).into_iter().map(|s| (s.start, s.end)).collect()
}

/// A sentence of a paragraph and what a one-pass byte scan saw in it.
pub(crate) struct Scanned {
    pub start: usize,
    pub end: usize,
    /// An ASCII digit or a Chinese magnitude word (`百`, `千`, `万`, `亿`): a number may be here.
    pub maybe_number: bool,
    /// A character that starts an event word: a milestone may be here.
    pub maybe_event: bool,
}

const NUMBER_FLAG: u8 = 1;
pub(crate) const EVENT_FLAG: u8 = 2;

/// Flags for every character of the Basic Multilingual Plane, built once: which characters make
/// a sentence worth reading for numbers or events.
pub(crate) fn char_flags() -> &'static [u8] {
    static TABLE: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = vec![0u8; 0x10000];
        for c in ['百', '千', '万', '亿'] {
            t[c as usize] |= NUMBER_FLAG;
        }
        for c in milestone::EVENT_START_CHARS {
            t[*c as usize] |= EVENT_FLAG;
        }
        t
    })
}

/// Splits a paragraph into sentences (`。！？!?`) in one pass over its bytes, noting which hold a
/// possible number or event so that the rest are not read twice.
pub(crate) fn scan(p: &str) -> Vec<Scanned> {
    let flags = char_flags();
    let b = p.as_bytes();
    let mut out = Vec::new();
    let mut current = Scanned {
        start: 0,
        end: 0,
        maybe_number: false,
        maybe_event: false,
    };
    let mut i = 0;
    while i < b.len() {
        let x = b[i];
        let (len, ends) = if x < 0x80 {
            current.maybe_number |= x.is_ascii_digit();
            (1, x == b'!' || x == b'?')
        } else if (0xE0..0xF0).contains(&x) && i + 2 < b.len() {
            let cp = ((x as usize & 0x0F) << 12)
                | ((b[i + 1] as usize & 0x3F) << 6)
                | (b[i + 2] as usize & 0x3F);
            let f = flags[cp];
            current.maybe_number |= f & NUMBER_FLAG != 0;
            current.maybe_event |= f & EVENT_FLAG != 0;
            (3, cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F)
        } else if x >= 0xF0 {
            (4, false)
        } else if x >= 0xC0 {
            (2, false)
        } else {
            (1, false)
        };
        i = (i + len).min(b.len());
        if ends {
            current.end = i;
            let next = Scanned {
                start: i,
                end: i,
                maybe_number: false,
                maybe_event: false,
            };
            out.push(std::mem::replace(&mut current, next));
        }
    }
    if current.start < p.len() {
        current.end = p.len();
        out.push(current);
    }
    out.retain(|s| !p[s.start..s.end].trim().is_empty());
    out
}

/// Words that open a clause without belonging to the metric: places, times, stances.
const LEADING: &[&str] = &[
    "其中",
    "要把",
    "把",
    "去年",
    // Period words and particles before a figure (`五年共`/`五年间` are cues, read in
    // `metric_of`): `五年全社会固定资产投资`, `由35个增加到…`.
    "五年",
    "由",
    "从",
    "的",
    "已经",
    "已",
    // `由于已经连续三年…`: a cause, not a subject (before `由`); `虽然略低于8%的预定目标`.
    "由于",
    "虽然",
    "全年",
    "全市",
    "全区",
    "全省",
    "全国",
    "全县",
    "我市",
    "本市",
    "我区",
    "本区",
    "今年",
    "当年",
    "同时",
    "此外",
    "另外",
    "并且",
    "并",
    "且",
    "和",
    "及",
    "以及",
    "与",
    "力争",
    "确保",
    "预计",
    "预期",
    "争取",
    "努力",
    "年内",
    "年底前",
    "年底",
    "上半年",
    "下半年",
    "前三季度",
    "一季度",
    "累计",
    "年均",
    "共",
    "总计",
    "合计",
    "主要预期目标是",
    "主要是",
    "共有",
    "拟",
    "目标是",
    "实现",
    "完成",
    "推动",
    "推进",
    "加快",
    "促进",
    "全面",
    "继续",
    "持续",
    "共",
    "、",
    "—",
    "——",
    " ",
];

/// Verbs and qualifiers that stand between the metric and the number.
const TRAILING: &[&str] = &[
    "增长率",
    "增长",
    "下降",
    "降低",
    "提高",
    "提升",
    "减少",
    "增加",
    "上涨",
    "达到",
    "达",
    "实现",
    "完成",
    "超过",
    "突破",
    "保持在",
    "保持",
    "稳定在",
    "稳定",
    "控制在",
    "不低于",
    "不少于",
    "不超过",
    "不高于",
    "高于",
    "低于",
    "好于",
    "为",
    "是",
    "约",
    "近",
    "超",
    "累计",
    "年均",
    "同比",
    "比上年末",
    "较上年末",
    "比年初",
    "较年初",
    "比上年同期",
    "比上年",
    "拟按",
    "比去年",
    "较上年",
    "较上一年",
    "比上一年",
    "较去年",
    "分别",
    "均",
    "在",
    "至",
    "到",
    "增速",
    "增幅",
    "涨幅",
    "左右",
    "以上",
    "预计",
    "预期",
    "力争",
    "确保",
    "年",
    "全年",
    "回落",
    "压减",
    "新增",
    "规模",
    "增至",
    "压缩至",
    "压缩到",
    "缩短至",
    "缩短到",
    "增加到",
    "增长到",
    // How older reports frame a target: `经济增长速度的调控目标定为8%`, `经济增长预期为7%左右`,
    // `国民生产总值计划增长8%`, `城镇调查失业率平均5.1%`.
    "调控目标定为",
    "预期目标定为",
    "目标定为",
    "预期目标为",
    "预期目标",
    "调控目标",
    "预期为",
    "定为",
    "计划",
    "平均",
    "的",
    "增长速度",
    "增长率",
    "上涨幅度",
    // `实际增长3.3%`, `实际到位400多亿美元` (not `实际使用外资`: only at the end).
    "实际",
    "实际到位",
    // `城镇化率从60.2%提高到65.2%`: the change's starting point.
    "从",
    "由",
    "提高到",
    "提升到",
    "下降到",
    "降至",
    "降到",
    "达到了",
    // `人均预期寿命再提高1岁`, `物价涨幅要从14.8%降到10%`, `比2000年翻一番`,
    // `由原定…调高到百分之八至九`.
    "再",
    "要",
    "翻",
    "调高到",
    "调低到",
    "调整为",
    "原定",
    "略",
    // `粮食产量首次跃上1.4万亿斤`, `涨幅仍然高达…`, `能耗降幅超过3%`.
    "首次",
    "跃上",
    "迈上",
    "仍然",
    "高达",
    "降幅",
    "各",
    "、",
    " ",
    "：",
];

/// Words inside a metric that make its figure an increment: `城镇新增就业`, `在津新设机构`.
const INCREMENT_WORDS: &[&str] = &[
    "新增",
    "新开工",
    "新设",
    "新建",
    "新开",
    "新培育",
    "新引进",
    "新入库",
    "新认定",
    "新创建",
    "新筹集",
];

/// Action verbs whose object is the metric: `改造燃气管网`, `新建5G基站`.
const ACTIONS: &[&str] = &[
    "新建改造",
    "新建和改造提升",
    "改造提升",
    "提升改造",
    "新增",
    "新建",
    "新开工改造",
    "新开工",
    "开工改造",
    "新开",
    "新培育",
    "新引进",
    "新认定",
    "新入库",
    "新设",
    "新创建",
    "新筹集",
    "筹集",
    "安排",
    "改造",
    "建设",
    "建成",
    "培育",
    "引进",
    "引育",
    "实施",
    "打造",
    "开工",
    "完成",
    "开展",
    "举办",
    "招引",
    "吸引",
    "认定",
    "创建",
    "组建",
    "推广",
    "发放",
    "提供",
    "落实",
    "设立",
    "治理",
    "修复",
    "种植",
    "植树",
    "造林",
    "播种",
    "整治",
    "升级",
    "扩容",
    "开通",
    "出台",
    "推出",
    "启动",
    "优选",
    "遴选",
    "做优做强",
    "做强",
    "增投",
    "增建",
    "制定",
    "修订",
    "支持",
    "帮扶",
    "共绘",
    "绘制",
    "签约",
    "带动",
    "吸纳",
    "安置",
    "资助",
    "救助",
    "慰问",
    "审议",
    "提请",
    "办理",
    "化解",
    "处置",
    "减免",
    "退税",
    "兑现",
    "拨付",
    "投入",
    "新增建设",
    "建立",
    "成立",
    "布局",
    "入驻",
    "聚集",
    "集聚",
    "落户",
    "签署",
    "达成",
    // `严守18亿亩耕地红线`: a floor kept, the noun after the number is what is measured.
    "严守",
    "守住",
    "坚守",
];

/// A word list indexed by first and by last character, longest words first in each bucket, so
/// that finding the longest word a text starts or ends with looks at a handful of words.
struct Lexicon {
    by_first: std::collections::HashMap<char, Vec<&'static str>>,
    by_last: std::collections::HashMap<char, Vec<&'static str>>,
}

impl Lexicon {
    fn new(words: &[&'static str]) -> Lexicon {
        let mut by_first: std::collections::HashMap<char, Vec<&'static str>> = Default::default();
        let mut by_last: std::collections::HashMap<char, Vec<&'static str>> = Default::default();
        for w in words {
            if let (Some(f), Some(l)) = (w.chars().next(), w.chars().next_back()) {
                by_first.entry(f).or_default().push(w);
                by_last.entry(l).or_default().push(w);
            }
        }
        for bucket in by_first.values_mut().chain(by_last.values_mut()) {
            bucket.sort_by_key(|w| std::cmp::Reverse(w.len()));
        }
        Lexicon { by_first, by_last }
    }
}

/// The lexicons of this module, indexed once.
struct Lexicons {
    leading: Lexicon,
    trailing: Lexicon,
    actions: Lexicon,
    noun_stops: Lexicon,
}

fn lexicons() -> &'static Lexicons {
    static INDEXED: std::sync::OnceLock<Lexicons> = std::sync::OnceLock::new();
    INDEXED.get_or_init(|| Lexicons {
        leading: Lexicon::new(LEADING),
        trailing: Lexicon::new(TRAILING),
        actions: Lexicon::new(ACTIONS),
        noun_stops: Lexicon::new(NOUN_STOPS),
    })
}

/// The longest word of `words` that `s` starts with.
fn longest_prefix(s: &str, lexicon: &Lexicon) -> Option<&'static str> {
    let first = s.chars().next()?;
    lexicon
        .by_first
        .get(&first)?
        .iter()
        .copied()
        .find(|w| s.starts_with(w))
}

/// The longest word of `words` that `s` ends with.
fn longest_suffix(s: &str, lexicon: &Lexicon) -> Option<&'static str> {
    let last = s.chars().next_back()?;
    lexicon
        .by_last
        .get(&last)?
        .iter()
        .copied()
        .find(|w| s.ends_with(w))
}

/// A five-year period opening a clause: `“十三五”期间`, `十四五时期`, `“十四五”以来`.
fn period_prefix(s: &str) -> Option<usize> {
    let r = s.strip_prefix('“').unwrap_or(s);
    // Longest first: `十五五` before `十五`.
    let plan = [
        "十一五",
        "十二五",
        "十三五",
        "十四五",
        "十五五",
        "十六五",
        "六五",
        "七五",
        "八五",
        "九五",
        "十五",
    ]
    .iter()
    .find(|p| r.starts_with(*p))?;
    let r = &r[plan.len()..];
    let r = r.strip_prefix('”').unwrap_or(r);
    // `“十四五”规划重大项目` is a name: only a period word makes the phrase a time.
    let r = ["期间", "时期", "以来", "末", "初"]
        .iter()
        .find_map(|w| r.strip_prefix(w))?;
    Some(s.len() - r.len())
}

fn strip_leading<'s>(mut s: &'s str, years: &mut Vec<i32>) -> &'s str {
    loop {
        let before = s;
        if let Some(w) = longest_prefix(s, &lexicons().leading) {
            s = &s[w.len()..];
        }
        if let Some(n) = period_prefix(s) {
            s = &s[n..];
        }
        // `2023年`, `到2025年`, `2023年底`, `“十四五”期间`.
        let r = s.strip_prefix('到').unwrap_or(s);
        let digits = r.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 4 && r[4..].starts_with('年') {
            years.push(r[..4].parse().unwrap_or(0));
            s = &r[4 + '年'.len_utf8()..];
            s = s.strip_prefix("底").unwrap_or(s);
            s = s.strip_prefix("前").unwrap_or(s);
        }
        if s == before {
            return s;
        }
    }
}

/// Cues found while trimming a subject.
#[derive(Default, Debug)]
struct Cues {
    direction: Option<Direction>,
    growth: bool,
    qualifier: Option<Qualifier>,
    increment: bool,
    cumulative: bool,
    average: bool,
    estimated: bool,
    respectively: bool,
    each: bool,
    action: Option<String>,
    /// The words before the number end in an action verb.
    verb_last: bool,
    /// The words before the number are nothing but action verbs (`累计建成`).
    only_action: bool,
    /// `五年新增市场主体`: a sum over the five years.
    over_five_years: bool,
    /// `已经连续三年增长…`, `再连续若干年保持…`: the figure speaks of a run of years, past
    /// (`false`) or hoped for (`true`), not of the year the part is about.
    run_of_years: Option<bool>,
}

/// A run of years written before a figure: `连续三年`, `连续若干年`, `连续9年`; its byte range
/// in `s` and whether it is hoped for rather than past (`再连续`, `若干`).
fn run_of_years(s: &str) -> Option<(std::ops::Range<usize>, bool)> {
    let p = s.find("连续")?;
    let after = &s[p + "连续".len()..];
    let n: usize = after
        .chars()
        .take(4)
        .take_while(|c| c.is_ascii_digit() || "一二两三四五六七八九十若干".contains(*c))
        .map(char::len_utf8)
        .sum();
    if n == 0 || !after[n..].starts_with('年') {
        return None;
    }
    let end = p + "连续".len() + n + '年'.len_utf8();
    let hoped = s[..p].ends_with('再') || after[..n].contains("若干");
    Some((p..end, hoped))
}

fn cue(word: &str, cues: &mut Cues) {
    match word {
        "增长" | "提高" | "提升" | "增加" | "上涨" | "翻" => {
            cues.direction = Some(Direction::Increase)
        }
        "下降" | "降低" | "减少" | "回落" | "压减" => {
            cues.direction = Some(Direction::Decrease)
        }
        "增速" | "增幅" | "涨幅" | "增长率" | "增长速度" | "上涨幅度" => {
            cues.growth = true
        }
        "降幅" => {
            cues.growth = true;
            cues.direction = Some(Direction::Decrease);
        }
        "超过" | "突破" | "超" | "高于" => cues.qualifier = Some(Qualifier::MoreThan),
        "不低于" | "不少于" => cues.qualifier = Some(Qualifier::AtLeast),
        "控制在" | "不超过" | "不高于" | "低于" => {
            cues.qualifier = Some(Qualifier::AtMost)
        }
        "约" | "近" => cues.qualifier = Some(Qualifier::About),
        "累计" => cues.cumulative = true,
        "年均" => cues.average = true,
        "预计" => cues.estimated = true,
        "分别" => cues.respectively = true,
        "均" | "各" => cues.each = true,
        "新增" => cues.increment = true,
        _ => {}
    }
}

/// The words of a comparison base around the year phrase at `p` (`比2015年`, `较2020年`,
/// `与2019年`, `是2015年的`), or `None` when the year dates the figure.
fn comparison_base(s: &str, p: usize, len: usize) -> Option<std::ops::Range<usize>> {
    if let Some(w) = ["比", "较", "与", "同"]
        .iter()
        .find(|w| s[..p].ends_with(*w))
    {
        return Some(p - w.len()..p + len);
    }
    (s[..p].ends_with('是') && s[p + len..].starts_with('的'))
        .then(|| p - '是'.len_utf8()..p + len + '的'.len_utf8())
}

/// Years a figure may be dated by: every year written, except comparison bases (`比2015年`).
/// Each year of a sentence with where it is written, comparison bases left out; read once per
/// sentence, then cut at each number.
fn dated_years(s: &str) -> Vec<(usize, i32)> {
    let mut out = Vec::new();
    for y in crate::metadata::years_in(s) {
        let phrase = format!("{y}年");
        for (p, _) in s.match_indices(&phrase) {
            if comparison_base(s, p, phrase.len()).is_none() && !s[..p].ends_with('从') {
                out.push((p, y));
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Trims a raw subject to its metric, collecting cues from the words taken off.
fn metric_of(raw: &str, cues: &mut Cues, years: &mut Vec<i32>) -> String {
    // One pass for the cue words' second characters before any word search.
    if raw.contains(['计', '均', '别']) {
        for w in ["预计", "累计", "年均", "分别"] {
            if raw.contains(w) {
                cue(w, cues);
            }
        }
    }
    // `聚焦“到2025年区域内实现…比重`: a year phrase opens the subject; what precedes it is
    // the sentence's frame.
    let mut owned = raw.trim().to_string();
    if let Some((run, hoped)) = run_of_years(&owned) {
        cues.run_of_years = Some(hoped);
        owned.replace_range(run, "");
    }
    let written_years = if owned.contains('年') {
        crate::metadata::years_in(&owned)
    } else {
        Vec::new()
    };
    for y in written_years {
        let phrase = format!("{y}年");
        let Some(p) = owned.rfind(&phrase) else {
            continue;
        };
        // `能耗比2015年下降17%`, `是2015年的3.1倍`: a comparison base, not the year of the
        // figure.
        if let Some(base) = comparison_base(&owned, p, phrase.len()) {
            owned.replace_range(base, "");
            continue;
        }
        // `比重从2015年的59.2%提高到78%`: the starting point of a change, dated for this number
        // only; the metric is what stands before `从`.
        if owned[..p].ends_with('从') {
            let end = p + phrase.len();
            let end = if owned[end..].starts_with('的') {
                end + '的'.len_utf8()
            } else {
                end
            };
            owned.replace_range(p - '从'.len_utf8()..end, "");
            years.push(y);
            continue;
        }
        years.push(y);
        let rest = &owned[p + phrase.len()..];
        let rest = rest.strip_prefix('底').unwrap_or(rest);
        owned = rest.strip_prefix('前').unwrap_or(rest).to_string();
    }
    // `五年共利用外资609亿美元`, `五年间产值增长2倍`: the five years' sum or change.
    for w in ["五年共", "五年间"] {
        if let Some(p) = owned.contains('五').then(|| owned.find(w)).flatten() {
            cues.over_five_years = true;
            owned = owned[p + w.len()..].to_string();
        }
    }
    // `五年新增市场主体4.6万户`: the five years' sum of an increment.
    for w in ["五年来", "五年"] {
        if let Some(rest) = owned.strip_prefix(w)
            && INCREMENT_WORDS.iter().any(|i| rest.starts_with(i))
        {
            cues.over_five_years = true;
            owned = rest.to_string();
            break;
        }
    }
    // `PM2.5年均浓度`: 年均 qualifies, the words around it name the metric.
    if owned.contains("年均") {
        cue("年均", cues);
        owned = owned.replace("年均", "");
    }
    // `五年平均每年增长百分之七点九`, `平均每年增加2053亿元`: an average over the years.
    for w in ["平均每年", "平均每"] {
        if let Some(p) = owned.contains('均').then(|| owned.find(w)).flatten() {
            cue("年均", cues);
            owned.replace_range(p..p + w.len(), "");
        }
    }
    let raw = owned.as_str();
    // `全面完成148万平方米…`, `高质量完成50万亩…`: an action verb right before the number.
    if longest_suffix(raw, &lexicons().actions).is_some() {
        cues.verb_last = true;
    }
    let mut s = strip_leading(raw, years);
    // `高质量完成50万亩…`: an action verb right before the number, even one that is also a
    // trailing verb (`完成`).
    if longest_suffix(s, &lexicons().actions).is_some() {
        cues.verb_last = true;
    }
    while let Some(w) = longest_suffix(s, &lexicons().trailing) {
        // `月平均`: 均 ends a word here, it is no `each`.
        if w == "均" && s[..s.len() - w.len()].ends_with('平') {
            break;
        }
        // `存贷款余额月平均`: a monthly mean is a metric of its own (not `失业率平均`).
        if w == "平均" && s[..s.len() - w.len()].ends_with(['月', '日']) {
            break;
        }
        cue(w, cues);
        s = &s[..s.len() - w.len()];
    }
    let mut s = strip_leading(s, years);
    // `累计引进各类人才`, `年均增长`: what follows the cue word is the metric.
    if let Some(p) = s.find("累计") {
        cue("累计", cues);
        s = &s[p + "累计".len()..];
    }
    let before_actions = s;
    if let Some(a) = longest_prefix(s, &lexicons().actions)
        && !milestone::NOUNS_FROM_EVENTS
            .iter()
            .chain(NOUNS_FROM_ACTIONS)
            .any(|n| s.starts_with(n))
    {
        cues.action = Some(a.to_string());
        s = &s[a.len()..];
        // `造林面积`, `造林绿化面积`: the measure of an activity names the activity.
        if MEASURE_WORDS.iter().any(|w| s.ends_with(w)) {
            s = before_actions;
        }
    }
    // `精心组织实施20项民心工程`: a verb right before the number; what is counted follows it.
    if let Some(a) = longest_suffix(s, &lexicons().actions) {
        cues.action = Some(a.to_string());
        cues.verb_last = true;
        s = &s[..s.len() - a.len()];
    }
    // `植树造林1700亩`: nothing but actions; the action is what is measured.
    if s.is_empty() {
        s = before_actions;
        cues.only_action = true;
    }
    if cues
        .action
        .as_deref()
        .is_some_and(|a| a.starts_with('新') || a.starts_with("增"))
        || (s.contains('新') && INCREMENT_WORDS.iter().any(|w| s.contains(w)))
    {
        cues.increment = true;
    }
    let s = s.trim_matches(|c: char| c.is_whitespace() || "、，".contains(c));
    // Quotation marks around a name (`“海河英才”行动计划`) are not part of what is measured.
    s.replace(['“', '”', '"'], "")
}

/// Whether a sentence speaks of several years: `“十四五”以来`, `过去五年`, `五年来`,
/// `2021年以来`, `“十四五”时期`. One year's review (`2024年`, `今年以来`) is not.
fn covers_years(sentence: &str) -> bool {
    // Every cue below holds 五 or 届 but `2021年以来`.
    if !sentence.contains(['五', '届']) && !sentence.contains("年以来") {
        return false;
    }
    if [
        "过去五年",
        "五年来",
        "五年间",
        "近五年",
        "届政府",
        "五年年均",
        "五年平均",
    ]
    .iter()
    .any(|w| sentence.contains(w))
        || sentence
            .char_indices()
            .filter(|(_, c)| "十九八七六“".contains(*c))
            .any(|(p, _)| period_prefix(&sentence[p..]).is_some())
    {
        return true;
    }
    // `2021年以来`: a year before the last.
    sentence.match_indices("年以来").any(|(p, _)| {
        p >= 4
            && sentence.is_char_boundary(p - 4)
            && sentence[p - 4..p].bytes().all(|b| b.is_ascii_digit())
    })
}

/// Nouns that begin with an action verb: `建设用地`.
const NOUNS_FROM_ACTIONS: &[&str] = &["建设用地", "建设规模", "新增城镇就业"];

/// Words that measure an activity and name nothing without it: `造林面积`, `治理长度`.
const MEASURE_WORDS: &[&str] = &[
    "面积", "长度", "里程", "规模", "数量", "人数", "金额", "总额", "次数", "户数",
];

/// A district's or county's name opening a subject (`滨江区`, `临海县地区生产总值`,
/// `滨海新区工业…`), or the document's own region, with the rest. Only a name that starts the
/// subject and has the two-character stem of such names counts: `接收静海区转移安置人员` and
/// `首届西青区半程马拉松赛` are other phrases, and a city or province before a name is part of
/// it (`天津市雏鹰企业`). Not the words a region's suffix begins (`区域`, `县域`, `市场`).
fn leading_region<'m>(
    lex: &crate::lexicon::Lexicon,
    metric: &'m str,
    own: Option<&str>,
) -> Option<(String, &'m str)> {
    if let Some(own) = own
        && let Some(rest) = metric.strip_prefix(own)
        && !rest.is_empty()
    {
        return Some((own.to_string(), rest));
    }
    let (at, c) = metric
        .char_indices()
        .take(4)
        .find(|(_, c)| matches!(c, '区' | '县' | '旗'))?;
    let end = at + c.len_utf8();
    let stem = metric[..at].chars().count();
    let new_area = metric[..end].ends_with("新区");
    if !(stem == 2 || (stem == 3 && new_area)) {
        return None;
    }
    let rest = &metric[end..];
    if rest.starts_with(['域', '场', '级', '内', '外', '属', '委', '长', '民']) {
        return None;
    }
    region_title(lex, &metric[..end]).map(|r| (r, rest))
}

/// Words that stand for the thing measured just before them: `新增…企业23家、总数达到87家`.
const BACK_REFERENCES: &[&str] = &["总数", "总量", "数量", "总规模", "总计", "总和"];

/// Actions that name no activity of their own: with nothing else before the number
/// (`新建5G基站4100个，累计建成1.2万个`) they measure the thing measured before. Actions that are
/// activities (`植树造林1700亩`, `帮扶1.2万人`) measure themselves.
const GENERIC_ACTIONS: &[&str] = &[
    "建成",
    "建设",
    "完成",
    "实施",
    "开工",
    "新开工",
    "新建",
    "新增",
    "改造",
    "引进",
    "培育",
    "认定",
    "创建",
    "落实",
    "推出",
    "开通",
    "布局",
    "设立",
    "成立",
    "组建",
    "打造",
];

/// `增长5.9%，高于全国0.7个百分点`, `比年初计划高0.2个百分点`: a gap to a benchmark, measured on
/// the metric before.
fn gap_to_benchmark(metric: &str) -> bool {
    // `比年初计划高`, `比全国快`.
    if let Some(rest) = metric.strip_prefix('比')
        && rest.ends_with(['高', '低', '快', '慢', '多', '少'])
        && (2..=8).contains(&rest.chars().count())
    {
        return true;
    }
    let Some(rest) = ["高于", "快于", "低于", "慢于", "超过", "超出", "领先"]
        .iter()
        .find_map(|w| metric.strip_prefix(w))
    else {
        return false;
    };
    ["全国", "全省", "全市", "全区", "平均", "同期", "上年"]
        .iter()
        .any(|w| rest.starts_with(w))
        && rest.chars().count() <= 8
}

/// `城乡居民人均可支配收入分别增长5%、7%`: a subject of town and country, given two figures,
/// is the urban one and the rural one.
fn split_urban_rural(list: Vec<String>, figures: usize) -> Vec<String> {
    match list.as_slice() {
        [one] if figures == 2 => match one.strip_prefix("城乡") {
            Some(rest) if !rest.is_empty() => vec![format!("城镇{rest}"), format!("农村{rest}")],
            _ => list,
        },
        _ => list,
    }
}

/// A figure restated as the target it is compared with: `增长2.1%，低于5%的预期目标`,
/// `低于3%左右的调控目标`.
/// Words of a review that cite what last year's report set (`去年我在政府工作报告中曾提出，要把…控制在
/// 百分之十以内`): the figures after them are the year's targets, not its results.
const CITING_THE_PLAN: &[&str] = &[
    "政府工作报告中曾提出",
    "政府工作报告中提出",
    "政府工作报告提出",
    "政府工作报告确定",
    "年初提出",
    "年初确定",
];

fn cites_last_years_plan(before: &str) -> bool {
    // `…提出，物价涨幅要从14.8%降到10%左右，经过上下各方面的努力，实际降到6.1%`: the result
    // after the citation is a result.
    if !before.contains(['提', '确']) {
        return false;
    }
    CITING_THE_PLAN.iter().any(|w| {
        before.rfind(w).is_some_and(|p| {
            let after = &before[p..];
            !["实际", "经过", "结果", "仍然"]
                .iter()
                .any(|r| after.contains(r))
        })
    })
}

fn names_a_target(after: &str) -> bool {
    let after = ["左右", "以上", "以内", "以下"]
        .iter()
        .find_map(|w| after.strip_prefix(w))
        .unwrap_or(after);
    let after = after.strip_prefix(['的']).unwrap_or(after);
    [
        "预期目标",
        "预定目标",
        "年度目标",
        "目标",
        "计划目标",
        "预期",
        "控制目标",
        "调控目标",
    ]
    .iter()
    .any(|w| after.starts_with(w))
}

/// Words that start the predicate after a counted noun.
const NOUN_STOPS: &[&str] = &[
    "进行",
    "得到",
    "发放",
    "提供",
    "开展",
    "落地",
    "全面完成",
    "全部",
    "均已",
    "已经",
    "建成",
    "投入",
    "实现",
    "取得",
    "开工",
    "竣工",
    "获批",
    "获评",
    "入选",
    "加快",
    "持续",
    "正式",
    "在",
    "布局",
    "落户",
    "入驻",
    "完成",
    "达到",
    "成功",
    "顺利",
    "基本",
    "已",
    "将",
    "陆续",
];

/// The noun a count counts when it comes after the number (`20项民心工程` → 民心工程), and the
/// byte where the phrase holding it ends.
fn noun_after_span(sentence: &str, end: usize) -> (String, usize) {
    let rest = &sentence[end..];
    // `…150家”发展目标`: a closing quote ends the phrase the number stood in.
    if rest.starts_with(['”', '’', '）', ')', '》', '】']) {
        return (String::new(), end);
    }
    // A number ends the noun, but not a name that starts with digits (`5G全连接工厂`).
    let b = rest.as_bytes();
    let starts_number = |i: usize| {
        b[i].is_ascii_digit()
            && (i == 0 || !b[i - 1].is_ascii_digit())
            && !rest[i..]
                .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.')
                .starts_with(|c: char| c.is_ascii_alphabetic())
    };
    let stop = rest
        .char_indices()
        .find(|&(i, c)| {
            is_clause_sep(c) || is_sentence_end(c) || c == '、' || c == '和' || starts_number(i)
        })
        .map(|(i, _)| i)
        .unwrap_or(rest.len());
    let mut noun = &rest[..stop];
    // The noun ends where its predicate starts: `40家央企二三级公司在津布局`.
    if let Some(p) = noun
        .char_indices()
        .skip(1)
        .map(|(p, _)| p)
        .find(|&p| longest_prefix(&noun[p..], &lexicons().noun_stops).is_some())
    {
        noun = &noun[..p];
    }
    for w in ["以上", "左右", "以内", "以下", "的"] {
        noun = noun.strip_prefix(w).unwrap_or(noun);
    }
    (noun.to_string(), end + stop)
}

/// Whether a measured quantity is part of a project's name: `中石化南港120万吨乙烯等项目竣工`
/// names a plant by its capacity. The pattern: a unit of measure (not a count or a percentage)
/// followed directly by a product noun and then `项目`/`工程`/`装置` in the same clause, with no
/// action verb before the number (`建设100公里高速公路项目` is a quantity).
fn is_project_name(sentence: &str, t: &Token) -> bool {
    if t.is_count() || t.is_percent() || t.is_points() || t.upper.is_some() {
        return false;
    }
    let rest = &sentence[t.end..];
    if !rest
        .chars()
        .next()
        .is_some_and(crate::normalize::is_ideograph)
    {
        return false;
    }
    let clause_end = rest
        .find(|c: char| is_clause_sep(c) || is_sentence_end(c))
        .unwrap_or(rest.len());
    let clause = &rest[..clause_end];
    // `…等项目竣工`, `…乙烯投产`: the capacity names a plant that an event happens to.
    let names_project = [
        "项目", "工程", "装置", "基地", "投产", "竣工", "开工", "建成", "达产", "投用",
    ]
    .iter()
    .any(|w| clause.contains(w));
    let before = &sentence[..t.start];
    let acted = longest_suffix(before, &lexicons().actions).is_some()
        || longest_suffix(before, &lexicons().trailing).is_some();
    names_project && !acted
}

/// Qualifier written after the number: `4%左右`, `30以上`.
fn qualifier_after(sentence: &str, end: usize) -> Option<Qualifier> {
    let rest = &sentence[end..];
    [
        ("左右", Qualifier::About),
        ("以上", Qualifier::AtLeast),
        ("以内", Qualifier::AtMost),
        ("以下", Qualifier::AtMost),
    ]
    .into_iter()
    .find(|(w, _)| rest.starts_with(w))
    .map(|(_, q)| q)
}

/// Subjects listed before `分别`/`均`: `A、B和C` → [A, B, C].
fn list_subjects(phrase: &str) -> Vec<String> {
    phrase
        .split(['、', '和', '及'])
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Reads the quantities and milestones of one sentence, its numbers read once for both.
/// `maybe_number` and `maybe_event` come from the scan that cut the sentence.
#[allow(clippy::too_many_arguments)]
pub(crate) fn read_sentence(
    sentence: &str,
    maybe_number: bool,
    maybe_event: bool,
    place: &Place,
    ctx: &Context<'_>,
    span_of: &dyn Fn(usize, usize) -> Span,
    quantities: &mut Vec<Quantity>,
    milestones: &mut Vec<Milestone>,
) {
    // Most sentences hold no number: an ASCII digit, or a magnitude word for Chinese numerals
    // (`百分之五`, `两千`, `一千二百万`, `三个百分点`), must be there for one.
    let tokens = if maybe_number {
        number::tokens(sentence)
    } else {
        Vec::new()
    };
    // Which numbers are part of a project's name (`120万吨乙烯项目`): no quantity, no count.
    let named: Vec<bool> = tokens
        .iter()
        .map(|t| is_project_name(sentence, t))
        .collect();
    sentence_quantities(sentence, &tokens, &named, place, ctx, span_of, quantities);
    if maybe_event {
        milestone::sentence_milestones(sentence, &tokens, &named, place, span_of, milestones);
    }
}

/// Reads the quantities of one sentence from its numbers. `span_of` maps a byte range of
/// `sentence` to the original text.
fn sentence_quantities(
    sentence: &str,
    tokens: &[Token],
    named: &[bool],
    place: &Place,
    ctx: &Context<'_>,
    span_of: &dyn Fn(usize, usize) -> Span,
    out: &mut Vec<Quantity>,
) {
    if tokens.is_empty() {
        return;
    }
    let sentence_span = span_of(0, sentence.len());
    // A clause headed by a region: `西青区：经济预期增长5.0%`.
    let mut region = place.region.clone();
    // A region's name is short; a colon further in ends a longer phrase.
    if let Some(colon) = sentence.find(['：', ':']).filter(|&c| c <= 30)
        && let Some(r) = region_title(ctx.lex, strip_item_number(&sentence[..colon]))
    {
        region = Some(r);
    }
    let sentence_years = dated_years(sentence);
    let mut prev_end = 0usize;
    let mut prev_metric: Option<String> = None;
    let mut prev_unit: Option<&str> = None;
    let mut prev_cues = Cues::default();
    // The subjects of the last `分别` list, for a second one that names none
    // (`分别达到41260元、21580元，分别增长4.9%、7.1%`).
    let mut last_list: Vec<String> = Vec::new();
    // The subjects of a `分别` list still to hand out.
    let mut pending: Vec<String> = Vec::new();
    // A figure given up (`由原定平均每年百分之六`) hands its average to the one replacing it.
    let mut replaced_average = false;
    for (k, t) in tokens.iter().enumerate() {
        // `稳经济运行33条等惠企政策`: a count with `等` after it names a package of measures.
        if named[k] || (t.is_count() && sentence[t.end..].starts_with('等')) {
            continue;
        }
        let clause_start = sentence[..t.start].rfind(is_clause_sep).map_or(0, |p| {
            p + sentence[p..].chars().next().map_or(1, char::len_utf8)
        });
        // The noun counted by the number before may run over this one (`3个百百%`).
        let from = clause_start.max(prev_end).min(t.start);
        let raw = &sentence[from..t.start];
        let mut noun_end = t.end;
        let mut cues = Cues::default();
        let mut years = Vec::new();
        // Cues from the whole clause before the number (`预计`, `累计`, `力争`).
        let clause_before = &sentence[clause_start..t.start];
        let mut metric = metric_of(raw, &mut cues, &mut years);
        cues.average |= std::mem::take(&mut replaced_average);
        // A number listed after another (`6%、14.1%`) shares its verb and qualifier.
        if from > clause_start && raw.trim_matches(['、', '和', '及', ' ']).is_empty() {
            cues.direction = prev_cues.direction;
            cues.growth = prev_cues.growth;
            cues.qualifier = prev_cues.qualifier;
            cues.increment = prev_cues.increment;
            cues.action = prev_cues.action.clone();
        }
        for w in ["预计", "累计", "年均"] {
            if clause_before.contains(w) {
                cue(w, &mut cues);
            }
        }
        years.extend(
            sentence_years
                .iter()
                .take_while(|(p, _)| *p < t.start)
                .map(|&(_, y)| y),
        );
        // `A、B分别增长6%、14.1%`: hand the subjects out in order.
        let mut subjects: Vec<String> = Vec::new();
        // `A、B、C参保人数达到992万人、398万人、412万人`: as many subjects as numbers in a row is
        // a list read in order even without `分别`.
        let chain = 1 + tokens[k + 1..]
            .iter()
            .scan(t.end, |end, n| {
                let gap = sentence[*end..n.start].trim_matches(['、', '和', '及', ' ']);
                *end = n.end;
                gap.is_empty().then_some(())
            })
            .count();
        if !cues.respectively && !cues.each && chain >= 2 && pending.is_empty() {
            let mut ignored = Cues::default();
            let mut ignored_years = Vec::new();
            let list = list_subjects(&metric_of(raw, &mut ignored, &mut ignored_years));
            if list.len() == chain {
                cues.respectively = true;
            }
        }
        if cues.respectively || cues.each {
            let cut = ["分别", "均", "各"]
                .iter()
                .filter_map(|w| raw.rfind(w))
                .max()
                .filter(|_| !cues.respectively || raw.contains("分别"))
                .unwrap_or(raw.len());
            let head = &raw[..cut];
            let mut ignored = Cues::default();
            let mut ignored_years = Vec::new();
            let cleaned = metric_of(head, &mut ignored, &mut ignored_years);
            let mut list = share_per_unit_head(split_urban_rural(list_subjects(&cleaned), chain));
            if list.is_empty() && cues.respectively && last_list.len() == chain {
                list = last_list.clone();
            }
            if cues.respectively {
                last_list = list.clone();
                pending = list;
            } else {
                subjects = list;
            }
        }
        if subjects.is_empty() {
            if !pending.is_empty() && (cues.respectively || metric.is_empty()) {
                metric = pending.remove(0);
            } else if metric.is_empty() {
                if t.is_count() || cues.action.is_some() || cues.verb_last {
                    let (noun, phrase_end) = noun_after_span(sentence, t.end);
                    if !noun.is_empty() {
                        noun_end = phrase_end;
                    }
                    metric = noun;
                }
                if metric.is_empty()
                    && let Some(m) = &prev_metric
                {
                    metric = m.clone();
                    // `增长5.5%以上，力争6%`: a second figure of the same kind for the same
                    // metric is read the same way.
                    if prev_unit == Some(t.base_unit.as_str()) && cues.direction.is_none() {
                        cues.direction = prev_cues.direction;
                        cues.growth = prev_cues.growth;
                    }
                }
            } else if let Some(m) = prev_metric.as_ref().filter(|_| gap_to_benchmark(&metric)) {
                metric = format!("{m}{metric}");
            } else if let Some((m, back)) = prev_metric
                .as_ref()
                .map(|m| (m, BACK_REFERENCES.contains(&metric.as_str())))
                .filter(|(_, back)| {
                    prev_unit == Some(t.base_unit.as_str())
                        && (*back
                            || (cues.only_action && GENERIC_ACTIONS.contains(&metric.as_str())))
                        && noun_after_span(sentence, t.end).0.is_empty()
                })
            {
                // `新增…企业23家、总数达到87家`, `新建5G基站4100个，累计建成1.2万个`: the word
                // stands for what was measured before, in the same unit, when no noun follows
                // the number (`组建4个区域产教联合体` counts its own).
                metric = if back {
                    format!("{m}{metric}")
                } else {
                    m.clone()
                };
            } else if t.is_count()
                || cues.verb_last
                || ["对", "向", "为", "把", "将", "给"].contains(&metric.as_str())
            {
                // `对8624万平方米老旧小区…进行改造`: after a preposition the object follows.
                // A classifier followed by a noun counts that noun (`3家企业获评…`,
                // `20项民心工程`); followed by punctuation or a verb, it counts the noun before
                // it (`博士后站55个，`). A measure after an action verb measures the noun after
                // it (`高质量完成50万亩以上高标准农田建设任务`).
                let (noun, phrase_end) = noun_after_span(sentence, t.end);
                if !noun.is_empty() {
                    metric = noun;
                    // The noun belongs to this number, not to the subject of the next one.
                    noun_end = phrase_end;
                }
            }
            // `税收收入增长17.2%，占比达到77.9%`: a bare ratio word is the ratio of the metric before.
            if ["占比", "比重", "比例"].contains(&metric.as_str())
                && let Some(m) = &prev_metric
            {
                metric = format!("{m}{metric}");
            }
            // `严守18亿亩耕地红线`: a red line is a floor on what it names.
            if let Some(stem) = ["红线", "底线"]
                .iter()
                .find_map(|w| metric.strip_suffix(w))
                .filter(|stem| !stem.is_empty())
            {
                metric = stem.to_string();
                cues.qualifier.get_or_insert(Qualifier::AtLeast);
            }
            subjects.push(metric);
        }
        prev_end = noun_end.max(t.end);
        prev_cues = Cues {
            direction: cues.direction,
            growth: cues.growth,
            qualifier: cues.qualifier,
            increment: cues.increment,
            action: cues.action.clone(),
            ..Cues::default()
        };
        for metric in subjects {
            // Quotation marks around a name (`“海河英才”行动计划`) are not part of what is measured.
            let metric = metric.replace(['“', '”', '"'], "");
            // `其中滨江区增长6.5%`, `东城区地区生产总值突破1000亿元`: a region opening the
            // subject is where the figure belongs; what follows it (or, with nothing after it,
            // the metric before) is what is measured.
            let (metric, figure_region) = match leading_region(ctx.lex, &metric, ctx.region) {
                Some((r, rest)) => {
                    let rest = rest.trim_start_matches('的');
                    let measured = if rest.is_empty() {
                        prev_metric.clone().unwrap_or_default()
                    } else {
                        rest.to_string()
                    };
                    (measured, Some(r))
                }
                None => (metric, None),
            };
            if metric.is_empty() || metric.chars().count() > 40 {
                continue;
            }
            prev_metric = Some(metric.clone());
            prev_unit = Some(t.base_unit.as_str());
            // `由原定平均每年百分之六调高到百分之八至九`: the figure given up names the metric of the
            // one that replaces it, and is no figure of its own.
            if raw.contains("原定") && starts_a_change(&sentence[t.end..]) {
                replaced_average = cues.average;
                continue;
            }
            // `再连续若干年保持百分之八至九的增长`: a hope for a run of years is no target.
            if place.role == QuantityRole::Target && cues.run_of_years == Some(true) {
                continue;
            }
            let mut q = build(
                t,
                metric,
                &cues,
                &years,
                place,
                ctx,
                figure_region.or_else(|| region.clone()),
                sentence,
                sentence_span,
                span_of,
            );
            let undated = years.is_empty();
            if q.role == QuantityRole::Target && cues.run_of_years == Some(false) {
                // `由于已经连续三年增长速度在百分之十一以上`: the years up to the last, written once
                // for the last.
                q.role = QuantityRole::Actual;
                q.year = ctx.year.map(|y| y - 1);
            } else if q.role == QuantityRole::Target
                && undated
                && sentence[..t.start].trim_end().ends_with(['从', '由'])
                && starts_a_change(&sentence[t.end..])
            {
                // `物价涨幅要从14.8%降到10%左右`: where the change starts is the result of the
                // year before the target's.
                q.role = QuantityRole::Actual;
                q.year = q.year.map(|y| y - 1);
            }
            out.push(q);
        }
    }
}

/// Whether the text after a figure moves it to another (`降到10%`, `调高到百分之八`): the figure
/// is where a change starts.
fn starts_a_change(after: &str) -> bool {
    let after = ["左右", "以上", "以下"]
        .iter()
        .find_map(|w| after.strip_prefix(w))
        .unwrap_or(after);
    let after = after.strip_prefix('的').unwrap_or(after);
    [
        "降到",
        "降至",
        "下降到",
        "下降至",
        "降低到",
        "提高到",
        "提高至",
        "提升到",
        "增加到",
        "增长到",
        "回落到",
        "上升到",
        "减少到",
        "调高到",
        "调低到",
        "调整为",
        "调整到",
        "扩大到",
        "缩小到",
        "改为",
    ]
    .iter()
    .any(|w| after.starts_with(w))
}

/// Heads that make a measure an intensity (`单位国内生产总值能耗`), with the measures a list
/// after such a head shares it with: `单位国内生产总值能耗和二氧化碳排放分别降低13.5%、18%` →
/// 单位国内生产总值二氧化碳排放. Trap: `单位国内生产总值能耗和森林覆盖率` (a rate of its own).
const PER_UNIT_HEADS: &[&str] = &[
    "单位国内生产总值",
    "单位地区生产总值",
    "单位GDP",
    "万元国内生产总值",
    "万元地区生产总值",
    "万元GDP",
    "单位工业增加值",
    "万元工业增加值",
];
const PER_UNIT_MEASURES: &[&str] = &[
    "能耗",
    "能源消耗",
    "排放",
    "用水",
    "水耗",
    "电耗",
    "用地",
    "耗能",
];

fn share_per_unit_head(mut list: Vec<String>) -> Vec<String> {
    let Some(head) = list
        .first()
        .and_then(|first| PER_UNIT_HEADS.iter().find(|h| first.starts_with(**h)))
    else {
        return list;
    };
    for item in list.iter_mut().skip(1) {
        if !PER_UNIT_HEADS.iter().any(|h| item.starts_with(h))
            && !item.starts_with("单位")
            && PER_UNIT_MEASURES.iter().any(|m| item.contains(m))
        {
            *item = format!("{head}{item}");
        }
    }
    list
}

#[allow(clippy::too_many_arguments)]
fn build(
    t: &Token,
    metric: String,
    cues: &Cues,
    years: &[i32],
    place: &Place,
    ctx: &Context<'_>,
    region: Option<String>,
    sentence: &str,
    sentence_span: Span,
    span_of: &dyn Fn(usize, usize) -> Span,
) -> Quantity {
    let mut role = place.role;
    let mut year = place.year;
    let plan_year = ctx.year;
    if let Some(&y) = years.last() {
        match (role, plan_year) {
            (QuantityRole::Target, Some(p)) if y < p && ctx.kind != DocumentKind::FiveYearPlan => {
                role = QuantityRole::Actual;
                year = Some(y);
            }
            // `国内生产总值从1997年的7.4万亿元增加到2002年的10.2万亿元`, in the review of 2002, is a
            // result; `到2025年` anywhere else sets a target.
            (QuantityRole::Actual, Some(_)) if place.year.is_some_and(|r| y <= r) => {
                year = Some(y);
            }
            (_, _) if sentence.contains(&format!("到{y}年")) => {
                role = QuantityRole::Target;
                year = Some(y);
            }
            (QuantityRole::Actual, _) => year = Some(y),
            _ => year = Some(y),
        }
    }
    // `按调整后的“八五”计划，国民经济增长速度…调高到百分之八至九`: what a five-year plan named at
    // the head of the sentence sets is for the plan's last year.
    let plan_end = plan_at_head(sentence).filter(|end| plan_year.is_some_and(|p| *end > p));
    if role == QuantityRole::Target
        && years.is_empty()
        && let Some(end) = plan_end
    {
        year = Some(end);
    }
    if cues.estimated && role == QuantityRole::Target {
        role = QuantityRole::Actual;
        year = plan_year.map(|p| p - 1);
    }
    // `增长2.1%，低于5%的预期目标`: the year's target, restated in its review.
    let restated_target = names_a_target(&sentence[t.end..])
        || (place.role == QuantityRole::Actual && cites_last_years_plan(&sentence[..t.start]));
    if restated_target {
        role = QuantityRole::Target;
    }
    // The comparison (`低于`) is no qualifier of the target; its own words are (`3%左右`).
    let qualifier = if restated_target {
        qualifier_after(sentence, t.end)
    } else if t.upper.is_some() {
        Some(Qualifier::Range)
    } else if t.more_than {
        Some(Qualifier::MoreThan)
    } else {
        qualifier_after(sentence, t.end).or(cues.qualifier)
    };
    let share = ["比重", "占比", "比例", "占"]
        .iter()
        .any(|w| metric.ends_with(w) || metric.contains(w));
    let measure = if cues.cumulative {
        Measure::Cumulative
    } else if t.is_points() {
        Measure::PointChange
    } else if t.is_percent() && (cues.growth || cues.direction.is_some()) && !share {
        Measure::GrowthRate
    } else if t.is_percent() && share {
        Measure::Share
    } else if cues.increment
        || (!t.is_percent()
            && cues.direction == Some(Direction::Increase)
            && sentence.contains("新增"))
    {
        Measure::Increment
    } else {
        Measure::Level
    };
    // `年均增长7%` is a five-year average; `年均浓度` is one year's mean, a level. Outside a
    // five-year plan, a sentence about a period (`“十四五”以来`, `过去五年`) makes them the
    // period's figures, and so does `五年新增`.
    let over_years = ctx.kind == DocumentKind::FiveYearPlan
        || ((cues.average || cues.cumulative)
            && (place.five_years || covers_years(sentence) || plan_end.is_some()));
    // `城镇新增就业年均1270多万人`: an addition averaged over the years, as a growth rate is.
    let aggregation = if cues.average
        && over_years
        && matches!(measure, Measure::GrowthRate | Measure::Increment)
    {
        Some(Aggregation::FiveYearAverage)
    } else if (cues.cumulative && over_years)
        || cues.over_five_years
        || (changes_over_the_period(role, year, plan_year, ctx.kind)
            && !cues.average
            && (cues.direction == Some(Direction::Decrease)
                || measure == Measure::PointChange
                || (cues.direction.is_some() && !t.is_percent() && !t.is_multiple())))
    {
        // `到2025年…能耗降低13.5%`, `人均预期寿命再提高1岁`: a change set for a plan's period
        // without `年均` is the period's whole change. A growth rate (`增长6%`) is left alone:
        // plans write it for a year as often as for the period.
        Some(Aggregation::FiveYearCumulative)
    } else {
        None
    };
    Quantity {
        role,
        year,
        region,
        metric,
        value: t.value,
        unit: Some(t.unit.clone()),
        normalized: t.normalized(),
        base_unit: (!t.base_unit.is_empty()).then(|| t.base_unit.clone()),
        qualifier,
        upper: t.upper,
        direction: cues.direction,
        measure,
        action: cues.action.clone(),
        estimated: cues.estimated,
        aggregation,
        text: sentence.trim().to_string(),
        span: span_of(t.start, t.end),
        sentence: sentence_span,
    }
}

/// The last year of a five-year plan the sentence opens by (`按调整后的“八五”计划，`,
/// `根据“十五”计划，`). Trap: a plan named further in (`实施“十四五”规划102项重大工程`) dates
/// nothing.
fn plan_at_head(sentence: &str) -> Option<i32> {
    let head = ["按照", "按", "根据", "依照"]
        .iter()
        .find_map(|w| sentence.strip_prefix(w))?;
    let clause = &head[..head.find(is_clause_sep).unwrap_or(head.len())];
    let quote = clause.find(['“', '"'])?;
    let start = crate::metadata::five_year_plan_start(&clause[quote..])?;
    (clause.contains("计划") || clause.contains("规划")).then_some(start + 4)
}

/// Whether a target is set for a plan's period rather than a year: in a five-year plan, or in a
/// report for a year three or more years after its own (`“十四五”时期…主要目标` → 2025).
fn changes_over_the_period(
    role: QuantityRole,
    year: Option<i32>,
    plan_year: Option<i32>,
    kind: DocumentKind,
) -> bool {
    role == QuantityRole::Target
        && (kind == DocumentKind::FiveYearPlan
            || year.zip(plan_year).is_some_and(|(y, p)| y >= p + 3))
}

/// Reads quantities and milestones from every sentence of the given paragraphs.
/// `paragraphs` yields (text, original span of each byte range) pairs via `span_of`.
/// Words that open a paragraph looking back over the past year or years.
const LOOKING_BACK: &[&str] = &[
    "过去五年",
    "过去的五年",
    "五年来",
    "过去一年",
    "过去的一年",
    "一年来",
];

pub(crate) fn read_paragraph(
    para: &str,
    ctx: &Context<'_>,
    span_of: &dyn Fn(usize, usize) -> Span,
    quantities: &mut Vec<Quantity>,
    milestones: &mut Vec<Milestone>,
) {
    // `过去五年，我国经济社会发展取得新的历史性成就…` in a part about the next plan still reports.
    let looks_back = LOOKING_BACK.iter().any(|w| para.starts_with(w));
    for scanned in scan(para) {
        if !scanned.maybe_number && !scanned.maybe_event {
            continue;
        }
        let s = scanned.start;
        let sentence = &para[s..scanned.end];
        let sentence_span_of = |a: usize, b: usize| span_of(s + a, s + b);
        let mut place = ctx.place(span_of(s, s + 1).start);
        if looks_back && place.role == QuantityRole::Target && ctx.kind == DocumentKind::WorkReport
        {
            place.role = QuantityRole::Actual;
            place.year = ctx.year.map(|y| y - 1);
        }
        place.five_years |= looks_back && para.contains("五年");
        read_sentence(
            sentence,
            scanned.maybe_number,
            scanned.maybe_event,
            &place,
            ctx,
            &sentence_span_of,
            quantities,
            milestones,
        );
    }
}

#[cfg(test)]
mod tests;
