//! The hot loops of a signature, compiled once per instruction set and chosen at run time:
//! shingle hashes from token hashes, the dropping of recent repeats, and the running minimum
//! of every permutation's image of every shingle.
//!
//! They are plain loops over slices and fixed-size arrays that the compiler vectorizes; the
//! only difference between the builds is the `target_feature` they are compiled under
//! (AVX-512 gives 16 `u32` lanes and `vpmulld`, `vpmullq`; AVX2 8 lanes; baseline x86-64,
//! SSE2, has no 32-bit lane multiply at all). The minima loop is interchanged: a block of
//! up to 128 permutations stays in registers while every shingle streams past it, instead
//! of every shingle loading and storing all the minima.

use super::mix64;

/// The permutation tables and minima are padded to a multiple of this many lanes (the
/// widest vector), so no kernel has a scalar tail.
pub(super) const LANES: usize = 16;

/// Windows hashed per pass: their 64-bit sums stay in L1.
const CHUNK: usize = 256;

/// The instruction set the kernels run with, detected once per [`super::MinHasher`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Isa {
    /// Whatever the build target guarantees (SSE2 on x86-64, NEON on aarch64).
    Baseline,
    /// AVX2: 8 lanes of 32 bits.
    #[cfg(target_arch = "x86_64")]
    Avx2,
    /// AVX-512 F and DQ: 16 lanes of 32 bits, 64-bit lane multiplies.
    #[cfg(target_arch = "x86_64")]
    Avx512,
}

impl Isa {
    /// The widest instruction set this CPU has.
    pub(super) fn detect() -> Isa {
        *Isa::available().last().unwrap_or(&Isa::Baseline)
    }

    /// Every instruction set this CPU has, narrowest first. The only place an `Isa` other
    /// than `Baseline` is made, which is what makes [`run`] sound.
    pub(super) fn available() -> Vec<Isa> {
        #[allow(unused_mut)]
        let mut isas = vec![Isa::Baseline];
        #[cfg(target_arch = "x86_64")]
        {
            if is_x86_feature_detected!("avx2") {
                isas.push(Isa::Avx2);
            }
            if is_x86_feature_detected!("avx512f") && is_x86_feature_detected!("avx512dq") {
                isas.push(Isa::Avx512);
            }
        }
        isas
    }
}

/// What one kernel call computes.
pub(super) struct Work<'a> {
    /// Token hashes of the document.
    pub tokens: &'a [u64],
    /// Per position in a shingle, the multiplier of its token hash (`ngram` of them).
    pub position_mul: &'a [u64],
    /// Receives the hash of every shingle, in order (repeats included).
    pub shingles: &'a mut Vec<u32>,
    /// When given: permutation multipliers, offsets, and the minima they lower. All three
    /// are the same length, a multiple of [`LANES`].
    pub minima: Option<(&'a [u32], &'a [u32], &'a mut [i32])>,
    /// When given, the table [`drop_recent_repeats`] uses (worth it for character
    /// n-grams, which repeat a lot).
    pub seen: Option<&'a mut Vec<u32>>,
}

/// Runs `work` with the kernels compiled for `isa`.
#[allow(unsafe_code)]
pub(super) fn run(isa: Isa, work: Work<'_>) {
    match isa {
        // SAFETY: `Isa::Avx512` and `Isa::Avx2` are only made by `Isa::available`, after
        // `is_x86_feature_detected!` found every feature the called function enables.
        #[cfg(target_arch = "x86_64")]
        Isa::Avx512 => unsafe { run_avx512(work) },
        #[cfg(target_arch = "x86_64")]
        Isa::Avx2 => unsafe { run_avx2(work) },
        Isa::Baseline => run_portable::<32>(work),
    }
}

/// [`run_portable`] with 16-lane vectors, 8 of them (128 permutations) per block.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512dq")]
fn run_avx512(work: Work<'_>) {
    run_portable::<128>(work);
}

/// [`run_portable`] with 8-lane vectors, 8 of them (64 permutations) per block.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn run_avx2(work: Work<'_>) {
    run_portable::<64>(work);
}

/// The kernels, inlined into each instruction set's function; `BLOCK` permutations (a
/// multiple of [`LANES`]) are held in registers at a time.
#[inline(always)]
fn run_portable<const BLOCK: usize>(work: Work<'_>) {
    shingle_hashes(work.tokens, work.position_mul, work.shingles);
    if let Some((mul, add, minima)) = work.minima {
        if let Some(seen) = work.seen {
            drop_recent_repeats(work.shingles, seen);
        }
        absorb_all::<BLOCK>(work.shingles, mul, add, minima);
    }
}

/// Writes into `out` the hash of each window of `ngram = position_mul.len()` tokens:
/// `mix64(len_tag + Σ tokens[start + j] · position_mul[j])`, high 32 bits. A document with
/// fewer tokens than `ngram` (none included) is the one window of all it has.
#[inline(always)]
fn shingle_hashes(tokens: &[u64], position_mul: &[u64], out: &mut Vec<u32>) {
    let window = position_mul.len().min(tokens.len());
    let n_shingles = (tokens.len() + 1).saturating_sub(window.max(1)).max(1);
    let len_tag = (window as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    out.clear();
    out.reserve(n_shingles);
    // Position by position over a chunk of windows rather than window by window: each
    // pass is one multiply-add over contiguous lanes. Wrapping sums do not depend on order.
    for start in (0..n_shingles).step_by(CHUNK) {
        let len = CHUNK.min(n_shingles - start);
        let mut sums = [len_tag; CHUNK];
        let sums = &mut sums[..len];
        for (j, &mul) in position_mul[..window].iter().enumerate() {
            let column = &tokens[start + j..start + j + len];
            for (sum, &token) in sums.iter_mut().zip(column) {
                *sum = sum.wrapping_add(token.wrapping_mul(mul));
            }
        }
        out.extend(sums.iter().map(|&sum| (mix64(sum) >> 32) as u32));
    }
}

/// The most slots of the table that remembers recent shingles: 64 KiB, in L2 at worst.
const MAX_SEEN_SLOTS: usize = 16384;

/// Removes from `shingles` each one equal to the last shingle seen in its slot of `seen`
/// (a direct-mapped table of a power of two slots): most repeats of common n-grams, never
/// a shingle not seen before. A minimum does not change when a shingle is absorbed twice,
/// so a repeat that stays is harmless.
#[inline(always)]
fn drop_recent_repeats(shingles: &mut Vec<u32>, seen: &mut Vec<u32>) {
    let slots = shingles.len().next_power_of_two().min(MAX_SEEN_SLOTS);
    // Slot `i` starts with a value whose low bits are not `i`: no shingle matches it.
    seen.clear();
    seen.extend((0..slots as u32).map(|slot| slot ^ 1));
    let mask = slots - 1;
    // Compaction without a branch on whether each shingle is new: those are unpredictable.
    let mut kept = 0;
    for at in 0..shingles.len() {
        let shingle = shingles[at];
        let slot = &mut seen[shingle as usize & mask];
        let new = *slot != shingle;
        *slot = shingle;
        shingles[kept] = shingle;
        kept += usize::from(new);
    }
    shingles.truncate(kept);
}

/// Lowers `minima[i]` to `min over shingles of (mul[i] · shingle + add[i]) as i32`.
#[inline(always)]
fn absorb_all<const BLOCK: usize>(shingles: &[u32], mul: &[u32], add: &[u32], minima: &mut [i32]) {
    let full = minima.len() / BLOCK * BLOCK;
    let (mul_full, mul_rest) = mul.split_at(full);
    let (add_full, add_rest) = add.split_at(full);
    let (minima_full, minima_rest) = minima.split_at_mut(full);
    for ((mul, add), minima) in mul_full
        .chunks_exact(BLOCK)
        .zip(add_full.chunks_exact(BLOCK))
        .zip(minima_full.chunks_exact_mut(BLOCK))
    {
        absorb_block::<BLOCK>(shingles, mul, add, minima);
    }
    // The rest, fewer than BLOCK permutations, in one pass of the next multiple of LANES.
    match minima_rest.len() / LANES {
        0 => {}
        1 => absorb_block::<LANES>(shingles, mul_rest, add_rest, minima_rest),
        2 => absorb_block::<{ 2 * LANES }>(shingles, mul_rest, add_rest, minima_rest),
        3 => absorb_block::<{ 3 * LANES }>(shingles, mul_rest, add_rest, minima_rest),
        4 => absorb_block::<{ 4 * LANES }>(shingles, mul_rest, add_rest, minima_rest),
        5 => absorb_block::<{ 5 * LANES }>(shingles, mul_rest, add_rest, minima_rest),
        6 => absorb_block::<{ 6 * LANES }>(shingles, mul_rest, add_rest, minima_rest),
        _ => absorb_block::<{ 7 * LANES }>(shingles, mul_rest, add_rest, minima_rest),
    }
}

/// One block of `N` permutations: minima in registers, every shingle streamed past them.
#[inline(always)]
fn absorb_block<const N: usize>(shingles: &[u32], mul: &[u32], add: &[u32], minima: &mut [i32]) {
    let (Ok(mul), Ok(add), Ok(minima)) = (
        <&[u32; N]>::try_from(mul),
        <&[u32; N]>::try_from(add),
        <&mut [i32; N]>::try_from(minima),
    ) else {
        unreachable!("absorb_block: slices of {N} permutations");
    };
    let mut lows = *minima;
    for &shingle in shingles {
        for i in 0..N {
            let image = mul[i].wrapping_mul(shingle).wrapping_add(add[i]) as i32;
            lows[i] = lows[i].min(image);
        }
    }
    *minima = lows;
}

#[cfg(test)]
mod tests {
    use super::super::splitmix64;
    use super::*;

    /// The kernels of every instruction set give what the plain per-shingle loops give.
    fn check(n_tokens: usize, ngram: usize, n_perm: usize, seed: u64) {
        let mut state = seed;
        // Few distinct tokens, so that shingles repeat and the repeat table has work.
        let tokens: Vec<u64> = (0..n_tokens).map(|_| splitmix64(&mut state) % 7).collect();
        let position_mul: Vec<u64> = (0..ngram).map(|_| splitmix64(&mut state) | 1).collect();
        let mul: Vec<u32> = (0..n_perm)
            .map(|_| splitmix64(&mut state) as u32 | 1)
            .collect();
        let add: Vec<u32> = (0..n_perm).map(|_| splitmix64(&mut state) as u32).collect();
        let window = ngram.min(n_tokens);
        let len_tag = (window as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let expected_shingles: Vec<u32> = (0..(n_tokens + 1).saturating_sub(window.max(1)).max(1))
            .map(|start| {
                let sum = tokens[start..start + window]
                    .iter()
                    .zip(&position_mul)
                    .fold(len_tag, |acc, (&t, &m)| acc.wrapping_add(t.wrapping_mul(m)));
                (mix64(sum) >> 32) as u32
            })
            .collect();
        let expected_minima: Vec<i32> = (0..n_perm)
            .map(|i| {
                let images = expected_shingles
                    .iter()
                    .map(|&s| mul[i].wrapping_mul(s).wrapping_add(add[i]) as i32);
                images.fold(i32::MAX, i32::min)
            })
            .collect();
        for isa in Isa::available() {
            for skip_repeats in [false, true] {
                let (mut shingles, mut minima, mut seen) =
                    (Vec::new(), vec![i32::MAX; n_perm], Vec::new());
                let work = Work {
                    tokens: &tokens,
                    position_mul: &position_mul,
                    shingles: &mut shingles,
                    minima: Some((&mul, &add, &mut minima)),
                    seen: skip_repeats.then_some(&mut seen),
                };
                run(isa, work);
                let case = format!("{isa:?} {n_tokens} tokens, {ngram}-grams, {n_perm} perms");
                assert_eq!(minima, expected_minima, "{case}");
                if !skip_repeats {
                    assert_eq!(shingles, expected_shingles, "{case}");
                }
            }
        }
    }

    #[test]
    fn every_instruction_set_matches_the_plain_loops() {
        let cases = [
            (0, 5, 16),
            (1, 5, 112),
            (4, 5, 48),
            (5, 5, 272),
            (300, 1, 160),
            (1000, 5, 112),
            (1000, 13, 2048),
            (70_000, 5, 272),
        ];
        for (seed, &(n_tokens, ngram, n_perm)) in cases.iter().enumerate() {
            check(n_tokens, ngram, n_perm, seed as u64);
        }
    }
}
