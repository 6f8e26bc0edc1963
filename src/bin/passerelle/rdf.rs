//! `passerelle rdf canonicalize`: the RDFC-1.0 canonical N-Quads of JSON-LD
//! documents — what an `*-rdfc-*` proof hashes — to see why a signature
//! does not verify, or to compare with another implementation.

use std::path::PathBuf;
use std::process::ExitCode;

use passerelle::json::{parse_strict, Limits};
use passerelle::jsonld::JsonLd;
use serde_json::{json, Map, Value};

use crate::{io_failure, parse_context_arg, read_input, Failure};

/// The `rdf` subcommands.
#[derive(clap::Subcommand)]
pub(crate) enum RdfCommand {
    /// Print the canonical N-Quads of a JSON-LD document (RDFC-1.0, SHA-256).
    Canonicalize(CanonicalizeArgs),
}

#[derive(clap::Args)]
pub(crate) struct CanonicalizeArgs {
    /// JSON-LD documents (or - for standard input).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Leave out the document's `proof` first, as the rdfc suites do.
    #[arg(long)]
    without_proof: bool,
    /// A JSON-LD context besides the bundled ones, as URL=FILE (repeatable).
    #[arg(long = "context", value_parser = parse_context_arg)]
    contexts: Vec<(String, PathBuf)>,
    /// Print one JSON object, file → {"nquads": …} or {"error": CODE}, and
    /// carry on past documents that fail.
    #[arg(long)]
    json: bool,
}

/// A JSON-LD processor with the bundled contexts and those of `--context`
/// (URL, file) pairs, read now.
pub(crate) fn jsonld_with(contexts: &[(String, PathBuf)]) -> Result<JsonLd, Failure> {
    let mut supplied = std::collections::HashMap::new();
    for (url, path) in contexts {
        let text = std::fs::read_to_string(path).map_err(|e| io_failure(path, e))?;
        supplied.insert(url.clone(), text);
    }
    Ok(JsonLd::new().with_loader(supplied))
}

pub(crate) fn rdf(command: RdfCommand) -> Result<ExitCode, Failure> {
    let RdfCommand::Canonicalize(args) = command;
    let jsonld = jsonld_with(&args.contexts)?;
    let canonicalize = |path: &PathBuf| -> Result<String, Failure> {
        let bytes = read_input(path, Limits::default().max_bytes)?;
        let mut document = parse_strict(&bytes, Limits::default())?;
        if let (true, Value::Object(map)) = (args.without_proof, &mut document) {
            map.shift_remove("proof");
        }
        Ok(jsonld.canonicalize(&document)?)
    };
    if !args.json {
        for path in &args.files {
            out!("{}", canonicalize(path)?);
        }
        return Ok(ExitCode::SUCCESS);
    }
    let mut results = Map::new();
    for path in &args.files {
        let result = match canonicalize(path) {
            Ok(nquads) => json!({"nquads": nquads}),
            Err(failure) => json!({"error": failure.en}),
        };
        results.insert(path.display().to_string(), result);
    }
    outln!("{}", Value::Object(results));
    Ok(ExitCode::SUCCESS)
}
