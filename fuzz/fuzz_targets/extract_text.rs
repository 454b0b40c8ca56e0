//! Arbitrary UTF-8 through the extractor: it must never panic, and every span must be a valid
//! range of the input on character boundaries.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let x = plantrack_extract::extract(text, Default::default(), &Default::default());
    let ok = |s: plantrack_model::Span| {
        s.start <= s.end && s.end <= text.len() && text.is_char_boundary(s.start) && text.is_char_boundary(s.end)
    };
    for s in &x.sections {
        assert!(ok(s.span) && ok(s.extent), "section span {:?} {:?}", s.span, s.extent);
    }
    for t in &x.tasks {
        assert!(ok(t.span));
    }
    for i in &x.indicators {
        assert!(ok(i.span));
    }
    for q in &x.quantities {
        assert!(ok(q.span) && ok(q.sentence), "quantity span {:?} {:?}", q.span, q.sentence);
    }
    for m in &x.milestones {
        assert!(ok(m.span) && ok(m.sentence), "milestone span {:?} {:?}", m.span, m.sentence);
    }
});
