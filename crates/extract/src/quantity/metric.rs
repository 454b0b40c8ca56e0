//! The words around a figure: its metric, and the cues (direction, measure, qualifier, years)
//! taken off them.

use plantrack_model::{Direction, Qualifier};

use super::number::Token;
use super::place::{region_title, strip_item_number};
use super::scan::{is_clause_sep, is_sentence_end};
use crate::lexicon::{Kind, Lexicon};

/// A five-year period opening a clause: `“十三五”期间`, `十四五时期`, `“十四五”以来`.
pub(super) fn period_prefix(s: &str) -> Option<usize> {
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

fn strip_leading<'s>(lex: &Lexicon, mut s: &'s str, years: &mut Vec<i32>) -> &'s str {
    loop {
        let before = s;
        s = s.trim_start();
        if let Some(w) = lex.list(Kind::Leading).prefix_of(s) {
            s = &s[w.len()..];
        }
        if let Some(n) = period_prefix(s) {
            s = &s[n..];
        }
        // `2.城镇新增就业35万人`: a list's number opens the item, it names nothing.
        s = strip_item_number(s);
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
pub(super) struct Cues {
    pub direction: Option<Direction>,
    pub growth: bool,
    pub qualifier: Option<Qualifier>,
    pub increment: bool,
    pub cumulative: bool,
    pub average: bool,
    pub estimated: bool,
    pub respectively: bool,
    pub each: bool,
    pub action: Option<String>,
    /// The words before the number end in an action verb.
    pub verb_last: bool,
    /// The words before the number are nothing but action verbs (`累计建成`).
    pub only_action: bool,
    /// `五年新增市场主体`: a sum over the five years.
    pub over_five_years: bool,
    /// `已经连续三年增长…`, `再连续若干年保持…`: the figure speaks of a run of years, past
    /// (`false`) or hoped for (`true`), not of the year the part is about.
    pub run_of_years: Option<bool>,
    /// The year a change is measured from (`同1987年相比`, `分别比1995年增长`, `比五年前增加`).
    pub base_year: Option<i32>,
}

/// A run of years written before a figure: `连续三年`, `连续若干年`, `连续9年`; its byte range
/// in `s` and whether it is hoped for rather than past (`再连续`, `若干`).
pub(super) fn run_of_years(s: &str) -> Option<(std::ops::Range<usize>, bool)> {
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

/// Notes what a word taken off a subject says of its figure: the grammar's own words
/// (`累计`, `年均`, `预计`, `分别`, `均`, `新增`) and the lexicon's direction, growth and bound
/// words.
pub(super) fn cue(lex: &Lexicon, word: &str, cues: &mut Cues) {
    match word {
        "累计" => cues.cumulative = true,
        "年均" => cues.average = true,
        "预计" => cues.estimated = true,
        "分别" => cues.respectively = true,
        "均" | "各" => cues.each = true,
        "新增" => cues.increment = true,
        _ => {}
    }
    if lex.list(Kind::IncreaseWord).contains(word) {
        cues.direction = Some(Direction::Increase);
    }
    if lex.list(Kind::AmountChange).contains(word) {
        cues.increment = true;
    }
    if lex.list(Kind::DecreaseWord).contains(word) {
        cues.direction = Some(Direction::Decrease);
    }
    if lex.list(Kind::GrowthWord).contains(word) {
        cues.growth = true;
    }
    for (kind, q) in [
        (Kind::MoreThanWord, Qualifier::MoreThan),
        (Kind::AtLeastWord, Qualifier::AtLeast),
        (Kind::AtMostWord, Qualifier::AtMost),
        (Kind::AboutWord, Qualifier::About),
    ] {
        if lex.list(kind).contains(word) {
            cues.qualifier = Some(q);
        }
    }
}

/// The words of a comparison base around the year phrase at `p` (`比2015年`, `较2020年`,
/// `与2019年`, `是2015年的`), or `None` when the year dates the figure.
pub(super) fn comparison_base(s: &str, p: usize, len: usize) -> Option<std::ops::Range<usize>> {
    if let Some(w) = ["比", "较", "与", "同"]
        .iter()
        .find(|w| s[..p].ends_with(*w))
    {
        // `比1995年底增加920亿美元`: the base's end of year goes with it.
        let tail = ["底", "末"]
            .iter()
            .find(|t| s[p + len..].starts_with(**t))
            .map_or(0, |t| t.len());
        return Some(p - w.len()..p + len + tail);
    }
    (s[..p].ends_with('是') && s[p + len..].starts_with('的'))
        .then(|| p - '是'.len_utf8()..p + len + '的'.len_utf8())
}

/// Years a figure may be dated by: every year written, except comparison bases (`比2015年`).
/// Each year of a sentence with where it is written, comparison bases left out; read once per
/// sentence, then cut at each number.
pub(super) fn dated_years(lex: &Lexicon, s: &str) -> Vec<(usize, i32)> {
    year_phrases(lex, s).0
}

/// Years with the byte at which each is written.
pub(super) type YearsAt = Vec<(usize, i32)>;

/// The years of a sentence in one pass, each with where it is written: those that may date a
/// figure, and the comparison bases (`比2015年`, `同1987年相比`, `比1995年底`).
pub(super) fn year_phrases(lex: &Lexicon, s: &str) -> (YearsAt, YearsAt) {
    let (mut dated, mut bases) = (Vec::new(), Vec::new());
    for y in crate::metadata::years_in(s) {
        let phrase = format!("{y}年");
        for (p, _) in s.match_indices(&phrase) {
            if comparison_base(s, p, phrase.len()).is_some() {
                bases.push((p, y));
            } else if !starts_a_change_at(lex, &s[..p]) {
                dated.push((p, y));
            }
        }
    }
    for v in [&mut dated, &mut bases] {
        v.sort_unstable();
        v.dedup();
    }
    (dated, bases)
}

/// Whether `before` ends with a word where a change starts (`从`, `由`), not a cause (`由于`
/// stands before its clause, never right before a year or a figure).
pub(super) fn starts_a_change_at(lex: &Lexicon, before: &str) -> bool {
    lex.list(Kind::ChangeFrom).suffix_of(before).is_some()
}

/// Whether `before` ends with a change's dated start: `由2010年的`, `从2015年`.
pub(super) fn change_from_year(lex: &Lexicon, before: &str) -> bool {
    let s = before.trim_end();
    let s = s.strip_suffix('的').unwrap_or(s);
    let Some(s) = s.strip_suffix('年') else {
        return false;
    };
    // Four digits, ASCII or full-width, then the word a change starts at.
    let Some((start, _)) = s.char_indices().rev().nth(3) else {
        return false;
    };
    s[start..]
        .chars()
        .all(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
        && starts_a_change_at(lex, &s[..start])
}

/// Whether `s` is nothing but words that stand between a metric and its figure (`达`, `增加`).
fn only_trailing(lex: &Lexicon, s: &str) -> bool {
    let mut s = s.trim();
    while let Some(w) = lex.list(Kind::Trailing).suffix_of(s) {
        s = s[..s.len() - w.len()].trim_end();
    }
    s.is_empty()
}

/// Trims a raw subject to its metric, collecting cues from the words taken off.
pub(super) fn metric_of(lex: &Lexicon, raw: &str, cues: &mut Cues, years: &mut Vec<i32>) -> String {
    // One pass for the cue words' second characters before any word search.
    if raw.contains(['计', '均', '别']) {
        for w in ["预计", "年均", "分别"] {
            if raw.contains(w) {
                cue(lex, w, cues);
            }
        }
    }
    if lex.list(Kind::CumulativeWord).occurs_in(raw) {
        cue(lex, "累计", cues);
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
        // `比重从2015年的59.2%提高到78%`, `由2010年的162.4亿元增加到…`: the starting point of a
        // change, dated for this number only; the metric is what stands before `从`.
        if let Some(from) = lex
            .list(Kind::ChangeFrom)
            .suffix_of(&owned[..p])
            .map(str::len)
        {
            let end = p + phrase.len();
            let end = if owned[end..].starts_with('的') {
                end + '的'.len_utf8()
            } else {
                end
            };
            owned.replace_range(p - from..end, "");
            years.push(y);
            continue;
        }
        years.push(y);
        let rest = &owned[p + phrase.len()..];
        let rest = rest.strip_prefix('底').unwrap_or(rest);
        let rest = rest.strip_prefix('前').unwrap_or(rest);
        // `国家外汇储备2000年底达1656亿美元`: with nothing but a verb after the year, the words
        // before it are the subject, not the sentence's frame.
        let before = owned[..p].trim();
        owned = if only_trailing(lex, rest)
            && !before.is_empty()
            && !before.ends_with(['，', ',', '：', ':'])
        {
            format!("{before}{rest}")
        } else {
            rest.to_string()
        };
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
            && lex.list(Kind::IncrementWord).prefix_of(rest).is_some()
        {
            cues.over_five_years = true;
            owned = rest.to_string();
            break;
        }
    }
    // `PM2.5年均浓度`: 年均 qualifies, the words around it name the metric.
    if owned.contains("年均") {
        cue(lex, "年均", cues);
        owned = owned.replace("年均", "");
    }
    // `五年平均每年增长百分之七点九`, `平均每年增加2053亿元`: an average over the years.
    for w in ["平均每年", "平均每"] {
        if let Some(p) = owned.contains('均').then(|| owned.find(w)).flatten() {
            cue(lex, "年均", cues);
            owned.replace_range(p..p + w.len(), "");
        }
    }
    let raw = owned.as_str();
    // `全面完成148万平方米…`, `高质量完成50万亩…`: an action verb right before the number.
    if lex.list(Kind::Action).suffix_of(raw).is_some() {
        cues.verb_last = true;
    }
    let mut s = strip_leading(lex, raw, years);
    // `高质量完成50万亩…`: an action verb right before the number, even one that is also a
    // trailing verb (`完成`).
    if lex.list(Kind::Action).suffix_of(s).is_some() {
        cues.verb_last = true;
    }
    loop {
        s = s.trim_end();
        let Some(w) = lex.list(Kind::Trailing).suffix_of(s) else {
            break;
        };
        // `月平均`: 均 ends a word here, it is no `each`.
        if w == "均" && s[..s.len() - w.len()].ends_with('平') {
            break;
        }
        // `存贷款余额月平均`: a monthly mean is a metric of its own (not `失业率平均`).
        if w == "平均" && s[..s.len() - w.len()].ends_with(['月', '日']) {
            break;
        }
        cue(lex, w, cues);
        s = &s[..s.len() - w.len()];
    }
    let mut s = strip_leading(lex, s, years);
    // `累计引进各类人才`, `年均增长`: what follows the cue word is the metric.
    if let Some((p, w)) = lex
        .list(Kind::CumulativeWord)
        .all()
        .iter()
        .find_map(|w| s.find(w.as_str()).map(|p| (p, w.len())))
    {
        cue(lex, "累计", cues);
        s = &s[p + w..];
    }
    let before_actions = s;
    if let Some(a) = lex.list(Kind::Action).prefix_of(s)
        && lex.list(Kind::ActionNoun).prefix_of(s).is_none()
    {
        cues.action = Some(a.to_string());
        s = &s[a.len()..];
        // `造林面积`, `造林绿化面积`: the measure of an activity names the activity.
        if lex.list(Kind::MeasureWord).suffix_of(s).is_some() {
            s = before_actions;
        }
    }
    // `精心组织实施20项民心工程`: a verb right before the number; what is counted follows it.
    if let Some(a) = lex.list(Kind::Action).suffix_of(s) {
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
        || (s.contains('新') && lex.any_in(Kind::IncrementWord, s))
    {
        cues.increment = true;
    }
    let s = s.trim_matches(|c: char| c.is_whitespace() || "、，".contains(c));
    // Quotation marks around a name (`“海河英才”行动计划`) are not part of what is measured.
    s.replace(['“', '”', '"'], "")
}

/// Whether a sentence speaks of several years: `“十四五”以来`, `过去五年`, `五年来`,
/// `2021年以来`, `“十四五”时期`. One year's review (`2024年`, `今年以来`) is not.
pub(super) fn covers_years(sentence: &str) -> bool {
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

/// A district's or county's name opening a subject (`滨江区`, `临海县地区生产总值`,
/// `滨海新区工业…`), or the document's own region, with the rest. Only a name that starts the
/// subject and has the two-character stem of such names counts: `接收静海区转移安置人员` and
/// `首届西青区半程马拉松赛` are other phrases, and a city or province before a name is part of
/// it (`天津市雏鹰企业`). Not the words a region's suffix begins (`区域`, `县域`, `市场`).
pub(super) fn leading_region<'m>(
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

/// `增长5.9%，高于全国0.7个百分点`, `比年初计划高0.2个百分点`: a gap to a benchmark, measured on
/// the metric before.
pub(super) fn gap_to_benchmark(metric: &str) -> bool {
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

/// Subjects that name no figure by themselves but by their growth: `经济增长5%左右`,
/// `经济增长速度的调控目标定为8%`, `国民经济年均增长7%` measure 经济增长, 国民经济增长.
const NAMED_BY_GROWTH: &[&str] = &["经济", "国民经济"];

/// The whole name of a subject that is named by its growth (`经济` → `经济增长`), when the
/// words taken off it made its figure a growth.
pub(super) fn named_by_growth(metric: String, cues: &Cues) -> String {
    let grows = cues.growth || cues.direction == Some(Direction::Increase);
    if grows && NAMED_BY_GROWTH.contains(&metric.as_str()) {
        format!("{metric}增长")
    } else {
        metric
    }
}

/// Last characters of a name that measures something of its own (`全社会用电量`, `失业率`,
/// `进出口总额`, `一般公共预算收入`, `增加值`): such an item of a list takes no other item's measure.
const MEASURE_ENDS: &[char] = &['率', '量', '额', '值', '数', '价', '入', '出'];

/// `城镇、农村居民人均可支配收入`, `一产、二产、三产增加值`, `基本养老保险、失业保险、工伤保险参保人数`:
/// the measure the last item of a list ends with (a `measure_word`) is the measure of every
/// earlier item that names none; an item that ends with part of it takes the rest
/// (`城镇居民、农村居民人均消费支出`). Items that are whole names stay as they are: one ending in a
/// measure of its own (`全社会用电量、…、快递业务量`, `城镇居民人均可支配收入、农村居民人均纯收入`),
/// or more than twice as long as what the last item holds before its measure (`货物进出口、工业
/// 增加值`).
pub(super) fn share_list_measure(lex: &Lexicon, mut list: Vec<String>) -> Vec<String> {
    let measures = lex.list(Kind::MeasureWord);
    let Some((last, earlier)) = list.split_last_mut() else {
        return list;
    };
    let Some(measure) = measures.suffix_of(last) else {
        return list;
    };
    let head = last[..last.len() - measure.len()].chars().count();
    if earlier.is_empty() || head == 0 {
        return list;
    }
    for item in earlier.iter_mut() {
        if item.is_empty()
            || measures.suffix_of(item).is_some()
            || item.ends_with(MEASURE_ENDS)
            || item.chars().count() > 2 * head
        {
            continue;
        }
        // The longest start of the measure the item ends with (`城镇居民` + `居民人均…`).
        let overlap = measure
            .char_indices()
            .map(|(p, _)| p)
            .skip(1)
            .filter(|&p| item.ends_with(&measure[..p]))
            .max()
            .unwrap_or(0);
        item.push_str(&measure[overlap..]);
    }
    list
}

/// `城乡居民人均可支配收入分别增长5%、7%`: a subject of town and country, given two figures,
/// is the urban one and the rural one.
pub(super) fn split_urban_rural(list: Vec<String>, figures: usize) -> Vec<String> {
    match list.as_slice() {
        [one] if figures == 2 => match one.strip_prefix("城乡") {
            Some(rest) if !rest.is_empty() => vec![format!("城镇{rest}"), format!("农村{rest}")],
            _ => list,
        },
        _ => list,
    }
}

/// Whether the words before a figure in a review cite what last year's report set
/// (`去年我在政府工作报告中曾提出，要把…控制在百分之十以内`): the figures after them are the year's
/// targets, not its results.
pub(super) fn cites_last_years_plan(lex: &Lexicon, before: &str) -> bool {
    // `…提出，物价涨幅要从14.8%降到10%左右，经过上下各方面的努力，实际降到6.1%`: the result
    // after the citation is a result.
    if !before.contains(['提', '确']) {
        return false;
    }
    lex.words(Kind::CitingPlan).iter().any(|w| {
        before.rfind(w.as_str()).is_some_and(|p| {
            let after = &before[p..];
            !["实际", "经过", "结果", "仍然"]
                .iter()
                .any(|r| after.contains(r))
        })
    })
}

/// A figure restated as the target it is compared with: `增长2.1%，低于5%的预期目标`,
/// `低于3%左右的调控目标`.
pub(super) fn names_a_target(lex: &Lexicon, after: &str) -> bool {
    let after = bound_after(lex, after).map_or(after, |(_, w)| &after[w.len()..]);
    let after = after.strip_prefix(['的']).unwrap_or(after);
    lex.list(Kind::TargetWord).prefix_of(after).is_some()
}

/// The noun a count counts when it comes after the number (`20项民心工程` → 民心工程), and the
/// byte where the phrase holding it ends.
pub(super) fn noun_after_span(lex: &Lexicon, sentence: &str, end: usize) -> (String, usize) {
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
        .find(|&p| lex.list(Kind::NounStop).prefix_of(&noun[p..]).is_some())
    {
        noun = &noun[..p];
    }
    if let Some((_, w)) = bound_after(lex, noun) {
        noun = &noun[w.len()..];
    }
    noun = noun.strip_prefix('的').unwrap_or(noun);
    (noun.to_string(), end + stop)
}

/// Whether a measured quantity is part of a project's name: `中石化南港120万吨乙烯等项目竣工`
/// names a plant by its capacity. The pattern: a unit of measure (not a count or a percentage)
/// followed directly by a product noun and then `项目`/`工程`/`装置` in the same clause, with no
/// action verb before the number (`建设100公里高速公路项目` is a quantity).
pub(super) fn is_project_name(lex: &Lexicon, sentence: &str, t: &Token) -> bool {
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
    let acted = lex.list(Kind::Action).suffix_of(before).is_some()
        || lex.list(Kind::Trailing).suffix_of(before).is_some();
    names_project && !acted
}

/// A bound written right after a figure (`4%左右`, `30以上`, `以内`), with its word.
pub(super) fn bound_after<'l>(lex: &'l Lexicon, rest: &str) -> Option<(Qualifier, &'l str)> {
    [
        (Kind::AboutAfter, Qualifier::About),
        (Kind::AtLeastAfter, Qualifier::AtLeast),
        (Kind::AtMostAfter, Qualifier::AtMost),
    ]
    .into_iter()
    .find_map(|(kind, q)| lex.list(kind).prefix_of(rest).map(|w| (q, w)))
}

/// Qualifier written after the number: `4%左右`, `30以上`.
pub(super) fn qualifier_after(lex: &Lexicon, sentence: &str, end: usize) -> Option<Qualifier> {
    bound_after(lex, &sentence[end..]).map(|(q, _)| q)
}

/// Subjects listed before `分别`/`均`: `A、B和C` → [A, B, C].
pub(super) fn list_subjects(phrase: &str) -> Vec<String> {
    split_subjects(phrase, &['、', '和', '及'])
}

/// [`list_subjects`] for a list given `figures` figures: when `和` and `及` split it into more
/// subjects than figures but `、` alone into as many, they are inside the names
/// (`信息传输软件和信息技术服务业、租赁和商务服务业增加值分别增长10.9%、10.4%`).
pub(super) fn list_subjects_for(phrase: &str, figures: usize) -> Vec<String> {
    let list = list_subjects(phrase);
    if figures >= 2 && list.len() > figures {
        let whole = split_subjects(phrase, &['、']);
        if whole.len() == figures {
            return whole;
        }
    }
    list
}

fn split_subjects(phrase: &str, marks: &[char]) -> Vec<String> {
    phrase
        .split(marks)
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Whether the text after a figure moves it to another (`降到10%`, `调高到百分之八`): the figure
/// is where a change starts.
pub(super) fn starts_a_change(lex: &Lexicon, after: &str) -> bool {
    let after = bound_after(lex, after).map_or(after, |(_, w)| &after[w.len()..]);
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

/// `单位国内生产总值能耗和二氧化碳排放分别降低13.5%、18%` → 单位国内生产总值二氧化碳排放: an
/// intensity's head (`单位国内生产总值`) shared along a list with the measures that need it, not
/// with a rate of its own (`…能耗和森林覆盖率`).
pub(super) fn share_per_unit_head(lex: &Lexicon, mut list: Vec<String>) -> Vec<String> {
    let Some(head) = list
        .first()
        .and_then(|first| lex.list(Kind::PerUnitHead).prefix_of(first))
        .map(str::to_string)
    else {
        return list;
    };
    for item in list.iter_mut().skip(1) {
        if lex.list(Kind::PerUnitHead).prefix_of(item).is_none()
            && !item.starts_with("单位")
            && lex.any_in(Kind::PerUnitMeasure, item)
        {
            *item = format!("{head}{item}");
        }
    }
    list
}
