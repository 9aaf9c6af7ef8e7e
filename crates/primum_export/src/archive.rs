//! The container of an export: a folder, a zip, a tar (gzipped or not), a
//! CAR, or a single file. Recognised by its first bytes, not its name.
//!
//! Archives are read in their own order, one entry at a time, so that a
//! tar.gz needs no seeking and memory stays bounded by the entry being
//! parsed. A zip whose central directory is missing (a truncated
//! download) is read entry by entry from its local headers instead.

use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::{Path, PathBuf};

use crate::ImportError;

/// Files inside an export, read one at a time.
pub(crate) trait Tree {
    /// The regular files, as `/`-separated paths relative to the export.
    fn names(&self) -> Vec<String>;

    /// Calls `f` with each file that `want` accepts, in the container's
    /// order. A read error is recorded against the file and the visit goes
    /// on where the container allows.
    fn visit(&mut self, want: &mut dyn FnMut(&str) -> bool, f: &mut dyn FnMut(&str, &mut dyn Read) -> io::Result<()>);

    /// The problems met so far.
    fn take_errors(&mut self) -> Vec<ImportError>;
}

pub(crate) enum Container {
    /// A Bluesky repository, read whole (its blocks are looked up by hash).
    Car(Vec<u8>),
    Tree(Box<dyn Tree>),
}

impl Container {
    pub(crate) fn open(path: &Path) -> Result<Container, ImportError> {
        let name = path.display().to_string();
        let fail = |e: io::Error| ImportError::new(&name, None, io_message(&e));
        let meta = std::fs::metadata(path).map_err(fail)?;
        if meta.is_dir() {
            return Ok(Container::Tree(Box::new(Folder::new(path))));
        }
        let mut head = [0u8; 512];
        let n = read_up_to(&mut File::open(path).map_err(fail)?, &mut head).map_err(fail)?;
        let head = &head[..n];
        if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
            return Ok(Container::Tree(Box::new(Zip::open(path, &name))));
        }
        if head.starts_with(&[0x1f, 0x8b]) {
            return Ok(Container::Tree(Box::new(Tar::open(path, &name, true))));
        }
        if head.len() >= 262 && &head[257..262] == b"ustar" {
            return Ok(Container::Tree(Box::new(Tar::open(path, &name, false))));
        }
        if crate::car::looks_like_car(head) {
            return Ok(Container::Car(std::fs::read(path).map_err(fail)?));
        }
        let file = path
            .file_name()
            .map_or_else(|| name.clone(), |f| f.to_string_lossy().into_owned());
        Ok(Container::Tree(Box::new(Single {
            path: path.to_path_buf(),
            name: file,
            errors: Vec::new(),
        })))
    }
}

fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

/// An I/O error in a few words, without Rust's `(os error 2)`.
pub(crate) fn io_message(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file or folder".to_string(),
        io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        io::ErrorKind::UnexpectedEof => "the file ends early (truncated?)".to_string(),
        _ => {
            let s = e.to_string();
            match s.find(" (os error") {
                Some(i) => s[..i].to_string(),
                None => s,
            }
        }
    }
}

/// An unpacked export.
struct Folder {
    root: PathBuf,
    names: Vec<String>,
    errors: Vec<ImportError>,
}

impl Folder {
    fn new(root: &Path) -> Folder {
        let mut names = Vec::new();
        let mut errors = Vec::new();
        for entry in walkdir::WalkDir::new(root).sort_by_file_name() {
            match entry {
                Ok(e) if e.file_type().is_file() => {
                    if let Ok(rel) = e.path().strip_prefix(root) {
                        let rel: Vec<String> = rel
                            .components()
                            .map(|c| c.as_os_str().to_string_lossy().into())
                            .collect();
                        names.push(rel.join("/"));
                    }
                }
                Ok(_) => {}
                Err(e) => errors.push(ImportError::new(
                    e.path()
                        .map_or_else(|| root.display().to_string(), |p| p.display().to_string()),
                    None,
                    e.io_error().map_or_else(|| e.to_string(), io_message),
                )),
            }
        }
        Folder {
            root: root.to_path_buf(),
            names,
            errors,
        }
    }
}

impl Tree for Folder {
    fn names(&self) -> Vec<String> {
        self.names.clone()
    }

    fn visit(&mut self, want: &mut dyn FnMut(&str) -> bool, f: &mut dyn FnMut(&str, &mut dyn Read) -> io::Result<()>) {
        for name in &self.names {
            if !want(name) {
                continue;
            }
            let result = File::open(self.root.join(name)).and_then(|file| f(name, &mut BufReader::new(file)));
            if let Err(e) = result {
                self.errors.push(ImportError::new(name, None, io_message(&e)));
            }
        }
    }

    fn take_errors(&mut self) -> Vec<ImportError> {
        std::mem::take(&mut self.errors)
    }
}

/// A single file given alone (a `Shares.csv`, an `outbox.json`, JSONL).
struct Single {
    path: PathBuf,
    name: String,
    errors: Vec<ImportError>,
}

impl Tree for Single {
    fn names(&self) -> Vec<String> {
        vec![self.name.clone()]
    }

    fn visit(&mut self, want: &mut dyn FnMut(&str) -> bool, f: &mut dyn FnMut(&str, &mut dyn Read) -> io::Result<()>) {
        if !want(&self.name) {
            return;
        }
        let result = File::open(&self.path).and_then(|file| f(&self.name, &mut BufReader::new(file)));
        if let Err(e) = result {
            self.errors.push(ImportError::new(&self.name, None, io_message(&e)));
        }
    }

    fn take_errors(&mut self) -> Vec<ImportError> {
        std::mem::take(&mut self.errors)
    }
}

/// A zip archive; when its central directory cannot be read, its entries
/// are read in order from their local headers.
struct Zip {
    path: PathBuf,
    label: String,
    archive: Option<zip::ZipArchive<BufReader<File>>>,
    names: Vec<String>,
    errors: Vec<ImportError>,
}

impl Zip {
    fn open(path: &Path, label: &str) -> Zip {
        let mut z = Zip {
            path: path.to_path_buf(),
            label: label.to_string(),
            archive: None,
            names: Vec::new(),
            errors: Vec::new(),
        };
        let opened = File::open(path)
            .map_err(|e| io_message(&e))
            .and_then(|f| zip::ZipArchive::new(BufReader::new(f)).map_err(|e| e.to_string()));
        match opened {
            Ok(a) => {
                z.names = (0..a.len())
                    .filter_map(|i| a.name_for_index(i).and_then(|n| n.ok()).map(|n| n.into_owned()))
                    .filter(|n| !n.ends_with('/'))
                    .collect();
                z.archive = Some(a);
            }
            Err(e) => {
                z.errors.push(ImportError::new(
                    label,
                    None,
                    format!(
                        "the zip's table of contents cannot be read ({e}): the archive is truncated or corrupt; reading the entries one by one"
                    ),
                ));
                let mut names = Vec::new();
                z.stream(
                    &mut |n| {
                        names.push(n.to_string());
                        false
                    },
                    &mut |_, _| Ok(()),
                );
                z.names = names;
            }
        }
        z
    }

    /// Reads the entries from their local headers, in order, until the
    /// data ends or cannot be read. Every entry is shown to `want`; `f`
    /// reads those it wants.
    fn stream(&mut self, want: &mut dyn FnMut(&str) -> bool, f: &mut dyn FnMut(&str, &mut dyn Read) -> io::Result<()>) {
        let mut reader = match File::open(&self.path) {
            Ok(file) => BufReader::new(file),
            Err(e) => {
                self.errors.push(ImportError::new(&self.label, None, io_message(&e)));
                return;
            }
        };
        let mut index = 0usize;
        loop {
            index += 1;
            match zip::read::read_zipfile_from_stream(&mut reader) {
                Ok(Some(mut entry)) => {
                    let name = match entry.name() {
                        Ok(n) => n.to_string(),
                        Err(_) => format!("entry {index}"),
                    };
                    if name.ends_with('/') {
                        continue;
                    }
                    let result = if want(&name) {
                        f(&name, &mut entry)
                    } else {
                        io::copy(&mut entry, &mut io::sink()).map(|_| ())
                    };
                    if let Err(e) = result {
                        // Only record once: the listing pass and the reading
                        // pass meet the same damage.
                        let err = ImportError::new(
                            &name,
                            Some(format!("zip entry {index}")),
                            format!("cannot be read to its end: {}", io_message(&e)),
                        );
                        if !self.errors.contains(&err) {
                            self.errors.push(err);
                        }
                        break;
                    }
                }
                Ok(None) => break,
                Err(e) => {
                    let err = ImportError::new(
                        &self.label,
                        Some(format!("zip entry {index}")),
                        format!("cannot be read: {e}"),
                    );
                    if !self.errors.contains(&err) {
                        self.errors.push(err);
                    }
                    break;
                }
            }
        }
    }
}

impl Tree for Zip {
    fn names(&self) -> Vec<String> {
        self.names.clone()
    }

    fn visit(&mut self, want: &mut dyn FnMut(&str) -> bool, f: &mut dyn FnMut(&str, &mut dyn Read) -> io::Result<()>) {
        let Some(archive) = self.archive.as_mut() else {
            self.stream(want, f);
            return;
        };
        for i in 0..archive.len() {
            let Some(name) = archive.name_for_index(i).and_then(|n| n.ok()).map(|n| n.into_owned()) else {
                continue;
            };
            if name.ends_with('/') || !want(&name) {
                continue;
            }
            let result = match archive.by_index(i) {
                Ok(mut entry) => f(&name, &mut entry),
                Err(e) => Err(io::Error::other(e.to_string())),
            };
            if let Err(e) = result {
                self.errors.push(ImportError::new(
                    &name,
                    Some(format!("zip entry {}", i + 1)),
                    format!("cannot be read to its end: {}", io_message(&e)),
                ));
            }
        }
    }

    fn take_errors(&mut self) -> Vec<ImportError> {
        std::mem::take(&mut self.errors)
    }
}

/// A tar archive, gzipped or not, read front to back (twice: once for the
/// names, once for the contents).
struct Tar {
    path: PathBuf,
    label: String,
    gz: bool,
    names: Vec<String>,
    errors: Vec<ImportError>,
}

impl Tar {
    fn open(path: &Path, label: &str, gz: bool) -> Tar {
        let mut t = Tar {
            path: path.to_path_buf(),
            label: label.to_string(),
            gz,
            names: Vec::new(),
            errors: Vec::new(),
        };
        let mut names = Vec::new();
        t.each(
            &mut |n| {
                names.push(n.to_string());
                false
            },
            &mut |_, _| Ok(()),
        );
        t.names = names;
        t
    }

    fn each(&mut self, want: &mut dyn FnMut(&str) -> bool, f: &mut dyn FnMut(&str, &mut dyn Read) -> io::Result<()>) {
        let file = match File::open(&self.path) {
            Ok(file) => BufReader::new(file),
            Err(e) => {
                self.errors.push(ImportError::new(&self.label, None, io_message(&e)));
                return;
            }
        };
        let reader: Box<dyn Read> = if self.gz {
            Box::new(flate2::read::MultiGzDecoder::new(file))
        } else {
            Box::new(file)
        };
        let mut archive = tar::Archive::new(reader);
        let entries = match archive.entries() {
            Ok(e) => e,
            Err(e) => {
                self.push_once(ImportError::new(&self.label, None, io_message(&e)));
                return;
            }
        };
        for (i, entry) in entries.enumerate() {
            let mut entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    self.push_once(ImportError::new(
                        &self.label,
                        Some(format!("tar entry {}", i + 1)),
                        format!("cannot be read: {}", io_message(&e)),
                    ));
                    break;
                }
            };
            if !entry.header().entry_type().is_file() {
                continue;
            }
            let name = match entry.path() {
                Ok(p) => p.to_string_lossy().trim_start_matches("./").to_string(),
                Err(_) => format!("entry {}", i + 1),
            };
            // Entries not wanted are read through, so that damage is found
            // on the listing pass already.
            let result = if want(&name) {
                f(&name, &mut entry)
            } else {
                io::copy(&mut entry, &mut io::sink()).map(|_| ())
            };
            if let Err(e) = result {
                self.push_once(ImportError::new(
                    &name,
                    Some(format!("tar entry {}", i + 1)),
                    format!("cannot be read to its end: {}", io_message(&e)),
                ));
                break;
            }
        }
    }

    fn push_once(&mut self, e: ImportError) {
        if !self.errors.contains(&e) {
            self.errors.push(e);
        }
    }
}

impl Tree for Tar {
    fn names(&self) -> Vec<String> {
        self.names.clone()
    }

    fn visit(&mut self, want: &mut dyn FnMut(&str) -> bool, f: &mut dyn FnMut(&str, &mut dyn Read) -> io::Result<()>) {
        self.each(want, f);
    }

    fn take_errors(&mut self) -> Vec<ImportError> {
        std::mem::take(&mut self.errors)
    }
}
