//! The domain model of plantrack: what every layer speaks.
//!
//! These are plain data types with `serde` derives. They carry no behaviour beyond small helpers, do
//! no I/O and know nothing of databases, HTTP or the command line. The JSON shape of
//! `plantrack extract` is the serialisation of [`Extraction`], so a field renamed here is a change of
//! the command-line contract in `DESIGN.md`.

use serde::{Deserialize, Serialize};

pub mod lexicon;

/// A half-open byte range `[start, end)` into the document's text, serialised as `[start, end]`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(from = "[usize; 2]", into = "[usize; 2]")]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

impl From<[usize; 2]> for Span {
    fn from([start, end]: [usize; 2]) -> Span {
        Span { start, end }
    }
}

impl From<Span> for [usize; 2] {
    fn from(s: Span) -> [usize; 2] {
        [s.start, s.end]
    }
}

/// What kind of planning document this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// 规划纲要: a five-year plan outline.
    FiveYearPlan,
    /// 计划执行情况与计划草案的报告: the annual plan report.
    AnnualPlanReport,
    /// 政府工作报告: the government work report.
    WorkReport,
    /// 重点工作责任分解表: a key-task responsibility table.
    TaskTable,
    /// 统计公报: the statistics bureau's bulletin of a year, every figure a result of the year it
    /// reports on (its `year`).
    StatisticalBulletin,
    /// A table of figures an office imported (`plantrack import`), every row a result.
    DataImport,
    Other,
}

impl DocumentKind {
    pub const ALL: [DocumentKind; 7] = [
        DocumentKind::FiveYearPlan,
        DocumentKind::AnnualPlanReport,
        DocumentKind::WorkReport,
        DocumentKind::TaskTable,
        DocumentKind::StatisticalBulletin,
        DocumentKind::DataImport,
        DocumentKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::FiveYearPlan => "five_year_plan",
            DocumentKind::AnnualPlanReport => "annual_plan_report",
            DocumentKind::WorkReport => "work_report",
            DocumentKind::TaskTable => "task_table",
            DocumentKind::StatisticalBulletin => "statistical_bulletin",
            DocumentKind::DataImport => "data_import",
            DocumentKind::Other => "other",
        }
    }

    /// The kind's name in English words, for reasons and the command line.
    pub fn name_en(self) -> &'static str {
        match self {
            DocumentKind::FiveYearPlan => "five-year plan",
            DocumentKind::AnnualPlanReport => "annual plan report",
            DocumentKind::WorkReport => "work report",
            DocumentKind::TaskTable => "task table",
            DocumentKind::StatisticalBulletin => "statistical bulletin",
            DocumentKind::DataImport => "imported figures",
            DocumentKind::Other => "other document",
        }
    }

    pub fn parse(s: &str) -> Option<DocumentKind> {
        DocumentKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The kind's name as offices say it (`政府工作报告`), for pages, downloads and reports, and
    /// for the title of a document that has no title line.
    pub fn name_zh(self) -> &'static str {
        match self {
            DocumentKind::FiveYearPlan => "五年规划纲要",
            DocumentKind::AnnualPlanReport => "国民经济和社会发展计划执行情况与计划草案的报告",
            DocumentKind::WorkReport => "政府工作报告",
            DocumentKind::TaskTable => "重点工作责任分解",
            DocumentKind::StatisticalBulletin => "国民经济和社会发展统计公报",
            DocumentKind::DataImport => "统计数据",
            DocumentKind::Other => "文件",
        }
    }
}

/// The metadata of one document, inferred from its content or given by the user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentMeta {
    pub title: Option<String>,
    pub kind: DocumentKind,
    /// The issuing government's region, e.g. `西青区`.
    pub region: Option<String>,
    /// The region's parent when the document names it, e.g. `天津市` for `西青区`.
    pub region_parent: Option<String>,
    /// The year the document plans for (a five-year outline gives its first year).
    pub year: Option<i32>,
    /// The last year covered, for documents that span several years.
    pub year_end: Option<i32>,
    /// The file format that was read: `text`, `markdown`, `docx`, `xlsx`, `pdf`.
    pub format: String,
    /// The character encoding found: `UTF-8`, `GB18030`, …; for containers, that of the container.
    pub encoding: String,
}

/// Whether a part of a document looks back on a year or plans one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartRole {
    /// 工作回顾, 执行情况: results of a past year.
    Review,
    /// 目标任务, 计划: targets of the year planned.
    Plan,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Part {
    pub role: PartRole,
    pub year: Option<i32>,
}

/// The numbering style of a heading; its rank orders the hierarchy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HeadingStyle {
    /// `# 标题` with no numbering of its own.
    Markdown,
    /// `第一篇`
    Part,
    /// `第一章`
    Chapter,
    /// `第一节`
    Section,
    /// `一、`
    ChineseOrdinal,
    /// `（一）`
    ParenChineseOrdinal,
    /// `1.` or `1、`
    ArabicOrdinal,
    /// `（1）`
    ParenArabicOrdinal,
    /// `专栏3`: a boxed column inside the current section.
    Column,
}

/// One heading and the stretch of text it governs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    /// Depth in the tree, 1 for top-level sections.
    pub level: u8,
    pub style: HeadingStyle,
    /// The numbering as written, e.g. `第三章`, `（一）`, `专栏6`; empty for unnumbered headings.
    pub marker: String,
    /// The number the marker stands for (`第十二章` → 12).
    pub number: Option<u32>,
    pub title: String,
    /// The heading line.
    pub span: Span,
    /// From the heading to the start of the next heading of the same or a higher rank.
    pub extent: Span,
    /// Index of the parent section in `Extraction::sections`.
    pub parent: Option<usize>,
    /// Set on sections that review or plan a year (and inherited by their children).
    pub part: Option<Part>,
}

/// `预期性` (expected) or `约束性` (binding).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Attribute {
    Expected,
    Binding,
}

/// How a plan figure aggregates over the plan period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Aggregation {
    /// `*`: the average over the five years.
    FiveYearAverage,
    /// `〔 〕`: the sum over the five years.
    FiveYearCumulative,
}

/// How strict a number is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Qualifier {
    /// 左右
    About,
    /// 以上, 不少于, 不低于
    AtLeast,
    /// 超过, 突破
    MoreThan,
    /// 以内, 控制在, 不超过
    AtMost,
    /// `6.5%－7%`: the value is the lower bound, `upper` the upper.
    Range,
}

/// A figure of an indicator table cell: a number, or a qualitative statement kept as text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TableFigure {
    pub year: Option<i32>,
    /// `None` for a qualitative figure such as `完成国家下达的目标`.
    pub value: Option<f64>,
    pub qualifier: Option<Qualifier>,
    /// The upper bound of a range (`qualifier` is then `range`).
    pub upper: Option<f64>,
    /// The cell as written.
    pub text: String,
}

/// One row of a plan's main-indicator table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    pub seq: u32,
    /// The name without its unit, e.g. `地区生产总值增长`.
    pub name: String,
    /// From the name's trailing parenthesis or a unit column, e.g. `%`, `万户`.
    pub unit: Option<String>,
    pub category: Option<String>,
    pub baseline: Option<TableFigure>,
    pub target: Option<TableFigure>,
    pub attribute: Option<Attribute>,
    pub aggregation: Option<Aggregation>,
    /// The table row.
    pub span: Span,
}

/// One key task of a responsibility table.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Task {
    pub seq: u32,
    /// The `主要任务` cell, carried down over blank cells.
    pub category: Option<String>,
    pub text: String,
    /// The deadline cell as written, milestone sub-deadlines included, one line per statement.
    pub deadline: Option<String>,
    /// Supervising leaders in the order listed.
    pub leaders: Vec<String>,
    /// Responsible units in the order listed.
    pub units: Vec<String>,
    /// The first unit, unless responsibility is joint.
    pub lead_unit: Option<String>,
    /// `按职责分工负责`: the listed units share the task and none leads.
    pub joint: bool,
    /// The task text cell.
    pub span: Span,
}

/// A number read from a sentence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quantity {
    pub role: QuantityRole,
    /// The year the figure is for: the target year, or the year a result was achieved in.
    pub year: Option<i32>,
    pub region: Option<String>,
    /// What is measured, as the sentence names it: `地区生产总值`, `集装箱吞吐量`.
    pub metric: String,
    /// The value as written (35.69 of `35.69万人`).
    pub value: f64,
    /// The unit as written, scale word included (`万人`).
    pub unit: Option<String>,
    /// The value with the scale multiplied out (356900).
    pub normalized: f64,
    /// The unit without its scale (`人`).
    pub base_unit: Option<String>,
    pub qualifier: Option<Qualifier>,
    /// The upper bound of a range (`6.5%－7%`).
    pub upper: Option<f64>,
    pub direction: Option<Direction>,
    pub measure: Measure,
    /// The verb that produces the figure when it is an action on the metric (`改造`, `新建`).
    pub action: Option<String>,
    /// `预计`: a year-end figure estimated before the year closed.
    pub estimated: bool,
    /// Set for five-year averages (`年均`) and cumulative figures (`累计`): never one year's result.
    pub aggregation: Option<Aggregation>,
    /// The sentence the number was read from.
    pub text: String,
    /// The number with its unit.
    pub span: Span,
    /// The sentence.
    pub sentence: Span,
}

/// Whether a figure states a target or a result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuantityRole {
    Target,
    Actual,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Increase,
    Decrease,
}

/// What kind of figure a number is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// A stock or a rate at a point: `城镇调查失业率5.4%`, `达到2218万标准箱`.
    Level,
    /// A change in percent: `增长4.3%`, `涨幅0.4%`.
    GrowthRate,
    /// A change in percentage points: `提高4.5个百分点`.
    PointChange,
    /// Something added in the period: `新增就业35万人`, `新建改造50个口袋公园`.
    Increment,
    /// A part of a whole: `占比达到77.9%`, `比重79.8%`.
    Share,
    /// A running total: `累计引进各类人才47.9万人`.
    Cumulative,
}

/// Whether a dated event is done or still under way, for results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MilestoneStatus {
    Done,
    InProgress,
}

/// A dated event target or result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Milestone {
    pub role: QuantityRole,
    pub year: Option<i32>,
    pub region: Option<String>,
    /// What the event happens to: `津兴城际`, `国家会展中心（天津）二期项目`.
    pub subject: String,
    /// The event as written: `建成通车`, `竣工`, `办好`.
    pub event: String,
    /// For results: done (`正式通车`) or under way (`加快建设`).
    pub status: Option<MilestoneStatus>,
    /// The due date as written: `6月底`, `年底前`.
    pub due: Option<String>,
    pub text: String,
    /// The event phrase (subject and event).
    pub span: Span,
    pub sentence: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Warning,
    Info,
}

/// Something the extractor could not read or had to guess, with where it happened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    pub span: Option<Span>,
}

/// Everything read from one document: the JSON of `plantrack extract`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Extraction {
    pub document: DocumentMeta,
    pub sections: Vec<Section>,
    pub indicators: Vec<Indicator>,
    pub tasks: Vec<Task>,
    pub quantities: Vec<Quantity>,
    pub milestones: Vec<Milestone>,
    pub diagnostics: Vec<Diagnostic>,
}

/// A stored document as the ledger refers to it: enough to cite it beside an item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentRef {
    /// The document's key in the store, when it was loaded from one.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub id: Option<i64>,
    /// The file the document was read from: what identifies it in the store.
    pub source: String,
    pub title: Option<String>,
    pub kind: DocumentKind,
    pub region: Option<String>,
    pub year: Option<i32>,
}

impl DocumentRef {
    /// The name a person reads for the document: its title line, else one made from its region,
    /// year and kind (`天津市2024年政府工作报告`), never the file it was read from (which says
    /// nothing to a reader: `001_52f7147cf002561a.txt`). A document that names neither region
    /// nor year is told apart by its key in the store.
    pub fn display_title(&self) -> String {
        if let Some(t) = self
            .title
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            let t = join_wrapped(t);
            // A bare title (`政府工作报告`, as many portals give every year's) says neither whose
            // nor which year: the ledger knows both.
            let named = self.region.as_deref().is_some_and(|r| t.contains(r));
            if named || t.chars().any(|c| c.is_ascii_digit()) {
                return t;
            }
            let region = self.region.as_deref().unwrap_or("");
            let year = self.year.map_or(String::new(), |y| format!("{y}年"));
            return format!("{region}{year}{t}");
        }
        let region = self.region.as_deref().unwrap_or("");
        let kind = self.kind.name_zh();
        match (self.year, self.kind) {
            // A five-year plan is named by its period: its year is the first of five.
            (Some(y), DocumentKind::FiveYearPlan) => {
                format!("{region}{y}—{}年规划纲要", y + 4)
            }
            (Some(y), _) => format!("{region}{y}年{kind}"),
            (None, _) if !region.is_empty() => format!("{region}{kind}"),
            (None, _) => match self.id {
                Some(id) => format!("{kind}（第{id}号）"),
                None => kind.to_string(),
            },
        }
    }
}

/// A title with the spaces a wrapped or centred title line left between two Chinese characters
/// taken out (`…第十四个五年规划 和二〇三五年…`); spaces beside Latin letters and digits stay.
fn join_wrapped(title: &str) -> String {
    let chars: Vec<char> = title.chars().collect();
    let cjk =
        |c: char| ('\u{3400}'..='\u{9fff}').contains(&c) || ('\u{3000}'..='\u{303f}').contains(&c);
    let mut out = String::with_capacity(title.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            let mut j = i;
            while j < chars.len() && chars[j].is_whitespace() {
                j += 1;
            }
            let before = out.chars().last();
            let after = chars.get(j).copied();
            if !(before.is_some_and(cjk) && after.is_some_and(cjk)) {
                out.push(' ');
            }
            i = j;
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

/// An item of the ledger with the document it was read from (an index into
/// [`Ledger::documents`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Located<T> {
    pub document: usize,
    pub item: T,
}

/// A region and the region it belongs to (`西青区` in `天津市`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Region {
    pub name: String,
    pub parent: Option<String>,
}

/// How a responsible unit is filed by its name: the language rules the ledger's keeper takes
/// from the extractor's lexicon (`unit_alias`, `unit_group_prefix`, `unit_government_suffix`),
/// so that the store knows no Chinese word itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UnitNames {
    /// A unit's other names and its name: (alias, name).
    pub aliases: Vec<(String, String)>,
    /// Words opening a name that stands for several units (`各区人民政府`, `相关区人民政府`).
    pub group_prefixes: Vec<String>,
    /// Endings that make a name a government's, after its region's name (`人民政府`).
    pub government_suffixes: Vec<String>,
}

/// What a responsible unit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitKind {
    /// A department or any other single unit.
    Unit,
    /// A name standing for several units (`各区人民政府`).
    Group,
    /// The government of a region (`西青区人民政府`).
    Government,
}

impl UnitKind {
    /// The kind as the store keeps it.
    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::Unit => "unit",
            UnitKind::Group => "group",
            UnitKind::Government => "government",
        }
    }
}

impl UnitNames {
    /// The name a unit is kept under.
    pub fn canonical<'a>(&'a self, name: &'a str) -> &'a str {
        self.aliases
            .iter()
            .find(|(alias, _)| alias == name)
            .map_or(name, |(_, canonical)| canonical.as_str())
    }

    /// What a unit's name makes it.
    pub fn kind(&self, name: &str) -> UnitKind {
        if self.is_group(name) {
            UnitKind::Group
        } else if self.region_before_ending(name).is_some() {
            UnitKind::Government
        } else {
            UnitKind::Unit
        }
    }

    /// The region a government's name names (`西青区人民政府` → `西青区`, by the longest ending
    /// that fits); `None` for any other unit, a group included, and for a name whose region is
    /// a bare level word (`市人民政府`, `区人民政府`: no region is named `市`).
    pub fn governed_region<'a>(&self, name: &'a str) -> Option<&'a str> {
        if self.is_group(name) {
            return None;
        }
        self.region_before_ending(name)
    }

    fn is_group(&self, name: &str) -> bool {
        self.group_prefixes
            .iter()
            .any(|p| name.starts_with(p.as_str()))
    }

    /// The name before a government's ending, when it can name a region.
    fn region_before_ending<'a>(&self, name: &'a str) -> Option<&'a str> {
        self.government_suffixes
            .iter()
            .filter_map(|s| name.strip_suffix(s.as_str()))
            .min_by_key(|r| r.len())
            .filter(|r| r.chars().count() >= 2)
    }
}

/// A unit's progress report on a task, as published (accepted by a supervisor).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProgressReport {
    /// The task's number in its document.
    pub task_seq: u32,
    pub unit: Option<String>,
    /// `acknowledged` (签收), `on_track`, `at_risk`, `delayed` or `completed`.
    pub status: String,
    pub percent: Option<f64>,
    pub narrative: String,
    /// Seconds since the epoch, as text.
    pub reported_at: String,
}

/// What the evaluations read: the items of many documents, each with its document. The store
/// loads it (for a year, a region or all); the evaluation layer never touches a database.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Ledger {
    pub documents: Vec<DocumentRef>,
    pub regions: Vec<Region>,
    pub indicators: Vec<Located<Indicator>>,
    pub tasks: Vec<Located<Task>>,
    pub quantities: Vec<Located<Quantity>>,
    pub milestones: Vec<Located<Milestone>>,
    /// Published progress reports on the ledger's tasks, oldest first.
    #[serde(default)]
    pub reports: Vec<Located<ProgressReport>>,
    /// Approved extensions of the ledger's tasks' deadlines, oldest decision first.
    #[serde(default)]
    pub extensions: Vec<Located<Extension>>,
    /// Urges (催办) of units on the ledger's tasks, oldest first.
    #[serde(default)]
    pub urges: Vec<Located<Urge>>,
    /// Progress reports submitted and waiting for their review: not published, so no evidence
    /// of a status, but the unit did report (it is not silent), oldest first.
    #[serde(default)]
    pub submitted: Vec<Located<Submission>>,
}

/// That a unit submitted a progress report on a task, and when; what it says is a draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Submission {
    pub task_seq: u32,
    pub unit: Option<String>,
    /// Seconds since the epoch, as text.
    pub reported_at: String,
}

/// A supervisor's urge of a unit on a task (催办).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Urge {
    /// The task's number in its document.
    pub task_seq: u32,
    pub unit: String,
    pub message: String,
    /// Who urged.
    pub by: Option<String>,
    /// Seconds since the epoch, as text.
    pub urged_at: String,
}

/// A new deadline a supervisor approved for a task (延期申请, approved).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extension {
    /// The task's number in its document.
    pub task_seq: u32,
    /// The unit that asked.
    pub unit: Option<String>,
    /// The approved deadline, `YYYY-MM-DD`.
    pub deadline: String,
    pub reason: String,
    /// Seconds since the epoch of the approval, as text.
    pub decided_at: String,
}

impl Ledger {
    /// Adds one document's extraction, as if it had been stored under `source`.
    pub fn add(&mut self, source: &str, x: Extraction) {
        let document = self.documents.len();
        let meta = x.document;
        if let Some(r) = &meta.region
            && !self.regions.iter().any(|k| &k.name == r)
        {
            self.regions.push(Region {
                name: r.clone(),
                parent: meta.region_parent.clone(),
            });
        }
        self.documents.push(DocumentRef {
            id: None,
            source: source.to_string(),
            title: meta.title,
            kind: meta.kind,
            region: meta.region,
            year: meta.year,
        });
        fn at<T>(document: usize, items: Vec<T>) -> impl Iterator<Item = Located<T>> {
            items
                .into_iter()
                .map(move |item| Located { document, item })
        }
        self.indicators.extend(at(document, x.indicators));
        self.tasks.extend(at(document, x.tasks));
        self.quantities.extend(at(document, x.quantities));
        self.milestones.extend(at(document, x.milestones));
    }

    /// The parent of a region, when the ledger knows it.
    pub fn parent_of(&self, region: &str) -> Option<&str> {
        self.regions
            .iter()
            .find(|r| r.name == region)
            .and_then(|r| r.parent.as_deref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_are_filed_by_the_rules_given() {
        let rules = UnitNames {
            aliases: vec![("市发改委".into(), "市发展改革委".into())],
            group_prefixes: vec!["各".into(), "相关".into()],
            government_suffixes: vec!["政府".into(), "人民政府".into()],
        };
        assert_eq!(rules.canonical("市发改委"), "市发展改革委");
        assert_eq!(rules.canonical("市财政局"), "市财政局");
        assert_eq!(rules.kind("各区人民政府"), UnitKind::Group);
        assert_eq!(rules.kind("相关区人民政府"), UnitKind::Group);
        assert_eq!(rules.governed_region("相关区人民政府"), None);
        assert_eq!(rules.kind("西青区人民政府"), UnitKind::Government);
        // The longest ending: 西青区人民政府 governs 西青区, not 西青区人民.
        assert_eq!(rules.governed_region("西青区人民政府"), Some("西青区"));
        assert_eq!(rules.governed_region("西青区政府"), Some("西青区"));
        // Traps: a bare level word is no region; a department is a unit.
        assert_eq!(rules.governed_region("市人民政府"), None);
        assert_eq!(rules.kind("区政府"), UnitKind::Unit);
        assert_eq!(rules.kind("市教委"), UnitKind::Unit);
        // Without rules every name is a unit of its own.
        let none = UnitNames::default();
        assert_eq!(none.kind("各区人民政府"), UnitKind::Unit);
        assert_eq!(none.canonical("市发改委"), "市发改委");
    }

    #[test]
    fn span_cover_and_len() {
        let s = Span::new(3, 5).cover(Span::new(1, 4));
        assert_eq!(s, Span::new(1, 5));
        assert_eq!(s.len(), 4);
        assert!(Span::new(4, 4).is_empty());
    }

    fn doc(
        title: Option<&str>,
        kind: DocumentKind,
        region: Option<&str>,
        year: Option<i32>,
    ) -> DocumentRef {
        DocumentRef {
            id: Some(7),
            source: "samples/tianjin/001_52f7147cf002561a.txt".into(),
            title: title.map(str::to_string),
            kind,
            region: region.map(str::to_string),
            year,
        }
    }

    #[test]
    fn a_document_is_named_by_its_title_never_its_file() {
        let titled = doc(
            Some("天津市人民政府关于切实做好2023年市政府重点工作的通知"),
            DocumentKind::TaskTable,
            Some("天津市"),
            Some(2023),
        );
        assert_eq!(
            titled.display_title(),
            "天津市人民政府关于切实做好2023年市政府重点工作的通知"
        );
        let untitled = doc(None, DocumentKind::WorkReport, Some("天津市"), Some(2024));
        assert_eq!(untitled.display_title(), "天津市2024年政府工作报告");
        // A blank title line is no title.
        let blank = doc(
            Some("  "),
            DocumentKind::WorkReport,
            Some("西青区"),
            Some(2024),
        );
        assert_eq!(blank.display_title(), "西青区2024年政府工作报告");
        let plan = doc(None, DocumentKind::FiveYearPlan, Some("天津市"), Some(2021));
        assert_eq!(plan.display_title(), "天津市2021—2025年规划纲要");
        let no_year = doc(None, DocumentKind::AnnualPlanReport, Some("天津市"), None);
        assert_eq!(
            no_year.display_title(),
            "天津市国民经济和社会发展计划执行情况与计划草案的报告"
        );
        // A title line broken in the middle, and a bare title that names no one and no year.
        let wrapped = doc(
            Some("天津市国民经济和社会发展第十四个五年规划 和二〇三五年远景目标纲要"),
            DocumentKind::FiveYearPlan,
            Some("天津市"),
            Some(2021),
        );
        assert_eq!(
            wrapped.display_title(),
            "天津市国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要"
        );
        let bare = doc(
            Some("政府工作报告"),
            DocumentKind::WorkReport,
            Some("全国"),
            Some(2024),
        );
        assert_eq!(bare.display_title(), "全国2024年政府工作报告");
        // Titles that say whose or when, and spaces beside Latin letters or digits, stay.
        let latin = doc(
            Some("2024年 5G 网络建设方案"),
            DocumentKind::Other,
            Some("天津市"),
            Some(2024),
        );
        assert_eq!(latin.display_title(), "2024年 5G 网络建设方案");
        let nothing = doc(None, DocumentKind::Other, None, None);
        assert_eq!(nothing.display_title(), "文件（第7号）");
        for d in [untitled, plan, no_year, nothing] {
            assert!(!d.display_title().contains(".txt"), "{d:?}");
        }
    }

    #[test]
    fn kind_names_round_trip() {
        for k in DocumentKind::ALL {
            assert_eq!(DocumentKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(DocumentKind::parse("nonsense"), None);
    }
}

/// An account's role in the web app, with the one name each has in the store, the CLI and the
/// API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Everything, reporting for any unit included.
    Admin,
    /// Reviews reports, urges units, decides extension requests, sees drafts.
    Supervisor,
    /// Reports for the units the account is bound to.
    Reporter,
    /// Reads, drafts of the tasks they supervise included (named as the tables name them).
    Leader,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Admin, Role::Supervisor, Role::Reporter, Role::Leader];

    pub const fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Supervisor => "supervisor",
            Role::Reporter => "reporter",
            Role::Leader => "leader",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// Where a progress report stands in its review, with its one name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Review {
    /// Waiting for its reviewer.
    Submitted,
    /// Published: evidence of the task's status.
    Accepted,
    /// Sent back to its unit with a comment.
    Returned,
}

impl Review {
    pub fn as_str(self) -> &'static str {
        match self {
            Review::Submitted => "submitted",
            Review::Accepted => "accepted",
            Review::Returned => "returned",
        }
    }

    pub fn parse(s: &str) -> Option<Review> {
        [Review::Submitted, Review::Accepted, Review::Returned]
            .into_iter()
            .find(|r| r.as_str() == s)
    }
}

/// What a unit says of its task in a report, with the one name each has (stored, in the API).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportStatus {
    /// 签收: the lead unit takes the task on; no progress yet.
    Acknowledged,
    OnTrack,
    AtRisk,
    Delayed,
    Completed,
}

impl ReportStatus {
    /// What a progress report may say (an acknowledgement is made by its own action).
    pub const PROGRESS: [ReportStatus; 4] = [
        ReportStatus::OnTrack,
        ReportStatus::AtRisk,
        ReportStatus::Delayed,
        ReportStatus::Completed,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            ReportStatus::Acknowledged => "acknowledged",
            ReportStatus::OnTrack => "on_track",
            ReportStatus::AtRisk => "at_risk",
            ReportStatus::Delayed => "delayed",
            ReportStatus::Completed => "completed",
        }
    }

    pub fn parse(s: &str) -> Option<ReportStatus> {
        std::iter::once(ReportStatus::Acknowledged)
            .chain(ReportStatus::PROGRESS)
            .find(|r| r.as_str() == s)
    }
}

impl ProgressReport {
    /// What the report says, typed; `None` for a status this build does not know.
    pub fn kind(&self) -> Option<ReportStatus> {
        ReportStatus::parse(&self.status)
    }

    /// A report of progress, not an acknowledgement.
    pub fn is_progress(&self) -> bool {
        self.kind() != Some(ReportStatus::Acknowledged)
    }
}

/// A moment as the store keeps it: seconds since 1970-01-01 UTC, written as text in the store
/// and in the JSON (`reported_at`, `urged_at`, `decided_at`). This is the one reading of that
/// text; which day a moment falls on is the office's clock's (`plantrack_evaluate::Date::of`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Moment(pub i64);

impl Moment {
    /// `None` for text that is not a whole number of seconds.
    pub fn parse(text: &str) -> Option<Moment> {
        text.trim().parse().ok().map(Moment)
    }

    pub fn secs(self) -> i64 {
        self.0
    }
}
