//! `POST /tenants/{tenant}/credentials/issue` (VCALM §3.2.1): checks the
//! request against the tenant's policy; the [writer](crate::writer) then
//! takes status indexes, signs, and records the credential and its audit
//! lines in the same transaction as the indexes, so that nothing is
//! acknowledged that is not committed.

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use passerelle::status::{StatusEntry, StatusPurpose};
use passerelle::{ErrorCode, Timestamp};
use serde_json::{json, Map, Value};
use sha2::{Digest as _, Sha256};

use crate::auth::{authorize, Scope};
use crate::db::{self, AuditLine, Issued, ListRow};

use crate::directory::{hex, list_url, Tenant};
use crate::problem::{lang_of, Answer, Code, Problem};
use crate::request::{read_body, refuse_unknown};
use crate::AppState;

/// Entries in each status list the service creates (the Bitstring Status
/// List minimum, for herd privacy).
pub const LIST_ENTRIES: i64 = 131_072;

/// Random picks of an index before a list counts as full and the next is
/// opened. At a fill `f` an issuance leaves the list with probability
/// `f^32`; summed over a list's life, lists are left about three quarters
/// full (a simulation: 74–80 %), keeping each list's herd large.
const PICKS_PER_LIST: usize = 32;

/// How far before the service's clock a given `validFrom` may be (clocks
/// of callers and instances differ a little).
pub const VALID_FROM_SKEW_SECONDS: i64 = 300;

/// The contexts a credential may name: URLs the library bundles, never
/// inline definitions (which could give an allowed type name another
/// meaning) nor contexts fetched from elsewhere.
pub const ALLOWED_CONTEXTS: &[&str] = &[
    "https://www.w3.org/ns/credentials/v2",
    "https://www.w3.org/ns/credentials/examples/v2",
];

fn check_contexts(credential: &Map<String, Value>) -> Result<(), Problem> {
    let contexts = match credential.get("@context") {
        Some(Value::Array(contexts)) => contexts.as_slice(),
        _ => {
            return Err(Problem::invalid(
                "@context must be an array starting with https://www.w3.org/ns/credentials/v2",
            ))
        }
    };
    if contexts.first().and_then(Value::as_str) != Some(ALLOWED_CONTEXTS[0]) {
        return Err(Problem::invalid(
            "@context must start with https://www.w3.org/ns/credentials/v2",
        ));
    }
    for context in contexts {
        match context.as_str() {
            Some(url) if ALLOWED_CONTEXTS.contains(&url) => {}
            _ => {
                return Err(Problem::invalid(format!(
                    "@context may hold only {ALLOWED_CONTEXTS:?}: not {context} (no inline or remote context)"
                )))
            }
        }
    }
    Ok(())
}

/// The purposes of the status entries every credential gets.
pub const STATUS_PURPOSES: &[&str] = &["revocation", "suspension"];

/// The handler.
pub async fn issue(
    State(state): State<AppState>,
    Path(tenant_id): Path<String>,
    headers: HeaderMap,
    body: axum::body::Body,
) -> Answer {
    let lang = lang_of(&headers);
    Answer {
        lang,
        result: issue_credential(&state, &tenant_id, &headers, body).await,
    }
}

async fn issue_credential(
    state: &AppState,
    tenant_id: &str,
    headers: &HeaderMap,
    body: axum::body::Body,
) -> Result<Response, Problem> {
    let tenant = match state.tenant(tenant_id).await {
        Ok(tenant) => tenant,
        Err(problem) => return Err(crate::request::refuse_unread(body, problem).await),
    };
    let caller = match authorize(state, headers, tenant_id, Scope::Issue).await {
        Ok(caller) => caller,
        Err(problem) => return Err(crate::request::refuse_unread(body, problem).await),
    };
    // Read only once the caller is known: no one unauthenticated makes
    // the service hold a megabyte.
    let body = crate::request::read_limited(body).await?;
    let mut request = read_body(&body)?;
    refuse_unknown(&request, &["credential", "options"], "request")?;
    let options = match request.remove("options") {
        None => Map::new(),
        Some(Value::Object(options)) => options,
        Some(_) => return Err(Problem::invalid("options must be an object")),
    };
    refuse_unknown(&options, &["credentialId"], "options")?;
    let Some(Value::Object(mut credential)) = request.remove("credential") else {
        return Err(Problem::invalid("credential must be an object"));
    };

    let idempotency = match headers.get("idempotency-key") {
        None => None,
        Some(v) => match v.to_str() {
            Ok(k) if !k.is_empty() && k.len() <= 255 => Some(k.to_owned()),
            _ => return Err(Problem::invalid("Idempotency-Key must be 1 to 255 visible characters")),
        },
    };
    let request_digest = hex(&Sha256::digest(&body));
    if let Some(key) = &idempotency {
        if let Some(replay) = replay(state, tenant_id, key, &request_digest).await? {
            return Ok(replay);
        }
    }

    let now = (state.clock)();
    let types = prepare(&tenant, &mut credential, &options, now)?;
    if let Some(trust) = &state.trust {
        crate::trust::check_issuance(trust, &tenant.row.did, &types, now)?;
    }
    let id = match credential.get("id") {
        Some(Value::String(id)) => id.clone(),
        _ => return Err(Problem::invalid("credential.id must be a string")),
    };
    let claims = tenant
        .row
        .audit_claims
        .then(|| credential.get("credentialSubject").map(Value::to_string))
        .flatten();

    let job = Job {
        tenant,
        credential,
        types,
        id: id.clone(),
        idempotency: idempotency.clone().map(|key| (key, request_digest.clone())),
        claims,
        actor: caller.actor,
        now,
    };
    match state.writer.issue(job).await? {
        Written::Issued(text) => {
            state.metrics.issued();
            Ok(created(text))
        }
        Written::Duplicate => {
            if let Some(key) = &idempotency {
                if let Some(replay) = replay(state, tenant_id, key, &request_digest).await? {
                    return Ok(replay);
                }
            }
            Err(Problem::new(
                StatusCode::CONFLICT,
                Code::CredentialExists,
                format!("the tenant already issued a credential with id {id}"),
            ))
        }
    }
}

/// An issuance checked and ready to sign: what the writer needs.
pub struct Job {
    /// The tenant, with its issuer.
    pub tenant: std::sync::Arc<Tenant>,
    /// The credential without status entries or proof.
    pub credential: Map<String, Value>,
    /// Its types.
    pub types: Vec<String>,
    /// Its id.
    pub id: String,
    /// The idempotency key and the request's digest.
    pub idempotency: Option<(String, String)>,
    /// The subject's claims for the audit log, when the tenant keeps them.
    pub claims: Option<String>,
    /// Who asked.
    pub actor: String,
    /// The issuance time.
    pub now: Timestamp,
}

/// What became of a job.
pub enum Written {
    /// Committed: the response body.
    Issued(String),
    /// The tenant already has a credential of that id or idempotency key;
    /// nothing was written.
    Duplicate,
}

/// The current list of each (tenant, purpose) a writer has seen in
/// committed work: asked of the database once per list, not per issuance.
pub type CurrentLists = std::collections::HashMap<(String, String), ListRow>;

/// Takes the status indexes, signs and records one job, in `conn` (a
/// savepoint of the writer's transaction).
pub async fn write_job(
    conn: &mut sqlx::AnyConnection,
    public_url: &str,
    lists: &mut CurrentLists,
    job: Job,
) -> Result<Written, Problem> {
    let Job {
        tenant,
        mut credential,
        types,
        id,
        idempotency,
        claims,
        actor,
        now,
    } = job;
    let tenant_id = tenant.row.id.as_str();
    let at = now.to_string();
    let mut entries = Vec::new();
    for purpose in STATUS_PURPOSES {
        entries.push(take_index(conn, public_url, lists, tenant_id, purpose, &id, &at).await?);
    }
    let status: Vec<Value> = entries
        .iter()
        .map(|(list, index)| {
            StatusEntry {
                purpose: StatusPurpose::parse(&list.purpose),
                index: u64::try_from(*index).unwrap_or(0),
                list_url: list.url.clone(),
                status_size: 1,
                messages: Vec::new(),
                references: Vec::new(),
            }
            .to_json()
        })
        .collect();
    credential.insert("credentialStatus".into(), Value::Array(status));
    // Signed in the writer's task: with an HSM key (PKCS#11) the call
    // blocks that task, and the group waits, while the token signs. That is
    // acceptable for SoftHSM or a local token (a signature takes well under
    // a millisecond); a network HSM would want `spawn_blocking` here.
    let issued = tenant
        .issuer
        .issue(credential, now)
        .map_err(|e| Problem::library(StatusCode::UNPROCESSABLE_ENTITY, &e))?
        .into_json();
    let text = serde_json::to_string(&json!({"verifiableCredential": issued})).map_err(Problem::database)?;
    let digest = hex(&Sha256::digest(text.as_bytes()));
    let types_text = serde_json::to_string(&types).unwrap_or_default();
    let record = Issued {
        tenant_id,
        id: &id,
        types: &types_text,
        digest: &digest,
        idempotency: idempotency.as_ref().map(|(k, d)| (k.as_str(), d.as_str())),
        body: idempotency.is_some().then_some(text.as_str()),
    };
    if !db::record_credential(conn, &record, &at)
        .await
        .map_err(Problem::database)?
    {
        return Ok(Written::Duplicate);
    }
    for (list, index) in &entries {
        let line = AuditLine {
            tenant_id: tenant_id.to_owned(),
            actor: actor.clone(),
            action: "issue".into(),
            credential_id: Some(id.clone()),
            credential_type: types.last().cloned(),
            list_url: Some(list.url.clone()),
            index: Some(*index),
            digest: Some(digest.clone()),
            claims: claims.clone(),
        };
        db::append_audit(conn, &line, &at).await.map_err(Problem::database)?;
    }
    Ok(Written::Issued(text))
}

fn created(text: String) -> Response {
    (StatusCode::CREATED, [(header::CONTENT_TYPE, "application/json")], text).into_response()
}

/// The response first given under an idempotency key, if the key was used
/// with this same request; a conflict if with another.
async fn replay(
    state: &AppState,
    tenant_id: &str,
    key: &str,
    request_digest: &str,
) -> Result<Option<Response>, Problem> {
    match state.db.idempotent(tenant_id, key).await.map_err(Problem::database)? {
        None => Ok(None),
        Some((digest, Some(body))) if digest == request_digest => Ok(Some(created(body))),
        Some(_) => Err(Problem::new(
            StatusCode::CONFLICT,
            Code::IdempotencyConflict,
            "this Idempotency-Key was first used with another request",
        )),
    }
}

/// Checks the credential against the tenant's policy and completes it
/// (issuer, id, validFrom); returns its types.
fn prepare(
    tenant: &Tenant,
    credential: &mut Map<String, Value>,
    options: &Map<String, Value>,
    now: Timestamp,
) -> Result<Vec<String>, Problem> {
    if credential.contains_key("proof") {
        return Err(Problem::invalid(
            "the credential already has a proof: this service signs unsigned credentials",
        ));
    }
    if credential.contains_key("credentialStatus") {
        return Err(Problem::invalid("credentialStatus is set by the service: leave it out"));
    }
    check_contexts(credential)?;
    let types: Vec<String> = match credential.get("type") {
        Some(Value::String(t)) => vec![t.clone()],
        Some(Value::Array(ts)) => ts.iter().filter_map(|t| t.as_str().map(str::to_owned)).collect(),
        _ => Vec::new(),
    };
    if types.len() < 2 {
        return Err(Problem::new(
            StatusCode::FORBIDDEN,
            Code::TypeNotAllowed,
            format!(
                "name one of the types tenant {} may issue ({:?}) besides VerifiableCredential",
                tenant.row.id, tenant.row.allowed_types
            ),
        ));
    }
    if !types.iter().any(|t| t == "VerifiableCredential") {
        return Err(Problem::library_code(
            StatusCode::BAD_REQUEST,
            ErrorCode::TypeInvalid,
            "type must include VerifiableCredential",
        ));
    }
    let allowed = &tenant.row.allowed_types;
    if let Some(refused) = types
        .iter()
        .find(|t| *t != "VerifiableCredential" && !allowed.iter().any(|a| a == *t))
    {
        return Err(Problem::new(
            StatusCode::FORBIDDEN,
            Code::TypeNotAllowed,
            format!("tenant {} may issue {allowed:?}, not {refused}", tenant.row.id),
        ));
    }
    match credential.get("issuer") {
        None => {
            credential.insert("issuer".into(), tenant.row.did.clone().into());
        }
        Some(Value::String(did)) if *did == tenant.row.did => {}
        Some(Value::Object(issuer)) if issuer.len() == 1 && issuer.get("id").and_then(Value::as_str) == Some(&tenant.row.did) => {}
        Some(Value::Object(issuer)) if issuer.get("id").and_then(Value::as_str) == Some(&tenant.row.did) => {
            return Err(Problem::invalid(
                "the issuer's name and other members are the tenant's to publish, not the request's: give issuer as its DID or leave it out",
            ))
        }
        Some(_) => {
            return Err(Problem::invalid(format!(
                "issuer does not match the tenant's DID {} (leave it out)",
                tenant.row.did
            )))
        }
    }
    let given = options.get("credentialId");
    match (credential.get("id"), given) {
        (Some(Value::String(_)), None) => {}
        (Some(Value::String(a)), Some(Value::String(b))) if a == b => {}
        (None, Some(Value::String(b))) => {
            credential.insert("id".into(), b.clone().into());
        }
        (None, None) => {
            let id =
                passerelle::random_urn_uuid().map_err(|e| Problem::library(StatusCode::INTERNAL_SERVER_ERROR, &e))?;
            credential.insert("id".into(), id.into());
        }
        _ => {
            return Err(Problem::invalid(
                "credential.id and options.credentialId must be equal strings",
            ))
        }
    }
    // The issuer's authorization is judged at validFrom: a caller must not
    // date a credential back to before the request (a later date is a
    // credential that starts later).
    if let Some(from) = credential.get("validFrom") {
        let from = from
            .as_str()
            .and_then(|t| Timestamp::parse(t).ok())
            .ok_or_else(|| Problem::invalid("validFrom must be a dateTimeStamp"))?;
        if from.unix_seconds() < now.unix_seconds() - VALID_FROM_SKEW_SECONDS {
            return Err(Problem::invalid(format!(
                "validFrom {from} is before the time of issuance {now}: a credential cannot be dated back"
            )));
        }
    }
    if !credential.contains_key("validFrom") {
        credential.insert("validFrom".into(), now.to_string().into());
    }
    Ok(types)
}

/// Takes a free random index in the tenant's current list of `purpose`,
/// opening the next list when the current one seems full.
async fn take_index(
    conn: &mut sqlx::AnyConnection,
    public_url: &str,
    lists: &mut CurrentLists,
    tenant_id: &str,
    purpose: &str,
    credential_id: &str,
    at: &str,
) -> Result<(ListRow, i64), Problem> {
    let key = (tenant_id.to_owned(), purpose.to_owned());
    let known = lists.get(&key).cloned();
    let mut list = match known {
        Some(list) => list,
        None => match db::current_list(conn, tenant_id, purpose)
            .await
            .map_err(Problem::database)?
        {
            Some(list) => list,
            None => open_list(conn, public_url, tenant_id, purpose, 1, at).await?,
        },
    };
    lists.insert(key.clone(), list.clone());
    // Bounded: each round either takes an index or opens a new list.
    for _ in 0..64 {
        for _ in 0..PICKS_PER_LIST {
            let index = random_index(list.entries)?;
            if db::take_index(conn, &list.url, index, credential_id)
                .await
                .map_err(Problem::database)?
            {
                return Ok((list, index));
            }
        }
        list = open_list(conn, public_url, tenant_id, purpose, list.seq + 1, at).await?;
        lists.insert(key.clone(), list.clone());
    }
    Err(Problem::database("no free status index after 64 lists"))
}

async fn open_list(
    conn: &mut sqlx::AnyConnection,
    public_url: &str,
    tenant_id: &str,
    purpose: &str,
    seq: i64,
    at: &str,
) -> Result<ListRow, Problem> {
    let list = ListRow {
        url: list_url(public_url, tenant_id, purpose, seq),
        tenant_id: tenant_id.to_owned(),
        seq,
        purpose: purpose.to_owned(),
        entries: LIST_ENTRIES,
        version: 0,
    };
    db::create_list(conn, &list, at).await.map_err(Problem::database)?;
    Ok(list)
}

fn random_index(entries: i64) -> Result<i64, Problem> {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).map_err(Problem::database)?;
    let entries = u64::try_from(entries).unwrap_or(1).max(1);
    // The bias of a modulo of a 64-bit draw by 2^17 is nil: 2^17 divides 2^64.
    Ok(i64::try_from(u64::from_le_bytes(bytes) % entries).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rule of `take_index`, simulated: how full a list is when an
    /// issuance first finds no free index in `PICKS_PER_LIST` picks.
    fn fill_when_left(seed: u64) -> f64 {
        let entries = LIST_ENTRIES as usize;
        let mut taken = vec![false; entries];
        let mut state = seed | 1;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % entries as u64) as usize
        };
        let mut count = 0usize;
        loop {
            let free = (0..PICKS_PER_LIST).map(|_| next()).find(|&i| !taken[i]);
            match free {
                Some(i) => {
                    taken[i] = true;
                    count += 1;
                }
                None => return count as f64 / entries as f64,
            }
        }
    }

    #[test]
    fn lists_are_left_about_three_quarters_full() {
        for seed in [1, 2, 3] {
            let fill = fill_when_left(seed);
            assert!(fill > 0.6, "seed {seed}: left at {fill:.3}");
        }
    }
}
