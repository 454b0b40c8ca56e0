//! One test per phrase of the grammar, each with the sentence it is for.

use plantrack_model::{
    Aggregation, Direction, DocumentKind, Measure, Milestone, MilestoneStatus, Qualifier, Quantity,
    QuantityRole, Span,
};

use super::metric::is_project_name;
use super::sentence::sentence_quantities;
use super::{Context, Place, milestone, number};
use crate::lexicon::Lexicon;

fn ctx() -> Context<'static> {
    Context::new(
        Lexicon::built_in(),
        DocumentKind::WorkReport,
        Some(2024),
        None,
        Some("天津市"),
        &[],
    )
}

fn place(role: QuantityRole, year: i32) -> Place {
    Place {
        role,
        year: Some(year),
        region: Some("天津市".into()),
        five_years: false,
    }
}

fn read_as(sentence: &str, role: QuantityRole, year: i32) -> Vec<Quantity> {
    let mut out = Vec::new();
    let span_of = |a: usize, b: usize| Span::new(a, b);
    let tokens = number::tokens(Lexicon::built_in(), sentence);
    let named: Vec<bool> = tokens
        .iter()
        .map(|t| is_project_name(Lexicon::built_in(), sentence, t))
        .collect();
    sentence_quantities(
        sentence,
        &tokens,
        &named,
        &place(role, year),
        &ctx(),
        &span_of,
        &mut out,
    );
    out
}

fn results(sentence: &str) -> Vec<Quantity> {
    read_as(sentence, QuantityRole::Actual, 2023)
}

fn targets(sentence: &str) -> Vec<Quantity> {
    read_as(sentence, QuantityRole::Target, 2024)
}

fn brief(q: &[Quantity]) -> Vec<(&str, f64, &str)> {
    q.iter()
        .map(|q| (q.metric.as_str(), q.value, q.unit.as_deref().unwrap_or("")))
        .collect()
}

#[test]
fn growth_rates_and_levels() {
    let q = results("全市地区生产总值增长4.3%。");
    assert_eq!(brief(&q), [("地区生产总值", 4.3, "%")]);
    assert_eq!(q[0].measure, Measure::GrowthRate);
    assert_eq!(q[0].direction, Some(Direction::Increase));
    assert_eq!((q[0].role, q[0].year), (QuantityRole::Actual, Some(2023)));
    let q = results("就业物价保持平稳，城镇调查失业率5.4%，居民消费价格涨幅0.4%。");
    assert_eq!(
        brief(&q),
        [("城镇调查失业率", 5.4, "%"), ("居民消费价格", 0.4, "%")]
    );
    assert_eq!(q[0].measure, Measure::Level);
    assert_eq!(q[1].measure, Measure::GrowthRate);
}

#[test]
fn a_subject_carries_to_the_next_number() {
    let q = results("港口物流平稳畅通，集装箱吞吐量达到2218万标准箱、增长5.5%。");
    assert_eq!(
        brief(&q),
        [
            ("集装箱吞吐量", 2218.0, "万标准箱"),
            ("集装箱吞吐量", 5.5, "%")
        ]
    );
    assert_eq!(q[0].normalized, 22_180_000.0);
    assert_eq!(q[0].base_unit.as_deref(), Some("标准箱"));
    assert_eq!(q[1].measure, Measure::GrowthRate);
}

#[test]
fn lists_of_objects_give_one_quantity_each() {
    let q = targets("改造燃气管网623公里、供热管网150公里、供水管网30公里。");
    assert_eq!(
        brief(&q),
        [
            ("燃气管网", 623.0, "公里"),
            ("供热管网", 150.0, "公里"),
            ("供水管网", 30.0, "公里")
        ]
    );
    assert_eq!(q[0].action.as_deref(), Some("改造"));
}

#[test]
fn respectively_distributes_values() {
    let q = results(
        "全社会用电量、公路货物周转量、邮电业务总量、快递业务量分别增长6%、14.1%、16%、19.3%。",
    );
    assert_eq!(
        brief(&q),
        [
            ("全社会用电量", 6.0, "%"),
            ("公路货物周转量", 14.1, "%"),
            ("邮电业务总量", 16.0, "%"),
            ("快递业务量", 19.3, "%")
        ]
    );
    assert!(q.iter().all(|q| q.measure == Measure::GrowthRate));
    let q = targets("基本养老保险、失业保险、工伤保险参保人数达到992万人、398万人、412万人。");
    assert_eq!(
        brief(&q),
        [
            ("基本养老保险", 992.0, "万人"),
            ("失业保险", 398.0, "万人"),
            ("工伤保险参保人数", 412.0, "万人")
        ]
    );
    let q = targets("粮食、蔬菜分别稳定播种550万亩和75万亩以上。");
    assert_eq!(brief(&q), [("粮食", 550.0, "万亩"), ("蔬菜", 75.0, "万亩")]);
    assert_eq!(q[1].qualifier, Some(Qualifier::AtLeast));
}

#[test]
fn each_gives_one_value_to_every_subject() {
    let q = results("国家高新技术企业、国家科技型中小企业均突破1.1万家。");
    assert_eq!(
        brief(&q),
        [
            ("国家高新技术企业", 1.1, "万家"),
            ("国家科技型中小企业", 1.1, "万家")
        ]
    );
    assert!(
        q.iter()
            .all(|q| q.qualifier == Some(Qualifier::MoreThan) && q.normalized == 11000.0)
    );
}

#[test]
fn qualifiers_and_ranges() {
    let q = targets("全市地区生产总值增长4.5%左右。");
    assert_eq!(q[0].qualifier, Some(Qualifier::About));
    let q = targets("居民消费价格涨幅控制在3%左右。");
    assert_eq!(q[0].qualifier, Some(Qualifier::About));
    let q = targets("城镇调查失业率控制在5.5%以内。");
    assert_eq!(q[0].qualifier, Some(Qualifier::AtMost));
    let q = targets("年内新增承接项目投资额超过1600亿元。");
    assert_eq!(
        (q[0].qualifier, q[0].measure),
        (Some(Qualifier::MoreThan), Measure::Increment)
    );
    let q = targets("地区生产总值增长6.5%－7%。");
    assert_eq!(
        (q[0].value, q[0].upper, q[0].qualifier),
        (6.5, Some(7.0), Some(Qualifier::Range))
    );
    let q = targets("粮食产量不低于223万吨。");
    assert_eq!(q[0].qualifier, Some(Qualifier::AtLeast));
    let q = results("注册科技型企业1200余家。");
    assert_eq!(q[0].qualifier, Some(Qualifier::MoreThan));
}

#[test]
fn points_shares_increments_and_totals() {
    let q = results("民营经济贡献加大，增加值增幅比上年提高4.5个百分点。");
    assert_eq!(q[0].measure, Measure::PointChange);
    assert_eq!(q[0].direction, Some(Direction::Increase));
    let q = results("其中税收收入增长17.2%，占比达到77.9%。");
    assert_eq!(
        brief(&q),
        [("税收收入", 17.2, "%"), ("税收收入占比", 77.9, "%")]
    );
    assert_eq!(q[1].measure, Measure::Share);
    let q = results("城镇新增就业35.69万人。");
    assert_eq!(brief(&q), [("城镇新增就业", 35.69, "万人")]);
    assert_eq!(q[0].measure, Measure::Increment);
    let q = results("“海河英才”行动计划累计引进各类人才47.9万人。");
    assert_eq!(q[0].measure, Measure::Cumulative);
}

#[test]
fn a_count_before_its_noun_counts_that_noun() {
    let q = targets("精心组织实施20项民心工程。");
    assert_eq!(brief(&q), [("民心工程", 20.0, "项")]);
    let q = results("中海油新能源等40家央企二三级公司在津布局。");
    assert_eq!(brief(&q), [("央企二三级公司", 40.0, "家")]);
    let q = targets("新建100家智能工厂和数字化车间、10个5G全连接工厂。");
    assert_eq!(
        brief(&q),
        [("智能工厂", 100.0, "家"), ("5G全连接工厂", 10.0, "个")]
    );
    // Followed by punctuation, a count counts the noun before it.
    let q = results("新增博士后站55个，注册科技型企业1200余家。");
    assert_eq!(
        brief(&q),
        [("博士后站", 55.0, "个"), ("注册科技型企业", 1200.0, "家")]
    );
    let q = targets("高质量完成50万亩以上高标准农田建设任务。");
    assert_eq!(brief(&q), [("高标准农田建设任务", 50.0, "万亩")]);
}

#[test]
fn capacities_that_are_quantities() {
    // The same shape as a project name, but built by the sentence: a quantity.
    let q = targets("建设120万吨乙烯项目。");
    assert_eq!(q.len(), 1);
    assert_eq!((q[0].value, q[0].unit.as_deref()), (120.0, Some("万吨")));
    let q = targets("新增地热供热能力900万平方米。");
    assert_eq!(brief(&q), [("地热供热能力", 900.0, "万平方米")]);
}

#[test]
fn estimated_results_and_past_years_in_plan_parts() {
    let q = read_as(
        "全年预计实现地区生产总值同比增长3%左右。",
        QuantityRole::Actual,
        2023,
    );
    assert!(q[0].estimated);
    assert_eq!((q[0].role, q[0].year), (QuantityRole::Actual, Some(2023)));
    // In a plan part, `预计` and a past year make results.
    let q = targets("预计全年地区生产总值增长4.5%左右。");
    assert_eq!(
        (q[0].role, q[0].year, q[0].estimated),
        (QuantityRole::Actual, Some(2023), true)
    );
    let q = targets("2023年全市一般公共预算收入增长9.8%。");
    assert_eq!((q[0].role, q[0].year), (QuantityRole::Actual, Some(2023)));
}

#[test]
fn target_years_in_the_sentence() {
    let q = targets("到2027年，数字经济核心产业增加值占比达到12%。");
    assert_eq!((q[0].role, q[0].year), (QuantityRole::Target, Some(2027)));
}

#[test]
fn a_clause_headed_by_a_region_belongs_to_it() {
    let q = targets("西青区：经济预期增长5.0%。");
    assert_eq!(q[0].region.as_deref(), Some("西青区"));
    assert_eq!(brief(&q), [("经济", 5.0, "%")]);
    // A new area that is a district, with the item number before it.
    let q = targets("1.滨海新区：经济预期增长5.0%。");
    assert_eq!(q[0].region.as_deref(), Some("滨海新区"));
    // Trap: a kind of area is not a region.
    let q = targets("产业新区：投资增长5.0%。");
    assert_ne!(q[0].region.as_deref(), Some("产业新区"));
}

#[test]
fn names_with_numbers_give_nothing() {
    for s in [
        "深入学习贯彻党的二十大精神，落实“十四五”规划。",
        "办好第七届世界智能大会。",
        "加快地铁11号线建设，建成5G基站。",
        "PM2.5平均浓度持续下降，引进A321飞机总装线。",
        "畅通12345热线，迎接新中国成立75周年。",
        "打造三大商圈，建设一基地三区，构建“1+3+4”现代工业产业体系。",
        "推动中石化南港120万吨乙烯等项目竣工。",
        "推动中石化南港120万吨乙烯投产。",
        "营商环境不断改善，稳经济运行33条等惠企政策落地见效。",
        "中芯国际大二期、中石化南港120万吨乙烯、华为天津区域总部等项目加快建设。",
    ] {
        let q = targets(s);
        assert!(q.is_empty(), "{s}: {:?}", brief(&q));
    }
}

fn milestones(sentence: &str, role: QuantityRole) -> Vec<Milestone> {
    let mut out = Vec::new();
    let span_of = |a: usize, b: usize| Span::new(a, b);
    let tokens = number::tokens(Lexicon::built_in(), sentence);
    let named: Vec<bool> = tokens
        .iter()
        .map(|t| is_project_name(Lexicon::built_in(), sentence, t))
        .collect();
    milestone::sentence_milestones(
        Lexicon::built_in(),
        sentence,
        &tokens,
        &named,
        &place(role, 2023),
        &span_of,
        &mut out,
    );
    out
}

fn events(m: &[Milestone]) -> Vec<(&str, &str, Option<&str>)> {
    m.iter()
        .map(|m| (m.subject.as_str(), m.event.as_str(), m.due.as_deref()))
        .collect()
}

#[test]
fn milestone_targets_with_due_dates() {
    let m = milestones(
        "加快京滨城际（南段）、津潍高铁建设，津兴城际建成通车。",
        QuantityRole::Target,
    );
    assert_eq!(events(&m), [("津兴城际", "建成通车", None)]);
    let m = milestones(
        "国家会展中心（天津）二期项目6月底竣工；中国旅游产业博览会9月底前完成。",
        QuantityRole::Target,
    );
    assert_eq!(
        events(&m)[0],
        ("国家会展中心（天津）二期项目", "竣工", Some("6月底"))
    );
    let m = milestones("办好第二届全国职业技能大赛。", QuantityRole::Target);
    assert_eq!(events(&m), [("第二届全国职业技能大赛", "办好", None)]);
}

#[test]
fn milestone_results_done_or_under_way() {
    let m = milestones(
        "重点领域协同扎实推进，津兴城际正式通车，京津塘高速改扩建工程开工建设。",
        QuantityRole::Actual,
    );
    assert_eq!(
        events(&m),
        [
            ("津兴城际", "正式通车", None),
            ("京津塘高速改扩建工程", "开工建设", None)
        ]
    );
    assert_eq!(m[0].status, Some(MilestoneStatus::Done));
    assert_eq!(m[1].status, Some(MilestoneStatus::InProgress));
    let m = milestones(
        "中芯国际大二期、中石化南港120万吨乙烯等项目加快建设。",
        QuantityRole::Actual,
    );
    assert_eq!(m[0].status, Some(MilestoneStatus::InProgress));
    assert_eq!(m[0].subject, "中芯国际大二期、中石化南港120万吨乙烯等项目");
}

#[test]
fn counted_nouns_end_at_their_verb_and_lists_continue_after_them() {
    let q = targets(
        "将2000余套闲置经济适用房转为共有产权住房，向7万个中低收入住房困难家庭发放租房补贴4亿元。",
    );
    assert_eq!(brief(&q)[1], ("中低收入住房困难家庭", 7.0, "万个"));
    let q = targets(
        "新建20公里健身步道、100处户外微场地、50处乡村健身广场、15公里“海河蓝丝带”健身步道。",
    );
    assert_eq!(
        brief(&q),
        [
            ("健身步道", 20.0, "公里"),
            ("户外微场地", 100.0, "处"),
            ("乡村健身广场", 50.0, "处"),
            ("海河蓝丝带健身步道", 15.0, "公里")
        ]
    );
}

#[test]
fn objects_after_prepositions_and_durations() {
    let q = results("对8624万平方米老旧小区及远年住房进行改造。");
    assert_eq!(brief(&q), [("老旧小区及远年住房", 8624.0, "万平方米")]);
    let q = results("企业开办时间压缩至1个工作日内。");
    assert_eq!(brief(&q), [("企业开办时间", 1.0, "个工作日")]);
}

#[test]
fn a_change_from_a_dated_start() {
    let q = results("税收收入占一般公共收入的比重从2015年的59.2%提高到78%。");
    assert_eq!(
        brief(&q),
        [
            ("税收收入占一般公共收入的比重", 59.2, "%"),
            ("税收收入占一般公共收入的比重", 78.0, "%")
        ]
    );
    assert_eq!((q[0].year, q[1].year), (Some(2015), Some(2023)));
}

#[test]
fn comparison_base_years_do_not_date_a_figure() {
    let q = results("万元GDP能耗比2015年下降17%。");
    assert_eq!(q[0].year, Some(2023));
    assert_eq!(q[0].direction, Some(Direction::Decrease));
}

#[test]
fn an_event_before_a_list_takes_the_whole_list() {
    let ms = milestones(
        "2023年成功举办夏季达沃斯论坛、第七届世界智能大会、天津马拉松赛等展会赛事。",
        QuantityRole::Actual,
    );
    assert_eq!(ms.len(), 1, "{ms:?}");
    assert!(ms[0].subject.contains("第七届世界智能大会"), "{ms:?}");
    // Trap: a second event in the list is its own milestone.
    let ms = milestones(
        "2023年成功举办夏季达沃斯论坛、建成国家会展中心二期。",
        QuantityRole::Actual,
    );
    assert_eq!(ms.len(), 2, "{ms:?}");
    assert_eq!(ms[0].subject, "夏季达沃斯论坛");
}

#[test]
fn a_total_or_a_bare_verb_measures_the_thing_before() {
    let q = results("新增国家级专精特新“小巨人”企业23家、总数达到87家。");
    assert_eq!(
        brief(&q),
        [
            ("国家级专精特新小巨人企业", 23.0, "家"),
            ("国家级专精特新小巨人企业总数", 87.0, "家")
        ]
    );
    assert_eq!(q[0].measure, Measure::Increment);
    assert_eq!(q[1].measure, Measure::Level);
    let q = results("新建5G基站4100个，累计建成1.2万个。");
    assert_eq!(brief(&q)[1], ("5G基站", 1.2, "万个"));
    assert_eq!(q[1].measure, Measure::Cumulative);
    // Traps: a noun after the count is what it counts; another unit is another measure; an
    // action that is an activity measures itself.
    let q = targets("新建和改造提升8个标准化菜市场，新建60个品牌连锁便利店。");
    assert_eq!(brief(&q)[1], ("品牌连锁便利店", 60.0, "个"));
    let q = results("新建学校10所，完成投资5亿元。");
    assert_eq!(brief(&q)[1], ("投资", 5.0, "亿元"));
    let q = results("种植苗木1000亩，植树造林1700亩。");
    assert_eq!(brief(&q)[1], ("植树造林", 1700.0, "亩"));
}

#[test]
fn town_and_country_given_two_figures() {
    let q = results("城乡居民人均可支配收入分别达到41260元、21580元，分别增长4.9%、7.1%。");
    assert_eq!(
        brief(&q),
        [
            ("城镇居民人均可支配收入", 41260.0, "元"),
            ("农村居民人均可支配收入", 21580.0, "元"),
            ("城镇居民人均可支配收入", 4.9, "%"),
            ("农村居民人均可支配收入", 7.1, "%")
        ]
    );
    // Trap: one figure for town and country together stays one.
    let q = results("城乡居民人均可支配收入增长5.3%。");
    assert_eq!(brief(&q), [("城乡居民人均可支配收入", 5.3, "%")]);
}

#[test]
fn a_target_restated_in_a_review_and_a_gap_to_a_benchmark() {
    let q = results("主要是一般公共预算收入增长2.1%，低于5%的预期目标。");
    assert_eq!(
        brief(&q),
        [
            ("一般公共预算收入", 2.1, "%"),
            ("一般公共预算收入", 5.0, "%")
        ]
    );
    assert_eq!(
        (q[0].role, q[1].role),
        (QuantityRole::Actual, QuantityRole::Target)
    );
    assert_eq!(q[1].year, Some(2023));
    let q = results("全省地区生产总值增长5.9%，高于全国0.7个百分点。");
    assert_eq!(brief(&q)[1], ("地区生产总值高于全国", 0.7, "个百分点"));
    let q = results("规模以上工业增加值增长6.2%，比年初计划高0.2个百分点。");
    assert_eq!(
        brief(&q)[1],
        ("规模以上工业增加值比年初计划高", 0.2, "个百分点")
    );
    let q = results("居民消费价格上涨0.3%，低于3%左右的调控目标；失业率5.3%，低于5.5%的控制目标。");
    assert_eq!(
        q.iter().map(|q| q.role).collect::<Vec<_>>(),
        [
            QuantityRole::Actual,
            QuantityRole::Target,
            QuantityRole::Actual,
            QuantityRole::Target
        ]
    );
    assert_eq!(q[1].qualifier, Some(Qualifier::About));
    assert_eq!(q[3].qualifier, None);
    // Trap: `高于` before a metric of its own is no gap to the metric before it.
    let q = results("居民收入增长5%，高于全国平均水平的城镇调查失业率下降到5.1%。");
    assert!(!q[1].metric.starts_with("居民收入"), "{}", q[1].metric);
}

#[test]
fn new_units_and_started_works() {
    let q = targets("粮食产量保持在18亿斤左右。");
    assert_eq!(brief(&q), [("粮食产量", 18.0, "亿斤")]);
    assert_eq!(q[0].normalized, 1.8e9);
    let q = targets("新开工改造城镇老旧小区2300个。");
    assert_eq!(brief(&q), [("城镇老旧小区", 2300.0, "个")]);
    assert_eq!(q[0].measure, Measure::Increment);
}

#[test]
fn events_that_count_or_hold_nothing_are_no_milestones() {
    // A counted result is a quantity.
    for s in [
        "建成县级农产品冷链物流中心1个。",
        "确保亿元以上项目开工30个。",
        "新建5G基站4100个，累计建成1.2万个。",
        "开工建设保障性租赁住房1.5万套（间）。",
    ] {
        assert!(milestones(s, QuantityRole::Actual).is_empty(), "{s}");
    }
    // Only events are held.
    assert!(milestones("办好民生实事。", QuantityRole::Target).is_empty());
    // A list heading's number is no subject.
    assert!(milestones("（二）加快建设现代化产业体系。", QuantityRole::Target).is_empty());
    // Traps: a name with a capacity inside, a date, a session's number are no counts.
    let m = milestones("120万吨乙烯项目一期建成投产。", QuantityRole::Actual);
    assert_eq!(events(&m), [("120万吨乙烯项目一期", "建成投产", None)]);
    let m = milestones("江州国际会展中心二期9月底前竣工。", QuantityRole::Target);
    assert_eq!(
        events(&m),
        [("江州国际会展中心二期", "竣工", Some("9月底前"))]
    );
    let m = milestones("成功举办第十二届中国花卉博览会。", QuantityRole::Actual);
    assert_eq!(events(&m), [("第十二届中国花卉博览会", "举办", None)]);
    // Named events before `等` and a count of the whole kind.
    let m = milestones(
        "举办首届半程马拉松赛、第六届群众文化艺术节等群众文化体育活动3000余场。",
        QuantityRole::Actual,
    );
    assert_eq!(
        events(&m),
        [("首届半程马拉松赛、第六届群众文化艺术节", "举办", None)]
    );
}

#[test]
fn built_up_area_is_a_noun() {
    assert!(milestones("建成区绿化覆盖率达到42%。", QuantityRole::Actual).is_empty());
    assert!(milestones("城市建成区黑臭水体基本消除。", QuantityRole::Actual).is_empty());
    let q =
        results("建成区绿化覆盖率达到42%，完成造林面积15.3万亩，全市共有各类市场主体156.8万户。");
    assert_eq!(
        brief(&q),
        [
            ("建成区绿化覆盖率", 42.0, "%"),
            ("造林面积", 15.3, "万亩"),
            ("各类市场主体", 156.8, "万户")
        ]
    );
}

#[test]
fn a_later_event_of_the_sentence_and_adverbs_before_the_event() {
    let m = milestones(
        "开工建设江北机场三期，力争年底主体完工。",
        QuantityRole::Target,
    );
    assert_eq!(
        events(&m),
        [
            ("江北机场三期", "开工建设", None),
            ("江北机场三期", "主体完工", Some("年底"))
        ]
    );
    let m = milestones("建成投用市第二人民医院新院区。", QuantityRole::Target);
    assert_eq!(events(&m), [("市第二人民医院新院区", "建成投用", None)]);
    let m = milestones(
        "地铁1号线三期、2号线二期工程全面开工。",
        QuantityRole::Actual,
    );
    assert_eq!(events(&m), [("地铁1号线三期、2号线二期工程", "开工", None)]);
    // A figure after another of the same kind keeps its reading.
    let q = targets("地区生产总值增长5.5%以上，力争6%。");
    assert_eq!(q[1].measure, Measure::GrowthRate);
    assert_eq!(brief(&q)[1], ("地区生产总值", 6.0, "%"));
    let q = results("市政府承诺的20件民生实事全部完成。");
    assert_eq!(brief(&q), [("民生实事", 20.0, "件")]);
}

#[test]
fn objects_described_by_a_list_and_names_in_quotes() {
    let m = milestones(
        "基本建成全面覆盖、规则完备、运行高效、监督有力的公平竞争审查制度体系。",
        QuantityRole::Target,
    );
    assert_eq!(events(&m), [("公平竞争审查制度体系", "建成", None)]);
    // An adverb before the word: verb and object; a noun: subject and verb.
    let m = milestones("天津将基本建成社会主义现代化大都市。", QuantityRole::Target);
    assert_eq!(events(&m), [("社会主义现代化大都市", "建成", None)]);
    let m = milestones("杨柳青水厂改扩建工程建成通水。", QuantityRole::Actual);
    assert_eq!(events(&m), [("杨柳青水厂改扩建工程", "建成", None)]);
    // Traps: an event word inside a quoted name; a date is no subject.
    assert!(milestones("推进“拿地即开工”审批服务模式常态化。", QuantityRole::Target).is_empty());
    assert!(milestones("规划建设科技园，于5月18日顺利开园。", QuantityRole::Actual).is_empty());
    let m = milestones("于家堡高铁站9月15日前投入使用。", QuantityRole::Target);
    assert_eq!(
        events(&m),
        [("于家堡高铁站", "投入使用", Some("9月15日前"))]
    );
}

#[test]
fn five_year_periods_and_multiples_of_a_base_year() {
    let q = results("地区生产总值达到3580亿元，“十三五”期间年均增长6.8%。");
    assert_eq!(brief(&q)[1], ("地区生产总值", 6.8, "%"));
    let q = results("高新技术企业达到1260家，是2015年的3.1倍。");
    assert_eq!(brief(&q)[1], ("高新技术企业", 3.1, "倍"));
    assert_eq!(q[1].year, Some(2023));
    // Trap: `十四五` in a name stays in the name.
    let q = targets("“十四五”规划重大项目完成投资500亿元。");
    assert_eq!(brief(&q), [("十四五规划重大项目完成投资", 500.0, "亿元")]);
    // `加快建设` takes no subject from an earlier event, and its object is no milestone.
    let m = milestones(
        "推动南屏港三期工程建成投产，加快建设第二机场。",
        QuantityRole::Target,
    );
    assert_eq!(events(&m), [("南屏港三期工程", "建成投产", None)]);
    let m = milestones("中芯国际大二期等项目加快建设。", QuantityRole::Actual);
    assert_eq!(events(&m), [("中芯国际大二期等项目", "加快建设", None)]);
}

#[test]
fn changes_on_last_year_end_and_planned_allocations() {
    let q = results("年末全省常住人口4685.6万人，比上年末增加6.2万人。");
    assert_eq!(brief(&q)[1], ("年末全省常住人口", 6.2, "万人"));
    assert_eq!(q[1].direction, Some(Direction::Increase));
    let q = targets("赤字率拟按3%安排；拟安排省级预算内投资70亿元。");
    assert_eq!(
        brief(&q),
        [("赤字率", 3.0, "%"), ("省级预算内投资", 70.0, "亿元")]
    );
    let q = results("全年完成造林绿化面积12.5万亩。");
    assert_eq!(brief(&q), [("造林绿化面积", 12.5, "万亩")]);
}

#[test]
fn more_event_words_and_their_traps() {
    for (s, subject, event) in [
        (
            "市第一人民医院新院区正式启用。",
            "市第一人民医院新院区",
            "正式启用",
        ),
        ("海州至临港铁路全线通车。", "海州至临港铁路", "全线通车"),
        ("确保海州湾隧道6月底前贯通。", "海州湾隧道", "贯通"),
        ("海州大剧院上半年试运营。", "海州大剧院", "试运营"),
        (
            "新能源汽车产业园一期主体结构封顶。",
            "新能源汽车产业园一期",
            "主体结构封顶",
        ),
        ("筹办第十五届省运会。", "第十五届省运会", "筹办"),
        ("市图书馆新馆开馆。", "市图书馆新馆", "开馆"),
    ] {
        let m = milestones(s, QuantityRole::Target);
        assert_eq!(
            m.iter()
                .map(|m| (m.subject.as_str(), m.event.as_str()))
                .collect::<Vec<_>>(),
            [(subject, event)],
            "{s}"
        );
    }
    // Traps: the same words inside other words.
    for s in [
        "推动产教贯通融合发展。",
        "推动技术和技能人才职业发展贯通。",
        "推行融会贯通式培养。",
        "启用新一代政务服务系统。",
    ] {
        assert!(milestones(s, QuantityRole::Target).is_empty(), "{s}");
    }
}

#[test]
fn a_region_opening_the_subject_owns_the_figure() {
    let mut q = results("全市地区生产总值增长5.8%，其中滨江区增长6.5%、临海县增长7.1%。");
    q.extend(results("滨湖区地区生产总值突破1000亿元。"));
    let by: Vec<(Option<&str>, &str, f64)> = q
        .iter()
        .map(|q| (q.region.as_deref(), q.metric.as_str(), q.value))
        .collect();
    assert_eq!(
        by,
        [
            (Some("天津市"), "地区生产总值", 5.8),
            (Some("滨江区"), "地区生产总值", 6.5),
            (Some("临海县"), "地区生产总值", 7.1),
            (Some("滨湖区"), "地区生产总值", 1000.0)
        ]
    );
    // Traps: words that begin like a region's name.
    for s in [
        "市场主体达到150万户。",
        "区域创新能力指数达到80%。",
        "县域经济总量达到500亿元。",
        "城市绿地新增200万平方米。",
        "社区食堂新增50家。",
        "市级以上重点实验室12个。",
        "长三角区域合作项目30个。",
        "建成区绿化覆盖率达到42%。",
        "核心区建设投资100亿元。",
    ] {
        let q = results(s);
        assert_eq!(q[0].region.as_deref(), Some("天津市"), "{s}");
    }
}

#[test]
fn padding_of_older_reports_is_no_metric() {
    // `实际增长` takes the subject before; `实际使用外资` is a metric of its own (trap).
    let q = read_as(
        "城镇居民人均生活费收入达到4300多元，实际增长3.3%。",
        QuantityRole::Actual,
        1996,
    );
    assert_eq!(q[1].metric, "城镇居民人均生活费收入");
    let q = results("实际使用外资52.3亿美元。");
    assert_eq!(q[0].metric, "实际使用外资");
    // `五年共…`, `五年间…`: the period's sum, its words no part of the metric.
    let q = read_as("五年共利用外资609亿美元。", QuantityRole::Actual, 1992);
    assert_eq!(q[0].metric, "利用外资");
    assert_eq!(q[0].aggregation, Some(Aggregation::FiveYearCumulative));
    // `平均每年增长` is an average over the years.
    let q = read_as(
        "过去五年，农业增加值平均每年增长4.5%。",
        QuantityRole::Actual,
        1997,
    );
    assert_eq!(q[0].metric, "农业增加值");
    assert_eq!(q[0].aggregation, Some(Aggregation::FiveYearAverage));
}

#[test]
fn years_of_a_review_are_results_even_after_dao() {
    // `从1997年的7.4万亿元增加到2002年的10.2万亿元` in the review of 2002: both results.
    let q = read_as(
        "国内生产总值从1997年的7.4万亿元增加到2002年的10.2万亿元。",
        QuantityRole::Actual,
        2002,
    );
    assert_eq!(
        q.iter().map(|q| (q.role, q.year)).collect::<Vec<_>>(),
        [
            (QuantityRole::Actual, Some(1997)),
            (QuantityRole::Actual, Some(2002))
        ]
    );
    assert_eq!(q[1].metric, "国内生产总值");
    // `1992年同1987年相比`: 1987 is the base, the figure is of 1992.
    let q = read_as(
        "1992年同1987年相比，钢产量增长百分之四十二，达到8000万吨。",
        QuantityRole::Actual,
        1992,
    );
    assert!(q.iter().all(|q| q.year == Some(1992)), "{q:?}");
    // Trap: `到2025年` in a plan still sets a target.
    let q = targets("到2025年，常住人口城镇化率达到70%。");
    assert_eq!((q[0].role, q[0].year), (QuantityRole::Target, Some(2025)));
}

#[test]
fn how_older_reports_frame_a_target() {
    let q = targets("经济增长速度的调控目标定为8%。");
    assert_eq!(
        (q[0].metric.as_str(), q[0].measure),
        ("经济", Measure::GrowthRate)
    );
    let q = targets("今年要把全年商品零售物价上涨幅度控制在10%以内。");
    assert_eq!(q[0].metric, "商品零售物价");
    assert_eq!(q[0].measure, Measure::GrowthRate);
    let q = results("城镇调查失业率平均5.1%。");
    assert_eq!(q[0].metric, "城镇调查失业率");
    // Trap: a monthly mean keeps its name.
    let q = results("本外币存贷款余额月平均增长8%。");
    assert_eq!(q[0].metric, "本外币存贷款余额月平均");
}
