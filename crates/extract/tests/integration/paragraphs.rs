//! What a paragraph means depends on the paragraphs around it: a review of the five years
//! (`过去五年…` and the `——` items after it) against a review of the year (`过去一年…`).

use plantrack_model::{Aggregation, Extraction, QuantityRole};

fn figures(x: &Extraction, value: f64) -> Vec<(QuantityRole, Option<i32>, Option<Aggregation>)> {
    x.quantities
        .iter()
        .filter(|q| (q.value - value).abs() < 1e-9)
        .map(|q| (q.role, q.year, q.aggregation))
        .collect()
}

#[test]
fn the_items_after_a_five_year_paragraph_review_the_five_years() {
    let text = "政府工作报告\n\n——2023年3月5日在某省第十四届人民代表大会第一次会议上\n\n\
        一、过去一年和五年工作回顾\n\n\
        过去一年，全省地区生产总值增长3%，城镇新增就业120万人。\n\n\
        过去五年极不寻常、极不平凡。\n\n\
        ——经济发展再上新台阶。地区生产总值增加到12.1万亿元，五年年均增长5.2%。\
        常住人口城镇化率从60.2%提高到65.2%。\n\n\
        ——生态环境明显改善。单位地区生产总值能耗下降8.1%，发电装机容量增长40%以上。\n\n\
        一年来，我们主要做了以下工作。粮食产量增产7.4亿斤，能耗下降2.1%。\n\n\
        二、2023年工作安排\n\n\
        今年发展主要预期目标是：地区生产总值增长5%左右，单位地区生产总值能耗下降2%左右。\n";
    let x = crate::extract_bytes(text.as_bytes(), "five-years.txt");
    let actual = QuantityRole::Actual;
    let cumulative = Some(Aggregation::FiveYearCumulative);
    // The year's own review is no period's (trap).
    assert_eq!(figures(&x, 3.0), [(actual, Some(2022), None)]);
    // The items after the five-year paragraph: a level reached, an average, a start, changes.
    assert_eq!(figures(&x, 12.1), [(actual, Some(2022), None)]);
    assert_eq!(
        figures(&x, 5.2),
        [(actual, Some(2022), Some(Aggregation::FiveYearAverage))]
    );
    assert_eq!(figures(&x, 60.2), [(actual, Some(2017), None)]);
    assert_eq!(figures(&x, 65.2), [(actual, Some(2022), None)]);
    assert_eq!(figures(&x, 8.1), [(actual, Some(2022), cumulative)]);
    assert_eq!(figures(&x, 40.0), [(actual, Some(2022), cumulative)]);
    // A paragraph that is no `——` item ends the run (trap): 增产 measures 粮食产量.
    assert_eq!(figures(&x, 2.1), [(actual, Some(2022), None)]);
    let grain: Vec<_> = x.quantities.iter().filter(|q| q.value == 7.4).collect();
    assert_eq!(grain.len(), 1);
    assert_eq!(grain[0].metric, "粮食产量");
    assert_eq!(grain[0].aggregation, None);
    // The plan's targets are untouched.
    assert_eq!(figures(&x, 2.0), [(QuantityRole::Target, Some(2023), None)]);
}
