//! WCAG 2.x AA contrast of the stylesheet (`assets/app.css`) and of the charts' colours: text
//! at 4.5:1 against what it is written on, lines and shapes that carry meaning (a status's
//! border, a traffic light, a chart's series, the focus ring) at 3:1 against the page.
//!
//! The stylesheet is read rule by rule: each rule's `color` against its own `background`, else
//! against the page's white; each light `background` against the text written on it (the
//! page's text and links, which inherit into it); each `border`/`outline` colour against white,
//! except the hairlines that only separate rows and cards (`--line`, `#d0d7de`), which carry no
//! meaning of their own.

use std::collections::HashMap;

/// Relative luminance of `#rgb` / `#rrggbb`.
pub fn luminance(hex: &str) -> Option<f64> {
    let h = hex.strip_prefix('#')?;
    let h: String = match h.len() {
        3 => h.chars().flat_map(|c| [c, c]).collect(),
        6 => h.to_string(),
        _ => return None,
    };
    let channel = |i: usize| -> Option<f64> {
        let c = f64::from(u8::from_str_radix(&h[i..i + 2], 16).ok()?) / 255.0;
        Some(if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        })
    };
    Some(0.2126 * channel(0)? + 0.7152 * channel(2)? + 0.0722 * channel(4)?)
}

/// The contrast ratio of two colours, 1 to 21.
pub fn ratio(a: &str, b: &str) -> f64 {
    let (a, b) = (luminance(a).unwrap_or(1.0), luminance(b).unwrap_or(1.0));
    let (hi, lo) = if a > b { (a, b) } else { (b, a) };
    (hi + 0.05) / (lo + 0.05)
}

pub const TEXT: f64 = 4.5;
pub const GRAPHICS: f64 = 3.0;

#[cfg(test)]
mod tests {
    use super::*;

    const CSS: &str = include_str!("../assets/app.css");
    const PAGE: &str = "#ffffff";
    /// Hairlines between rows and around cards: separation, not meaning.
    const HAIRLINES: [&str; 2] = ["#d8dee4", "#d0d7de"];

    /// `(selector, declarations)` of every rule, `@media` blocks opened, comments dropped.
    fn rules(css: &str) -> Vec<(String, Vec<(String, String)>)> {
        let mut text = String::new();
        let mut rest = css;
        while let Some(k) = rest.find("/*") {
            text.push_str(&rest[..k]);
            rest = rest[k..].find("*/").map_or("", |e| &rest[k + e + 2..]);
        }
        text.push_str(rest);
        let mut out = Vec::new();
        let mut head = String::new();
        let mut body: Option<String> = None;
        for c in text.chars() {
            match (c, &mut body) {
                ('{', None) => body = Some(String::new()),
                ('{', Some(_)) => {
                    // A block inside a block: the outer was `@media …`; its head is done.
                    head.clear();
                    body = Some(String::new());
                }
                ('}', Some(b)) => {
                    let decls = b
                        .split(';')
                        .filter_map(|d| d.split_once(':'))
                        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
                        .collect();
                    let selector = head.trim().to_string();
                    if !selector.starts_with('@') {
                        out.push((selector, decls));
                    }
                    head.clear();
                    body = None;
                }
                ('}', None) => head.clear(),
                (c, Some(b)) => b.push(c),
                (c, None) => head.push(c),
            }
        }
        out
    }

    /// The colours a value names (`#…` and `var(--…)` resolved).
    fn colours(value: &str, vars: &HashMap<String, String>) -> Vec<String> {
        let mut out = Vec::new();
        for word in value.split([' ', ',', '(', ')']) {
            let word = word.trim();
            if word.starts_with('#') && luminance(word).is_some() {
                out.push(word.to_ascii_lowercase());
            } else if let Some(v) = vars.get(word) {
                out.push(v.clone());
            }
        }
        out
    }

    fn vars(rules: &[(String, Vec<(String, String)>)]) -> HashMap<String, String> {
        let mut vars = HashMap::new();
        for (sel, decls) in rules {
            if sel == ":root" {
                for (k, v) in decls {
                    vars.insert(k.clone(), v.to_ascii_lowercase());
                }
            }
        }
        vars
    }

    /// Every pair of the stylesheet that fails AA, described.
    fn failures(css: &str) -> Vec<String> {
        let rules = rules(css);
        let vars = vars(&rules);
        let fg = vars.get("--fg").cloned().unwrap_or("#000000".into());
        let accent = vars.get("--accent").cloned().unwrap_or("#0000ee".into());
        let hairlines: Vec<String> = HAIRLINES
            .iter()
            .map(|h| h.to_string())
            .chain(vars.get("--line").cloned())
            .collect();
        let mut bad = Vec::new();
        for (sel, decls) in &rules {
            if sel == ":root" {
                continue;
            }
            let get = |name: &str| {
                decls
                    .iter()
                    .filter(|(k, _)| k == name)
                    .flat_map(|(_, v)| colours(v, &vars))
                    .next()
            };
            let background = get("background").or_else(|| get("background-color"));
            if let Some(text) = get("color") {
                let on = background.clone().unwrap_or(PAGE.into());
                let r = ratio(&text, &on);
                if r < TEXT {
                    bad.push(format!("{sel}: text {text} on {on} is {r:.2}:1"));
                }
            } else if let Some(bg) = &background {
                if luminance(bg).unwrap_or(1.0) > 0.4 {
                    // Text and links written on a light background.
                    for t in [&fg, &accent] {
                        let r = ratio(t, bg);
                        if r < TEXT {
                            bad.push(format!("{sel}: text {t} on {bg} is {r:.2}:1"));
                        }
                    }
                } else {
                    // A dark shape (a traffic light, a badge) on the page.
                    let r = ratio(bg, PAGE);
                    if r < GRAPHICS {
                        bad.push(format!("{sel}: shape {bg} on the page is {r:.2}:1"));
                    }
                }
            }
            for (k, v) in decls {
                if !(k.starts_with("border") || k.starts_with("outline")) {
                    continue;
                }
                for c in colours(v, &vars) {
                    if hairlines.contains(&c) {
                        continue;
                    }
                    let r = ratio(&c, PAGE);
                    if r < GRAPHICS {
                        bad.push(format!("{sel}: {k} {c} on the page is {r:.2}:1"));
                    }
                }
            }
        }
        bad
    }

    #[test]
    fn the_formula() {
        assert!((ratio("#000", "#fff") - 21.0).abs() < 1e-9);
        assert!((ratio("#777777", "#ffffff") - 4.48).abs() < 0.01);
        assert_eq!(ratio("#0b5cad", "#0b5cad"), 1.0);
    }

    #[test]
    fn the_stylesheet_meets_aa() {
        let bad = failures(CSS);
        assert!(bad.is_empty(), "{}", bad.join("\n"));
    }

    /// The check itself: the greys and yellows the stylesheet had before issue 15 fail it.
    #[test]
    fn a_failing_grey_is_caught() {
        let root = ":root { --fg:#1d2329; --accent:#0b5cad; --line:#d8dee4; }\n";
        for (css, what) in [
            (".why { color:#8c959f; font-size:.9em; }", "text #8c959f"),
            (".status.at_risk { color:#b26a00; }", "text #b26a00"),
            (".light.yellow { background:#e0a800; }", "#e0a800"),
            ("a:focus-visible { outline:3px solid #f0b400; }", "outline"),
            (
                "@media (max-width:600px) { tr.yellow { border-left:4px solid #e0a800; } }",
                "border-left",
            ),
            (".hint { color:var(--line); }", "text #d8dee4"),
            ("mark { background:#8fb3e0; }", "on #8fb3e0"),
        ] {
            let bad = failures(&format!("{root}{css}"));
            assert!(bad.iter().any(|b| b.contains(what)), "{css}: {bad:?}");
        }
        // Hairlines between rows are not held to it.
        assert!(
            failures(&format!(
                "{root}td {{ border-bottom:1px solid var(--line); }}"
            ))
            .is_empty()
        );
    }
}
