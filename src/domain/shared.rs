//! The meeting's people, items, speeches, votes and actions, each element shared between the
//! state and the copies an undo rebuilds from until one of them changes it: a copy of the state
//! then costs a pointer per element, not the element, and comparing two states skips every
//! element they still share. Writing through `&mut` copies the element first if it is shared
//! ([`Arc::make_mut`]), so the sharing never shows: it reads and writes as a `Vec`.

use std::fmt;
use std::ops::{Index, IndexMut};
use std::rc::Rc as Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub struct SharedVec<T>(Vec<Arc<T>>);

/// The elements in order, by reference.
pub type Iter<'a, T> = std::iter::Map<std::slice::Iter<'a, Arc<T>>, fn(&'a Arc<T>) -> &'a T>;

impl<T> SharedVec<T> {
    pub fn new() -> SharedVec<T> {
        SharedVec(Vec::new())
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> Iter<'_, T> {
        self.0.iter().map(|e| &**e)
    }

    /// The elements from position `from` on (none when it is past the end), without walking
    /// the ones before it.
    pub fn iter_from(&self, from: usize) -> Iter<'_, T> {
        self.0[from.min(self.0.len())..].iter().map(|e| &**e)
    }

    /// How many leading elements both hold as the very same (not copies).
    pub fn shared_prefix(&self, other: &SharedVec<T>) -> usize {
        self.0
            .iter()
            .zip(&other.0)
            .take_while(|(a, b)| Arc::ptr_eq(a, b))
            .count()
    }

    pub fn get(&self, i: usize) -> Option<&T> {
        self.0.get(i).map(|e| &**e)
    }

    pub fn first(&self) -> Option<&T> {
        self.get(0)
    }

    pub fn last(&self) -> Option<&T> {
        self.0.last().map(|e| &**e)
    }

    pub fn push(&mut self, value: T) {
        self.0.push(Arc::new(value));
    }

    pub fn insert(&mut self, i: usize, value: T) {
        self.0.insert(i, Arc::new(value));
    }

    pub fn retain(&mut self, mut keep: impl FnMut(&T) -> bool) {
        self.0.retain(|e| keep(e));
    }

    /// Whether element `i` of both is the very same, not a copy: unchanged between them.
    pub fn same_at(&self, other: &SharedVec<T>, i: usize) -> bool {
        match (self.0.get(i), other.0.get(i)) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }
}

impl<T: Clone> SharedVec<T> {
    /// The element to change, copied first if another state shares it.
    pub fn get_mut(&mut self, i: usize) -> Option<&mut T> {
        self.0.get_mut(i).map(Arc::make_mut)
    }

    pub fn last_mut(&mut self) -> Option<&mut T> {
        self.0.last_mut().map(Arc::make_mut)
    }

    /// The first element that `pred` holds for, to change (only that one is copied).
    pub fn find_mut(&mut self, pred: impl Fn(&T) -> bool) -> Option<&mut T> {
        self.0.iter_mut().find(|e| pred(e)).map(Arc::make_mut)
    }

    /// Every element `pred` holds for, changed by `f` (only those are copied).
    pub fn update(&mut self, pred: impl Fn(&T) -> bool, mut f: impl FnMut(&mut T)) {
        for e in self.0.iter_mut().filter(|e| pred(e)) {
            f(Arc::make_mut(e));
        }
    }
}

impl<T> Clone for SharedVec<T> {
    fn clone(&self) -> SharedVec<T> {
        SharedVec(self.0.clone())
    }
}

impl<T> Default for SharedVec<T> {
    fn default() -> SharedVec<T> {
        SharedVec::new()
    }
}

impl<T> Index<usize> for SharedVec<T> {
    type Output = T;
    fn index(&self, i: usize) -> &T {
        &self.0[i]
    }
}

impl<T: Clone> IndexMut<usize> for SharedVec<T> {
    fn index_mut(&mut self, i: usize) -> &mut T {
        Arc::make_mut(&mut self.0[i])
    }
}

impl<'a, T> IntoIterator for &'a SharedVec<T> {
    type Item = &'a T;
    type IntoIter = Iter<'a, T>;
    fn into_iter(self) -> Iter<'a, T> {
        self.iter()
    }
}

impl<T> FromIterator<T> for SharedVec<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> SharedVec<T> {
        SharedVec(iter.into_iter().map(Arc::new).collect())
    }
}

impl<T> From<Vec<T>> for SharedVec<T> {
    fn from(v: Vec<T>) -> SharedVec<T> {
        v.into_iter().collect()
    }
}

impl<T: PartialEq> PartialEq for SharedVec<T> {
    fn eq(&self, other: &SharedVec<T>) -> bool {
        self.0.len() == other.0.len()
            && self
                .0
                .iter()
                .zip(&other.0)
                .all(|(a, b)| Arc::ptr_eq(a, b) || a == b)
    }
}

impl<T: Eq> Eq for SharedVec<T> {}

impl<T: fmt::Debug> fmt::Debug for SharedVec<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<T: Serialize> Serialize for SharedVec<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for SharedVec<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<SharedVec<T>, D::Error> {
        Vec::<T>::deserialize(d).map(SharedVec::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_to_a_copy_leaves_the_original_as_it_was() {
        let original: SharedVec<String> = vec!["张桂芳".to_string(), "李明".into()].into();
        let mut copy = original.clone();
        assert!(
            copy.same_at(&original, 0) && copy.same_at(&original, 1),
            "a copy shares"
        );
        copy[1].push_str("（代）");
        assert_eq!(original[1], "李明");
        assert_eq!(copy[1], "李明（代）");
        assert!(
            copy.same_at(&original, 0),
            "what did not change is still shared"
        );
        assert!(!copy.same_at(&original, 1));
        assert_ne!(original, copy);
        *copy.find_mut(|s| s.starts_with("李明")).unwrap() = "李明".into();
        assert_eq!(original, copy, "equal by value when no longer shared");
        assert_eq!(
            serde_json::to_string(&copy).unwrap(),
            r#"["张桂芳","李明"]"#
        );
        let back: SharedVec<String> = serde_json::from_str(r#"["张桂芳","李明"]"#).unwrap();
        assert_eq!(back, original);
        copy.update(|s| s == "张桂芳", |s| s.push('!'));
        assert_eq!(copy.iter().collect::<Vec<_>>(), ["张桂芳!", "李明"]);
        assert!(!copy.same_at(&original, 0));
        assert_eq!(copy.shared_prefix(&original), 0);
        assert_eq!(copy.iter_from(1).collect::<Vec<_>>(), ["李明"]);
        assert_eq!(copy.iter_from(5).count(), 0);
        let copy = original.clone();
        assert_eq!(copy.shared_prefix(&original), 2);
    }
}
