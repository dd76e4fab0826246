//! The objects the walk of history reads: from the packs, with every delta base kept,
//! as git keeps them.
//!
//! A pack stores most versions of a tree as deltas against another version, often many
//! against one stored whole. git keeps each base it rebuilds or inflates on the way to
//! an object (`core.deltaBaseCacheLimit`). gitoxide's cache keeps only the objects it
//! rebuilt from deltas, never one stored whole, and is asked only for deltas: in a
//! directory that changes one file per commit, the version hundreds of others are
//! stored against was inflated again for each. Here a packed object's chain of deltas is
//! followed to the first base already kept (or stored whole), every base on the way is
//! kept, and each delta is applied by gitoxide, which checks it against its base.
//! Objects outside the packs (loose ones, those of alternates) are read through
//! gitoxide's object database.

use std::path::{Path, PathBuf};

use gix_pack::cache::DecodeEntry;
use gix_pack::data::Entry;
use gix_pack::data::entry::Header;

use super::GitError;

/// A delta chain longer than this is damage, not history: git writes chains of at most
/// 4095 (`pack.depth`'s limit), and a chain of references can loop.
const MAX_CHAIN: usize = 10_000;

/// The repository's packs, opened once and read by every walker.
pub(super) struct Packs {
    bundles: Vec<gix_pack::Bundle>,
    max_object_bytes: u64,
    /// What is wrong with each pack that did not open (its objects are then missing).
    unopened: Vec<String>,
}

impl Packs {
    /// The packs in `objects_dir/pack` that have an index, newest first (both regular
    /// files), none of their objects allowed to take more than `max_object_bytes` to
    /// rebuild. A pack that does not open is left to the object database.
    pub(super) fn open(objects_dir: &Path, max_object_bytes: u64) -> Packs {
        let dir = objects_dir.join("pack");
        let mut unopened = Vec::new();
        let mut indexes: Vec<(std::time::SystemTime, PathBuf)> = Vec::new();
        for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let idx = e.path();
            if idx.extension().is_none_or(|x| x != "idx") {
                continue;
            }
            let name = |p: &Path| p.file_name().unwrap_or_default().display().to_string();
            // The pack too must be a regular file: an open of a FIFO waits for a writer,
            // a device never ends (the object database passes over both).
            let pack = idx.with_extension("pack");
            let problem = match (std::fs::symlink_metadata(&idx), std::fs::metadata(&pack)) {
                (Ok(i), Ok(p)) if i.is_file() && p.is_file() => {
                    indexes.push((i.modified().unwrap_or(std::time::UNIX_EPOCH), idx));
                    continue;
                }
                (Ok(i), _) if !i.is_file() => format!("{} is not a regular file", name(&idx)),
                (Ok(_), Ok(_)) => format!("{} is not a regular file", name(&pack)),
                (_, Err(e)) => format!("{}: {e}", name(&pack)),
                (Err(e), _) => format!("{}: {e}", name(&idx)),
            };
            unopened.push(problem);
        }
        indexes.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        let limit = usize::try_from(max_object_bytes).ok();
        let mut bundles = Vec::with_capacity(indexes.len());
        for (_, idx) in &indexes {
            match gix_pack::Bundle::at(idx, gix_hash::Kind::Sha1) {
                Ok(b) => bundles.push(gix_pack::Bundle {
                    pack: b.pack.with_alloc_limit_bytes(limit),
                    index: b.index,
                }),
                Err(e) => unopened.push(format!(
                    "{} does not open ({e})",
                    idx.file_name().unwrap_or_default().display()
                )),
            }
        }
        Packs {
            bundles,
            max_object_bytes,
            unopened,
        }
    }

    /// Why an object that is nowhere may be missing.
    fn missing(&self) -> String {
        let mut said = "the object is missing: the object database is damaged".to_string();
        if self.unopened.is_empty() {
            said.push_str(" (`git fsck` says where)");
        } else {
            said.push_str(": ");
            said.push_str(&self.unopened.join("; "));
        }
        said
    }

    /// The pack holding `id` and its entry there, looking first in pack `first`.
    fn locate(&self, id: &gix_hash::oid, first: usize) -> Result<Option<(usize, Entry)>, String> {
        let order = std::iter::once(first)
            .filter(|&f| f < self.bundles.len())
            .chain((0..self.bundles.len()).filter(|&p| p != first));
        for p in order {
            let bundle = &self.bundles[p];
            if let Some(i) = bundle.index.lookup(id) {
                let entry = bundle
                    .pack
                    .entry(bundle.index.pack_offset_at_index(i))
                    .map_err(|e| e.to_string())?;
                return Ok(Some((p, entry)));
            }
        }
        Ok(None)
    }
}

/// One walker's reader: its own kept bases, inflater and object database handle.
pub(super) struct Objects<'p> {
    packs: &'p Packs,
    others: gix_odb::Handle,
    bases: gix_pack::cache::lru::MemoryCappedHashmap,
    inflate: gix_zlib::Inflate,
    /// The base being rebuilt (its memory reused from object to object).
    base: Vec<u8>,
    chain: Vec<(usize, Entry)>,
    /// The pack the last object came from: the next is most likely there too.
    last_pack: usize,
}

impl<'p> Objects<'p> {
    /// A reader of `packs` and of the object database at `objects_dir`, keeping up to
    /// `cache_bytes` of delta bases.
    pub(super) fn open(
        packs: &'p Packs,
        objects_dir: &Path,
        cache_bytes: usize,
    ) -> Result<Objects<'p>, GitError> {
        let others = gix_odb::at(objects_dir, gix_hash::Kind::Sha1)
            .map_err(super::objects_error("opening the object database"))?;
        Ok(Objects {
            packs,
            others,
            bases: gix_pack::cache::lru::MemoryCappedHashmap::new(cache_bytes.max(1)),
            inflate: gix_zlib::Inflate::default(),
            base: Vec::new(),
            chain: Vec::new(),
            last_pack: 0,
        })
    }

    /// The object `id`; a missing one is an error. `what` names the read in errors.
    pub(super) fn find<'b>(
        &mut self,
        id: &gix_hash::oid,
        buf: &'b mut Vec<u8>,
        what: &str,
    ) -> Result<gix_object::Data<'b>, GitError> {
        let damaged = |e: String| GitError::Objects {
            what: what.to_string(),
            source: format!("{e}: the object database is damaged (`git fsck` says where)").into(),
        };
        let kind = match self.packs.locate(id, self.last_pack).map_err(damaged)? {
            Some((pack, entry)) => {
                self.last_pack = pack;
                self.decode(pack, entry, buf).map_err(damaged)?
            }
            None => self
                .find_other(id, buf)
                .map_err(|source| GitError::Objects {
                    what: what.to_string(),
                    source,
                })?,
        };
        Ok(gix_object::Data::new(buf, kind, gix_hash::Kind::Sha1))
    }

    /// An object outside the packs opened, through the object database.
    fn find_other(
        &mut self,
        id: &gix_hash::oid,
        buf: &mut Vec<u8>,
    ) -> Result<gix_object::Kind, Box<dyn std::error::Error + Send + Sync>> {
        use gix_object::Find;
        use gix_odb::Header;
        // The size an object's header claims is what its read allocates and fills: a
        // damaged object claiming gigabytes would take them all before it is found short.
        let size = self
            .others
            .try_header(id)
            .map_err(Box::new)?
            .ok_or_else(|| self.packs.missing())?
            .size();
        if size > self.packs.max_object_bytes {
            return Err(format!(
                "the object claims {size} bytes, more than any commit or tree holds: \
                 the object database is damaged (`git fsck` says where)"
            )
            .into());
        }
        Ok(self
            .others
            .try_find(id, buf)
            .map_err(Box::new)?
            .ok_or_else(|| self.packs.missing())?
            .kind)
    }

    /// The object at `entry` of pack `pack`, rebuilt into `out`: its deltas are followed
    /// to a kept base or one stored whole, then applied oldest first, each base on the
    /// way kept.
    fn decode(
        &mut self,
        pack: usize,
        entry: Entry,
        out: &mut Vec<u8>,
    ) -> Result<gix_object::Kind, String> {
        let mut chain = std::mem::take(&mut self.chain);
        let mut base = std::mem::take(&mut self.base);
        chain.clear();
        let found = self.base_of(pack, entry, &mut chain, &mut base);
        let result = found.and_then(|kind| {
            while let Some((pack, delta)) = chain.pop() {
                let key = delta.data_offset;
                // The delta read as one against an object given here: the base just
                // rebuilt or kept.
                let entry = Entry {
                    header: Header::RefDelta {
                        base_id: gix_hash::Kind::Sha1.null(),
                    },
                    ..delta
                };
                let given = &base;
                self.packs.bundles[pack]
                    .pack
                    .decode_entry(
                        entry,
                        out,
                        &mut self.inflate,
                        &|_, into| {
                            into.clear();
                            into.extend_from_slice(given);
                            Ok(Some(
                                gix_pack::data::decode::entry::ResolvedBase::OutOfPack {
                                    kind,
                                    end: given.len(),
                                },
                            ))
                        },
                        &mut gix_pack::cache::Never,
                    )
                    .map_err(|e| e.to_string())?;
                if !chain.is_empty() {
                    self.bases.put(pack_id(pack), key, out, kind, 0);
                }
                std::mem::swap(&mut base, out);
            }
            Ok(kind)
        });
        // The object is in `base`; the buffer it came in is kept for the next.
        std::mem::swap(&mut base, out);
        self.base = base;
        self.chain = chain;
        result
    }

    /// Follows `entry`'s deltas (pushed on `chain`, newest first) to a kept base or one
    /// stored whole, which is left in `base`.
    fn base_of(
        &mut self,
        pack: usize,
        entry: Entry,
        chain: &mut Vec<(usize, Entry)>,
        base: &mut Vec<u8>,
    ) -> Result<gix_object::Kind, String> {
        let packs = self.packs;
        let mut at = (pack, entry);
        loop {
            if let Some((kind, _)) = self.bases.get(pack_id(at.0), at.1.data_offset, base) {
                return Ok(kind);
            }
            if chain.len() >= MAX_CHAIN {
                return Err(format!("a chain of more than {MAX_CHAIN} deltas"));
            }
            let file = &packs.bundles[at.0].pack;
            match &at.1.header {
                &Header::OfsDelta { base_distance } => {
                    let offset =
                        at.1.checked_base_pack_offset(base_distance)
                            .ok_or("a delta's base lies before the start of its pack")?;
                    let next = file.entry(offset).map_err(|e| e.to_string())?;
                    let p = at.0;
                    chain.push(std::mem::replace(&mut at, (p, next)));
                }
                &Header::RefDelta { base_id } => {
                    let next = packs.locate(&base_id, at.0)?;
                    chain.push(at);
                    match next {
                        Some(next) => at = next,
                        None => {
                            return self
                                .find_other(&base_id, base)
                                .map_err(|e| format!("the base {base_id} of a delta: {e}"));
                        }
                    }
                }
                whole => {
                    let kind = whole.as_kind().ok_or("an entry of no known kind")?;
                    let size = usize::try_from(at.1.decompressed_size)
                        .ok()
                        .filter(|&s| s as u64 <= packs.max_object_bytes)
                        .ok_or_else(|| {
                            format!(
                                "the object claims {} bytes, more than any commit or tree holds",
                                at.1.decompressed_size
                            )
                        })?;
                    base.clear();
                    base.resize(size, 0);
                    file.decompress_entry(&at.1, &mut self.inflate, base)
                        .map_err(|e| e.to_string())?;
                    if !chain.is_empty() {
                        self.bases
                            .put(pack_id(at.0), at.1.data_offset, base, kind, 0);
                    }
                    return Ok(kind);
                }
            }
        }
    }
}

/// A pack's number as the cache keys it (a repository has far fewer than 2^32 packs).
fn pack_id(pack: usize) -> u32 {
    u32::try_from(pack).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every object of a history packed with long delta chains (by offset, then by
    /// object id), with a few loose objects on top, reads as git stores it, through a
    /// cache small enough that bases are dropped and rebuilt.
    #[test]
    fn every_object_reads_as_git_stores_it() {
        for by_offset in [true, false] {
            let dir = tempfile::tempdir().expect("tempdir");
            let repo = git2::Repository::init(dir.path()).expect("init");
            for i in 0..300 {
                let path = format!("d/{:03}.md", i % 60);
                let text = format!("# Record {}\n\n{}", i % 60, "A line of text.\n".repeat(i));
                crate::git::tests::commit(&repo, &[(&path, Some(&text))]);
            }
            let status = std::process::Command::new("git")
                .arg("-C")
                .arg(dir.path())
                .args(["-c", &format!("repack.useDeltaBaseOffset={by_offset}")])
                .args(["repack", "-adfq", "--depth=50", "--window=50"])
                .status()
                .expect("git runs");
            assert!(status.success());
            crate::git::tests::commit(&repo, &[("d/000.md", Some("loose"))]);

            let objects_dir = repo.path().join("objects");
            let packs = Packs::open(&objects_dir, 1 << 20);
            assert_eq!(packs.bundles.len(), 1);
            let bundle = &packs.bundles[0];
            let headers: Vec<Header> = bundle
                .index
                .iter()
                .map(|e| bundle.pack.entry(e.pack_offset).expect("entry").header)
                .collect();
            let deltas = |f: fn(&Header) -> bool| headers.iter().filter(|h| f(h)).count();
            if by_offset {
                assert!(deltas(|h| matches!(h, Header::OfsDelta { .. })) > 100);
            } else {
                assert!(deltas(|h| matches!(h, Header::RefDelta { .. })) > 100);
            }

            let mut objects = Objects::open(&packs, &objects_dir, 64 << 10).expect("open");
            let odb = repo.odb().expect("odb");
            let mut ids = Vec::new();
            odb.foreach(|id| {
                ids.push(*id);
                true
            })
            .expect("ids");
            assert!(ids.len() > 900, "{} objects", ids.len());
            let mut buf = Vec::new();
            for id in ids {
                let want = odb.read(id).expect("git reads it");
                let oid = gix_hash::ObjectId::try_from(id.as_bytes()).expect("sha-1");
                let got = objects.find(&oid, &mut buf, "test").expect("read");
                assert_eq!(got.data, want.data(), "{id}");
                assert_eq!(got.kind.to_string(), want.kind().to_string(), "{id}");
            }
        }
    }

    /// Two deltas by object id made each other's base (one of git's own loops: git log
    /// runs forever on it): the chain is refused, in bounded time.
    #[test]
    fn deltas_that_are_each_others_base_are_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let repo = git2::Repository::init(dir.path()).expect("init");
        for i in 0..40 {
            let text = format!("# Record\n\n{}", "A line of text.\n".repeat(i));
            crate::git::tests::commit(&repo, &[("d/a.md", Some(&text))]);
        }
        let status = std::process::Command::new("git")
            .arg("-C")
            .arg(dir.path())
            .args(["-c", "repack.useDeltaBaseOffset=false"])
            .args(["repack", "-adfq", "--depth=50", "--window=50"])
            .status()
            .expect("git runs");
        assert!(status.success());
        let objects_dir = repo.path().join("objects");
        let packs = Packs::open(&objects_dir, 1 << 20);
        let bundle = &packs.bundles[0];
        let deltas: Vec<(gix_hash::ObjectId, u64)> = bundle
            .index
            .iter()
            .filter_map(|e| {
                let entry = bundle.pack.entry(e.pack_offset).expect("entry");
                matches!(entry.header, Header::RefDelta { .. })
                    .then_some((e.oid, entry.data_offset))
            })
            .collect();
        assert!(deltas.len() >= 2, "{} deltas", deltas.len());
        let (a, b) = (deltas[0], deltas[1]);
        let path = bundle.pack.path().to_path_buf();
        drop(packs);
        // Each entry's base id is the 20 bytes before its data.
        let mut bytes = std::fs::read(&path).expect("pack");
        for ((_, at), (base, _)) in [(a, b), (b, a)] {
            let at = usize::try_from(at).expect("offset");
            bytes[at - 20..at].copy_from_slice(base.as_bytes());
        }
        let mut perms = std::fs::metadata(&path).expect("meta").permissions();
        #[allow(clippy::permissions_set_readonly_false)]
        perms.set_readonly(false);
        std::fs::set_permissions(&path, perms).expect("chmod");
        std::fs::write(&path, &bytes).expect("write");

        let packs = Packs::open(&objects_dir, 1 << 20);
        let mut objects = Objects::open(&packs, &objects_dir, 64 << 10).expect("open");
        let mut buf = Vec::new();
        let err = objects
            .find(&a.0, &mut buf, "reading tree")
            .expect_err("a loop")
            .to_string();
        assert!(
            err.starts_with("reading tree: a chain of more than") && err.contains("damaged"),
            "{err}"
        );
    }
}
