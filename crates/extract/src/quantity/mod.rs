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

mod metric;
mod milestone;
pub(crate) mod number;
mod place;
mod scan;
mod sentence;

pub(crate) use place::{Context, Place};
pub(crate) use scan::scan;
pub(crate) use sentence::{read_paragraph, read_sentence, reviews_five_years};

#[cfg(test)]
mod tests;
