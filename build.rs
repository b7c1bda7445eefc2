//! Records the git commit the binary is built from (`PILECURATE_GIT_COMMIT`, shown in the
//! run report), or `unknown` when git or the checkout is missing: the build never fails for
//! want of git.

use std::path::PathBuf;
use std::process::Command;

/// Runs `git args...` in the package folder; its trimmed output, if it succeeded.
fn git(args: &[&str]) -> Option<String> {
    let dir = std::env::var_os("CARGO_MANIFEST_DIR")?;
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .ok()?;
    let text = String::from_utf8(output.stdout).ok()?;
    (output.status.success() && !text.trim().is_empty()).then(|| text.trim().to_string())
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let commit = git(&["rev-parse", "HEAD"]).unwrap_or_else(|| "unknown".to_string());
    println!("cargo:rustc-env=PILECURATE_GIT_COMMIT={commit}");
    // Rebuild when HEAD moves: a new commit on the branch, or another branch checked out.
    if let (Some(git_dir), Some(common)) = (
        git(&["rev-parse", "--absolute-git-dir"]),
        git(&["rev-parse", "--path-format=absolute", "--git-common-dir"]),
    ) {
        let (git_dir, common) = (PathBuf::from(git_dir), PathBuf::from(common));
        let mut watched = vec![git_dir.join("HEAD"), common.join("packed-refs")];
        if let Some(head_ref) = git(&["symbolic-ref", "-q", "HEAD"]) {
            // The folder, not the file: a branch first committed to may be packed only.
            let loose = common.join(head_ref);
            watched.extend(loose.parent().map(PathBuf::from));
        }
        // A missing file would make cargo rerun this script on every build.
        for path in watched.iter().filter(|path| path.exists()) {
            println!("cargo:rerun-if-changed={}", path.display());
        }
    }
}
