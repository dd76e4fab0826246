//! The objects the walk of history reads: from the packs, keeping what its next reads
//! are stored as deltas of, as git does.
//!
//! A pack stores most versions of a tree as deltas against another version: along a
//! chain (each version against the next), or many against one stored whole.
//! gitoxide's cache keeps only the objects it rebuilt from deltas, never one stored
//! whole, and is asked only about deltas: in a directory that changes one file per
//! commit, the version hundreds of others are stored against was inflated again for
//! each. Its decoder also zeroes and copies each result several times over, which is
//! most of the cost once the bases are kept.
//!
//! Here a packed object's chain of deltas is followed (through gix-pack's entry API) to
//! the first object already kept or one stored whole, and the deltas are applied from
//! there, each into a buffer of its own. What is kept is what the next objects are most
//! likely stored against or most likely are: each object asked for that was rebuilt from
//! a delta and each object stored whole that a delta was applied to (when a tree's
//! versions are each stored against the newer one, the walk's next read is one delta
//! away), and, apart, the versions rebuilt on the way (when they are each stored against
//! the older one, the walk reads them next). Apart, because a chain fifty deep would
//! otherwise push out everything else: keeping all in one cache made a walk over 100,000
//! documents five times slower, keeping only the first kind made a flat history three
//! times slower. Kept objects are shared with the caller, never copied.
//!
//! Objects outside the packs (loose ones, those of alternates) are read through
//! gitoxide's object database.

use std::path::{Path, PathBuf};
use std::rc::Rc;

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

/// An object as the walk holds it: read once, shared by the cache and the walk.
pub(super) type Object = Rc<Vec<u8>>;

/// Weighs a kept object by the memory it holds.
struct Weight;

impl clru::WeightScale<(u32, u64), (gix_object::Kind, Object)> for Weight {
    fn weight(&self, _: &(u32, u64), value: &(gix_object::Kind, Object)) -> usize {
        value.1.capacity().max(1)
    }
}

type Kept = clru::CLruCache<
    (u32, u64),
    (gix_object::Kind, Object),
    std::collections::hash_map::RandomState,
    Weight,
>;

/// One walker's reader: its own kept objects, inflater and object database handle.
pub(super) struct Objects<'p> {
    packs: &'p Packs,
    others: gix_odb::Handle,
    /// Objects asked for and bases stored whole, by pack and entry offset, least
    /// recently used dropped first.
    kept: Kept,
    /// The versions rebuilt on the way to an object, apart: a long chain pushes out
    /// only its own kind.
    passed: Kept,
    inflate: gix_zlib::Inflate,
    /// A delta's instructions, inflated (the memory reused from delta to delta).
    instructions: Vec<u8>,
    chain: Vec<(usize, Entry)>,
    /// The pack the last object came from: the next is most likely there too.
    last_pack: usize,
}

impl<'p> Objects<'p> {
    /// A reader of `packs` and of the object database at `objects_dir`, keeping up to
    /// `cache_bytes` of objects that others are stored as deltas of.
    pub(super) fn open(
        packs: &'p Packs,
        objects_dir: &Path,
        cache_bytes: usize,
    ) -> Result<Objects<'p>, GitError> {
        let others = gix_odb::at(objects_dir, gix_hash::Kind::Sha1)
            .map_err(super::objects_error("opening the object database"))?;
        let cache = |bytes: usize| {
            let bytes = std::num::NonZeroUsize::new(bytes).unwrap_or(std::num::NonZeroUsize::MIN);
            clru::CLruCache::with_config(clru::CLruCacheConfig::new(bytes).with_scale(Weight))
        };
        // Measured on flat histories and on 100,000 documents in many directories: the
        // objects asked for need the larger share, a chain's versions fit in the rest.
        let passed = cache_bytes / 4;
        Ok(Objects {
            packs,
            others,
            kept: cache(cache_bytes - passed),
            passed: cache(passed),
            inflate: gix_zlib::Inflate::default(),
            instructions: Vec::new(),
            chain: Vec::new(),
            last_pack: 0,
        })
    }

    /// The object `id` and its kind; a missing one is an error. `what` names the read
    /// in errors.
    pub(super) fn find(
        &mut self,
        id: &gix_hash::oid,
        what: &str,
    ) -> Result<(gix_object::Kind, Object), GitError> {
        let damaged = |e: String| GitError::Objects {
            what: what.to_string(),
            source: format!("{e}: the object database is damaged (`git fsck` says where)").into(),
        };
        match self.packs.locate(id, self.last_pack).map_err(damaged)? {
            Some((pack, entry)) => {
                self.last_pack = pack;
                self.decode(pack, entry).map_err(damaged)
            }
            None => {
                let mut buf = Vec::new();
                let kind = self
                    .find_other(id, &mut buf)
                    .map_err(|source| GitError::Objects {
                        what: what.to_string(),
                        source,
                    })?;
                Ok((kind, Rc::new(buf)))
            }
        }
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

    /// The object at `entry` of pack `pack`: its deltas are followed to a kept object
    /// or one stored whole, then applied oldest first.
    fn decode(&mut self, pack: usize, entry: Entry) -> Result<(gix_object::Kind, Object), String> {
        let mut chain = std::mem::take(&mut self.chain);
        chain.clear();
        let result = self
            .base_of(pack, entry, &mut chain)
            .and_then(|(kind, mut object)| {
                let packs = self.packs;
                while let Some((pack, delta)) = chain.pop() {
                    let file = &packs.bundles[pack].pack;
                    let size = usize::try_from(delta.decompressed_size)
                        .ok()
                        .filter(|&s| s as u64 <= packs.max_object_bytes)
                        .ok_or("a delta larger than any commit or tree")?;
                    self.instructions.clear();
                    self.instructions.resize(size, 0);
                    file.decompress_entry(&delta, &mut self.inflate, &mut self.instructions)
                        .map_err(|e| e.to_string())?;
                    object = Rc::new(apply(&object, &self.instructions, packs.max_object_bytes)?);
                    // The object asked for, rebuilt from a delta: the walk's next version
                    // of this tree is most likely stored as a delta of it. A version on
                    // the way: the walk most likely reads it next.
                    let passed = !chain.is_empty();
                    self.keep(passed, pack, &delta, kind, &object);
                }
                Ok((kind, object))
            });
        self.chain = chain;
        result
    }

    /// Follows `entry`'s deltas (pushed on `chain`, newest first) to a kept object or
    /// one stored whole.
    fn base_of(
        &mut self,
        pack: usize,
        entry: Entry,
        chain: &mut Vec<(usize, Entry)>,
    ) -> Result<(gix_object::Kind, Object), String> {
        let packs = self.packs;
        let mut at = (pack, entry);
        loop {
            let key = (pack_id(at.0), at.1.data_offset);
            if let Some((kind, object)) = self.kept.get(&key).or_else(|| self.passed.get(&key)) {
                return Ok((*kind, object.clone()));
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
                            let mut buf = Vec::new();
                            let kind = self
                                .find_other(&base_id, &mut buf)
                                .map_err(|e| format!("the base {base_id} of a delta: {e}"))?;
                            return Ok((kind, Rc::new(buf)));
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
                    let mut data = vec![0; size];
                    file.decompress_entry(&at.1, &mut self.inflate, &mut data)
                        .map_err(|e| e.to_string())?;
                    let object = Rc::new(data);
                    if !chain.is_empty() {
                        // Stored whole, with deltas against it: most likely more of them.
                        self.keep(false, at.0, &at.1, kind, &object);
                    }
                    return Ok((kind, object));
                }
            }
        }
    }

    fn keep(
        &mut self,
        passed: bool,
        pack: usize,
        entry: &Entry,
        kind: gix_object::Kind,
        object: &Object,
    ) {
        let cache = if passed {
            &mut self.passed
        } else {
            &mut self.kept
        };
        // Refused only when larger than the whole cache: then it is not kept.
        let _ = cache.put_with_weight((pack_id(pack), entry.data_offset), (kind, object.clone()));
    }
}

/// A pack's number as the cache keys it (a repository has far fewer than 2^32 packs).
fn pack_id(pack: usize) -> u32 {
    u32::try_from(pack).unwrap_or(u32::MAX)
}

/// A size in a delta's header: seven bits a byte, least significant first.
fn delta_size(data: &[u8], at: &mut usize) -> Option<u64> {
    let mut size = 0u64;
    for shift in (0..64).step_by(7) {
        let byte = *data.get(*at)?;
        *at += 1;
        size |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Some(size);
        }
    }
    None
}

/// `base` with git's delta `delta` applied: the sizes of the base and the result, then
/// instructions that copy a range of the base or insert the bytes that follow them.
/// Every size and range is checked, as git's `patch_delta` checks them; a result over
/// `max` bytes is refused before it is allocated.
fn apply(base: &[u8], delta: &[u8], max: u64) -> Result<Vec<u8>, String> {
    let damaged = |what: &str| format!("a delta {what}");
    let mut at = 0;
    let base_size = delta_size(delta, &mut at).ok_or_else(|| damaged("with no size"))?;
    if base_size != base.len() as u64 {
        return Err(damaged("for a base of another size"));
    }
    let size = delta_size(delta, &mut at).ok_or_else(|| damaged("with no size"))?;
    if size > max {
        return Err(format!(
            "a delta whose result claims {size} bytes, more than any commit or tree holds"
        ));
    }
    let size = usize::try_from(size).map_err(|_| damaged("too large"))?;
    let mut out = Vec::with_capacity(size);
    while let Some(&op) = delta.get(at) {
        at += 1;
        let piece = if op & 0x80 != 0 {
            // Copy: which of four offset bytes and three size bytes follow.
            let mut field = |bits: u32, lowest: u8| -> Option<usize> {
                let mut value = 0usize;
                for i in 0..bits {
                    if op & (lowest << i) != 0 {
                        value |= usize::from(*delta.get(at)?) << (8 * i);
                        at += 1;
                    }
                }
                Some(value)
            };
            let offset = field(4, 0x01).ok_or_else(|| damaged("cut short"))?;
            let len = match field(3, 0x10).ok_or_else(|| damaged("cut short"))? {
                0 => 0x10000,
                len => len,
            };
            offset
                .checked_add(len)
                .and_then(|end| base.get(offset..end))
                .ok_or_else(|| damaged("copying past its base's end"))?
        } else if op != 0 {
            let end = at + usize::from(op);
            let bytes = delta.get(at..end).ok_or_else(|| damaged("cut short"))?;
            at = end;
            bytes
        } else {
            return Err(damaged("with an instruction git does not write"));
        };
        if piece.len() > size - out.len() {
            return Err(damaged("longer than its result"));
        }
        out.extend_from_slice(piece);
    }
    if out.len() != size {
        return Err(damaged("shorter than its result"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A delta as git writes it: the two sizes, then the instructions.
    fn delta(base: usize, result: usize, instructions: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        for mut size in [base, result] {
            loop {
                let byte = (size & 0x7f) as u8;
                size >>= 7;
                if size == 0 {
                    out.push(byte);
                    break;
                }
                out.push(byte | 0x80);
            }
        }
        out.extend_from_slice(instructions);
        out
    }

    #[test]
    fn a_delta_copies_from_its_base_and_inserts_its_own_bytes() {
        let base = b"0123456789".repeat(30);
        // Copy 4 bytes at 296, insert "ab", copy 200 bytes (two size bytes) at 1.
        let d = delta(
            300,
            206,
            &[
                0x93, 0x28, 0x01, 0x04, 0x02, b'a', b'b', 0xb1, 0x01, 0xc8, 0x00,
            ],
        );
        let mut want = b"6789ab".to_vec();
        want.extend_from_slice(&base[1..201]);
        assert_eq!(apply(&base, &d, 1 << 20).expect("applies"), want);
        // A copy of size 0 copies 0x10000 bytes.
        let big = vec![7u8; 0x10000];
        assert_eq!(
            apply(&big, &delta(0x10000, 0x10000, &[0x80]), 1 << 20).expect("applies"),
            big
        );
    }

    #[test]
    fn a_damaged_delta_is_refused_not_followed() {
        let base = b"0123456789";
        let refused = [
            // for a base of another size
            delta(11, 4, &[0x90, 0x04]),
            // a copy past the base's end
            delta(10, 4, &[0x91, 0x08, 0x04]),
            // a copy whose offset overflows
            delta(10, 4, &[0x9f, 0xff, 0xff, 0xff, 0xff, 0x04]),
            // an insert cut short
            delta(10, 5, &[0x05, b'a', b'b']),
            // instructions cut short
            delta(10, 4, &[0x91]),
            // the instruction git never writes
            delta(10, 4, &[0x00]),
            // more than the result's size
            delta(10, 2, &[0x90, 0x04]),
            // less than the result's size
            delta(10, 8, &[0x90, 0x04]),
            // a result over the limit, refused before it is allocated
            delta(10, 1 << 40, &[0x90, 0x04]),
            // no sizes at all
            vec![0x80, 0x80],
        ];
        for d in refused {
            assert!(apply(base, &d, 1 << 20).is_err(), "{d:x?}");
        }
    }

    proptest::proptest! {
        /// Whatever the bytes, applying them ends: a result of the size claimed, or an
        /// error.
        #[test]
        fn any_bytes_as_a_delta_end_in_a_result_or_an_error(
            base in proptest::collection::vec(proptest::num::u8::ANY, 0..64),
            body in proptest::collection::vec(proptest::num::u8::ANY, 0..64),
            result in 0usize..128,
        ) {
            let d = delta(base.len(), result, &body);
            if let Ok(out) = apply(&base, &d, 1 << 20) {
                proptest::prop_assert_eq!(out.len(), result);
            }
            let _ = apply(&base, &body, 1 << 20);
        }
    }

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
            for id in ids {
                let want = odb.read(id).expect("git reads it");
                let oid = gix_hash::ObjectId::try_from(id.as_bytes()).expect("sha-1");
                let (kind, data) = objects.find(&oid, "test").expect("read");
                assert_eq!(&data[..], want.data(), "{id}");
                assert_eq!(kind.to_string(), want.kind().to_string(), "{id}");
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
        let err = objects
            .find(&a.0, "reading tree")
            .expect_err("a loop")
            .to_string();
        assert!(
            err.starts_with("reading tree: a chain of more than") && err.contains("damaged"),
            "{err}"
        );
    }
}
