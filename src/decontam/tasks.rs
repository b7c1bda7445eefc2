//! The task n-grams: built once from the task texts, then matched against every training
//! document in pass 1 ([`TaskNgrams::matches`]).
//!
//! As in `filter_ngrams.py`, a task text of at least `max_ngram` words gives all its
//! `max_ngram`-grams, one of `min_ngram..max_ngram` words gives itself whole, and a shorter
//! one gives nothing. The same n-gram from several examples is stored once, with all its
//! sources.

use super::DecontamParams;
use super::counts::NgramCounts;
use super::guard::Degenerate;
use super::index::{DocWords, NgramIndex, ngram_hash};
use super::starts::StartFilter;
use super::words::{lower_hash, lower_words};

/// One example of a downstream task: what to n-gram and where it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaskText {
    /// Task name, e.g. `bigbench:implicit_relations`.
    pub task: String,
    /// Example id within the task, e.g. `45` or `HumanEval/78`.
    pub example_id: String,
    /// Text to n-gram: the input and, if wanted, the targets and choices.
    pub text: String,
}

/// Index of a task n-gram in its [`TaskNgrams`].
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct NgramId(pub u32);

/// Index of a task name in its [`TaskNgrams`], in order of first appearance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TaskId(pub u32);

/// What building the task n-grams found, for the report.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TaskStats {
    /// Task examples read.
    pub n_examples: usize,
    /// Examples of fewer than `min_ngram` words, which give no n-gram.
    pub n_too_short: usize,
    /// Distinct n-grams kept.
    pub n_ngrams: usize,
    /// N-gram occurrences skipped by the guard for too few informative words.
    pub n_few_informative: usize,
    /// N-gram occurrences skipped by the guard for too few distinct words.
    pub n_few_distinct: usize,
}

/// The n-grams of all task texts, ready to be matched against documents.
pub struct TaskNgrams {
    pub(crate) params: DecontamParams,
    task_names: Vec<String>,
    /// Per example: its task and its id.
    examples: Vec<(TaskId, String)>,
    /// The n-grams' lower-cased words joined by spaces, end to end; n-gram `i` is
    /// `arena[ends[i - 1]..ends[i]]`.
    arena: String,
    ends: Vec<usize>,
    /// Examples of n-gram `i`: `source_examples[source_ends[i - 1]..source_ends[i]]`.
    source_ends: Vec<usize>,
    source_examples: Vec<u32>,
    pub(crate) index: NgramIndex,
    /// How the n-grams start: pass 1 looks a window up in `index` only on a hit.
    starts: StartFilter,
    stats: TaskStats,
}

impl TaskNgrams {
    /// Builds the n-grams of `tasks` after checking `params`.
    pub fn from_tasks(tasks: &[TaskText], params: &DecontamParams) -> anyhow::Result<TaskNgrams> {
        params.validate()?;
        let mut built = TaskNgrams {
            params: params.clone(),
            task_names: Vec::new(),
            examples: Vec::new(),
            arena: String::new(),
            ends: Vec::new(),
            source_ends: Vec::new(),
            source_examples: Vec::new(),
            index: NgramIndex::default(),
            starts: StartFilter::new(params.min_ngram),
            stats: TaskStats::default(),
        };
        // (n-gram, example) pairs, sorted into per-n-gram sources at the end.
        let mut sources: Vec<(u32, u32)> = Vec::new();
        let mut scratch = Vec::new();
        for task in tasks {
            let task_id = match built.task_names.iter().position(|t| *t == task.task) {
                Some(at) => at,
                None => {
                    built.task_names.push(task.task.clone());
                    built.task_names.len() - 1
                }
            };
            let example = u32::try_from(built.examples.len())?;
            built
                .examples
                .push((TaskId(u32::try_from(task_id)?), task.example_id.clone()));
            built.stats.n_examples += 1;
            let words = lower_words(&task.text);
            if words.len() < params.min_ngram {
                built.stats.n_too_short += 1;
                continue;
            }
            let n = words.len().min(params.max_ngram);
            for window in words.windows(n) {
                match params.guard.check(window) {
                    Some(Degenerate::FewInformative) => built.stats.n_few_informative += 1,
                    Some(Degenerate::FewDistinct) => built.stats.n_few_distinct += 1,
                    None => {
                        let id = built.intern(window, &mut scratch)?;
                        sources.push((id.0, example));
                    }
                }
            }
        }
        sources.sort_unstable();
        sources.dedup();
        let mut pairs = sources.iter().peekable();
        for id in 0..built.ends.len() {
            while let Some(&(_, example)) = pairs.next_if(|(i, _)| *i as usize == id) {
                built.source_examples.push(example);
            }
            built.source_ends.push(built.source_examples.len());
        }
        built.stats.n_ngrams = built.ends.len();
        Ok(built)
    }

    /// The id of n-gram `words`, added if new.
    fn intern(&mut self, words: &[String], scratch: &mut Vec<u8>) -> anyhow::Result<NgramId> {
        let word_hashes: Vec<u64> = words.iter().map(|w| lower_hash(w, scratch)).collect();
        let hash = ngram_hash(word_hashes.iter().copied());
        let joined = words.join(" ");
        let table = self.index.table(words.len());
        if let Some(id) = table.and_then(|t| t.lookup(hash, |id| self.ngram(id) == joined)) {
            return Ok(id);
        }
        let id = NgramId(u32::try_from(self.ends.len())?);
        self.arena.push_str(&joined);
        self.ends.push(self.arena.len());
        self.index.insert(words.len(), hash, id);
        let start = &word_hashes[..self.starts.n()];
        self.starts.insert(ngram_hash(start.iter().copied()));
        Ok(id)
    }

    /// The lower-cased words of n-gram `id`, joined by spaces.
    pub fn ngram(&self, id: NgramId) -> &str {
        let i = id.0 as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.arena[start..self.ends[i]]
    }

    /// The examples n-gram `id` came from, as `(task, example id)`, in input order.
    pub fn sources(&self, id: NgramId) -> impl Iterator<Item = (TaskId, &str)> {
        let i = id.0 as usize;
        let start = if i == 0 { 0 } else { self.source_ends[i - 1] };
        self.source_examples[start..self.source_ends[i]]
            .iter()
            .map(|&e| {
                let (task, example_id) = &self.examples[e as usize];
                (*task, example_id.as_str())
            })
    }

    /// The name of task `id`.
    pub fn task_name(&self, id: TaskId) -> &str {
        &self.task_names[id.0 as usize]
    }

    /// How many distinct n-grams there are; ids run from 0 to this, exclusive.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there is no n-gram (no task text, or all too short or degenerate).
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// What building found.
    pub fn stats(&self) -> TaskStats {
        self.stats
    }

    /// Pass 1: the distinct task n-grams found in `text`, ascending. Add them to the
    /// batch's [`NgramCounts`] with [`NgramCounts::add_doc`].
    pub fn matches(&self, text: &str) -> Vec<NgramId> {
        let doc = DocWords::new(text);
        let mut found = Vec::new();
        let (n, pow) = (self.starts.n(), self.starts.pow());
        for start in 0..(doc.words.len() + 1).saturating_sub(n) {
            if !self.starts.may_start(doc.hash_of(start, n, pow)) {
                continue;
            }
            let tables = self.index.tables().iter();
            for table in tables.take_while(|t| start + t.n <= doc.words.len()) {
                let is_it = |id| doc.window_eq(start, self.ngram(id));
                if let Some(id) = table.lookup(doc.window_hash(start, table), is_it) {
                    found.push(id);
                }
            }
        }
        found.sort_unstable();
        found.dedup();
        found
    }

    /// Between the passes: keeps the n-grams found in fewer than `key_threshold` documents
    /// of pass 1 and returns the pass-2 cleaner.
    pub fn finalize(self, counts: &NgramCounts) -> super::Decontaminator {
        super::Decontaminator::new(self, counts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(task: &str, example_id: &str, text: &str) -> TaskText {
        let (task, example_id, text) = (task.to_owned(), example_id.to_owned(), text.to_owned());
        TaskText {
            task,
            example_id,
            text,
        }
    }

    /// Builds n-grams from `tasks` and checks them, with their sources, then the ids found
    /// in `doc` and the stats `(examples, too short, n-grams, few informative)`.
    fn check(
        tasks: &[TaskText],
        ngrams: &[(&str, &[&str])],
        doc: &str,
        found: &[u32],
        stats: (usize, usize, usize, usize),
    ) {
        let built = TaskNgrams::from_tasks(tasks, &DecontamParams::default()).expect("build");
        let got: Vec<(&str, Vec<&str>)> = (0..built.len() as u32)
            .map(|i| {
                let sources = built.sources(NgramId(i)).map(|(_, example)| example);
                (built.ngram(NgramId(i)), sources.collect())
            })
            .collect();
        let want: Vec<(&str, Vec<&str>)> = ngrams.iter().map(|(g, s)| (*g, s.to_vec())).collect();
        assert_eq!(got, want);
        let ids: Vec<u32> = built.matches(doc).iter().map(|id| id.0).collect();
        assert_eq!(ids, found, "{doc:?}");
        let s = built.stats();
        assert_eq!(
            (s.n_examples, s.n_too_short, s.n_ngrams, s.n_few_informative),
            stats
        );
    }

    #[test]
    fn task_texts_give_13_grams_or_themselves_whole() {
        // Real texts: metaphor_boolean examples 1 and 0, HumanEval/78's digit list.
        let short = "Krishna is an early bird. <--> Krishna is a bird.\nTrue\nFalse";
        let twelve = "Krishna is an early bird. <--> Krishna wakes up early everyday.\nTrue\nFalse";
        let hex = "Hexadecimal digits are 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, A, B, C, D, E, F.";
        let whole = "krishna is an early bird krishna is a bird true false";
        let first = "krishna is an early bird krishna wakes up early everyday true false";
        check(
            &[
                task("mb", "1", short),
                task("mb", "1b", short),
                task("mb", "2", "Krishna is a bird."),
            ],
            &[(whole, &["1", "1b"])],
            &format!("Quiz: {short} {short}"),
            &[0],
            (3, 1, 1, 0),
        );
        check(
            &[task("mb", "0", twelve)],
            &[(first, &["0"])],
            "krishna is an early bird, krishna wakes up early",
            &[],
            (1, 0, 1, 0),
        );
        // 19 words, 7 windows: the guard skips the 6 of fewer than 3 informative words.
        check(
            &[task("he", "78", hex)],
            &[("hexadecimal digits are 0 1 2 3 4 5 6 7 8 9", &["78"])],
            "isxdigit: one of 0 1 2 3 4 5 6 7 8 9 a b c d e f A B C D E F.",
            &[],
            (1, 0, 1, 6),
        );
    }
}
