//! The words of the pages, in Chinese (the default) and English (`?lang=en`).

/// One language's labels.
pub struct Words {
    pub lang: &'static str,
    pub html_lang: &'static str,
    pub other_lang: &'static str,
    pub other_lang_name: &'static str,
    pub product: &'static str,
    pub skip: &'static str,
    pub overview: &'static str,
    pub targets: &'static str,
    pub plan: &'static str,
    pub tasks: &'static str,
    pub units: &'static str,
    pub leaders: &'static str,
    pub regions: &'static str,
    pub documents: &'static str,
    pub search: &'static str,
    pub login: &'static str,
    pub value_reached: &'static str,
    pub add_task: &'static str,
    pub evidence: &'static str,
    pub upload: &'static str,
    pub year_report: &'static str,
    pub score: &'static str,
    pub acknowledge: &'static str,
    pub logout: &'static str,
    pub name: &'static str,
    pub password: &'static str,
    pub report_progress: &'static str,
    pub percent: &'static str,
    pub narrative: &'static str,
    pub submit: &'static str,
    pub accept: &'static str,
    pub return_it: &'static str,
    pub comment: &'static str,
    pub audit: &'static str,
    pub bad_login: &'static str,
    pub too_many: &'static str,
    pub warnings: &'static str,
    pub overdue_since: &'static str,
    pub milestone_passed: &'static str,
    pub due_in: &'static str,
    pub days: &'static str,
    pub year: &'static str,
    pub region: &'static str,
    pub status: &'static str,
    pub all: &'static str,
    pub apply: &'static str,
    pub metric: &'static str,
    pub target: &'static str,
    pub result: &'static str,
    pub target_source: &'static str,
    pub result_source: &'static str,
    pub no_result: &'static str,
    pub indicator: &'static str,
    pub unit_of_measure: &'static str,
    pub baseline: &'static str,
    pub latest: &'static str,
    pub seq: &'static str,
    pub category: &'static str,
    pub task: &'static str,
    pub deadline: &'static str,
    pub lead_unit: &'static str,
    pub cooperating_units: &'static str,
    pub joint: &'static str,
    pub leader: &'static str,
    pub unit: &'static str,
    pub linked_targets: &'static str,
    pub history: &'static str,
    pub no_history: &'static str,
    pub led: &'static str,
    pub cooperating: &'static str,
    pub completed: &'static str,
    pub overdue: &'static str,
    pub at_risk: &'static str,
    pub completion: &'static str,
    pub achievement: &'static str,
    pub rank: &'static str,
    pub download: &'static str,
    pub in_text: &'static str,
    pub open_item: &'static str,
    pub kind: &'static str,
    pub title: &'static str,
    pub query: &'static str,
    pub no_hits: &'static str,
    pub paragraphs: &'static str,
    pub items: &'static str,
    pub key_indicators: &'static str,
    pub verdicts: &'static str,
    pub task_statuses: &'static str,
    pub as_of: &'static str,
    pub empty: &'static str,
    pub value: &'static str,
    pub api: &'static str,
}

pub const ZH: Words = Words {
    lang: "zh",
    html_lang: "zh-CN",
    other_lang: "en",
    other_lang_name: "English",
    product: "规划实施监测",
    skip: "跳到正文",
    overview: "总览",
    targets: "目标与结果",
    plan: "五年规划",
    tasks: "重点任务",
    units: "责任单位",
    leaders: "分管领导",
    regions: "地区",
    documents: "文件",
    search: "搜索",
    login: "登录",
    value_reached: "完成值（量化目标）",
    add_task: "添加重点工作",
    evidence: "佐证材料（PDF、图片、Word、Excel，5 MB以内）",
    upload: "上传",
    year_report: "年度完成情况报告",
    score: "考核得分",
    acknowledge: "签收",
    logout: "退出",
    name: "用户名",
    password: "密码",
    report_progress: "报送进展",
    percent: "完成百分比",
    narrative: "进展情况",
    submit: "提交",
    accept: "通过",
    return_it: "退回",
    comment: "意见",
    audit: "变更记录",
    bad_login: "用户名或密码不正确",
    too_many: "尝试次数过多，请15分钟后再试",
    warnings: "预警",
    overdue_since: "逾期",
    milestone_passed: "节点已过",
    due_in: "即将到期",
    days: "天",
    year: "年度",
    region: "地区",
    status: "状态",
    all: "全部",
    apply: "筛选",
    metric: "指标",
    target: "目标",
    result: "结果",
    target_source: "目标出处",
    result_source: "结果出处",
    no_result: "未找到结果",
    indicator: "指标",
    unit_of_measure: "单位",
    baseline: "基期",
    latest: "最新",
    seq: "序号",
    category: "主要任务",
    task: "重点工作",
    deadline: "完成时限",
    lead_unit: "牵头单位",
    cooperating_units: "配合单位",
    joint: "按职责分工负责",
    leader: "分管领导",
    unit: "单位",
    linked_targets: "关联目标",
    history: "进展记录",
    no_history: "暂无进展报告",
    led: "牵头",
    cooperating: "配合",
    completed: "已完成",
    overdue: "逾期",
    at_risk: "有风险",
    completion: "完成率",
    achievement: "目标达成率",
    rank: "排名",
    download: "下载",
    in_text: "原文位置",
    open_item: "查看条目",
    kind: "类型",
    title: "标题",
    query: "关键词",
    no_hits: "没有找到",
    paragraphs: "段落",
    items: "条目",
    key_indicators: "主要指标",
    verdicts: "目标完成情况",
    task_statuses: "任务进度",
    as_of: "截至",
    empty: "暂无数据",
    value: "数值",
    api: "接口",
};

pub const EN: Words = Words {
    lang: "en",
    html_lang: "en",
    other_lang: "zh",
    other_lang_name: "中文",
    product: "Plan tracking",
    skip: "Skip to content",
    overview: "Overview",
    targets: "Targets and results",
    plan: "Five-year plan",
    tasks: "Key tasks",
    units: "Units",
    leaders: "Leaders",
    regions: "Regions",
    documents: "Documents",
    search: "Search",
    login: "Sign in",
    value_reached: "Value reached (quantified targets)",
    add_task: "Add a task",
    evidence: "Evidence (PDF, PNG, JPEG, DOCX, XLSX; up to 5 MB)",
    upload: "Upload",
    year_report: "Year-end report",
    score: "Score",
    acknowledge: "Acknowledge (签收)",
    logout: "Sign out",
    name: "Name",
    password: "Password",
    report_progress: "Report progress",
    percent: "Percent done",
    narrative: "Progress",
    submit: "Submit",
    accept: "Accept",
    return_it: "Return",
    comment: "Comment",
    audit: "Changes",
    bad_login: "Wrong name or password",
    too_many: "Too many tries; wait 15 minutes",
    warnings: "Warnings",
    overdue_since: "overdue",
    milestone_passed: "milestone passed",
    due_in: "due soon",
    days: "days",
    year: "Year",
    region: "Region",
    status: "Status",
    all: "All",
    apply: "Filter",
    metric: "Metric",
    target: "Target",
    result: "Result",
    target_source: "Target source",
    result_source: "Result source",
    no_result: "no result found",
    indicator: "Indicator",
    unit_of_measure: "Unit",
    baseline: "Baseline",
    latest: "Latest",
    seq: "No.",
    category: "Area",
    task: "Task",
    deadline: "Deadline",
    lead_unit: "Lead unit",
    cooperating_units: "Cooperating units",
    joint: "joint responsibility",
    leader: "Supervising leader",
    unit: "Unit",
    linked_targets: "Linked targets",
    history: "History",
    no_history: "No progress report yet",
    led: "Led",
    cooperating: "Cooperating",
    completed: "Completed",
    overdue: "Overdue",
    at_risk: "At risk",
    completion: "Completion",
    achievement: "Targets met",
    rank: "Rank",
    download: "Download",
    in_text: "In the text",
    open_item: "Open item",
    kind: "Kind",
    title: "Title",
    query: "Words",
    no_hits: "Nothing found",
    paragraphs: "Paragraphs",
    items: "Items",
    key_indicators: "Key indicators",
    verdicts: "Targets of the year",
    task_statuses: "Task progress",
    as_of: "as of",
    empty: "No data",
    value: "Value",
    api: "API",
};

pub fn words(lang: Option<&str>) -> &'static Words {
    match lang {
        Some("en") => &EN,
        _ => &ZH,
    }
}

/// A status name in the page's language.
/// The kind of source a result was taken from, in a word (`统计公报`), for a target whose
/// sources disagree.
pub fn source_kind(w: &Words, k: plantrack_model::DocumentKind) -> &'static str {
    use plantrack_model::DocumentKind as K;
    if w.lang != "zh" {
        return k.name_en();
    }
    match k {
        K::StatisticalBulletin => "统计公报",
        K::DataImport => "导入的统计数据",
        K::WorkReport => "政府工作报告",
        K::AnnualPlanReport => "计划执行情况报告",
        K::FiveYearPlan => "规划纲要",
        K::TaskTable => "重点工作责任分解",
        K::Other => "其他文件",
    }
}

pub fn status(w: &Words, s: &str) -> &'static str {
    let zh = w.lang == "zh";
    // Every status's Chinese name is the evaluations' (the words their reasons use).
    if zh && let Some(label) = plantrack_evaluate::status_zh(s) {
        return label;
    }
    match (s, zh) {
        ("achieved", false) => "achieved",
        ("not_achieved", false) => "not achieved",
        ("no_data", false) => "no data",
        ("not_started", false) => "not started",
        ("on_track", false) => "on track",
        ("at_risk", false) => "at risk",
        ("overdue", false) => "overdue",
        ("unreported", false) => "not reported",
        ("completed", false) => "completed",
        ("acknowledged", false) => "acknowledged",
        ("delayed", false) => "delayed",
        ("submitted", false) => "submitted",
        ("accepted", false) => "accepted",
        ("returned", false) => "returned",
        ("target_achieved", false) => "target achieved",
        ("needs_acceleration", false) => "needs acceleration",
        ("limited_progress", false) => "limited progress",
        ("deterioration", false) => "deterioration",
        ("not_available", false) => "not available",
        (_, _) => "?",
    }
}

/// The heading of the cards listed without a rank for having too few tasks.
pub fn unranked_few(w: &Words, min: usize) -> String {
    if w.lang == "zh" {
        format!("未排名（任务少于{min}项）")
    } else {
        format!("Not ranked (fewer than {min} tasks)")
    }
}

/// The heading of the group placeholders (各有关单位, 相关区人民政府).
pub fn unranked_groups(w: &Words) -> String {
    if w.lang == "zh" {
        "泛指单位（不排名）".into()
    } else {
        "Groups of units (not ranked)".into()
    }
}

/// How regions are ordered (they are not scored).
pub fn region_order(w: &Words) -> String {
    if w.lang == "zh" {
        "地区按任务完成率排序，其次按目标实现率；不计分。".into()
    } else {
        "Regions are ordered by task completion, then target achievement; they are not scored."
            .into()
    }
}

/// Why ranks and scores are not on a public page.
pub fn rankings_private(w: &Words) -> String {
    if w.lang == "zh" {
        "排名和考核得分仅对登录用户显示（本机关未公开排名）；以下按名称排列。".into()
    } else {
        "Ranks and scores are shown to signed-in users only (the office does not publish them); listed by name."
            .into()
    }
}

/// A role in words: `reporter` → 填报员.
pub fn role(w: &Words, role: &str) -> &'static str {
    match (role, w.lang == "zh") {
        ("admin", true) => "管理员",
        ("supervisor", true) => "督查员",
        ("reporter", true) => "填报员",
        ("leader", true) => "领导",
        ("admin", false) => "admin",
        ("supervisor", false) => "supervisor",
        ("reporter", false) => "reporter",
        ("leader", false) => "leader",
        (_, true) => "用户",
        (_, false) => "user",
    }
}

/// One change of the trail in words, from its action, its actor and what it recorded after:
/// `市发展改革委 张三 提交了进展报告（正常推进，60%）`. An action this build does not know is named
/// as a change, never shown as its code.
pub fn change(w: &Words, action: &str, actor: &str, after: Option<&str>) -> String {
    let after: serde_json::Value = after
        .and_then(|a| serde_json::from_str(a).ok())
        .unwrap_or(serde_json::Value::Null);
    let field = |k: &str| after.get(k).and_then(|v| v.as_str()).unwrap_or("");
    let zh = w.lang == "zh";
    let who = match field("unit") {
        "" => actor.to_string(),
        unit => format!("{unit} {actor}"),
    };
    let percent = after
        .get("percent")
        .and_then(|v| v.as_f64())
        .map(crate::util::num);
    let comment = field("comment");
    let with_comment = |s: String| {
        if comment.is_empty() {
            s
        } else if zh {
            format!("{s}：{comment}")
        } else {
            format!("{s}: {comment}")
        }
    };
    match (action, zh) {
        ("report.submit", true) => {
            let status = status(w, field("status"));
            match percent {
                Some(p) => format!("{who} 提交了进展报告（{status}，{p}%）"),
                None => format!("{who} 提交了进展报告（{status}）"),
            }
        }
        ("report.submit", false) => {
            let status = status(w, field("status"));
            match percent {
                Some(p) => format!("{who} submitted a progress report ({status}, {p}%)"),
                None => format!("{who} submitted a progress report ({status})"),
            }
        }
        ("report.accept", true) => with_comment(format!("{actor} 审核通过了进展报告")),
        ("report.accept", false) => with_comment(format!("{actor} accepted the progress report")),
        ("report.return", true) => with_comment(format!("{actor} 退回了进展报告")),
        ("report.return", false) => with_comment(format!("{actor} returned the progress report")),
        ("task.acknowledge", true) => format!("{who} 签收了任务"),
        ("task.acknowledge", false) => format!("{who} acknowledged the task"),
        ("evidence.add", true) => format!("{actor} 上传了佐证材料《{}》", field("name")),
        ("evidence.add", false) => format!("{actor} attached the evidence “{}”", field("name")),
        ("task.urge", true) => format!("{actor} 催办{}：{}", field("unit"), field("message")),
        ("task.urge", false) => format!("{actor} urged {}: {}", field("unit"), field("message")),
        ("extension.request", true) => {
            format!("{who} 申请延期至{}：{}", field("deadline"), field("reason"))
        }
        ("extension.request", false) => format!(
            "{who} asked for a new deadline, {}: {}",
            field("deadline"),
            field("reason")
        ),
        ("extension.approve", true) => {
            with_comment(format!("{actor} 批准延期至{}", field("deadline")))
        }
        ("extension.approve", false) => with_comment(format!(
            "{actor} approved the new deadline {}",
            field("deadline")
        )),
        ("extension.refuse", true) => with_comment(format!("{actor} 未批准延期申请")),
        ("extension.refuse", false) => with_comment(format!("{actor} refused the new deadline")),
        ("task.add", true) => format!("{actor} 新增了这项任务"),
        ("task.add", false) => format!("{actor} added the task"),
        (_, true) => format!("{actor} 修改了任务"),
        (_, false) => format!("{actor} changed the task"),
    }
}

/// A column of a CSV or XLSX download in the page's language.
pub fn column(w: &Words, key: &'static str) -> &'static str {
    const ZH: &[(&str, &str)] = &[
        ("status", "状态"),
        ("region", "地区"),
        ("metric", "指标"),
        ("target", "目标"),
        ("result", "结果"),
        ("target_document", "目标来源文件"),
        ("target_sentence", "目标原文"),
        ("result_document", "结果来源文件"),
        ("result_sentence", "结果原文"),
        ("reason", "依据"),
        ("seq", "序号"),
        ("category", "类别"),
        ("indicator", "指标"),
        ("attribute", "属性"),
        ("aggregation", "统计方式"),
        ("unit", "单位"),
        ("baseline_year", "基期年份"),
        ("baseline", "基期值"),
        ("latest_year", "最新年份"),
        ("latest", "最新值"),
        ("ratio", "完成进度"),
        ("projection", "预计"),
        ("rank", "排名"),
        ("peer_group", "同类组"),
        ("name", "名称"),
        ("led", "牵头任务"),
        ("cooperating", "配合任务"),
        ("completed", "已完成"),
        ("overdue", "逾期未完成"),
        ("at_risk", "有风险"),
        (
            "targets (achieved/not/no data)",
            "目标（实现/未实现/无数据）",
        ),
        ("completion", "完成率"),
        ("achievement", "目标实现率"),
        ("score", "得分"),
        ("basis", "计分依据"),
    ];
    const EN: &[(&str, &str)] = &[
        ("序号", "seq"),
        ("主要任务", "category"),
        ("重点工作", "task"),
        ("完成时限", "deadline"),
        ("分管领导", "leaders"),
        ("责任单位", "units"),
        ("进展", "progress"),
        ("状态", "status"),
    ];
    let table = if w.lang == "zh" { ZH } else { EN };
    table
        .iter()
        .find(|(k, _)| *k == key)
        .map_or(key, |(_, v)| *v)
}

/// An extension request's decision in words.
pub fn extension_decision(w: &Words, decision: &str) -> &'static str {
    match (decision, w.lang == "zh") {
        ("approved", true) => "已批准",
        ("refused", true) => "未批准",
        (_, true) => "待审批",
        ("approved", false) => "approved",
        ("refused", false) => "refused",
        (_, false) => "waiting",
    }
}

/// 我的待办.
pub fn my_queue(w: &Words) -> &'static str {
    if w.lang == "zh" {
        "我的待办"
    } else {
        "My queue"
    }
}

/// A kind of work-queue item in words.
pub fn queue_kind(w: &Words, kind: &str) -> &'static str {
    match (kind, w.lang == "zh") {
        ("acknowledge", true) => "待签收",
        ("report", true) => "待报送",
        ("fix", true) => "被退回待修改",
        ("review", true) => "待审核",
        ("urge", true) => "被催办",
        ("extension", true) => "延期待审批",
        ("urge", false) => "urged",
        ("extension", false) => "extensions to decide",
        ("acknowledge", false) => "to acknowledge",
        ("report", false) => "to report",
        ("fix", false) => "returned to fix",
        ("review", false) => "to review",
        (_, true) => "待办",
        (_, false) => "to do",
    }
}

#[cfg(test)]
mod change_tests {
    use super::*;

    #[test]
    fn changes_read_as_sentences() {
        let zh = words(None);
        assert_eq!(
            change(
                zh,
                "report.submit",
                "张三",
                Some(
                    r#"{"report":3,"unit":"市发展改革委","status":"at_risk","percent":60,"narrative":"x"}"#
                )
            ),
            "市发展改革委 张三 提交了进展报告（有风险，60%）"
        );
        assert_eq!(
            change(
                zh,
                "report.return",
                "李四",
                Some(r#"{"report":3,"review":"returned","comment":"请补充佐证材料"}"#)
            ),
            "李四 退回了进展报告：请补充佐证材料"
        );
        assert_eq!(
            change(
                zh,
                "task.acknowledge",
                "张三",
                Some(r#"{"unit":"市科技局"}"#)
            ),
            "市科技局 张三 签收了任务"
        );
        // A code this build does not know, or a trail without JSON, is still words.
        assert_eq!(
            change(zh, "task.reassign", "王五", Some("not json")),
            "王五 修改了任务"
        );
        let en = words(Some("en"));
        assert_eq!(
            change(en, "report.accept", "li", None),
            "li accepted the progress report"
        );
        assert_eq!(role(zh, "reporter"), "填报员");
    }
}
