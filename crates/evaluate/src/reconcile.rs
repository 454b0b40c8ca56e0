//! Targets against results: for every target of a year, the result reported for that year, the
//! same region and the same metric, and whether the target was met.
//!
//! A wrong link is worse than none. A result is taken only when its metric names the same thing
//! ([`crate::metric::similarity`]), it measures the same kind of figure (a growth rate for a
//! growth rate, a stock for a stock, an addition for an addition), in the same unit, for the same
//! region and year, and it is not a five-year average or a running total standing in for a
//! year's figure. When two results fit equally well and disagree, none is taken.
//!
//! Several documents may report the figure for one target: the next year's work report (often a
//! `预计` figure given before the year's statistics closed), the statistics bureau's bulletin, a
//! table the office imported. The verdict takes the result of the source that comes first in
//! the lexicon's `source_order` (statistics before speeches, unless the office orders otherwise),
//! says which kind of source it used, and lists the other sources' results that give another
//! figure. A source that comes first but is of two minds (two results that fit equally well and
//! disagree) gives no verdict rather than handing over to a later source.

use plantrack_model::{
    Direction, DocumentKind, DocumentRef, Ledger, Measure, Milestone, Qualifier, Quantity,
    QuantityRole,
};
use serde::{Deserialize, Serialize};

use crate::metric::Name;
use crate::{Lexicon, Why};

/// The verdict on one target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetStatus {
    Achieved,
    NotAchieved,
    NoData,
}

impl TargetStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            TargetStatus::Achieved => "achieved",
            TargetStatus::NotAchieved => "not_achieved",
            TargetStatus::NoData => "no_data",
        }
    }
}

/// A ledger item cited as evidence, with its document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    /// `quantity` or `milestone`.
    pub kind: &'static str,
    /// The item's position in the ledger's list of its kind.
    pub index: usize,
    pub document: DocumentRef,
    #[serde(flatten)]
    pub item: Item,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Item {
    Quantity(Quantity),
    Milestone(Milestone),
}

impl Evidence {
    /// The sentence the item was read from.
    pub fn sentence(&self) -> &str {
        match &self.item {
            Item::Quantity(q) => &q.text,
            Item::Milestone(m) => &m.text,
        }
    }

    /// What the item is about (the metric or the subject) and its figure as a person writes
    /// it: `超过1.1万家`, `4%左右`, `6.5–7%`, `3%左右（预计）`, `建成通车`.
    pub fn figure(&self) -> (String, String) {
        match &self.item {
            Item::Quantity(q) => {
                // Qualifier words before and after the number, as the documents write them.
                let (before, after) = match q.qualifier {
                    Some(Qualifier::About) => ("", "左右"),
                    Some(Qualifier::AtLeast) => ("", "以上"),
                    Some(Qualifier::MoreThan) => ("超过", ""),
                    Some(Qualifier::AtMost) => ("", "以内"),
                    _ => ("", ""),
                };
                let upper = q.upper.map_or(String::new(), |u| format!("–{}", trim(u)));
                let estimate = if q.estimated { "（预计）" } else { "" };
                (
                    q.metric.clone(),
                    format!(
                        "{before}{}{upper}{}{after}{estimate}",
                        trim(q.value),
                        q.unit.as_deref().unwrap_or("")
                    ),
                )
            }
            Item::Milestone(m) => (m.subject.clone(), m.event.clone()),
        }
    }

    /// The item's byte offset in its document.
    pub fn start(&self) -> usize {
        match &self.item {
            Item::Quantity(q) => q.span.start,
            Item::Milestone(m) => m.span.start,
        }
    }

    /// Where the item stands in its sentence (a byte offset of [`Evidence::sentence`]): found
    /// by its words, since the document's byte spans count the hard line breaks the sentence no
    /// longer has.
    pub fn offset_in_sentence(&self) -> usize {
        let text = self.sentence();
        let find_from = |from: usize, n: &str| -> Option<usize> {
            (!n.is_empty()).then(|| text.get(from..)?.find(n).map(|p| from + p))?
        };
        match &self.item {
            Item::Quantity(q) => {
                // The number after its metric: a sentence may hold the same number twice.
                let from = find_from(0, &q.metric).unwrap_or(0);
                let v = trim(q.value);
                let unit = q.unit.as_deref().unwrap_or("");
                let number = [format!("{v}{unit}"), format!("{v} {unit}"), v]
                    .iter()
                    .find_map(|n| find_from(from, n).or_else(|| find_from(0, n)))
                    .unwrap_or(from);
                // The phrase starts at its metric when the number follows it closely.
                if number >= from && number - from <= 90 {
                    from
                } else {
                    number
                }
            }
            Item::Milestone(m) => find_from(0, &m.subject)
                .or_else(|| find_from(0, &m.event))
                .unwrap_or(0),
        }
    }

    /// At most `max` characters of the sentence around the item, with `…` where cut.
    pub fn excerpt(&self, max: usize) -> String {
        let text = self.sentence();
        let n = text.chars().count();
        if n <= max {
            return text.to_string();
        }
        let at = text[..self.offset_in_sentence()].chars().count();
        let start = at.saturating_sub(max / 4).min(n - max);
        let mut out: String = text.chars().skip(start).take(max).collect();
        if start > 0 {
            out.insert(0, '…');
        }
        if start + max < n {
            out.push('…');
        }
        out
    }
}

/// A target, the result found for it (if any), and the verdict with its reason.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdict {
    pub year: i32,
    pub region: Option<String>,
    /// Set when the target was set by a higher government for this region (a city's target for
    /// a district).
    pub cascade: bool,
    pub target: Evidence,
    pub actual: Option<Evidence>,
    pub status: TargetStatus,
    /// How the verdict was reached, in words.
    pub reason: String,
    /// The reason in Chinese.
    pub reason_zh: String,
    /// How closely the result's metric matches the target's (1 for the same name).
    pub confidence: Option<f64>,
    /// The target names nothing that can be looked up (`措施14项`, `累计建成`): it is listed,
    /// but it is no evidence for or against a task.
    pub vague: bool,
    /// The kind of document the result was taken from (`statistical_bulletin`, `work_report`…),
    /// when one was.
    pub source: Option<DocumentKind>,
    /// Results of other documents for the same target that give another figure (a work report's
    /// 预计 beside the bulletin's final figure), in source order: kept and shown, not used.
    pub disagreeing: Vec<Evidence>,
}

/// Which targets to reconcile.
#[derive(Debug, Clone, Default)]
pub struct Scope<'a> {
    pub year: i32,
    pub region: Option<&'a str>,
}

/// Every target of the year (quantities, then milestones) with its verdict.
pub fn reconcile(ledger: &Ledger, lexicon: &Lexicon, scope: &Scope) -> Vec<Verdict> {
    let mut out = Vec::new();
    let region_of = |doc: usize, r: &Option<String>| -> Option<String> {
        r.clone().or_else(|| ledger.documents[doc].region.clone())
    };
    let actuals: Vec<usize> = (0..ledger.quantities.len())
        .filter(|&i| {
            let q = &ledger.quantities[i].item;
            q.role == QuantityRole::Actual && q.year == Some(scope.year) && q.aggregation.is_none()
        })
        .collect();
    // Each result's name is read once, not once per target.
    let names: Vec<Name> = actuals
        .iter()
        .map(|&a| Name::of(lexicon, &ledger.quantities[a].item.metric))
        .collect();
    let kinds: Vec<Kind> = actuals
        .iter()
        .map(|&a| kind(lexicon, &ledger.quantities[a].item))
        .collect();
    for (i, t) in ledger.quantities.iter().enumerate() {
        let q = &t.item;
        if q.role != QuantityRole::Target || q.year != Some(scope.year) {
            continue;
        }
        // A five-year average or total is evaluated with its plan, not as the year's target.
        if q.aggregation.is_some() {
            continue;
        }
        let region = region_of(t.document, &q.region);
        if scope.region.is_some() && region.as_deref() != scope.region {
            continue;
        }
        let cascade = region.is_some() && region != ledger.documents[t.document].region;
        let target = evidence_q(ledger, i);
        // The target's name, read once for the vagueness test and every comparison.
        let name = Name::of(lexicon, &q.metric);
        let vague = name.is_vague();
        let mut disagreeing = Vec::new();
        let (actual, status, why, confidence) = if vague {
            (
                None,
                TargetStatus::NoData,
                Why::new(
                    format!("the metric {:?} is too general to link by name", q.metric),
                    format!("指标“{}”过于笼统，无法按名称匹配结果", q.metric),
                ),
                None,
            )
        } else {
            let target_kind = kind(lexicon, q);
            match best_result(
                ledger,
                lexicon,
                i,
                (&name, target_kind),
                &region,
                &actuals,
                &names,
                &kinds,
            ) {
                Found::One(a, sim, others) => {
                    let (status, mut why) = judge(lexicon, q, &ledger.quantities[a].item);
                    let used = evidence_q(ledger, a);
                    disagreeing = others.into_iter().map(|o| evidence_q(ledger, o)).collect();
                    if !disagreeing.is_empty() {
                        why = with_other_sources(why, &used, &disagreeing);
                    }
                    (Some(used), status, why, Some(sim))
                }
                Found::Ambiguous(n) => (
                    None,
                    TargetStatus::NoData,
                    Why::new(
                        format!("{n} results fit equally well and disagree: none is taken"),
                        format!("有{n}个结果同样相符而数值不一，均不采用"),
                    ),
                    None,
                ),
                Found::None => (
                    None,
                    TargetStatus::NoData,
                    Why::new(
                        "no result reported for this metric, region and year",
                        "该指标在此地区、此年度没有报告结果",
                    ),
                    None,
                ),
            }
        };
        out.push(Verdict {
            year: scope.year,
            region,
            cascade,
            target,
            status,
            reason: why.en,
            reason_zh: why.zh,
            confidence,
            vague,
            source: actual.as_ref().map(|a| a.document.kind),
            actual,
            disagreeing,
        });
    }
    out.extend(crate::milestones::reconcile(ledger, scope));
    out
}

pub(crate) fn evidence_q(ledger: &Ledger, i: usize) -> Evidence {
    let l = &ledger.quantities[i];
    Evidence {
        kind: "quantity",
        index: i,
        document: ledger.documents[l.document].clone(),
        item: Item::Quantity(l.item.clone()),
    }
}

enum Found {
    /// The result taken, how closely it fits, and the other sources' results that disagree.
    One(usize, f64, Vec<usize>),
    Ambiguous(usize),
    None,
}

/// The result that fits target `t` best, if exactly one does: among the results of the sources
/// that come first in the lexicon's order, the one whose metric fits best (a final figure before
/// an estimate, a later report before an earlier one). The other documents' results that fit,
/// each document's best, are returned when they give another figure.
#[allow(clippy::too_many_arguments)]
fn best_result(
    ledger: &Ledger,
    lexicon: &Lexicon,
    t: usize,
    (target_name, target_kind): (&Name, Kind),
    region: &Option<String>,
    actuals: &[usize],
    names: &[Name],
    kinds: &[Kind],
) -> Found {
    let target = &ledger.quantities[t].item;
    // (source rank, score, result)
    let mut scored: Vec<(usize, f64, usize)> = Vec::new();
    for (k, &a) in actuals.iter().enumerate() {
        let la = &ledger.quantities[a];
        let actual = &la.item;
        let ra = actual
            .region
            .as_deref()
            .or(ledger.documents[la.document].region.as_deref());
        if ra != region.as_deref() {
            continue;
        }
        if kinds[k] != target_kind || !same_unit(target, actual) {
            continue;
        }
        let Some(sim) = target_name.similarity(&names[k]) else {
            continue;
        };
        // Among equals: a final figure over an estimate, a later report over an earlier one.
        let mut score = sim;
        if !actual.estimated {
            score += 0.001;
        }
        if let Some(y) = ledger.documents[la.document].year {
            score += 0.0001 * f64::from((y - 2000).clamp(0, 9));
        }
        let rank = lexicon.source_rank(ledger.documents[la.document].kind);
        scored.push((rank, score, a));
    }
    scored.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)));
    let Some(&(rank, best, a)) = scored.first() else {
        return Found::None;
    };
    let value = ledger.quantities[a].item.normalized;
    let differs = |b: usize| !same_value(ledger.quantities[b].item.normalized, value);
    let rivals = scored
        .iter()
        .filter(|(r, s, b)| *r == rank && (best - s).abs() < 1e-9 && differs(*b))
        .count();
    if rivals > 0 {
        return Found::Ambiguous(rivals + 1);
    }
    // Every other document's own best result, unless that document is of two minds itself.
    let document = |b: usize| ledger.quantities[b].document;
    let mut others: Vec<usize> = Vec::new();
    let mut seen: Vec<usize> = vec![document(a)];
    for &(_, s, b) in &scored {
        let d = document(b);
        if seen.contains(&d) {
            continue;
        }
        seen.push(d);
        let torn = scored.iter().any(|&(_, s2, c)| {
            document(c) == d
                && (s - s2).abs() < 1e-9
                && !same_value(
                    ledger.quantities[c].item.normalized,
                    ledger.quantities[b].item.normalized,
                )
        });
        if !torn && differs(b) {
            others.push(b);
        }
    }
    Found::One(a, (best * 100.0).floor() / 100.0, others)
}

/// Whether two figures are one (`3%` and `3.0%`), up to the rounding of their scale.
fn same_value(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

/// The reason, with the source used and what the other sources say: `…；采用《…统计公报》的
/// 数据（统计数据先于讲话），《…政府工作报告》为6.2%（预计）`.
fn with_other_sources(why: Why, used: &Evidence, others: &[Evidence]) -> Why {
    let title = |e: &Evidence| e.document.display_title();
    let said = |e: &Evidence| e.figure().1;
    let en: Vec<String> = others
        .iter()
        .map(|o| {
            format!(
                "《{}》 ({}) gives {}",
                title(o),
                o.document.kind.name_en(),
                said(o)
            )
        })
        .collect();
    let zh: Vec<String> = others
        .iter()
        .map(|o| format!("《{}》为{}", title(o), said(o)))
        .collect();
    Why::new(
        format!(
            "{}; taken from 《{}》 ({}) by source order; {}",
            why.en,
            title(used),
            used.document.kind.name_en(),
            en.join("; ")
        ),
        format!(
            "{}；按来源顺序采用《{}》的数据，{}",
            why.zh,
            title(used),
            zh.join("，")
        ),
    )
}

/// What a figure is, for comparing like with like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `增长4%`.
    Growth,
    /// `提高2个百分点`.
    Points,
    /// A percentage that is a level: a share, a rate (`失业率5.4%`).
    Ratio,
    /// Something added in the year: `新增就业35万人`, `改造农村公路240公里`.
    Flow,
    /// A stock at the year's end: `国家高新技术企业超过1.1万家`, `累计建成5G基站7.2万个`.
    Stock,
}

fn kind(lexicon: &Lexicon, q: &Quantity) -> Kind {
    match q.measure {
        Measure::GrowthRate => Kind::Growth,
        Measure::PointChange => Kind::Points,
        Measure::Share => Kind::Ratio,
        _ if q.base_unit.as_deref() == Some("%") => Kind::Ratio,
        Measure::Increment => Kind::Flow,
        Measure::Cumulative => Kind::Stock,
        Measure::Level if lexicon.is_stock(&q.metric) => Kind::Stock,
        Measure::Level if q.action.is_some() || flow_verb_before(q) => Kind::Flow,
        Measure::Level => Kind::Stock,
    }
}

/// Verbs that make the figure after them an addition: `新建大型连锁超市8个、品牌连锁便利店69个`.
const FLOW_VERBS: &[&str] = &[
    "新增",
    "新建",
    "新培育",
    "新开",
    "新创建",
    "新认定",
    "改造",
    "建设",
    "建成",
    "完成",
    "筹集",
    "提供",
    "引进",
    "培育",
    "新设",
    "推出",
    "组建",
    "开工",
    "增建",
    "增投",
    "提升",
];

/// Whether a flow verb governs the number: it stands earlier in the number's clause (clauses
/// end at `；` and `。`, not at the `、` and `，` of a list).
fn flow_verb_before(q: &Quantity) -> bool {
    let at = q.span.start.saturating_sub(q.sentence.start);
    let Some(before) = q.text.get(..at.min(q.text.len())) else {
        return false;
    };
    let clause = before.rsplit(['；', '。', ';']).next().unwrap_or(before);
    // A verb of state in the figure's own part of the clause (after the last comma) says the
    // figure is a level, whatever verb began the clause: `新建和改造提升高标准农田20万亩，
    // 粮食播种面积稳定在550万亩以上`. Without one, a verb governs across commas and list marks
    // (`新建改造老旧小区100个，口袋公园50个`).
    let own = clause.rsplit(['，', ',']).next().unwrap_or(clause);
    if STATE_VERBS.iter().any(|v| own.contains(v)) {
        return false;
    }
    FLOW_VERBS.iter().any(|v| clause.contains(v))
}

/// Verbs that say a figure is where something stands, not what was added.
const STATE_VERBS: &[&str] = &[
    "稳定在",
    "保持在",
    "保持",
    "控制在",
    "达到",
    "提高到",
    "提升至",
    "降至",
];

fn same_unit(t: &Quantity, a: &Quantity) -> bool {
    fn bare(u: &Option<String>) -> Option<&str> {
        u.as_deref()
            .map(|u| u.split(['（', '(']).next().unwrap_or(u).trim())
    }
    bare(&t.base_unit) == bare(&a.base_unit)
}

/// The relative tolerance of `左右` (about).
const ABOUT: f64 = 0.05;

/// Whether the result meets the target, and why.
fn judge(lexicon: &Lexicon, t: &Quantity, a: &Quantity) -> (TargetStatus, Why) {
    let scale = |q: &Quantity| {
        if q.value != 0.0 {
            q.normalized / q.value
        } else {
            1.0
        }
    };
    let signed = |q: &Quantity, v: f64| {
        if q.direction == Some(Direction::Decrease) {
            -v
        } else {
            v
        }
    };
    let tv = signed(t, t.normalized);
    let av = signed(a, a.normalized);
    let lower = lexicon.lower_is_better(&lexicon.canonical(&t.metric))
        || t.qualifier == Some(Qualifier::AtMost);
    let unit = t.unit.as_deref().unwrap_or("");
    let shown =
        |v: f64, q: &Quantity| format!("{}{}", trim(v / scale(q)), q.unit.as_deref().unwrap_or(""));
    let (met, rule) = match t.qualifier {
        Some(Qualifier::Range) => {
            let upper = t.upper.map_or(tv, |u| signed(t, u * scale(t)));
            let (lo, hi) = (tv.min(upper), tv.max(upper));
            if lower {
                let top = format!("{}{unit}", trim(hi / scale(t)));
                (
                    av <= hi,
                    Why::new(
                        format!("at most the range's top {top}"),
                        format!("不高于区间上限{top}"),
                    ),
                )
            } else {
                let bottom = format!("{}{unit}", trim(lo / scale(t)));
                (
                    av >= lo,
                    Why::new(
                        format!("at least the range's bottom {bottom}"),
                        format!("不低于区间下限{bottom}"),
                    ),
                )
            }
        }
        Some(Qualifier::About) => {
            let tol = tv.abs() * ABOUT;
            if lower {
                (
                    av <= tv + tol,
                    Why::new(
                        format!("at most about {} (+5 %)", shown(tv, t)),
                        format!("不高于{}左右（上浮5%）", shown(tv, t)),
                    ),
                )
            } else {
                (
                    av >= tv - tol,
                    Why::new(
                        format!("at least about {} (−5 %)", shown(tv, t)),
                        format!("不低于{}左右（下浮5%）", shown(tv, t)),
                    ),
                )
            }
        }
        Some(Qualifier::MoreThan) if !lower => {
            // `超过1.1万家` is met by a result of `超过1.1万家`.
            let strictly = av > tv || (av == tv && a.qualifier == Some(Qualifier::MoreThan));
            (
                strictly,
                Why::new(
                    format!("more than {}", shown(tv, t)),
                    format!("超过{}", shown(tv, t)),
                ),
            )
        }
        _ if lower => (
            av <= tv,
            Why::new(
                format!("at most {} (lower is better)", shown(tv, t)),
                format!("不高于{}（越低越好）", shown(tv, t)),
            ),
        ),
        _ => (
            av >= tv,
            Why::new(
                format!("at least {}", shown(tv, t)),
                format!("不低于{}", shown(tv, t)),
            ),
        ),
    };
    let status = if met {
        TargetStatus::Achieved
    } else {
        TargetStatus::NotAchieved
    };
    let (estimate, estimate_zh) = if a.estimated {
        (" (an estimate, 预计)", "（预计数）")
    } else {
        ("", "")
    };
    let why = Why::new(
        format!(
            "result {}{estimate} {} target {}",
            shown(av, a),
            if met { "meets" } else { "misses" },
            rule.en
        ),
        format!(
            "结果{}{estimate_zh}{}目标：{}",
            shown(av, a),
            if met { "达到" } else { "未达到" },
            rule.zh
        ),
    );
    (status, why)
}

/// A number without a trailing `.0`.
pub(crate) fn trim(v: f64) -> String {
    let s = format!("{:.4}", v);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.to_string() }
}

/// Counts of verdicts by status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub achieved: usize,
    pub not_achieved: usize,
    pub no_data: usize,
}

impl Tally {
    pub fn add(&mut self, s: TargetStatus) {
        match s {
            TargetStatus::Achieved => self.achieved += 1,
            TargetStatus::NotAchieved => self.not_achieved += 1,
            TargetStatus::NoData => self.no_data += 1,
        }
    }

    pub fn of(verdicts: &[Verdict]) -> Tally {
        let mut t = Tally::default();
        for v in verdicts {
            t.add(v.status);
        }
        t
    }
}

#[cfg(test)]
mod tests {
    use plantrack_model::{Aggregation, DocumentKind, Located, Span};

    use super::*;

    fn q(role: QuantityRole, metric: &str, value: f64, unit: &str, measure: Measure) -> Quantity {
        let (scale, base) = match unit.strip_prefix('万') {
            Some(b) => (10_000.0, b),
            None => (1.0, unit),
        };
        Quantity {
            role,
            year: Some(2023),
            region: Some("某市".into()),
            metric: metric.into(),
            value,
            unit: Some(unit.into()),
            normalized: value * scale,
            base_unit: Some(base.into()),
            qualifier: None,
            upper: None,
            direction: (measure == Measure::GrowthRate).then_some(Direction::Increase),
            measure,
            action: None,
            estimated: false,
            aggregation: None,
            text: format!("{metric}{value}{unit}。"),
            span: Default::default(),
            sentence: Default::default(),
        }
    }

    fn target(metric: &str, value: f64, unit: &str, measure: Measure) -> Quantity {
        q(QuantityRole::Target, metric, value, unit, measure)
    }

    fn result(metric: &str, value: f64, unit: &str, measure: Measure) -> Quantity {
        q(QuantityRole::Actual, metric, value, unit, measure)
    }

    fn verdicts(items: Vec<Quantity>) -> Vec<Verdict> {
        let doc = |year| DocumentRef {
            id: None,
            source: format!("{year}.txt"),
            title: None,
            kind: DocumentKind::WorkReport,
            region: Some("某市".into()),
            year: Some(year),
        };
        let ledger = Ledger {
            documents: vec![doc(2023), doc(2024)],
            quantities: items
                .into_iter()
                .map(|item| Located {
                    document: if item.role == QuantityRole::Target {
                        0
                    } else {
                        1
                    },
                    item,
                })
                .collect(),
            ..Default::default()
        };
        reconcile(
            &ledger,
            &Lexicon::built_in(),
            &Scope {
                year: 2023,
                region: None,
            },
        )
    }

    fn status(t: Quantity, a: Quantity) -> TargetStatus {
        verdicts(vec![t, a])[0].status
    }

    #[test]
    fn ranges_ceilings_and_about() {
        let mut t = target("地区生产总值", 6.5, "%", Measure::GrowthRate);
        t.qualifier = Some(Qualifier::Range);
        t.upper = Some(7.0);
        let gdp = |v| result("地区生产总值", v, "%", Measure::GrowthRate);
        assert_eq!(status(t.clone(), gdp(6.6)), TargetStatus::Achieved);
        assert_eq!(status(t, gdp(6.4)), TargetStatus::NotAchieved);
        // 控制在5.5%以内: a ceiling.
        let mut t = target("城镇调查失业率", 5.5, "%", Measure::Level);
        t.qualifier = Some(Qualifier::AtMost);
        let rate = |v| result("城镇调查失业率", v, "%", Measure::Level);
        assert_eq!(status(t.clone(), rate(5.2)), TargetStatus::Achieved);
        assert_eq!(status(t, rate(5.7)), TargetStatus::NotAchieved);
        // 左右 allows 5 %.
        let mut t = target("地区生产总值", 4.0, "%", Measure::GrowthRate);
        t.qualifier = Some(Qualifier::About);
        assert_eq!(status(t.clone(), gdp(3.9)), TargetStatus::Achieved);
        assert_eq!(status(t, gdp(3.7)), TargetStatus::NotAchieved);
    }

    #[test]
    fn a_flow_verb_governs_its_clause_until_a_verb_of_state() {
        let figure = |sentence: &str, number: &str| {
            let mut q = target("粮食播种面积", 550.0, "万亩", Measure::Level);
            q.text = sentence.into();
            q.sentence = Span {
                start: 0,
                end: sentence.len(),
            };
            q.span.start = sentence.find(number).unwrap();
            q
        };
        let lexicon = Lexicon::built_in();
        let s = "新建和改造提升高标准农田20万亩，粮食播种面积稳定在550万亩以上。";
        assert_eq!(kind(&lexicon, &figure(s, "550")), Kind::Stock);
        assert_eq!(kind(&lexicon, &figure(s, "20万亩")), Kind::Flow);
        // The trap: a list after the verb stays an addition, across a comma.
        let s = "新建改造老旧小区100个，口袋公园50个。";
        assert_eq!(kind(&lexicon, &figure(s, "50个")), Kind::Flow);
    }

    #[test]
    fn units_scale_and_decreases() {
        // 8500个 against 1.04万个.
        let t = target("普通高中学位", 8500.0, "个", Measure::Increment);
        let a = result("普通高中学位", 1.04, "万个", Measure::Increment);
        assert_eq!(status(t, a), TargetStatus::Achieved);
        // 下降3%: a fall of 3.2 % meets it, a fall of 2 % does not.
        let mut t = target("单位地区生产总值能耗", 3.0, "%", Measure::GrowthRate);
        t.direction = Some(Direction::Decrease);
        let fall = |v| {
            let mut a = result("单位地区生产总值能耗", v, "%", Measure::GrowthRate);
            a.direction = Some(Direction::Decrease);
            a
        };
        assert_eq!(status(t.clone(), fall(3.2)), TargetStatus::Achieved);
        assert_eq!(status(t, fall(2.0)), TargetStatus::NotAchieved);
    }

    #[test]
    fn what_is_never_taken_as_the_years_result() {
        let t = || target("地区生产总值", 5.0, "%", Measure::GrowthRate);
        // A five-year average.
        let mut avg = result("地区生产总值", 6.1, "%", Measure::GrowthRate);
        avg.aggregation = Some(Aggregation::FiveYearAverage);
        assert!(verdicts(vec![t(), avg])[0].actual.is_none());
        // A level for a growth rate.
        let level = result("地区生产总值", 16737.3, "亿元", Measure::Level);
        assert!(verdicts(vec![t(), level])[0].actual.is_none());
        // Another region's figure.
        let mut there = result("地区生产总值", 6.0, "%", Measure::GrowthRate);
        there.region = Some("西青区".into());
        assert!(verdicts(vec![t(), there])[0].actual.is_none());
        // A stock for an addition: `新增上市公司5家` is not `上市公司总量100家`.
        let stock = target("年末全市上市公司总量", 100.0, "家", Measure::Level);
        let added = result("上市公司", 5.0, "家", Measure::Increment);
        assert!(verdicts(vec![stock, added])[0].actual.is_none());
        // Two results that fit equally well and disagree.
        let v = verdicts(vec![
            t(),
            result("地区生产总值", 4.3, "%", Measure::GrowthRate),
            result("地区生产总值", 5.1, "%", Measure::GrowthRate),
        ]);
        assert!(v[0].actual.is_none());
        assert!(v[0].reason.contains("disagree"), "{}", v[0].reason);
    }

    /// A ledger of the target's work report (2023) and results of other documents, each given
    /// with its kind and title.
    fn from_sources(
        lexicon: &Lexicon,
        target: Quantity,
        results: Vec<(DocumentKind, &str, Quantity)>,
    ) -> Verdict {
        let doc = |kind, title: &str, year| DocumentRef {
            id: None,
            source: format!("{title}.txt"),
            title: Some(title.into()),
            kind,
            region: Some("某市".into()),
            year: Some(year),
        };
        let mut ledger = Ledger {
            documents: vec![doc(
                DocumentKind::WorkReport,
                "某市2023年政府工作报告",
                2023,
            )],
            quantities: vec![Located {
                document: 0,
                item: target,
            }],
            ..Default::default()
        };
        for (kind, title, item) in results {
            let year = if kind == DocumentKind::StatisticalBulletin {
                2023
            } else {
                2024
            };
            ledger.documents.push(doc(kind, title, year));
            ledger.quantities.push(Located {
                document: ledger.documents.len() - 1,
                item,
            });
        }
        let scope = Scope {
            year: 2023,
            region: None,
        };
        reconcile(&ledger, lexicon, &scope).remove(0)
    }

    #[test]
    fn the_bulletin_before_the_speech_and_the_speech_kept() {
        let mut t = target("地区生产总值", 6.5, "%", Measure::GrowthRate);
        t.qualifier = Some(Qualifier::About);
        let mut speech = result("地区生产总值", 6.2, "%", Measure::GrowthRate);
        speech.estimated = true;
        let bulletin = result("地区生产总值", 6.0, "%", Measure::GrowthRate);
        let lexicon = Lexicon::built_in();
        let sources = vec![
            (
                DocumentKind::WorkReport,
                "某市2024年政府工作报告",
                speech.clone(),
            ),
            (
                DocumentKind::StatisticalBulletin,
                "某市2023年国民经济和社会发展统计公报",
                bulletin.clone(),
            ),
        ];
        let v = from_sources(&lexicon, t.clone(), sources.clone());
        // The bulletin's 6.0% misses 6.5%左右 (the speech's 预计 6.2% would have met it).
        assert_eq!(v.status, TargetStatus::NotAchieved);
        assert_eq!(v.source, Some(DocumentKind::StatisticalBulletin));
        let Some(Item::Quantity(used)) = v.actual.as_ref().map(|a| &a.item) else {
            panic!("no result taken");
        };
        assert_eq!(used.value, 6.0);
        assert_eq!(v.disagreeing.len(), 1);
        assert_eq!(v.disagreeing[0].document.kind, DocumentKind::WorkReport);
        assert_eq!(v.disagreeing[0].figure().1, "6.2%（预计）");
        assert!(
            v.reason_zh
                .contains("采用《某市2023年国民经济和社会发展统计公报》的数据"),
            "{}",
            v.reason_zh
        );
        assert!(
            v.reason_zh
                .contains("《某市2024年政府工作报告》为6.2%（预计）"),
            "{}",
            v.reason_zh
        );
        // A speech's final figure, in a later document, still comes after the bulletin's.
        let mut final_speech = speech.clone();
        final_speech.estimated = false;
        let v = from_sources(
            &lexicon,
            t.clone(),
            vec![
                (
                    DocumentKind::WorkReport,
                    "某市2024年政府工作报告",
                    final_speech,
                ),
                sources[1].clone(),
            ],
        );
        assert_eq!(v.source, Some(DocumentKind::StatisticalBulletin));
        assert_eq!(v.disagreeing[0].figure().1, "6.2%");
        // An office that puts its speeches first gets the speech's figure, the bulletin kept.
        let mut office = Lexicon::built_in();
        office
            .extend("source_order\twork_report\tstatistical_bulletin\n")
            .unwrap();
        let v = from_sources(&office, t.clone(), sources);
        assert_eq!(v.status, TargetStatus::Achieved);
        assert_eq!(v.source, Some(DocumentKind::WorkReport));
        assert_eq!(
            v.disagreeing[0].document.kind,
            DocumentKind::StatisticalBulletin
        );
        // Sources that agree (6% and 6.0%) list no disagreement, and the reason names none.
        let mut same = result("地区生产总值", 6.0, "%", Measure::GrowthRate);
        same.text = "全市地区生产总值增长6%。".into();
        let v = from_sources(
            &lexicon,
            t,
            vec![
                (DocumentKind::WorkReport, "某市2024年政府工作报告", same),
                (
                    DocumentKind::StatisticalBulletin,
                    "某市2023年统计公报",
                    bulletin,
                ),
            ],
        );
        assert_eq!(v.source, Some(DocumentKind::StatisticalBulletin));
        assert!(v.disagreeing.is_empty());
        assert!(!v.reason_zh.contains("来源顺序"), "{}", v.reason_zh);
    }

    #[test]
    fn a_source_first_in_order_takes_nothing_that_does_not_fit() {
        let t = || target("城镇新增就业", 6.5, "万人", Measure::Increment);
        let speech = result("城镇新增就业", 6.8, "万人", Measure::Increment);
        // The neighbours in the bulletin: another metric (a stock of people), another region,
        // another kind of figure. None is taken; the speech's figure is, and nothing disagrees.
        let population = result("常住人口", 6.8, "万人", Measure::Increment);
        let mut there = result("城镇新增就业", 2.1, "万人", Measure::Increment);
        there.region = Some("西青区".into());
        let growth = result("城镇新增就业", 3.0, "%", Measure::GrowthRate);
        let bulletin = |q| (DocumentKind::StatisticalBulletin, "某市2023年统计公报", q);
        let v = from_sources(
            &Lexicon::built_in(),
            t(),
            vec![
                (
                    DocumentKind::WorkReport,
                    "某市2024年政府工作报告",
                    speech.clone(),
                ),
                bulletin(population),
                bulletin(there),
                bulletin(growth),
            ],
        );
        assert_eq!(v.source, Some(DocumentKind::WorkReport));
        assert!(v.disagreeing.is_empty());
        // Two bulletins that disagree (6.83 and 6.9 for one metric) give no verdict: they are
        // not passed over for the speech.
        let v = from_sources(
            &Lexicon::built_in(),
            t(),
            vec![
                (DocumentKind::WorkReport, "某市2024年政府工作报告", speech),
                bulletin(result("城镇新增就业", 6.83, "万人", Measure::Increment)),
                bulletin(result("城镇新增就业", 6.9, "万人", Measure::Increment)),
            ],
        );
        assert!(v.actual.is_none());
        assert_eq!(v.status, TargetStatus::NoData);
    }

    #[test]
    fn an_excerpt_centres_on_the_item() {
        let mut a = result("城镇调查失业率", 5.4, "%", Measure::Level);
        a.text = format!(
            "{}工业投资增长5.4%，城镇调查失业率5.4%，居民消费价格涨幅0.4%。",
            "很长的前文".repeat(20)
        );
        let v = verdicts(vec![target("城镇调查失业率", 5.5, "%", Measure::Level), a]);
        let e = v[0].actual.as_ref().unwrap().excerpt(20);
        assert!(e.contains("城镇调查失业率5.4%"), "{e}");
        assert!(e.starts_with('…'));
    }
}
