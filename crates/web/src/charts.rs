//! What every chart of the plan and history pages shares: a value axis that starts at a
//! meaningful base, and the chart's data as a table that reads without JavaScript.
//!
//! An auto-scaled axis (ECharts' `scale: true`) stretches whatever the data spans over the
//! whole height, so that 3.01 → 3.03 looks like a climb. Here an axis starts at zero for what
//! starts at zero (growth rates, running totals, yearly figures against a mean), and otherwise
//! spans at least a tenth of the values' size: a 1 % change never takes more than a tenth of the
//! chart's height.

use serde_json::{Value, json};

/// The least an axis spans, as a share of the largest value's size.
const MIN_SPAN: f64 = 0.1;

/// A chart's data as a table: the same numbers the chart draws, for a reader without JavaScript
/// (or without sight of the canvas).
#[derive(Debug, Clone, Default)]
pub struct ChartTable {
    pub caption: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// A round step for an axis spanning `span` in about five intervals.
fn nice_step(span: f64) -> f64 {
    let raw = (span / 5.0).max(1e-12);
    let e = 10f64.powf(raw.log10().floor());
    let f = raw / e;
    let m = if f <= 1.0 {
        1.0
    } else if f <= 2.0 {
        2.0
    } else if f <= 5.0 {
        5.0
    } else {
        10.0
    };
    m * e
}

fn clean(v: f64) -> f64 {
    (v * 1e9).round() / 1e9
}

/// The range of a value axis over `values`. `from_zero`: the quantity starts at zero (a rate of
/// growth, a running total), so the axis includes zero. Otherwise zero is included when the
/// values come within half their size of it, and the axis spans at least [`MIN_SPAN`] of the
/// largest value, centred on the data. Positive data never gets a negative axis.
pub fn value_axis(values: &[f64], from_zero: bool) -> (f64, f64) {
    let finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    if finite.is_empty() {
        return (0.0, 1.0);
    }
    let mut lo = finite.iter().copied().fold(f64::INFINITY, f64::min);
    let mut hi = finite.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let positive = lo >= 0.0;
    if from_zero || (positive && lo <= hi / 2.0) {
        lo = lo.min(0.0);
        hi = hi.max(0.0);
    }
    let size = lo.abs().max(hi.abs());
    let span = (hi - lo).max(MIN_SPAN * size).max(1e-9);
    if span > hi - lo {
        if lo == 0.0 && positive {
            hi = span;
        } else {
            let mid = (hi + lo) / 2.0;
            lo = mid - span / 2.0;
            hi = mid + span / 2.0;
        }
    }
    if positive && lo < 0.0 {
        hi -= lo;
        lo = 0.0;
    }
    // Headroom, so that a target at the top is a line inside the chart, not its frame.
    let pad = (hi - lo) * 0.05;
    hi += pad;
    if lo != 0.0 {
        lo -= pad;
    }
    let step = nice_step(hi - lo);
    let mut a = clean((lo / step).floor() * step);
    let mut b = clean((hi / step).ceil() * step);
    if a == b {
        a -= step;
        b += step;
    }
    if positive && a < 0.0 {
        a = 0.0;
    }
    (a, b)
}

/// The `yAxis` of a chart over `values`, named by the unit.
pub fn y_axis(values: &[f64], from_zero: bool, unit: &str) -> Value {
    let (min, max) = value_axis(values, from_zero);
    json!({"type": "value", "min": min, "max": max, "name": unit})
}

/// The values of the series (nulls skipped), for the axis.
pub fn values_of(series: &[&[Value]]) -> Vec<f64> {
    series
        .iter()
        .flat_map(|s| s.iter().filter_map(Value::as_f64))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 15: 3.01 → 3.03 drawn as a steep climb.
    #[test]
    fn a_one_percent_change_is_not_made_steep() {
        let (a, b) = value_axis(&[3.01, 3.03, 3.02], false);
        // The 0.02 takes at most a tenth of the axis.
        assert!(0.02 / (b - a) <= 0.1, "{a}..{b}");
        assert!(a <= 3.01 && b >= 3.03);
        // Life expectancy 81.89 → 82.38: no axis from 81.8 to 82.4.
        let (a, b) = value_axis(&[81.89, 82.38], false);
        assert!((82.38 - 81.89) / (b - a) <= 0.1, "{a}..{b}");
    }

    #[test]
    fn quantities_that_start_at_zero_start_at_zero() {
        assert_eq!(value_axis(&[4.3, 6.0], true).0, 0.0);
        // A growth rate that fell below zero keeps its negative part.
        let (a, b) = value_axis(&[-1.6, 5.0], true);
        assert!(a <= -1.6 && b >= 5.0);
        // Values within half their size of zero start at zero without being told.
        assert_eq!(value_axis(&[40.0, 100.0], false).0, 0.0);
        // The trap: values far from zero are not squashed against a zero base either.
        let (a, _) = value_axis(&[7420.0, 11600.0], false);
        assert!(a > 5000.0, "{a}");
        // Positive data never gets a negative axis, however narrow.
        assert!(value_axis(&[0.1, 0.1], false).0 >= 0.0);
    }

    #[test]
    fn steps_are_round() {
        assert_eq!(nice_step(0.3), 0.1);
        assert_eq!(nice_step(7.0), 2.0);
        assert_eq!(nice_step(4000.0), 1000.0);
        assert_eq!(value_axis(&[0.0, 6.0], true), (0.0, 8.0));
    }
}
