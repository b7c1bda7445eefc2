//! The rules of `filter_ngrams.py` on real texts: task examples from `data/eval/` against
//! real corpus documents (`data/sample/`, `data/eval/corpus_hits.jsonl.gz`). The expected
//! piece byte ranges are what the script's own functions (`free_ngram`, `split_text`, run
//! with its defaults on the same inputs) output; where this module differs on purpose, the
//! case says so.

use super::testdata::{
    corpus_hit, eval_task, eval_tasks, excerpt, sample_texts, sense_and_sensibility,
};
use super::*;
use std::time::Instant;

struct Case {
    name: &'static str,
    tasks: Vec<TaskText>,
    /// Documents of the frequency pass.
    pass1: Vec<String>,
    /// The document to clean.
    doc: String,
    params: DecontamParams,
    verdict: Verdict,
    n_pieces: usize,
    /// Byte ranges kept, from the script.
    pieces: &'static [(usize, usize)],
}

/// Runs both passes on `case` and checks the outcome and its invariants.
fn check(case: Case) {
    let name = case.name;
    let tasks = TaskNgrams::from_tasks(&case.tasks, &case.params).expect(name);
    let mut counts = NgramCounts::default();
    for doc in &case.pass1 {
        counts.add_doc(&tasks.matches(doc));
    }
    let decon = tasks.finalize(&counts);
    let outcome = decon.clean(&case.doc);
    let pieces: Vec<(usize, usize)> = outcome.pieces.iter().map(|r| (r.start, r.end)).collect();
    assert_eq!(outcome.verdict, case.verdict, "{name}");
    assert_eq!(outcome.n_pieces, case.n_pieces, "{name}");
    assert_eq!(pieces, case.pieces, "{name}");
    assert_eq!(
        outcome.hits.is_empty(),
        case.verdict == Verdict::Clean,
        "{name}"
    );
    for hit in &outcome.hits {
        let inside = |r: &std::ops::Range<usize>| r.start < hit.span.end && hit.span.start < r.end;
        assert!(
            !outcome.pieces.iter().any(inside),
            "{name}: a kept piece holds a hit"
        );
    }
    if case.verdict != Verdict::Clean {
        for piece in &outcome.pieces {
            let chars = case.doc[piece.clone()].chars().count();
            assert!(
                chars > case.params.filter_text_char_len,
                "{name}: short piece"
            );
        }
    }
}

fn tasks_of(names: &[(&str, u32)]) -> Vec<TaskText> {
    names
        .iter()
        .map(|&(task, idx)| eval_task(task, idx))
        .collect()
}

const MCTACO: &str = "natural_instructions/subtask018_mctaco_temporal_reasoning_presence";
const MULTIRC: &str = "natural_instructions/subtask048_multirc_question_generation";

fn multirc() -> Vec<TaskText> {
    let is_multirc = |t: &TaskText| t.task.ends_with(MULTIRC);
    eval_tasks().into_iter().filter(is_multirc).collect()
}

#[test]
fn rules_of_filter_ngrams_on_real_texts() {
    let einstein = corpus_hit("Albert Einstein");
    let albania = corpus_hit("Albania");
    let austen = sense_and_sensibility();
    let dashwood = "So acutely did Mrs. Dashwood";
    let breakfast = "During breakfast one morning";
    let windows: Vec<String> = (0..10)
        .map(|j| excerpt(&einstein, breakfast, 300 + 40 * j, 600 + 40 * j))
        .collect();
    // A quiz page: the 11-word metaphor_boolean example 1 quoted within Austen's prose.
    let quiz = eval_task("metaphor_boolean", 1).text;
    let at = 20_000 + austen[20_000..].find("\n\n").expect("a paragraph break");
    let quiz_doc = format!(
        "{}\n\n{quiz}\n\n{}",
        &austen[18_000..at],
        &austen[at..24_000]
    );
    let defaults = DecontamParams::default();
    let no_guard = DecontamParams {
        guard: GuardParams {
            enabled: false,
            ..GuardParams::default()
        },
        ..DecontamParams::default()
    };
    let cases = [
        // (1) One 13-gram (MC-TACO quotes the Einstein article) in the middle: two pieces.
        Case {
            name: "one hit, two pieces",
            tasks: tasks_of(&[(MCTACO, 1051)]),
            pass1: vec![],
            doc: einstein.clone(),
            params: defaults.clone(),
            verdict: Verdict::Split,
            n_pieces: 2,
            pieces: &[(0, 20738), (21415, 74742)],
        },
        // (2) MultiRC quotes Einstein in 9 places and Albania in 4: more than 10 pieces.
        Case {
            name: "13 pieces, dropped",
            tasks: multirc(),
            pass1: vec![],
            doc: format!("{einstein}\n\n{albania}"),
            params: defaults.clone(),
            verdict: Verdict::DroppedSplits,
            n_pieces: 13,
            pieces: &[],
        },
        Case {
            name: "9 pieces, splits_count 8",
            tasks: multirc(),
            pass1: vec![],
            doc: einstein.clone(),
            params: DecontamParams {
                splits_count: 8,
                ..defaults.clone()
            },
            verdict: Verdict::DroppedSplits,
            n_pieces: 9,
            pieces: &[],
        },
        // (3) The MC-TACO sentence in 10 pass-1 documents is common: ignored.
        Case {
            name: "in 10 documents, ignored",
            tasks: tasks_of(&[(MCTACO, 1051)]),
            pass1: windows.clone(),
            doc: einstein.clone(),
            params: defaults.clone(),
            verdict: Verdict::Clean,
            n_pieces: 1,
            pieces: &[(0, 74742)],
        },
        Case {
            name: "in 9 documents, cut",
            tasks: tasks_of(&[(MCTACO, 1051)]),
            pass1: windows[..9].to_vec(),
            doc: einstein.clone(),
            params: defaults.clone(),
            verdict: Verdict::Split,
            n_pieces: 2,
            pieces: &[(0, 20738), (21415, 74742)],
        },
        // (4) A task text of 8 to 12 words is matched whole.
        Case {
            name: "11-word task text",
            tasks: tasks_of(&[("metaphor_boolean", 1)]),
            pass1: vec![],
            doc: quiz_doc,
            params: defaults.clone(),
            verdict: Verdict::Split,
            n_pieces: 2,
            pieces: &[(0, 2330), (3075, 6064)],
        },
        // (5) The left piece is under 200 characters: dropped, the document is trimmed.
        Case {
            name: "short left piece",
            tasks: tasks_of(&[("implicit_relations", 45)]),
            pass1: vec![],
            doc: excerpt(&austen, dashwood, 150, 2500),
            params: defaults.clone(),
            verdict: Verdict::Trimmed,
            n_pieces: 1,
            pieces: &[(896, 2678)],
        },
        Case {
            name: "both pieces short",
            tasks: tasks_of(&[("implicit_relations", 45)]),
            pass1: vec![],
            doc: excerpt(&austen, dashwood, 150, 400),
            params: defaults.clone(),
            verdict: Verdict::DroppedShort,
            n_pieces: 0,
            pieces: &[],
        },
        // (6) HumanEval/78's hex digits match the isalpha(3) man page: not with the guard.
        // The margin counts from the end of the match's last word. The script counts from
        // `start + len(" ".join(words))`, one character short here (", " after "morning"),
        // so with a margin of 1 it stops at the "." right after the match: (21168, 74742).
        Case {
            name: "margin from the true end",
            tasks: tasks_of(&[(MCTACO, 1051)]),
            pass1: vec![],
            doc: einstein.clone(),
            params: DecontamParams {
                remove_char_each_side: 1,
                ..defaults.clone()
            },
            verdict: Verdict::Split,
            n_pieces: 2,
            pieces: &[(0, 21090), (21214, 74742)],
        },
        Case {
            name: "hex digits, guard on",
            tasks: tasks_of(&[("HumanEval", 78)]),
            pass1: vec![],
            doc: corpus_hit("isalpha.3"),
            params: defaults.clone(),
            verdict: Verdict::Clean,
            n_pieces: 1,
            pieces: &[(0, 8115)],
        },
        Case {
            name: "hex digits, guard off",
            tasks: tasks_of(&[("HumanEval", 78)]),
            pass1: vec![],
            doc: corpus_hit("isalpha.3"),
            params: no_guard,
            verdict: Verdict::Split,
            n_pieces: 2,
            pieces: &[(0, 4278), (5045, 8115)],
        },
    ];
    for case in cases {
        check(case);
    }
}

/// Both passes over the whole shipped sample with every shipped task example: the one
/// overlap is BIG-bench implicit_relations 45 and 46 (a passage of *Sense and
/// Sensibility*, names changed) with the sample's Austen novel, cut where the script cuts.
/// The negative controls (WinoGrande, StrategyQA, WinoWhy) and HumanEval match nothing.
#[test]
fn sample_end_to_end() {
    let tasks = TaskNgrams::from_tasks(&eval_tasks(), &DecontamParams::default()).expect("tasks");
    let texts = sample_texts();
    let start = Instant::now();
    let mut counts = NgramCounts::default();
    for text in &texts {
        counts.add_doc(&tasks.matches(text));
    }
    let secs = start.elapsed().as_secs_f64();
    let mb = texts.iter().map(String::len).sum::<usize>() as f64 / 1e6;
    println!("decontam matches: {mb:.1} MB, {:.1} MB/s", mb / secs);
    let mut sources: Vec<(&str, &str)> = counts
        .iter()
        .flat_map(|(id, _)| tasks.sources(id).map(|(t, ex)| (tasks.task_name(t), ex)))
        .collect();
    sources.sort_unstable();
    sources.dedup();
    let relations = "bigbench:implicit_relations";
    assert_eq!(sources, [(relations, "45"), (relations, "46")]);
    assert_eq!(counts.iter().count(), 51, "13-grams of the passage");
    assert!(counts.iter().all(|(_, n_docs)| n_docs == 1));

    let decon = tasks.finalize(&counts);
    assert!(decon.ignored().is_empty());
    let mut changed = Vec::new();
    for (i, text) in texts.iter().enumerate() {
        let outcome = decon.clean(text);
        if outcome.verdict != Verdict::Clean {
            let names: Vec<&str> = outcome
                .tasks
                .iter()
                .map(|&t| decon.tasks().task_name(t))
                .collect();
            let pieces: Vec<(usize, usize)> =
                outcome.pieces.iter().map(|r| (r.start, r.end)).collect();
            changed.push((i, outcome.verdict, pieces, names));
        }
    }
    assert_eq!(
        changed,
        [(
            704,
            Verdict::Split,
            vec![(0, 6322), (7309, 673688)],
            vec![relations]
        )]
    );
    // The script's sentence end is any ".": here the abbreviation "Mrs.".
    assert!(texts[704][..6322].ends_with("immovable disgust.  Mrs."));
}
