//! Where an issuer keeps its status lists: in memory, or in files written
//! atomically (a crash leaves the old or the new list, never a mix, so an
//! allocation is never lost once it was returned) under a lock shared by
//! every process using the folder.

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

    /// One read-modify-write of the list at `url`: `change` gets the stored
    /// list (`None` when there is none) and returns the list to save, or
    /// `None` to save nothing. No other `update` or `save` of that list, in
    /// this process or another, runs in between. An error from `change`
    /// saves nothing; the list returned must be the one at `url`. `change`
    /// must not use the store itself (a file store would wait for its own
    /// lock).
    ///
    /// The default loads and saves; a store shared between writers
    /// ([`FileStatusStore`]) holds its lock across both.
    fn update(
        &mut self,
        url: &str,
        change: &mut dyn FnMut(Option<StatusList>) -> Result<Option<StatusList>>,
    ) -> Result<()> {
        let current = self.load(url)?;
        match change(current)? {
            Some(list) => {
                same_url(&list, url)?;
                self.save(&list)
            }
            None => Ok(()),
        }
    }
}

fn missing(url: &str) -> Error {
    Error::new(
        ErrorCode::StatusStoreFailed,
        format!("no status list {url} in the store"),
    )
}

fn same_url(list: &StatusList, url: &str) -> Result<()> {
    if list.url == url {
        return Ok(());
    }
    Err(Error::new(
        ErrorCode::StatusStoreFailed,
        format!("the list {} cannot be saved as {url}", list.url),
    ))
}

/// Takes a fresh index in the list at `url` and saves the list before
/// returning the `credentialStatus` entry to put in a credential (one
/// [`StatusStore::update`]).
pub fn allocate(store: &mut dyn StatusStore, url: &str) -> Result<StatusEntry> {
    let mut entry = None;
    store.update(url, &mut |list| {
        let mut list = list.ok_or_else(|| missing(url))?;
        entry = Some(list.allocate()?);
        Ok(Some(list))
    })?;
    entry.ok_or_else(|| missing(url))
}

/// Sets the status at `index` of the list at `url` and saves it (one
/// [`StatusStore::update`]).
pub fn set_status(store: &mut dyn StatusStore, url: &str, index: u64, value: u8) -> Result<()> {
    store.update(url, &mut |list| {
        let mut list = list.ok_or_else(|| missing(url))?;
        list.set(index, value)?;
        Ok(Some(list))
    })
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
///
/// Writers in several processes (or threads, each with its own store) may
/// share the folder: [`save`](StatusStore::save) and
/// [`update`](StatusStore::update) hold an exclusive lock on the list's
/// `.lock` file ([`std::fs::File::lock`]), `update` across its load and its
/// save, so no allocation or status change is lost. The lock is released when
/// the operation ends, or by the system when its process dies; a temporary
/// file a dead writer left is removed by the next locked operation on that
/// list. [`load`](StatusStore::load) takes no lock: it reads the old or the
/// new file. The lock is advisory: other programs writing the folder must
/// take it too.
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
        self.dir.join(format!("{}.json", file_stem(url)))
    }

    /// Takes the exclusive lock of the list at `url` (waiting for its
    /// holder), then removes the temporary files a dead writer left for that
    /// list. The lock is held until the file returned is dropped.
    fn lock(&self, url: &str) -> Result<std::fs::File> {
        let stem = file_stem(url);
        let path = self.dir.join(format!("{stem}.lock"));
        let failed = |e: std::io::Error| {
            Error::new(
                ErrorCode::StatusStoreFailed,
                format!("cannot lock {}: {e}", path.display()),
            )
        };
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(failed)?;
        file.lock().map_err(failed)?;
        // Only a holder of this lock writes this list's temporary file: any
        // found now was left by a writer that died.
        let stale = format!("{stem}.tmp");
        let entries = std::fs::read_dir(&self.dir).map_err(|e| self.failed(&self.dir, e))?;
        for entry in entries {
            let entry = entry.map_err(|e| self.failed(&self.dir, e))?;
            if entry.file_name().to_string_lossy().starts_with(&stale) {
                match std::fs::remove_file(entry.path()) {
                    Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(self.failed(&entry.path(), e)),
                    _ => {}
                }
            }
        }
        Ok(file)
    }

    /// Replaces the list's file; the caller holds the list's lock.
    fn write(&self, list: &StatusList) -> Result<()> {
        use std::io::Write as _;
        let path = self.path_of(&list.url);
        let bytes = serde_json::to_vec(list).map_err(|e| Error::new(ErrorCode::StatusStoreFailed, e.to_string()))?;
        // One fixed name per list, written under the lock: a crash leaves at
        // most this one, removed by the next locked operation.
        let temporary = path.with_extension("tmp");
        {
            let mut file = std::fs::File::create(&temporary).map_err(|e| self.failed(&temporary, e))?;
            file.write_all(&bytes).map_err(|e| self.failed(&temporary, e))?;
            file.sync_all().map_err(|e| self.failed(&temporary, e))?;
        }
        std::fs::rename(&temporary, &path).map_err(|e| self.failed(&path, e))?;
        // Make the rename itself durable.
        if let Ok(dir) = std::fs::File::open(&self.dir) {
            let _ = dir.sync_all();
        }
        Ok(())
    }

    fn failed(&self, path: &std::path::Path, e: std::io::Error) -> Error {
        Error::new(ErrorCode::StatusStoreFailed, format!("{}: {e}", path.display()))
    }
}

/// The name of a list's files, without extension: the first 16 bytes of the
/// SHA-256 of its URL, in hexadecimal.
#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
fn file_stem(url: &str) -> String {
    use sha2::Digest as _;
    let hash = sha2::Sha256::digest(url.as_bytes());
    hash.iter().take(16).map(|b| format!("{b:02x}")).collect()
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
        let _lock = self.lock(&list.url)?;
        self.write(list)
    }

    fn update(
        &mut self,
        url: &str,
        change: &mut dyn FnMut(Option<StatusList>) -> Result<Option<StatusList>>,
    ) -> Result<()> {
        let _lock = self.lock(url)?;
        let current = self.load(url)?;
        match change(current)? {
            Some(list) => {
                same_url(&list, url)?;
                self.write(&list)
            }
            None => Ok(()),
        }
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
        let temporaries = |dir: &std::path::Path| -> Vec<std::path::PathBuf> {
            std::fs::read_dir(dir)
                .unwrap()
                .filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|path| path.to_string_lossy().contains(".tmp"))
                .collect()
        };
        assert!(temporaries(&dir).is_empty());
        // A writer that died between creating its temporary file and renaming
        // it (the fixed name, or a per-process name of older versions): the
        // next locked operation on the list removes it, the list is intact.
        let json = store.path_of(url);
        std::fs::write(json.with_extension("tmp"), b"{half a list").unwrap();
        std::fs::write(json.with_extension("tmp-4242"), b"{half a list").unwrap();
        assert_eq!(temporaries(&dir).len(), 2);
        assert_eq!(reopened.load(url).unwrap().unwrap().allocated_count, 1);
        let second = allocate(&mut store, url).unwrap();
        assert!(temporaries(&dir).is_empty());
        let list = reopened.load(url).unwrap().unwrap();
        assert_eq!((list.allocated_count, list.get(entry.index).unwrap()), (2, 1));
        assert_ne!(second.index, entry.index);
        std::fs::write(store.path_of(url), b"{corrupt").unwrap();
        assert_eq!(reopened.load(url).unwrap_err().code(), ErrorCode::StatusStoreFailed);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn concurrent_writers_with_their_own_stores_lose_nothing() {
        let dir = std::env::temp_dir().join(format!("passerelle-status-lock-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let url = "https://status.example/lists/shared";
        FileStatusStore::open(&dir)
            .unwrap()
            .save(&StatusList::new(url, "revocation", MIN_ENTRIES, 1).unwrap())
            .unwrap();
        // Each thread opens the folder itself, as another process would: the
        // lock is taken on a file of its own, not shared in memory.
        let (threads, each) = (8, 25);
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                let dir = dir.clone();
                std::thread::spawn(move || {
                    let mut store = FileStatusStore::open(&dir).unwrap();
                    (0..each)
                        .map(|_| {
                            let entry = allocate(&mut store, url).unwrap();
                            set_status(&mut store, url, entry.index, 1).unwrap();
                            entry.index
                        })
                        .collect::<Vec<u64>>()
                })
            })
            .collect();
        let indexes: Vec<u64> = workers.into_iter().flat_map(|w| w.join().unwrap()).collect();
        let list = FileStatusStore::open(&dir).unwrap().load(url).unwrap().unwrap();
        let distinct: std::collections::HashSet<u64> = indexes.iter().copied().collect();
        assert_eq!(distinct.len(), threads * each);
        assert_eq!(list.allocated_count, (threads * each) as u64);
        assert!(indexes.iter().all(|&index| list.get(index).unwrap() == 1));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn update_saves_what_the_change_returns_and_nothing_on_error() {
        let mut store = MemoryStatusStore::default();
        let url = "https://status.example/lists/m";
        store
            .update(url, &mut |current| {
                assert!(current.is_none());
                Ok(Some(StatusList::new(url, "revocation", MIN_ENTRIES, 1)?))
            })
            .unwrap();
        let entry = allocate(&mut store, url).unwrap();
        let refused = store.update(url, &mut |current| {
            let mut list = current.ok_or_else(|| missing(url))?;
            list.set(entry.index, 1)?;
            Err(missing("nowhere"))
        });
        assert_eq!(refused.unwrap_err().code(), ErrorCode::StatusStoreFailed);
        assert_eq!(store.load(url).unwrap().unwrap().get(entry.index).unwrap(), 0);
        let elsewhere = store.update(url, &mut |_| {
            Ok(Some(StatusList::new(
                "https://status.example/other",
                "revocation",
                MIN_ENTRIES,
                1,
            )?))
        });
        assert_eq!(elsewhere.unwrap_err().code(), ErrorCode::StatusStoreFailed);
        assert_eq!(
            allocate(&mut store, "https://status.example/none").unwrap_err().code(),
            ErrorCode::StatusStoreFailed
        );
    }
}
