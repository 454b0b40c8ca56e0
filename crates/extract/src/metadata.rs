//! Document metadata: title, kind, region and year, inferred from the content.
//!
//! - **Title**: a Markdown `#` heading at the top, or the first paragraph when it names a kind of
//!   document (`…的报告`, `…纲要`, `…的通知`, `…分解表`); a title broken over two short paragraphs
//!   (`天津市人民政府关于切实` / `做好2023年市政府重点工作的通知`) is joined. Speeches that open
//!   with `各位代表：` have no title.
//! - **Kind**: a responsibility table inside makes a `task_table`; otherwise the title (or, with no
//!   title, the opening of the text) decides: `规划纲要`/`五年规划` → five-year plan, `计划执行情况`
//!   / `计划草案` / `规划执行情况` → annual plan report, `政府工作报告` or a speech to the
//!   people's congress that reviews a year → work report; a title ending with `统计公报`
//!   (`天津市2023年国民经济和社会发展统计公报`) → statistical bulletin, from the title alone.
//! - **Region**: the first region named in the title (`天津市西青区人民政府…` → 西青区 in 天津市);
//!   else the region whose people's congress a speech is given to (`——2024年1月10日在青山县第十八届
//!   人民代表大会第四次会议上`); else the provincial-level region the text names most often. A
//!   title opening with the country's name (`中华人民共和国2022年…统计公报`) is 全国's.
//! - Lines of a saved web page's frame (`当前位置：首页 > …`, `【字体：大 中 小】`,
//!   `发布时间：…　来源：…`) are no title.
//! - **Year**: the year the document plans for. A five-year plan gives its first year (from
//!   `第十四个五年`, `十四五` or `2021—2025年`); a document with a plan part gives that part's
//!   year, or the year after its review part; otherwise the latest year in the title. A
//!   statistical bulletin plans nothing: its year is the one it reports on, from its title.

use plantrack_model::{DocumentKind, PartRole, Section};

use crate::lexicon::{Kind, Lexicon};

/// The name of the whole country's government as a region.
pub(crate) const NATION: &str = "全国";

/// A line of a saved web page's frame, not of the document.
pub(crate) fn is_page_chrome(lex: &Lexicon, line: &str) -> bool {
    let line = line.trim();
    line.chars().count() <= 120 && lex.any_in(Kind::PageChrome, line)
}

/// Four-digit years (1949–2100) written before `年` or as the start of a range (`2021—2025年`),
/// and Chinese-numeral years (`二〇三五年`), in order of appearance.
pub(crate) fn years_in(s: &str) -> Vec<i32> {
    let mut out = Vec::new();
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            let preceded =
                start > 0 && (bytes[start - 1] == b'.' || bytes[start - 1].is_ascii_alphabetic());
            if i - start == 4 && !preceded {
                let year: i32 = s[start..i].parse().unwrap_or(0);
                let rest = &s[i..];
                let dated = rest.starts_with('年')
                    || (rest.starts_with(['—', '-', '–', '~', '～', '至'])
                        && rest.chars().nth(1).is_some_and(|c| c.is_ascii_digit()));
                if dated && (1949..=2100).contains(&year) {
                    out.push(year);
                }
            }
            continue;
        }
        i += 1;
    }
    // `二〇三五年`: four Chinese digits before 年; such a year always holds a zero.
    if !s.contains(['〇', '零']) {
        return out;
    }
    let chars: Vec<char> = s.chars().collect();
    for w in chars.windows(5) {
        if w[4] == '年' && w[..4].iter().all(|c| "〇零一二三四五六七八九".contains(*c))
        {
            let digits: String = w[..4]
                .iter()
                .map(|c| match c {
                    '〇' | '零' => '0',
                    c => char::from_digit(
                        "一二三四五六七八九"
                            .chars()
                            .position(|d| d == *c)
                            .unwrap_or(0) as u32
                            + 1,
                        10,
                    )
                    .unwrap_or('0'),
                })
                .collect();
            if let Ok(y) = digits.parse()
                && (1949..=2100).contains(&y)
            {
                out.push(y);
            }
        }
    }
    out
}

/// The n-th five-year plan's first year (`第十四个五年规划`, `十四五` → 2021). From the third plan
/// on, plans follow each other every five years from 1966.
pub(crate) fn five_year_plan_start(text: &str) -> Option<i32> {
    for (prefix, suffix) in [
        ("第", "个五年"),
        ("“", "五”"),
        ("\"", "五\""),
        ("", "五”时期"),
    ] {
        let mut from = 0;
        while let Some(pos) = text[from..].find(suffix) {
            let end = from + pos;
            let before = &text[..end];
            let numeral: String = before
                .chars()
                .rev()
                .take_while(|c| "一二三四五六七八九十".contains(*c))
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            if !numeral.is_empty()
                && before[..before.len() - numeral.len()].ends_with(prefix)
                && let Some(n) = crate::structure::chinese_number(&numeral)
                && (3..=30).contains(&n)
            {
                return Some(1966 + 5 * (n as i32 - 3));
            }
            from = end + suffix.len();
        }
    }
    None
}

/// A short line spaced out character by character (`政 府 工 作 报 告`), without its spaces.
fn unspaced(line: &str) -> std::borrow::Cow<'_, str> {
    let chars: Vec<char> = line.chars().collect();
    let spaces = chars
        .iter()
        .filter(|c| matches!(c, ' ' | '\u{3000}'))
        .count();
    let ideographs = chars
        .iter()
        .filter(|c| crate::normalize::is_ideograph(**c))
        .count();
    if chars.len() <= 80 && ideographs >= 3 && spaces + 1 >= ideographs {
        line.chars()
            .filter(|c| !matches!(c, ' ' | '\u{3000}'))
            .collect::<String>()
            .into()
    } else {
        line.into()
    }
}

/// A title line as printed, without what portals glue to it: the speech line after it
/// (`2003年政府工作报告——2003年3月5日在…`) and a photo caption before it (`…新华社记者 王晔摄政府工作报告`).
fn title_proper(line: &str) -> std::borrow::Cow<'_, str> {
    let mut t = unspaced(line.trim());
    // A footnote mark after the title (`…统计公报[1]`) refers to the notes at the end.
    if let Some(open) = t.rfind(['[', '［'])
        && t.ends_with([']', '］'])
        && open > 0
        && t[open..]
            .trim_matches(['[', '［', ']', '］'])
            .chars()
            .all(|c| c.is_ascii_digit())
    {
        t = t[..open].to_string().into();
    }
    if let Some(p) = t.find("——")
        && p > 0
    {
        let after = &t[p + "——".len()..];
        if after.starts_with(|c: char| c.is_ascii_digit() || "〇一二".contains(c))
            || after.starts_with('在')
        {
            t = t[..p].to_string().into();
        }
    }
    // A caption names its photographer before `摄` (`记者 王晔摄`); `摄影大赛` is no caption.
    if let Some(p) = t.rfind('摄')
        && (t[..p].contains("记者") || t[..p].ends_with([' ', '\u{3000}']))
    {
        let rest =
            t[p + '摄'.len_utf8()..].trim_start_matches([' ', '\u{3000}', '：', ':', '）', ')']);
        if rest.chars().count() >= 4 {
            t = rest.to_string().into();
        }
    }
    t
}

/// The title, if the document has one, with its span in the normalised text. It is the first
/// short line of the first screen that names a kind of document; the screen ends where the
/// speech or the body begins.
pub(crate) fn title(paragraphs: &[(usize, &str)]) -> Option<(usize, usize, String)> {
    let screen: Vec<(usize, &str)> = paragraphs
        .iter()
        .filter(|(_, p)| !p.trim().is_empty())
        .take_while(|(_, p)| !p.starts_with("各位代表"))
        .copied()
        .collect();
    let found: Vec<(usize, (usize, usize, String))> = (0..screen.len())
        .filter_map(|k| title_at(&screen[k..]).map(|t| (k, t)))
        .collect();
    // A portal's page header (`2002年国务院政府工作报告`) can come before the document's own title,
    // which is the one right above (or glued to) the speech line.
    let speech = |k: usize| {
        screen[k..(k + 2).min(screen.len())]
            .iter()
            .any(|(_, p)| p.contains("人民代表大会"))
    };
    let pick = found.iter().rposition(|(k, _)| speech(*k)).unwrap_or(0);
    found.into_iter().nth(pick).map(|(_, t)| t)
}

fn title_at(paragraphs: &[(usize, &str)]) -> Option<(usize, usize, String)> {
    let mut iter = paragraphs.iter();
    let &(start, first) = iter.next()?;
    if first.starts_with('#') {
        let t = first.trim_start_matches('#').trim();
        return Some((start, start + first.len(), t.to_string()));
    }
    let first_raw = first;
    let first = title_proper(first_raw);
    let first = first.as_ref();
    let names_kind = |t: &str| {
        [
            "报告",
            "纲要",
            "通知",
            "分解表",
            "规划",
            "计划",
            "意见",
            "方案",
            "决定",
            "公报",
        ]
        .iter()
        .any(|w| t.ends_with(w))
    };
    let short = |t: &str| t.chars().count() <= 80 && !t.ends_with(['。', '：', ':', '；']);
    if short(first) && names_kind(first) {
        return Some((start, start + first_raw.len(), first.to_string()));
    }
    if let Some(&(second_start, second)) = iter.next() {
        let joined = format!("{first}{}", title_proper(second));
        if short(first) && short(&joined) && names_kind(&joined) {
            return Some((start, second_start + second.len(), joined));
        }
    }
    None
}

/// The kind from the title or the opening text.
pub(crate) fn kind(
    lex: &Lexicon,
    title: Option<&str>,
    opening: &str,
    has_task_table: bool,
) -> DocumentKind {
    if has_task_table {
        return DocumentKind::TaskTable;
    }
    // A statistical bulletin is known by its title alone: an opening may name a bulletin it is
    // not (`——《2022年国民经济和社会发展统计公报》评读`).
    if title.is_some_and(|t| lex.list(Kind::BulletinTitle).suffix_of(t).is_some()) {
        return DocumentKind::StatisticalBulletin;
    }
    if title.is_none() && is_speech(opening) {
        return DocumentKind::WorkReport;
    }
    let probe = title.unwrap_or(opening);
    if probe.contains("纲要") || probe.contains("五年规划") {
        return DocumentKind::FiveYearPlan;
    }
    if [
        "计划执行情况",
        "规划执行情况",
        "计划草案",
        "发展计划的报告",
        "发展规划的报告",
    ]
    .iter()
    .any(|w| probe.contains(w))
    {
        return DocumentKind::AnnualPlanReport;
    }
    if probe.contains("政府工作报告") || is_speech(opening) {
        return DocumentKind::WorkReport;
    }
    DocumentKind::Other
}

/// A speech to the people's congress that reports the government's work: `各位代表：现在，我代表
/// 国务院向大会作政府工作报告`, `我代表区人民政府向大会报告工作`.
fn is_speech(opening: &str) -> bool {
    let Some(at) = opening.find("各位代表") else {
        return false;
    };
    let after = &opening[at..];
    let end = after
        .char_indices()
        .nth(400)
        .map_or(after.len(), |(i, _)| i);
    let after = &after[..end];
    ["报告工作", "政府工作报告", "工作报告", "工作回顾"]
        .iter()
        .any(|w| after.contains(w))
        // `我代表国务院向大会报告过去五年的工作`, `我代表国务院，向大会作关于…的报告`.
        || after
            .find("我代表")
            .is_some_and(|p| after[p..].contains("报告") && after[p..].contains("大会"))
}

/// Region names in a title, in order: full provincial names, then `X市`/`X区`/`X县`/`X州`/`X旗`
/// whose stem is two to four ideographs and is not a common word.
pub(crate) fn regions_in(lex: &Lexicon, s: &str) -> Vec<String> {
    let mut found: Vec<(usize, String)> = Vec::new();
    for (full, _) in lex.provinces() {
        if let Some(p) = s.find(full) {
            found.push((p, full.to_string()));
        }
    }
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    for (k, &(pos, c)) in chars.iter().enumerate() {
        if !matches!(c, '市' | '区' | '县' | '州' | '旗' | '省') {
            continue;
        }
        // The stem runs back over ideographs to a boundary: a previous region, `关于`, or a
        // non-ideograph.
        let mut begin = k;
        while begin > 0 && crate::normalize::is_ideograph(chars[begin - 1].1) && k - begin < 4 {
            begin -= 1;
            let stem: String = chars[begin..k].iter().map(|(_, c)| c).collect();
            if stem.ends_with("关于") || stem.ends_with("印发") {
                break;
            }
        }
        let mut stem: String = chars[begin..k].iter().map(|(_, c)| c).collect();
        // Drop what precedes the stem inside this window: an earlier region's suffix, `关于`.
        for cut in ["关于", "印发", "市", "省", "区", "县", "年"] {
            if let Some(p) = stem.rfind(cut) {
                stem = stem[p + cut.len()..].to_string();
            }
        }
        let name = format!("{stem}{c}");
        let n = stem.chars().count();
        if (2..=4).contains(&n)
            && !lex
                .words(Kind::NotRegion)
                .iter()
                .any(|w| name.ends_with(w.as_str()))
        {
            let at = pos + c.len_utf8() - name.len();
            if !found.iter().any(|(p, f)| *p <= at && at < p + f.len()) {
                found.push((at, name));
            }
        }
    }
    found.sort();
    let mut names: Vec<String> = Vec::new();
    for (_, n) in found {
        if !names.contains(&n) {
            names.push(n);
        }
    }
    names
}

/// The provincial-level region a text names most often, by full or short name.
pub(crate) fn dominant_province(lex: &Lexicon, text: &str) -> Option<String> {
    let passing = lex.words(Kind::PassingOnly);
    lex.provinces()
        .iter()
        .filter(|(full, _)| !passing.contains(full))
        .map(|(full, short)| (text.matches(short.as_str()).count(), full))
        .filter(|(n, _)| *n >= 3)
        .max_by_key(|(n, _)| *n)
        .map(|(_, full)| full.to_string())
}

/// The line of a speech's opening that names the congress it is given to, up to the words
/// `人民代表大会`: `——2024年1月10日在青山县第十八届`.
fn congress_line(opening: &str) -> Option<&str> {
    opening
        .lines()
        .find_map(|l| l.find("人民代表大会").map(|at| &l[..at]))
}

/// The region whose people's congress a speech is given to: `在青山县第十八届人民代表大会…上`.
fn congress_region(lex: &Lexicon, opening: &str) -> Option<String> {
    let before = congress_line(opening)?;
    // `在第十四届全国人民代表大会…`
    if before.ends_with("全国") {
        return Some(NATION.to_string());
    }
    let from = before.rfind('在').map_or(0, |p| p + '在'.len_utf8());
    let phrase = &before[from..];
    // The session's number (`第十八届`) follows the region's name.
    let phrase = phrase.find('第').map_or(phrase, |p| &phrase[..p]);
    regions_in(lex, phrase).pop()
}

/// Region and parent from a title: the most specific region named before the issuing words, with
/// the region named before it as parent (`天津市西青区人民政府` → 西青区 in 天津市).
pub(crate) fn region(
    lex: &Lexicon,
    title: Option<&str>,
    opening: &str,
    text: &str,
) -> (Option<String>, Option<String>) {
    if let Some(t) = title {
        let issuer = t.split("关于").next().unwrap_or(t);
        let in_issuer = regions_in(lex, issuer);
        let names = if in_issuer.is_empty() {
            regions_in(lex, t)
        } else {
            in_issuer
        };
        match names.as_slice() {
            // `中华人民共和国2022年…统计公报`, `2022年全国…统计公报`: the whole country.
            [] if lex
                .list(Kind::NationName)
                .prefix_of(
                    issuer
                        .trim_start_matches(|c: char| c.is_ascii_digit())
                        .trim_start_matches('年'),
                )
                .is_some() =>
            {
                return (Some(NATION.to_string()), None);
            }
            [] => {}
            [one] => return (Some(one.clone()), None),
            [a, b, ..] => {
                // `天津市西青区`: a parent and its child, adjacent in the text.
                if t.contains(&format!("{a}{b}")) {
                    return (Some(b.clone()), Some(a.clone()));
                }
                return (Some(a.clone()), None);
            }
        }
    }
    if let Some(r) = congress_region(lex, opening).or_else(|| speaker_region(lex, opening)) {
        return (Some(r), None);
    }
    (dominant_province(lex, text), None)
}

/// The region of the government a speech is given for, from the speaker's office
/// (`国务院总理`, `海拉尔区人民政府区长`, `内蒙古自治区人民政府主席`) or the words `我代表…`
/// (`我代表国务院`, `我代表青山县人民政府`).
fn speaker_region(lex: &Lexicon, opening: &str) -> Option<String> {
    for line in opening.lines().take(40) {
        if line.contains("国务院总理") || line.contains("我代表国务院") {
            return Some(NATION.to_string());
        }
        for (at, _) in line.match_indices("人民政府") {
            let before = &line[..at];
            let speaker = line[at..].contains(['长', '席'])
                && line[at..].chars().count() <= 24
                && !line.contains("向大会");
            let on_behalf = before
                .rfind("我代表")
                .map(|p| &before[p + "我代表".len()..]);
            let office = if let Some(b) = on_behalf {
                b
            } else if speaker {
                before
            } else {
                continue;
            };
            if let Some(r) = regions_in(lex, office).pop() {
                return Some(r);
            }
        }
    }
    None
}

/// The year planned for and, for a multi-year plan, the last year.
pub(crate) fn years(
    kind: DocumentKind,
    title: Option<&str>,
    opening: &str,
    sections: &[Section],
) -> (Option<i32>, Option<i32>) {
    // A bulletin reports on the year its title names (`天津市2023年…统计公报` → 2023), not the
    // year it was published in (`2024年3月18日`).
    if kind == DocumentKind::StatisticalBulletin {
        let year = title
            .and_then(|t| years_in(t).into_iter().max())
            .or_else(|| years_in(opening).into_iter().next());
        return (year, None);
    }
    if kind == DocumentKind::FiveYearPlan {
        let probe = title.unwrap_or(opening);
        let start = five_year_plan_start(probe).or_else(|| five_year_plan_start(opening));
        if let Some(s) = start {
            return (Some(s), Some(s + 4));
        }
    }
    // A work report is given early in the year it plans for: `——2024年1月20日在…人民代表大会…`.
    if kind == DocumentKind::WorkReport
        && let Some(y) = speech_year(opening)
    {
        return (Some(y), None);
    }
    let review = sections
        .iter()
        .filter_map(|s| s.part)
        .filter(|p| p.role == PartRole::Review)
        .find_map(|p| p.year);
    // A work report plans for the year after the one it reviews, whatever periods its plan
    // parts name (`二、“十五”期间的奋斗目标`).
    if kind == DocumentKind::WorkReport
        && let Some(r) = review
    {
        return (Some(r + 1), None);
    }
    let plan = sections
        .iter()
        .filter_map(|s| s.part)
        .filter(|p| p.role == PartRole::Plan)
        .find_map(|p| p.year);
    if plan.is_some() {
        return (plan, None);
    }
    if let Some(r) = review {
        return (Some(r + 1), None);
    }
    if let Some(t) = title
        && let Some(y) = years_in(t).into_iter().max()
    {
        return (Some(y), None);
    }
    (None, None)
}

/// The year a work report's first part reviews when neither a dated speech line nor a dated part
/// says it: the latest year it names at least twice (`刚刚过去的１９９２年…１９９２年国民生产总值…`),
/// else the one it names most often.
pub(crate) fn reviewed_year(first_part: &str) -> Option<i32> {
    let mut counts: Vec<(i32, usize)> = Vec::new();
    for y in years_in(first_part) {
        match counts.iter_mut().find(|(x, _)| *x == y) {
            Some(c) => c.1 += 1,
            None => counts.push((y, 1)),
        }
    }
    // `从1997年的7.4万亿元增加到2002年的10.2万亿元`: base years can be named as often as the year
    // reviewed, but not later than it; a year named once may be a goal (`到2010年`).
    counts
        .iter()
        .filter(|(_, n)| *n >= 2)
        .map(|(y, _)| *y)
        .max()
        .or_else(|| counts.iter().max_by_key(|&&(y, n)| (n, y)).map(|(y, _)| *y))
}

/// The year of the date a speech was given on, from the line naming the congress.
fn speech_year(opening: &str) -> Option<i32> {
    let line = congress_line(opening)?;
    // The date is the one right before `在…人民代表大会`: `2024年1月20日在`, `二〇二六年一月二十七日在`.
    let day = line.rfind("日在").or_else(|| line.rfind("日，在"))?;
    let date = &line[..day];
    let p = date.rfind('年')?;
    years_in(&date[date[..p].char_indices().rev().nth(3).map_or(0, |(i, _)| i)..])
        .into_iter()
        .next()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lex() -> &'static Lexicon {
        Lexicon::built_in()
    }

    #[test]
    fn years_are_dated_numbers_only() {
        assert_eq!(years_in("2023年工作回顾"), vec![2023]);
        assert_eq!(years_in("（2021—2025年）"), vec![2021, 2025]);
        assert_eq!(years_in("二〇三五年远景目标"), vec![2035]);
        // Numbers that are no years: amounts, codes, names.
        assert!(years_in("新增产值2000亿元、12345热线、A2023型").is_empty());
    }

    #[test]
    fn five_year_plans() {
        assert_eq!(
            five_year_plan_start("国民经济和社会发展第十四个五年规划"),
            Some(2021)
        );
        assert_eq!(five_year_plan_start("“十四五”时期"), Some(2021));
        assert_eq!(five_year_plan_start("“十三五”以来"), Some(2016));
        assert_eq!(five_year_plan_start("第十一届运动会"), None);
    }

    #[test]
    fn regions_of_titles() {
        assert_eq!(
            region(
                lex(),
                Some("天津市西青区人民政府关于印发西青区2023年规划执行情况的通知"),
                "",
                ""
            ),
            (Some("西青区".into()), Some("天津市".into()))
        );
        assert_eq!(
            region(
                lex(),
                Some("关于天津市2022年国民经济和社会发展计划执行情况的报告"),
                "",
                ""
            ),
            (Some("天津市".into()), None)
        );
        assert_eq!(
            region(
                lex(),
                Some("广西壮族自治区国民经济和社会发展第十四个五年规划纲要"),
                "",
                ""
            ),
            (Some("广西壮族自治区".into()), None)
        );
        assert_eq!(
            region(
                lex(),
                Some("苏州市人民政府关于下达2024年计划的通知"),
                "",
                ""
            ),
            (Some("苏州市".into()), None)
        );
        // No title: the province named most often.
        assert_eq!(
            region(lex(), None, "", "天津工作……天津担当……天津发展……全市"),
            (Some("天津市".into()), None)
        );
    }

    #[test]
    fn region_of_a_speech_from_its_congress_line() {
        let opening =
            "政府工作报告\n——2024年1月10日在青山县第十八届人民代表大会第四次会议上\n县长　王强";
        assert_eq!(
            region(lex(), Some("政府工作报告"), opening, ""),
            (Some("青山县".into()), None)
        );
        // A province that is not in the list of today's provinces: `X省` in a title.
        assert_eq!(
            region(
                lex(),
                Some("关于东川省2023年国民经济和社会发展计划执行情况的报告"),
                "",
                ""
            ),
            (Some("东川省".into()), None)
        );
        // The national congress is the nation's; the session's number names no region.
        assert_eq!(
            congress_region(
                lex(),
                "——2023年3月5日在第十四届全国人民代表大会第一次会议上"
            ),
            Some(NATION.into())
        );
        assert_eq!(
            congress_region(lex(), "在第七届人民代表大会第一次会议上"),
            None
        );
    }

    #[test]
    fn year_of_a_work_report_from_its_speech_date() {
        let opening = "政府工作报告\n——2024年1月20日在临江市第十七届人民代表大会第三次会议上";
        assert_eq!(
            years(DocumentKind::WorkReport, Some("政府工作报告"), opening, &[]),
            (Some(2024), None)
        );
        // Trap: the congress's number is no year.
        assert_eq!(
            speech_year("在临江市第十七届人民代表大会第三次会议上"),
            None
        );
    }

    #[test]
    fn page_chrome_is_no_title() {
        for line in [
            "当前位置：首页 > 政务公开 > 政府工作报告",
            "【字体：大 中 小】　　打印本页　　关闭窗口",
            "发布时间：2024-02-05 10:23　　来源：青山县人民政府办公室　　浏览次数：1253",
        ] {
            assert!(is_page_chrome(lex(), line), "{line}");
        }
        // Trap: a report's own sentences that mention a source or a time are not chrome.
        assert!(!is_page_chrome(lex(), "政府工作报告"));
        assert!(!is_page_chrome(lex(), "发布时间表和路线图，确保按期完成。"));
    }

    #[test]
    fn common_words_are_not_regions() {
        assert!(regions_in(lex(), "全市城市更新和超市市场建设").is_empty());
        assert!(regions_in(lex(), "全省节省能源").is_empty());
        assert!(regions_in(lex(), "加快建设制造强省和农业大省").is_empty());
        assert!(regions_in(lex(), "建成区绿化覆盖率和核心区、商务区建设").is_empty());
        assert!(regions_in(lex(), "创建产粮大县").is_empty());
    }

    #[test]
    fn kinds() {
        assert_eq!(
            kind(
                lex(),
                Some("天津市国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要"),
                "",
                false
            ),
            DocumentKind::FiveYearPlan
        );
        assert_eq!(
            kind(
                lex(),
                Some(
                    "关于天津市2022年国民经济和社会发展计划执行情况与2023年国民经济和社会发展计划草案的报告"
                ),
                "",
                false
            ),
            DocumentKind::AnnualPlanReport
        );
        assert_eq!(
            kind(
                lex(),
                None,
                "各位代表：\n现在，我代表市人民政府向大会报告工作",
                false
            ),
            DocumentKind::WorkReport
        );
        assert_eq!(
            kind(lex(), Some("关于做好重点工作的通知"), "", true),
            DocumentKind::TaskTable
        );
        assert_eq!(
            kind(lex(), Some("关于表彰先进的决定"), "", false),
            DocumentKind::Other
        );
    }

    #[test]
    fn statistical_bulletins_from_their_titles() {
        // Titles as the bureaus print them, a footnote mark after the national one.
        for (first_line, want_region, year) in [
            (
                "天津市2023年国民经济和社会发展统计公报",
                Some("天津市"),
                2023,
            ),
            (
                "中华人民共和国2022年国民经济和社会发展统计公报[1]",
                Some(NATION),
                2022,
            ),
            (
                "玉环市2019年国民经济和社会发展统计公报",
                Some("玉环市"),
                2019,
            ),
            (
                "2023年莱西市国民经济和社会发展统计公报",
                Some("莱西市"),
                2023,
            ),
            ("2022年全国教育事业发展统计公报", Some(NATION), 2022),
        ] {
            let paras = [
                (0, first_line),
                (60, "天津市统计局　国家统计局天津调查总队"),
                (120, "2024年3月18日"),
            ];
            let (_, _, t) = title(&paras).unwrap();
            assert!(!t.contains('['), "{t}");
            let k = kind(lex(), Some(&t), "", false);
            assert_eq!(k, DocumentKind::StatisticalBulletin, "{t}");
            assert_eq!(
                region(lex(), Some(&t), "", "").0.as_deref(),
                want_region,
                "{t}"
            );
            // The year reported on, not the year of publication below the title.
            let opening = "天津市统计局\n2024年3月18日";
            assert_eq!(years(k, Some(&t), opening, &[]), (Some(year), None), "{t}");
        }
        // Neighbours: a commentary on a bulletin, a news item about one, another 公报.
        let commentary =
            "风高浪急彰显韧劲 踔厉奋发再创新绩——《2022年国民经济和社会发展统计公报》评读";
        assert_ne!(
            kind(
                lex(),
                title(&[(0, commentary)]).map(|t| t.2).as_deref(),
                commentary,
                false
            ),
            DocumentKind::StatisticalBulletin
        );
        let news = "国家统计局发布《中华人民共和国2022年国民经济和社会发展统计公报》";
        assert_ne!(
            kind(lex(), None, news, false),
            DocumentKind::StatisticalBulletin
        );
        assert_eq!(
            kind(lex(), Some("天津市第七次全国人口普查公报"), "", false),
            DocumentKind::Other
        );
    }

    #[test]
    fn reports_of_other_governments_without_hints() {
        // The title after a portal's menu; the region not `年四川省`.
        let paras = [
            (0, "下载 打印 全屏 收藏 【字号： 加大 还原 减小 】"),
            (1, "2026年四川省人民政府工作报告"),
            (
                2,
                "——二〇二六年一月二十七日在四川省第十四届人民代表大会第五次会议上",
            ),
        ];
        let shown: Vec<(usize, &str)> = paras
            .iter()
            .copied()
            .filter(|(_, p)| !is_page_chrome(lex(), p))
            .collect();
        let t = title(&shown).map(|(_, _, t)| t);
        assert_eq!(t.as_deref(), Some("2026年四川省人民政府工作报告"));
        assert_eq!(
            region(lex(), t.as_deref(), "", "").0.as_deref(),
            Some("四川省")
        );
        let opening = paras.map(|(_, p)| p).join("\n");
        assert_eq!(speech_year(&opening), Some(2026));
        // A spaced title, and one glued to a caption.
        assert_eq!(title_proper("政 府 工 作 报 告"), "政府工作报告");
        assert_eq!(
            title_proper("新华社记者 王晔摄政府工作报告"),
            "政府工作报告"
        );
        // Trap: a photography contest is no caption.
        assert_eq!(
            title_proper("2024年全市摄影大赛实施方案"),
            "2024年全市摄影大赛实施方案"
        );
        // The speaker's office names the region; a place named in passing does not.
        assert_eq!(
            speaker_region(lex(), "海拉尔区人民政府区长　杜联合").as_deref(),
            Some("海拉尔区")
        );
        assert_eq!(
            speaker_region(lex(), "国务院总理　李克强").as_deref(),
            Some(NATION)
        );
        assert_eq!(
            dominant_province(lex(), "香港、澳门……香港……澳门……香港……澳门……"),
            None
        );
        // Trap: the date a government took office is no speech date.
        assert_eq!(
            speech_year(
                "本届政府1998年3月就职，任期即将结束。我代表国务院，向第十届全国人民代表大会"
            ),
            None
        );
    }
}
