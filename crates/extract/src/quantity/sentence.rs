//! The quantities of a sentence: each figure with its metric, role, year, measure and region.

use plantrack_model::{
    Aggregation, Direction, DocumentKind, Measure, Milestone, Qualifier, Quantity, QuantityRole,
    Span,
};

use super::metric::*;
use super::milestone;
use super::number::{self, Token};
use super::place::{Context, Place, region_title, strip_item_number};
use super::scan::{is_clause_sep, scan};
use crate::lexicon::{Kind, Lexicon};

/// Reads the quantities and milestones of one sentence, its numbers read once for both.
/// `maybe_number` and `events` (where a character may start an event word) come from the scan
/// that cut the sentence.
#[allow(clippy::too_many_arguments)]
pub(crate) fn read_sentence(
    sentence: &str,
    maybe_number: bool,
    events: &[u32],
    place: &Place,
    ctx: &Context<'_>,
    span_of: &dyn Fn(usize, usize) -> Span,
    quantities: &mut Vec<Quantity>,
    milestones: &mut Vec<Milestone>,
) {
    // Most sentences hold no number: an ASCII digit, or a magnitude word for Chinese numerals
    // (`百分之五`, `两千`, `一千二百万`, `三个百分点`), must be there for one.
    let tokens = if maybe_number {
        number::tokens(ctx.lex, sentence)
    } else {
        Vec::new()
    };
    // Which numbers are part of a project's name (`120万吨乙烯项目`): no quantity, no count.
    let named: Vec<bool> = tokens
        .iter()
        .map(|t| is_project_name(ctx.lex, sentence, t))
        .collect();
    sentence_quantities(sentence, &tokens, &named, place, ctx, span_of, quantities);
    // In a bulletin, events of a plan (`2024年，…地铁11号线开工建设`) are no results.
    let plans = ctx.kind == DocumentKind::StatisticalBulletin
        && (dated_years(ctx.lex, sentence)
            .iter()
            .any(|&(_, y)| ctx.year.is_some_and(|b| y > b))
            || states_an_aim(ctx.lex, sentence));
    if !events.is_empty() && !plans {
        milestone::sentence_milestones(
            ctx.lex, sentence, events, &tokens, &named, place, span_of, milestones,
        );
    }
}

/// Reads the quantities of one sentence from its numbers. `span_of` maps a byte range of
/// `sentence` to the original text.
pub(super) fn sentence_quantities(
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
    let (sentence_years, sentence_bases) = year_phrases(ctx.lex, sentence);
    // Words looked for in each clause, looked for in the sentence first.
    let cumulative_here = ctx.lex.list(Kind::CumulativeWord).occurs_in(sentence);
    let five_years_before_here = ctx.lex.list(Kind::FiveYearsBefore).occurs_in(sentence);
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
    // The year the last dated change of the sentence started from (`由2010年的162.4亿元增加到…`),
    // for a parallel change that leaves it out (`；公共预算支出由11.66亿元增加到29.33亿元`).
    let mut change_start_year: Option<i32> = None;
    for (k, t) in tokens.iter().enumerate() {
        // `稳经济运行33条等惠企政策`: a count with `等` after it names a package of measures.
        if named[k] || (t.is_count() && sentence[t.end..].starts_with('等')) {
            continue;
        }
        let clause_start = sentence[..t.start].rfind(is_clause_sep).map_or(0, |p| {
            p + sentence[p..].chars().next().map_or(1, char::len_utf8)
        });
        // `比上年少增63万人`: a difference from the year before; `上年为下降1.0%`: the figure of
        // the year before. Neither is a figure of the year the sentence is about.
        let head = &sentence[clause_start..t.start];
        if ctx
            .lex
            .list(Kind::DifferenceWord)
            .suffix_of(head.trim_end())
            .is_some()
            || ctx
                .lex
                .list(Kind::YearBeforeWord)
                .prefix_of(head.trim_start())
                .is_some()
        {
            prev_end = t.end;
            continue;
        }
        // `12月份，70个大中城市中，新建商品住宅销售价格…上涨的城市个数为16个`: a count naming the
        // set the sentence goes on to divide is the survey's panel, no figure.
        if t.is_count() {
            let rest = &sentence[t.end..];
            let noun = &rest[..rest.find(is_clause_sep).unwrap_or(rest.len())];
            if noun.ends_with('中') && noun.chars().count() <= 12 {
                prev_end = t.end;
                continue;
            }
        }
        // The noun counted by the number before may run over this one (`3个百百%`).
        let from = clause_start.max(prev_end).min(t.start);
        let raw = &sentence[from..t.start];
        let mut noun_end = t.end;
        let mut cues = Cues::default();
        let mut years = Vec::new();
        // Cues from the whole clause before the number (`预计`, `累计`, `力争`).
        let clause_before = &sentence[clause_start..t.start];
        let mut metric = metric_of(ctx.lex, raw, &mut cues, &mut years);
        cues.average |= std::mem::take(&mut replaced_average);
        // A number listed after another (`6%、14.1%`) shares its verb and qualifier.
        if from > clause_start && raw.trim_matches(['、', '和', '及', ' ']).is_empty() {
            cues.direction = prev_cues.direction;
            cues.growth = prev_cues.growth;
            cues.qualifier = prev_cues.qualifier;
            cues.increment = prev_cues.increment;
            cues.action = prev_cues.action.clone();
        }
        for w in ["预计", "年均"] {
            if clause_before.contains(w) {
                cue(ctx.lex, w, &mut cues);
            }
        }
        if cumulative_here && ctx.lex.list(Kind::CumulativeWord).occurs_in(clause_before) {
            cue(ctx.lex, "累计", &mut cues);
        }
        // The base a change is measured from: a base year written before the number, or
        // `比五年前`.
        cues.base_year = sentence_bases
            .iter()
            .take_while(|(p, _)| *p < t.start)
            .last()
            .map(|&(_, y)| y)
            .or_else(|| {
                (five_years_before_here
                    && ctx.lex.list(Kind::FiveYearsBefore).occurs_in(clause_before))
                .then(|| place.year.map(|y| y - 5))
                .flatten()
            });
        // The years written in the sentence before the number, then those of its own subject,
        // which are nearest (`；公共财政预算收入由2010年的5.24亿元` after `增加到2015年`).
        let own_years = std::mem::take(&mut years);
        let own_years_empty = own_years.is_empty();
        years.extend(
            sentence_years
                .iter()
                .take_while(|(p, _)| *p < t.start)
                .map(|&(_, y)| y),
        );
        years.extend(own_years);
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
            let named = metric_of(ctx.lex, raw, &mut ignored, &mut ignored_years);
            let list = list_subjects(&named);
            // `城乡居民人均可支配收入分别达到36848元和16538元，增长6.1%和8.05%`: a run naming no
            // subject, as long as the last list, is that list's again.
            if list.len() == chain || (named.is_empty() && last_list.len() == chain) {
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
            let cleaned = metric_of(ctx.lex, head, &mut ignored, &mut ignored_years);
            let mut list = share_list_measure(
                ctx.lex,
                share_per_unit_head(
                    ctx.lex,
                    split_urban_rural(list_subjects_for(&cleaned, chain), chain),
                ),
            );
            if list.is_empty() && cues.respectively && last_list.len() == chain {
                list = last_list.clone();
            }
            // `分别增长4.5%、5.5%左右`: a bound after the last figure of a list bounds every
            // figure of it (one after an earlier figure breaks the run: `5%以上、3%左右`).
            if chain >= 2
                && cues.qualifier.is_none()
                && let Some((q, _)) = bound_after(ctx.lex, &sentence[tokens[k + chain - 1].end..])
            {
                cues.qualifier = Some(q);
            }
            // Another figure in the clause (`分别增长5%以上、3%左右`) is the next subject's.
            let clause_end = sentence[t.end..]
                .find(is_clause_sep)
                .map_or(sentence.len(), |p| t.end + p);
            let alone = tokens.get(k + 1).is_none_or(|n| n.start >= clause_end);
            if cues.respectively && (chain >= 2 || list.len() < 2 || !alone) {
                last_list = list.clone();
                pending = list;
            } else if cues.respectively {
                // `二氧化硫、氮氧化物排放量分别下降3%`: one figure for the whole list is each one's.
                last_list = list.clone();
                subjects = list;
            } else {
                subjects = list;
            }
        }
        if subjects.is_empty() {
            if !pending.is_empty() && (cues.respectively || metric.is_empty()) {
                metric = pending.remove(0);
            } else if metric.is_empty() {
                if t.is_count() || cues.action.is_some() || cues.verb_last {
                    let (noun, phrase_end) = noun_after_span(ctx.lex, sentence, t.end);
                    if !noun.is_empty() {
                        noun_end = phrase_end;
                    }
                    metric = noun;
                }
                // `今年经济增长速度的宏观调控目标，定为百分之八至九`: the subject is the clause
                // before, when that clause names the target.
                if metric.is_empty()
                    && prev_metric.is_none()
                    && let Some((m, named)) =
                        target_named_before(ctx.lex, &sentence[..clause_start])
                {
                    metric = m;
                    cues.growth |= named.growth;
                    cues.direction = cues.direction.or(named.direction);
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
                .map(|m| (m, ctx.lex.list(Kind::BackReference).contains(&metric)))
                .filter(|(_, back)| {
                    prev_unit == Some(t.base_unit.as_str())
                        && (*back
                            || (cues.only_action
                                && ctx.lex.list(Kind::GenericAction).contains(&metric)))
                        && noun_after_span(ctx.lex, sentence, t.end).0.is_empty()
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
                let (noun, phrase_end) = noun_after_span(ctx.lex, sentence, t.end);
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
            let metric = without_notes(&metric.replace(['“', '”', '"'], ""));
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
            let metric = named_by_growth(metric, &cues);
            if metric.is_empty() || metric.chars().count() > 40 {
                continue;
            }
            prev_metric = Some(metric.clone());
            prev_unit = Some(t.base_unit.as_str());
            // `由原定平均每年百分之六调高到百分之八至九`: the figure given up names the metric of the
            // one that replaces it, and is no figure of its own.
            if raw.contains("原定") && starts_a_change(ctx.lex, &sentence[t.end..]) {
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
            // A bulletin reports the year it is of, and sets nothing: a target it restates
            // (`完成3%左右的年度目标`), a later year's figure or an aim (`2024年，全市计划新建5G
            // 基站3000个`) is none of its results.
            if ctx.kind == DocumentKind::StatisticalBulletin
                && (q.role == QuantityRole::Target
                    || q.year.zip(ctx.year).is_some_and(|(y, b)| y > b)
                    || states_an_aim(ctx.lex, clause_before))
            {
                continue;
            }
            // `全年预计实现地区生产总值同比增长3%左右；实现一般公共预算收入70亿元，同比增长4.2%`:
            // an estimate said at the head of a sentence covers every result after it.
            if q.role == QuantityRole::Actual
                && !q.estimated
                && sentence[..t.start].contains("预计")
            {
                q.estimated = true;
            }
            let undated = years.is_empty();
            // Where a change starts (`由2010年的162.4亿元增加到…`, `从60.2%提高到…`): the words
            // before the number are read first, the verb after it only then.
            let before = sentence[..t.start].trim_end();
            let from = ctx.lex.list(Kind::ChangeFrom).suffix_of(before);
            let dated_start = !undated && change_from_year(ctx.lex, before);
            let opens_change =
                (from.is_some() || dated_start) && starts_a_change(ctx.lex, &sentence[t.end..]);
            if opens_change && dated_start {
                change_start_year = years.last().copied();
            }
            if q.role == QuantityRole::Actual
                && opens_change
                && let Some(from) = from
            {
                if from.contains('年') && own_years_empty {
                    // `由上年的百分之五十八点六回落到百分之二十七点八`: last year's figure.
                    q.year = place.year.map(|y| y - 1);
                    q.aggregation = None;
                } else if let Some(y) = change_start_year {
                    q.year = Some(y);
                } else if place.five_year_review && own_years_empty {
                    // `常住人口城镇化率从60.2%提高到65.2%` in the review of the five years to
                    // 2022: the start is the year before the period's first (2017).
                    q.year = place.year.map(|y| y - 5);
                    q.aggregation = None;
                }
            }
            if q.role == QuantityRole::Target && cues.run_of_years == Some(false) {
                // `由于已经连续三年增长速度在百分之十一以上`: the years up to the last, written once
                // for the last.
                q.role = QuantityRole::Actual;
                q.year = ctx.year.map(|y| y - 1);
            } else if q.role == QuantityRole::Target
                && undated
                && starts_a_change_at(ctx.lex, sentence[..t.start].trim_end())
                && starts_a_change(ctx.lex, &sentence[t.end..])
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
    // `“十五五”时期，全省地区生产总值年均增长5%左右`: a target said for a later plan's period is
    // for its last year, unless the sentence turns back to this year (`今年…`) before the figure.
    if role == QuantityRole::Target
        && years.is_empty()
        && plan_end.is_none()
        && let Some(end) = period_before(&sentence[..t.start])
        && plan_year.is_some_and(|p| end > p)
    {
        year = Some(end);
    }
    if cues.estimated && role == QuantityRole::Target {
        role = QuantityRole::Actual;
        year = plan_year.map(|p| p - 1);
    }
    // `增长2.1%，低于5%的预期目标`: the year's target, restated in its review.
    let restated_target = names_a_target(ctx.lex, &sentence[t.end..])
        || (place.role == QuantityRole::Actual
            && cites_last_years_plan(ctx.lex, &sentence[..t.start]));
    if restated_target {
        role = QuantityRole::Target;
    }
    // The comparison (`低于`) is no qualifier of the target; its own words are (`3%左右`).
    let qualifier = if restated_target {
        qualifier_after(ctx.lex, sentence, t.end)
    } else if t.upper.is_some() {
        Some(Qualifier::Range)
    } else if t.more_than {
        Some(Qualifier::MoreThan)
    } else {
        qualifier_after(ctx.lex, sentence, t.end).or(cues.qualifier)
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
        // A change over a period (`同1987年相比…增长百分之四十二`, `过去五年…下降8.1%`), not a
        // yearly average and not the level it arrives at (`增加到121万亿元`).
        || ((!cues.average && !reaches_a_level(sentence, t.start))
            && ((cues.base_year.zip(year).is_some_and(|(b, y)| y >= b + 3)
                && t.base_unit != "番"
                && (changes_by(measure) || cues.direction.is_some()))
                || (place.five_year_review
                    && role == QuantityRole::Actual
                    && year == place.year
                    && !starts_a_change(ctx.lex, &sentence[t.end..])
                    && (changes_by(measure) || (cues.action.is_some() && !t.is_percent())))))
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

/// A metric without the footnote marks a bulletin writes after a term it explains in its notes
/// (`全员劳动生产率[4]为152977元/人` measures 全员劳动生产率).
fn without_notes(metric: &str) -> String {
    let mut out = String::with_capacity(metric.len());
    let mut rest = metric;
    while let Some(open) = rest.find(['[', '［']) {
        let after = &rest[open + rest[open..].chars().next().map_or(1, char::len_utf8)..];
        let digits = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let close = after[digits..].chars().next();
        out.push_str(&rest[..open]);
        if digits > 0 && matches!(close, Some(']' | '］')) {
            rest = &after[digits + close.map_or(0, char::len_utf8)..];
        } else {
            out.push_str(&rest[open..open + 1]);
            rest = &rest[open + 1..];
        }
    }
    out.push_str(rest);
    out
}

/// Whether the words before a figure (its clause) set an aim rather than report what was done
/// (`计划新建`, `力争`). An aim word followed by `的` is the plan a result is measured against
/// (`完成年度计划的112.4%`), and is no aim.
fn states_an_aim(lex: &crate::lexicon::Lexicon, before: &str) -> bool {
    let (aims, not_aims) = (lex.list(Kind::AimWord), lex.list(Kind::NotAimWord));
    let mut i = 0;
    while let Some(c) = before[i..].chars().next() {
        // `计划单列市`: a name holding an aim word is skipped whole.
        if let Some(w) = not_aims.prefix_of(&before[i..]) {
            i += w.len();
            continue;
        }
        if aims
            .prefix_of(&before[i..])
            .is_some_and(|w| !before[i + w.len()..].starts_with('的'))
        {
            return true;
        }
        i += c.len_utf8();
    }
    false
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

/// The last year of a plan whose period (`“十五五”时期`, `十五五期间`, `“十五五”末`) is named in
/// `before`, with no turn back to the year after it (`今年`, `当年`, `明年`).
fn period_before(before: &str) -> Option<i32> {
    if !before.contains('五') {
        return None;
    }
    let (p, len) = before
        .char_indices()
        .filter(|(_, c)| "十九八七六“".contains(*c))
        .filter_map(|(p, _)| period_prefix(&before[p..]).map(|len| (p, len)))
        .rfind(|&(p, len)| {
            let phrase = &before[p..p + len];
            !phrase.ends_with("以来") && !phrase.ends_with('初')
        })?;
    let after = &before[p + len..];
    if ["今年", "当年", "明年", "年内"]
        .iter()
        .any(|w| after.contains(w))
    {
        return None;
    }
    let phrase = &before[p..p + len];
    let quoted = if phrase.starts_with('“') {
        phrase.to_string()
    } else {
        let end = phrase
            .find(|c: char| !"一二三四五六七八九十".contains(c))
            .unwrap_or(phrase.len());
        format!("“{}”", &phrase[..end])
    };
    crate::metadata::five_year_plan_start(&quoted).map(|start| start + 4)
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

/// The metric a clause names as the target that the next clause gives the figure of: the last
/// clause of `before`, ending in a target word (`今年经济增长速度的宏观调控目标，`), without it.
fn target_named_before(lex: &Lexicon, before: &str) -> Option<(String, Cues)> {
    let before = before.trim_end_matches(is_clause_sep);
    let clause = &before[before.rfind(is_clause_sep).map_or(0, |p| {
        p + before[p..].chars().next().map_or(1, char::len_utf8)
    })..];
    let clause = clause.strip_suffix('是').unwrap_or(clause);
    let word = lex.list(Kind::TargetWord).suffix_of(clause)?;
    // `预期` alone ends no target's name.
    if word == "预期" {
        return None;
    }
    let named = clause[..clause.len() - word.len()]
        .trim_end_matches("宏观")
        .trim_end_matches('的');
    let mut cues = Cues::default();
    let mut years = Vec::new();
    let metric = metric_of(lex, named, &mut cues, &mut years);
    (!metric.is_empty() && metric.chars().count() <= 12).then_some((metric, cues))
}

/// Whether a measure is the size of a change (a rate, an addition, points), not a level.
fn changes_by(measure: Measure) -> bool {
    matches!(
        measure,
        Measure::GrowthRate | Measure::Increment | Measure::PointChange
    )
}

/// Whether the figure at `at` is where a change arrives (`增加到121万亿元`, `提高到65.2%`,
/// `降至`): a level, never a change.
fn reaches_a_level(sentence: &str, at: usize) -> bool {
    sentence[..at].trim_end().ends_with(['到', '至'])
}

/// Whether a paragraph reviews the five years, given whether the one before did: a period word
/// near its head (`过去五年…`, `——综合实力显著增强。五年来…`), or a `——` item in a run of them
/// after such a paragraph. Anything else ends the run.
pub(crate) fn reviews_five_years(lex: &Lexicon, para: &str, run: bool) -> bool {
    let para = para.trim_start_matches([' ', '\u{3000}', '\t']);
    // The head: about 20 characters (60 bytes of ideographs), cut at a character's boundary.
    let mut end = para.len().min(60);
    while !para.is_char_boundary(end) {
        end -= 1;
    }
    let opener = lex.list(Kind::PeriodOpener).occurs_in(&para[..end]);
    opener || (run && (para.starts_with("——") || para.starts_with('—')))
}

/// Reads quantities and milestones from every sentence of a paragraph; `span_of` maps a byte
/// range of `para` to the original text.
pub(crate) fn read_paragraph(
    para: &str,
    ctx: &Context<'_>,
    five_year_review: bool,
    span_of: &dyn Fn(usize, usize) -> Span,
    quantities: &mut Vec<Quantity>,
    milestones: &mut Vec<Milestone>,
) {
    // `过去五年，我国经济社会发展取得新的历史性成就…` in a part about the next plan still reports.
    let looks_back = ctx.lex.list(Kind::LookingBack).prefix_of(para).is_some();
    // A paragraph lies in one section (headings are paragraphs of their own), so its place is
    // found once, at its first sentence that may hold something.
    let mut paragraph_place: Option<Place> = None;
    let scanned_paragraph = scan(ctx.lex, para);
    for scanned in &scanned_paragraph.sentences {
        if !scanned.maybe_number && !scanned.maybe_event() {
            continue;
        }
        let s = scanned.start;
        let sentence = &para[s..scanned.end];
        let sentence_span_of = |a: usize, b: usize| span_of(s + a, s + b);
        let place = paragraph_place.get_or_insert_with(|| {
            let mut place = ctx.place(span_of(s, s + 1).start);
            if looks_back
                && place.role == QuantityRole::Target
                && ctx.kind == DocumentKind::WorkReport
            {
                place.role = QuantityRole::Actual;
                place.year = ctx.year.map(|y| y - 1);
            }
            place.five_years |= looks_back && para.contains("五年");
            place.five_year_review = five_year_review && place.role == QuantityRole::Actual;
            place.five_years |= place.five_year_review;
            place
        });
        let place = &*place;
        read_sentence(
            sentence,
            scanned.maybe_number,
            scanned_paragraph.events(scanned),
            place,
            ctx,
            &sentence_span_of,
            quantities,
            milestones,
        );
    }
}
