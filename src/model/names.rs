//! Names interned as dense ids: sources, items, values, IRIs. Each name is stored
//! once; the table holds ids and finds a name's id by hashing the name it stands
//! for, so ids index plain vectors everywhere else.
//!
//! ```
//! use credgraph::model::Interner;
//!
//! let mut names = Interner::default();
//! assert_eq!(names.id("Budanov"), 0);
//! assert_eq!(names.id("Reznikov"), 1);
//! assert_eq!(names.id("Budanov"), 0);
//! assert_eq!(names.name(1), "Reznikov");
//! assert_eq!(names.get("Nayev"), None);
//! ```

/// Strings to dense ids, first come first numbered.
#[derive(Debug, Default, Clone)]
pub struct Interner {
    ids: hashbrown::HashTable<u32>,
    names: Vec<Box<str>>,
}

/// The hash names (and the id tables of others, such as sets of sources) are found by.
pub fn fx_hash(x: &(impl std::hash::Hash + ?Sized)) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(x)
}

impl Interner {
    /// The interner of these names, numbered in their order; a name given twice
    /// keeps its first id.
    pub fn from_names(names: impl IntoIterator<Item = Box<str>>) -> Interner {
        let mut interner = Interner::default();
        for name in names {
            interner.id(&name);
        }
        interner
    }

    /// The id of a name, numbering it when it is new.
    pub fn id(&mut self, name: &str) -> u32 {
        let hash = fx_hash(name);
        let names = &self.names;
        if let Some(&id) = self.ids.find(hash, |&id| &*names[id as usize] == name) {
            return id;
        }
        let id = u32::try_from(self.names.len()).unwrap_or(u32::MAX);
        self.names.push(name.into());
        let names = &self.names;
        self.ids
            .insert_unique(hash, id, |&id| fx_hash(&names[id as usize]));
        id
    }

    /// The id of a name already numbered.
    pub fn get(&self, name: &str) -> Option<u32> {
        self.ids
            .find(fx_hash(name), |&id| &*self.names[id as usize] == name)
            .copied()
    }

    /// The name of an id.
    pub fn name(&self, id: u32) -> &str {
        &self.names[id as usize]
    }

    /// Every name, in the order of their ids.
    pub fn names(&self) -> &[Box<str>] {
        &self.names
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    pub fn into_names(self) -> Vec<Box<str>> {
        self.names
    }
}
