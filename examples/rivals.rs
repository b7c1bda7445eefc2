//! The fast path beside the fastest Rust engines for the same vocabulary: `tiktoken-rs` and
//! `bpe-openai`, one core, per source, with their ids compared to ours on every document.
//!
//! `cargo run --release --features rivals --example rivals -- --tokenizer PATH [CORPUS]`
//! For GPT-4o's tokenizer.json the rivals are their own embedded o200k_base. For Llama 3's
//! (cl100k's regex over a 128k vocabulary no rival embeds) tiktoken-rs is built from the
//! file's own vocabulary with cl100k's regex. Rivals skip added tokens (tiktoken's
//! `encode_ordinary`), so a document that spells one differs; ours are HF's ids (checked by
//! `pilecurate bench`).

use anyhow::{Context, Result, bail};
use pilecurate::tokenize::Tokenizer;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::io::BufRead;
use std::time::Instant;

#[derive(Deserialize)]
struct Record {
    text: String,
    #[serde(default)]
    meta: Meta,
}

#[derive(Deserialize, Default)]
struct Meta {
    #[serde(default)]
    pile_set_name: String,
}

const CL100K_TIKTOKEN: &str = r"'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s";

/// One engine: a name and a function from text to ids.
type Rival = (&'static str, Box<dyn Fn(&str) -> Vec<u32>>);

fn main() -> Result<()> {
    let mut corpus = "../shared/data/corpus/corpus.jsonl.gz".to_string();
    let mut path = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--tokenizer" => path = Some(args.next().context("--tokenizer needs a path")?),
            _ if arg.starts_with("--") => bail!("unknown option {arg}"),
            _ => corpus = arg,
        }
    }
    let path = path.context("--tokenizer PATH is required")?;
    let bytes = std::fs::read(&path).with_context(|| format!("cannot read {path}"))?;
    let ours = Tokenizer::load_for_counting(&bytes, &path)?;
    if ours.engine_name() != "fast" {
        bail!("{path}: {}", ours.engine_description());
    }
    let json: serde_json::Value = serde_json::from_slice(&bytes)?;
    let rivals = if json["model"]["vocab"].as_object().map(|v| v.len()) == Some(200_000) {
        o200k_rivals()
    } else {
        own_vocab_rivals(&json)?
    };
    let docs = read_docs(&corpus)?;
    let mut engines: Vec<Rival> = vec![(
        "pilecurate fast",
        Box::new(move |text: &str| ours.encode(text).unwrap_or_default()),
    )];
    engines.extend(rivals);
    // Warm-up: lazy tables are built before timing.
    for (_, encode) in &engines {
        encode("warm up");
    }
    // Each engine encodes the whole corpus in its own pass, as a run would: interleaved,
    // each one's tables would evict the others'.
    let mut secs = vec![BTreeMap::<&str, f64>::new(); engines.len()];
    let mut differ = vec![0usize; engines.len()];
    let mut bytes_per_source = BTreeMap::<&str, usize>::new();
    for (source, text) in &docs {
        *bytes_per_source.entry(source).or_default() += text.len();
    }
    let mut reference: Vec<Vec<u32>> = Vec::with_capacity(docs.len());
    for (k, (_, encode)) in engines.iter().enumerate() {
        for (doc, (source, text)) in docs.iter().enumerate() {
            let started = Instant::now();
            let ids = encode(text);
            *secs[k].entry(source).or_default() += started.elapsed().as_secs_f64();
            if k == 0 {
                reference.push(ids);
            } else if ids != reference[doc] {
                differ[k] += 1;
            }
        }
    }
    let total: usize = bytes_per_source.values().sum();
    println!(
        "{} documents, {:.1} MB, one core",
        docs.len(),
        total as f64 / 1e6
    );
    print!("| source | MB |");
    for (name, _) in &engines {
        print!(" {name} MB/s |");
    }
    println!();
    for (source, n) in &bytes_per_source {
        print!("| {source} | {:.1} |", *n as f64 / 1e6);
        for per_source in &secs {
            print!(" {:.1} |", *n as f64 / 1e6 / per_source[source]);
        }
        println!();
    }
    print!("| all | {:.1} |", total as f64 / 1e6);
    for per_source in &secs {
        print!(
            " {:.1} |",
            total as f64 / 1e6 / per_source.values().sum::<f64>()
        );
    }
    println!();
    for ((name, _), n) in engines.iter().zip(&differ).skip(1) {
        println!("{name}: {n} of {} documents differ from ours", docs.len());
    }
    Ok(())
}

fn o200k_rivals() -> Vec<Rival> {
    let tiktoken = tiktoken_rs::o200k_base_singleton();
    let bpe = bpe_openai::o200k_base();
    vec![
        (
            "tiktoken-rs o200k",
            Box::new(move |t: &str| tiktoken.encode_ordinary(t)),
        ),
        ("bpe-openai o200k", Box::new(move |t: &str| bpe.encode(t))),
    ]
}

/// tiktoken-rs over the file's own byte-level vocabulary, with cl100k's regex. (bpe-openai's
/// `BytePairEncoding::from_dictionary` asserts on Llama 3's vocabulary: two tokens' hashes
/// collide with its hash factors.)
fn own_vocab_rivals(json: &serde_json::Value) -> Result<Vec<Rival>> {
    let vocab = json["model"]["vocab"].as_object().context("no vocab")?;
    let byte_of: HashMap<char, u8> = byte_chars().into_iter().zip(0..=255u8).collect();
    let mut by_id: Vec<(u32, Vec<u8>)> = Vec::with_capacity(vocab.len());
    for (token, id) in vocab {
        let bytes = token
            .chars()
            .map(|c| byte_of.get(&c).copied())
            .collect::<Option<_>>();
        let id = id.as_u64().context("id")? as u32;
        by_id.push((id, bytes.context("a token outside the byte alphabet")?));
    }
    let encoder = by_id.into_iter().map(|(id, b)| (b, id)).collect();
    let tiktoken = tiktoken_rs::CoreBPE::new(encoder, Default::default(), CL100K_TIKTOKEN)?;
    Ok(vec![(
        "tiktoken-rs (own vocab)",
        Box::new(move |t: &str| tiktoken.encode_ordinary(t)),
    )])
}

/// GPT-2's printable stand-in for each byte.
fn byte_chars() -> Vec<char> {
    let mut n = 0;
    (0..=255u8)
        .map(|b| {
            if matches!(b, b'!'..=b'~' | 0xA1..=0xAC | 0xAE..=0xFF) {
                char::from(b)
            } else {
                n += 1;
                char::from_u32(255 + n).unwrap_or('\0')
            }
        })
        .collect()
}

fn read_docs(path: &str) -> Result<Vec<(String, String)>> {
    let file = std::fs::File::open(path).with_context(|| format!("cannot open {path}"))?;
    let reader = std::io::BufReader::new(flate2::read::MultiGzDecoder::new(file));
    let mut docs = Vec::new();
    for line in reader.lines() {
        let record: Record = serde_json::from_str(&line?)?;
        docs.push((record.meta.pile_set_name, record.text));
    }
    Ok(docs)
}
