//! Where an issuer keeps its status lists: in memory, or in files written
//! atomically (a crash leaves the old or the new list, never a mix, so an
//! allocation is never lost once it was returned).

use std::collections::HashMap;

use super::entry::StatusEntry;
use super::list::StatusList;
use crate::error::{Error, ErrorCode, Result};

/// Persistence for status lists, keyed by their URL.
pub trait StatusStore {
    /// The list published at `url`, if the store has it.
    fn load(&self, url: &str) -> Result<Option<StatusList>>;

    /// Replaces the stored list, atomically.
    fn save(&mut self, list: &StatusList) -> Result<()>;
}

fn missing(url: &str) -> Error {
    Error::new(
        ErrorCode::StatusStoreFailed,
        format!("no status list {url} in the store"),
    )
}

/// Takes a fresh index in the list at `url` and saves the list before
/// returning the `credentialStatus` entry to put in a credential.
pub fn allocate(store: &mut dyn StatusStore, url: &str) -> Result<StatusEntry> {
    let mut list = store.load(url)?.ok_or_else(|| missing(url))?;
    let entry = list.allocate()?;
    store.save(&list)?;
    Ok(entry)
}

/// Sets the status at `index` of the list at `url` and saves it.
pub fn set_status(store: &mut dyn StatusStore, url: &str, index: u64, value: u8) -> Result<()> {
    let mut list = store.load(url)?.ok_or_else(|| missing(url))?;
    list.set(index, value)?;
    store.save(&list)
}

/// Status lists held in memory (tests, short-lived tools).
#[derive(Clone, Debug, Default)]
pub struct MemoryStatusStore {
    lists: HashMap<String, StatusList>,
}

impl StatusStore for MemoryStatusStore {
    fn load(&self, url: &str) -> Result<Option<StatusList>> {
        Ok(self.lists.get(url).cloned())
    }

    fn save(&mut self, list: &StatusList) -> Result<()> {
        self.lists.insert(list.url.clone(), list.clone());
        Ok(())
    }
}

/// Status lists in a folder, one JSON file per list, replaced atomically
/// (write a temporary file, flush it to disk, rename it over the old one).
#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
#[derive(Clone, Debug)]
pub struct FileStatusStore {
    dir: std::path::PathBuf,
}

#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
impl FileStatusStore {
    /// A store in `dir` (created if missing).
    pub fn open(dir: impl Into<std::path::PathBuf>) -> Result<Self> {
        let dir = dir.into();
        std::fs::create_dir_all(&dir)
            .map_err(|e| Error::new(ErrorCode::StatusStoreFailed, format!("{}: {e}", dir.display())))?;
        Ok(FileStatusStore { dir })
    }

    /// The file of the list at `url`: named by the SHA-256 of the URL.
    pub fn path_of(&self, url: &str) -> std::path::PathBuf {
        use sha2::Digest as _;
        let hash = sha2::Sha256::digest(url.as_bytes());
        let name: String = hash.iter().take(16).map(|b| format!("{b:02x}")).collect();
        self.dir.join(format!("{name}.json"))
    }
}

#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
impl StatusStore for FileStatusStore {
    fn load(&self, url: &str) -> Result<Option<StatusList>> {
        let path = self.path_of(url);
        let failed = |e: String| Error::new(ErrorCode::StatusStoreFailed, format!("{}: {e}", path.display()));
        match std::fs::read(&path) {
            Ok(bytes) => {
                let list: StatusList = serde_json::from_slice(&bytes).map_err(|e| failed(e.to_string()))?;
                if list.url != url {
                    return Err(failed(format!("holds {}, not {url}", list.url)));
                }
                Ok(Some(list))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(failed(e.to_string())),
        }
    }

    fn save(&mut self, list: &StatusList) -> Result<()> {
        use std::io::Write as _;
        let path = self.path_of(&list.url);
        let failed = |e: std::io::Error| Error::new(ErrorCode::StatusStoreFailed, format!("{}: {e}", path.display()));
        let bytes = serde_json::to_vec(list).map_err(|e| Error::new(ErrorCode::StatusStoreFailed, e.to_string()))?;
        let temporary = path.with_extension(format!("tmp-{}", std::process::id()));
        {
            let mut file = std::fs::File::create(&temporary).map_err(failed)?;
            file.write_all(&bytes).map_err(failed)?;
            file.sync_all().map_err(failed)?;
        }
        std::fs::rename(&temporary, &path).map_err(failed)?;
        // Make the rename itself durable.
        if let Ok(dir) = std::fs::File::open(&self.dir) {
            let _ = dir.sync_all();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::MIN_ENTRIES;

    #[test]
    fn file_store_round_trips_and_replaces_atomically() {
        let dir = std::env::temp_dir().join(format!("passerelle-status-{}", std::process::id()));
        let mut store = FileStatusStore::open(&dir).unwrap();
        let url = "https://status.example/lists/1";
        assert!(store.load(url).unwrap().is_none());
        store
            .save(&StatusList::new(url, "suspension", MIN_ENTRIES, 1).unwrap())
            .unwrap();
        let entry = allocate(&mut store, url).unwrap();
        set_status(&mut store, url, entry.index, 1).unwrap();
        let reopened = FileStatusStore::open(&dir).unwrap();
        let list = reopened.load(url).unwrap().unwrap();
        assert_eq!(list.get(entry.index).unwrap(), 1);
        assert_eq!(list.allocated_count, 1);
        let leftovers: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.path().to_string_lossy().contains(".tmp-"))
            .collect();
        assert!(leftovers.is_empty());
        std::fs::write(store.path_of(url), b"{corrupt").unwrap();
        assert_eq!(reopened.load(url).unwrap_err().code(), ErrorCode::StatusStoreFailed);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
