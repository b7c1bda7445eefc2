//! Downstream-task decontamination on real data: the shipped sample's Jane Austen novel
//! holds passages of BIG-bench's implicit_relations task, which must be cut out.

use crate::util::{TestEnv, code, root, stable_report, stderr, zst_lines};
use pilecurate::shard::megatron::read_index;

#[test]
fn benchmark_passages_are_cut_from_the_corpus() {
    let env = TestEnv::new();
    let config = root().join("data/pilecurate.toml");
    let out = env.path("out");
    let output = env.run(&[
        "run",
        config.to_str().unwrap(),
        "-q",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));

    let report = stable_report(&out.join("report.json"));
    let gutenberg = &report["decontam"]["tasks"]["implicit_relations"]["Gutenberg (PG-19)"];
    assert_eq!(gutenberg["split"], 1, "{report:#}");
    assert_eq!(report["decontam"]["tasks"].as_object().unwrap().len(), 1);
    let ngrams = gutenberg["ngrams"].as_object().unwrap();
    assert!(
        ngrams.keys().all(|n| n.split(' ').count() == 13),
        "{ngrams:?}"
    );

    // The one novel is written as two Megatron sequences, and neither holds the n-grams.
    let source = report["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "Gutenberg (PG-19)")
        .unwrap();
    assert_eq!(source["docs_out"], 1);
    assert_eq!(source["sequences_out"], 2);
    assert_eq!(source["decontam_split"], 1);
    let prefix = out.join("megatron/Gutenberg_PG-19_text_document");
    let index = read_index(&std::fs::read(prefix.with_extension("idx")).unwrap()).unwrap();
    assert_eq!(index.lengths.len(), 2);
    let pieces = zst_lines(&out.join("docs/Gutenberg_PG-19/part-00000.jsonl.zst"));
    assert_eq!(pieces.len(), 2);
    for piece in &pieces {
        let text = piece["text"].as_str().unwrap().to_lowercase();
        assert!(
            !text.contains("this ungracious behaviour"),
            "a matched passage survived"
        );
        assert!(text.len() > 200);
    }
    let log = zst_lines(&out.join("removed/decontaminated.jsonl.zst"));
    assert_eq!(log.len(), 1);
    assert_eq!(log[0]["verdict"], "split");
    assert_eq!(log[0]["tasks"][0], "implicit_relations");
}
