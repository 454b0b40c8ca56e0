//! Milestones: dated events with a subject.
//!
//! An event word of the lexicon's `event` rows (longest first) makes a milestone. Its subject is, for events that
//! happen *to* something, the words before it in the clause (`津兴城际建成通车`,
//! `国家会展中心（天津）二期项目6月底竣工`); for events someone *does*, the words after it
//! (`办好第二届全国职业技能大赛`, `成功举办首届天津国际航运产业博览会`). The due date is a time
//! phrase of the clause (`6月底`, `9月底前`, `年底前`, `年内`, `上半年`). In a review part the
//! event is a result: done (`正式通车`, `竣工投产`, `建成运营`) or under way (`加快建设`,
//! `开工建设`: started, not finished).
//!
//! Not milestones: an event word whose clause counts what it produces (`建成冷链物流中心1个`,
//! `亿元以上项目开工30个`: a quantity), an event someone does to something that is no event
//! (`办好民生实事`), and a list heading's number (`（二）加快建设…`).

use plantrack_model::{Milestone, MilestoneStatus, QuantityRole, Span};

use super::{Place, number, scan::is_clause_sep};
use crate::lexicon::{EVENT_FLAG, Event, Kind, Lexicon, Object, Progress};

/// What `贯通` happens to: a work that runs from end to end (`隧道`, `…线`, `…大道`), not
/// `人才职业发展贯通`.
fn runs_through(subject: &str) -> bool {
    [
        "隧道", "隧洞", "线", "路", "桥", "工程", "通道", "段", "管廊", "管网", "渠", "大道",
        "高速",
    ]
    .iter()
    .any(|w| subject.ends_with(w))
}

/// Whether `c` is the first character of an event word.
fn is_event_start(lex: &Lexicon, c: char) -> bool {
    // One lookup in the character table the sentence scan uses, not a walk of the list.
    lex.char_flags()
        .get(c as usize)
        .is_some_and(|f| f & EVENT_FLAG != 0)
}

/// Whether the words before an event word end in an adverb (`…二期工程全面开工`).
fn ends_with_adverb(lex: &Lexicon, s: &str) -> bool {
    lex.list(Kind::SubjectTrailing)
        .suffix_of(s.trim_end())
        .is_some()
}

/// Time phrases: `6月底前`, `9月底`, `年底前`, `年内`, `上半年`.
fn due_in(clause: &str) -> Option<String> {
    for fixed in ["年底前", "年内", "上半年", "下半年", "年底"] {
        if clause.contains(fixed) {
            return Some(fixed.to_string());
        }
    }
    let b = clause.as_bytes();
    // A date runs on over `前` (`6月底前`).
    let with_before = |end: usize| {
        if clause[end..].starts_with('前') {
            end + '前'.len_utf8()
        } else {
            end
        }
    };
    for (i, _) in clause.match_indices("月底") {
        let mut s = i;
        while s > 0 && b[s - 1].is_ascii_digit() {
            s -= 1;
        }
        if s < i {
            return Some(clause[s..with_before(i + "月底".len())].to_string());
        }
    }
    // `5月18日`, `9月15日前`.
    for (i, _) in clause.match_indices('月') {
        let month = b[..i]
            .iter()
            .rev()
            .take_while(|c| c.is_ascii_digit())
            .count();
        let after = i + '月'.len_utf8();
        let day = b[after..].iter().take_while(|c| c.is_ascii_digit()).count();
        if (1..=2).contains(&month)
            && (1..=2).contains(&day)
            && clause[after + day..].starts_with('日')
        {
            let end = with_before(after + day + '日'.len_utf8());
            return Some(clause[i - month..end].to_string());
        }
    }
    None
}

/// A list item's number before a clause: `（二）`, `(3)`, `一是`, `2.`, `第三，`; a heading's
/// marks and number: `## 第一章 `.
fn strip_list_marker(s: &str) -> &str {
    let s = s.trim_start_matches(['#', ' ', '　']);
    if let Some(r) = s.strip_prefix('第') {
        let n = r.len()
            - r.trim_start_matches(|c: char| "一二三四五六七八九十百".contains(c))
                .len();
        if n > 0 && r[n..].starts_with(['章', '节', '篇', '部']) {
            return r[n + '章'.len_utf8()..].trim_start();
        }
    }
    let numeral = |c: char| c.is_ascii_digit() || "一二三四五六七八九十".contains(c);
    for (open, close) in [('（', '）'), ('(', ')')] {
        if let Some(r) = s.strip_prefix(open)
            && let Some(p) = r.find(close)
            && p > 0
            && r[..p].chars().all(numeral)
        {
            return &r[p + close.len_utf8()..];
        }
    }
    let digits = s.len() - s.trim_start_matches(numeral).len();
    if digits > 0 {
        let r = &s[digits..];
        for mark in ["是", ".", "、", "．"] {
            if let Some(r) = r.strip_prefix(mark) {
                return r;
            }
        }
    }
    s
}

/// What ends the name of something held: `…大会`, `…论坛`, `…马拉松赛`, `…灯展`, `…消费季`,
/// `…系列活动`. `办好民生实事` holds no event.
fn names_an_event(subject: &str) -> bool {
    let s = subject.trim_end_matches(['等', '”', '’', '》']);
    let s = match s.strip_suffix('）') {
        Some(r) => r.rfind('（').map_or(r, |p| &r[..p]),
        None => s,
    };
    // A list of names: each one is an event's when the last is.
    let last = s.rsplit('、').next().unwrap_or(s);
    [
        "活动",
        "仪式",
        "庆典",
        "赛事",
        "讲堂",
        "展演",
        "演出",
        "展览",
        "沙龙",
        "路演",
        "训练营",
        "夏令营",
        "冬令营",
    ]
    .iter()
    .any(|w| last.ends_with(w))
        || last.ends_with(['会', '赛', '节', '展', '坛', '季', '周', '杯', '典'])
}

fn clean_subject<'s>(lex: &Lexicon, s: &'s str) -> &'s str {
    let mut s = s.trim();
    loop {
        let before = s;
        s = strip_list_marker(s);
        // `于5月18日`: a date's preposition (`于家堡` is a name).
        if let Some(r) = s.strip_prefix('于')
            && r.starts_with(|c: char| c.is_ascii_digit())
        {
            s = r;
        }
        if let Some(w) = lex.list(Kind::SubjectTrailing).suffix_of(s) {
            s = &s[..s.len() - w.len()];
        }
        if let Some(w) = lex.list(Kind::SubjectLeading).prefix_of(s) {
            s = &s[w.len()..];
        }
        // A due date inside the subject: `国家会展中心（天津）二期项目6月底竣工`.
        if let Some(d) = due_in(s)
            && let Some(p) = s.rfind(&d)
            && (p + d.len() == s.len() || p == 0)
        {
            s = if p == 0 { &s[d.len()..] } else { &s[..p] };
        }
        if s == before {
            return s.trim();
        }
    }
}

/// Where the words after an event word end. An object after the word runs over a list of names
/// (`举办A、B、C等展会`) but stops at a `、` that begins another event (`举办A、建成B`); otherwise
/// the clause ends at its separator.
fn object_end(lex: &Lexicon, sentence: &str, after: usize, object: Object) -> usize {
    let clause_end = sentence[after..]
        .find(|c: char| is_clause_sep(c) || c == '。')
        .map_or(sentence.len(), |p| after + p);
    let first_comma = sentence[after..clause_end]
        .find('、')
        .map_or(clause_end, |p| after + p);
    if !matches!(object, Object::After) {
        return first_comma;
    }
    let mut end = after;
    for item in sentence[after..clause_end].split_inclusive('、') {
        let next = end + item.len();
        let body = item.trim_end_matches('、');
        let starts_event = body.char_indices().take(3).any(|(k, c)| {
            is_event_start(lex, c)
                && lex
                    .events_starting_with(c)
                    .any(|e| body[k..].starts_with(e.word.as_str()))
        });
        if end > after && starts_event {
            // `end` is just past the `、` before this item.
            return end - '、'.len_utf8();
        }
        end = next;
    }
    clause_end
}

/// Whether the event word at `i` is no event: part of a noun (`建成区`) or a word that is an
/// event only at a clause's end in the middle of one (`贯通融合`).
fn no_event_here(lex: &Lexicon, sentence: &str, i: usize, word: &str) -> bool {
    let rest = &sentence[i..];
    let after = i + word.len();
    lex.list(Kind::ActionNoun)
        .prefix_of(rest)
        .is_some_and(|n| n.starts_with(word))
        || (lex.list(Kind::ClauseFinalEvent).contains(word)
            && !sentence[after..].starts_with(|c: char| is_clause_sep(c) || c == '。' || c == '、')
            && after < sentence.trim_end().len())
}

/// Where the words after an event word that may name its object begin and end.
/// `基本建成全面覆盖、规则完备、运行高效的公平竞争审查制度体系`: a list of qualities before `的`
/// describes the object, which is the noun after the last `的`.
fn object_after(lex: &Lexicon, sentence: &str, after: usize, object: Object) -> (usize, usize) {
    let full_end = sentence[after..]
        .find(|c: char| is_clause_sep(c) || c == '。')
        .map_or(sentence.len(), |p| after + p);
    let head = sentence[after..full_end].find('、').and_then(|c| {
        sentence[after + c..full_end]
            .rfind('的')
            .map(|d| after + c + d)
    });
    match head {
        Some(d) => (d + '的'.len_utf8(), full_end),
        None => (after, object_end(lex, sentence, after, object)),
    }
}

/// Reads the milestones of one sentence. `events` are the byte offsets of the characters that
/// may start an event word (as the scan flags them: [`is_event_start`]), in order; `tokens` are
/// its numbers and `named[k]` whether number `k` is part of a project's name.
#[allow(clippy::too_many_arguments)]
pub(crate) fn sentence_milestones(
    lex: &Lexicon,
    sentence: &str,
    events: &[u32],
    tokens: &[number::Token],
    named: &[bool],
    place: &Place,
    span_of: &dyn Fn(usize, usize) -> Span,
    out: &mut Vec<Milestone>,
) {
    let sentence_span = span_of(0, sentence.len());
    // The quantities of the sentence: an event word in a clause with one is the action of a
    // counted figure (`建成冷链物流中心1个`), not a milestone. Names with numbers inside
    // (`120万吨乙烯项目`) are no quantities.
    let counted: Vec<usize> = tokens
        .iter()
        .zip(named)
        .filter(|(_, named)| !**named)
        .map(|(t, _)| t.start)
        .collect();
    let mut taken_until = 0;
    let mut last_subject: Option<&str> = None;
    // Quotation marks opened and not closed before `i`: an event word inside them is part of
    // a name (`“拿地即开工”审批服务模式`). Counted in what lies between the event words read,
    // when the sentence has any.
    let mut open_quotes = 0isize;
    // (One search for each mark: a search for either decodes every character.)
    let quoted = sentence.contains('“') || sentence.contains('”');
    // The bytes before `next` are read or taken by an event word.
    let mut next = 0;
    // Only where the scan saw a character that may start an event word (most do not).
    for &at in events {
        let i = at as usize;
        if i < next || i >= sentence.len() || !sentence.is_char_boundary(i) {
            continue;
        }
        if quoted {
            let between = &sentence[next..i];
            open_quotes += between.matches('“').count() as isize;
            open_quotes -= between.matches('”').count() as isize;
        }
        let rest = &sentence[i..];
        let c = rest.chars().next().unwrap_or(' ');
        let found = lex
            .events_starting_with(c)
            .find(|e| rest.starts_with(e.word.as_str()));
        let Some(Event {
            word,
            object,
            progress,
        }) = found
        else {
            next = i + c.len_utf8();
            continue;
        };
        let (word, object, progress) = (word.as_str(), *object, *progress);
        let after = i + word.len();
        if open_quotes > 0 || no_event_here(lex, sentence, i, word) {
            next = after;
            continue;
        }
        let clause_start = sentence[..i]
            .rfind(|c: char| is_clause_sep(c) || c == '。')
            .map_or(0, |p| {
                p + sentence[p..].chars().next().map_or(1, char::len_utf8)
            })
            .max(taken_until)
            .min(i);
        let (object_start, clause_end) = object_after(lex, sentence, after, object);
        let before = clean_subject(lex, &sentence[clause_start..i]);
        let following = clean_subject(lex, &sentence[object_start..clause_end]);
        let (subject, start, end) = match object {
            Object::Before => (before, clause_start, after),
            Object::After => (following, i, clause_end),
            // `天津将基本建成…大都市`: an adverb before the word and an object after it make
            // the clause verb and object, and what is built is the object; a noun right before
            // the word is its subject (`杨柳青水厂改扩建工程建成通水`).
            Object::Either
                if !following.is_empty()
                    && (before.is_empty() || ends_with_adverb(lex, &sentence[clause_start..i])) =>
            {
                (following, i, clause_end)
            }
            Object::Either => (before, clause_start, after),
        };
        // `开工建设江北机场三期，力争年底主体完工`: a later completion in the same sentence with
        // no subject of its own happens to the one before (`加快建设` with none is a call to
        // build something named after it, `加快建设韧性城市`, which is no event).
        let subject = match last_subject {
            Some(last)
                if subject.is_empty() && object == Object::Before && progress == Progress::Done =>
            {
                last
            }
            _ => subject,
        };
        // A subject is a name, not a clause: short, and no verb of the event list inside.
        let mut subject = subject.trim_end_matches(['等']).trim();
        // A closing quote whose opening one was taken off with the leading words.
        if subject.ends_with('”') && subject.matches('“').count() < subject.matches('”').count()
        {
            subject = subject.trim_end_matches('”');
        }
        // A list of names (`举办夏季达沃斯论坛、第七届世界智能大会…等展会赛事`) may run longer.
        let limit = if subject.contains('、') { 160 } else { 40 };
        let mut counts = counted
            .iter()
            .any(|&p| p >= clause_start && p < clause_end.max(after));
        // `举办A、B、C等群众文化体育活动3000余场`: the events named before `等` are held; the
        // count is of the whole kind.
        if counts
            && object != Object::Before
            && let Some(p) = subject.find('等')
            && let Some(at) = sentence[clause_start..].find(subject)
        {
            let cut = clause_start + at + p;
            if p > 0 && counted.iter().all(|&q| q < clause_start || q > cut) {
                subject = &subject[..p];
                counts = false;
            }
        }
        let held = match object {
            Object::After => names_an_event(subject),
            _ if word == "贯通" => runs_through(subject),
            _ => true,
        };
        if subject.chars().count() >= 2
            && subject.chars().count() <= limit
            && !subject.contains('，')
            && !counts
            && held
        {
            let due = due_in(&sentence[clause_start..clause_end]);
            let status = (place.role == QuantityRole::Actual).then_some(match progress {
                Progress::Done => MilestoneStatus::Done,
                Progress::Underway => MilestoneStatus::InProgress,
            });
            last_subject = Some(subject);
            out.push(Milestone {
                role: place.role,
                year: place.year,
                region: place.region.clone(),
                subject: subject.to_string(),
                event: word.to_string(),
                status,
                due,
                text: sentence.trim().to_string(),
                span: span_of(start, end),
                sentence: sentence_span,
            });
        }
        taken_until = clause_end.max(after);
        next = after;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_characters_cover_every_event_word() {
        let lex = Lexicon::built_in();
        for e in lex.events() {
            assert!(
                is_event_start(lex, e.word.chars().next().unwrap()),
                "{}",
                e.word
            );
        }
    }
}
