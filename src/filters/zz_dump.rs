#![allow(missing_docs)]
use super::*;
use std::io::Write;
#[test]
fn zz_dump() {
    let load = |name: &str| {
        let path = format!("{}/filters/{name}.toml", env!("CARGO_MANIFEST_DIR"));
        RuleSet::from_toml(&std::fs::read_to_string(&path).unwrap(), &path).unwrap()
    };
    let sets = [load("gopher_repetition"), load("fineweb_quality")];
    let mut c4 = load("c4");
    c4.rules.pop();
    let mut out = std::fs::File::create("/tmp/gen/rust.jsonl").unwrap();
    for doc in testdata::sample() {
        let views = Views::new(&doc.text);
        let mut m = serde_json::Map::new();
        m.insert("key".into(), doc.key.clone().into());
        for set in &sets {
            for rule in &set.rules {
                m.insert(rule.name.clone(), rule.measure(&views).into());
            }
        }
        let c4v = match c4.evaluate(&doc.text) {
            Verdict::Keep(Some(r)) => serde_json::json!({"text": r.text}),
            Verdict::Keep(None) => serde_json::json!({"text": doc.text}),
            Verdict::Drop { rule, .. } => serde_json::json!({"drop": c4.rules[rule].name}),
        };
        m.insert("c4".into(), c4v);
        m.insert(
            "words".into(),
            views
                .words()
                .iter()
                .map(|w| serde_json::Value::from(*w))
                .collect::<Vec<_>>()
                .into(),
        );
        let full = load("c4");
        m.insert(
            "sentences".into(),
            full.rules[8]
                .measure(&Views::new(
                    c4.evaluate(&doc.text).kept_text(&doc.text).unwrap_or(""),
                ))
                .into(),
        );
        writeln!(out, "{}", serde_json::Value::Object(m)).unwrap();
    }
}
