//! The meeting's people, items, speeches, votes and actions, each element shared between the
//! state and the copies an undo rebuilds from until one of them changes it: a copy of the state
//! then costs a pointer per element, not the element, and comparing two states skips every
//! element they still share. Writing through `&mut` copies the element first if it is shared
//! ([`Rc::make_mut`]), so the sharing never shows: it reads and writes as a `Vec`.

use std::fmt;
use std::ops::{Index, IndexMut};
use std::rc::Rc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Elements are held in chunks of this many, each chunk shared as a whole: a copy of 20,000
/// speeches touches 625 chunks, not 20,000 elements.
const CHUNK_BITS: u32 = 5;
const CHUNK: usize = 1 << CHUNK_BITS;

pub struct SharedVec<T> {
    /// Every chunk full but the last, which is not empty.
    chunks: Vec<Rc<Vec<Rc<T>>>>,
    len: usize,
}

/// The elements in order, by reference.
pub struct Iter<'a, T> {
    v: &'a SharedVec<T>,
    front: usize,
    back: usize,
}

impl<'a, T> Iterator for Iter<'a, T> {
    type Item = &'a T;
    fn next(&mut self) -> Option<&'a T> {
        (self.front < self.back).then(|| {
            self.front += 1;
            &self.v[self.front - 1]
        })
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.back - self.front;
        (n, Some(n))
    }
    fn nth(&mut self, n: usize) -> Option<&'a T> {
        self.front = self.front.saturating_add(n).min(self.back);
        self.next()
    }
}

impl<T> DoubleEndedIterator for Iter<'_, T> {
    fn next_back(&mut self) -> Option<Self::Item> {
        (self.front < self.back).then(|| {
            self.back -= 1;
            &self.v[self.back]
        })
    }
}

impl<T> ExactSizeIterator for Iter<'_, T> {}

impl<T> Clone for Iter<'_, T> {
    fn clone(&self) -> Self {
        Iter { ..*self }
    }
}

impl<T> SharedVec<T> {
    pub fn new() -> SharedVec<T> {
        SharedVec {
            chunks: Vec::new(),
            len: 0,
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn iter(&self) -> Iter<'_, T> {
        self.iter_from(0)
    }

    /// The elements from position `from` on (none when it is past the end), without walking
    /// the ones before it.
    pub fn iter_from(&self, from: usize) -> Iter<'_, T> {
        Iter {
            v: self,
            front: from.min(self.len),
            back: self.len,
        }
    }

    fn slot(&self, i: usize) -> Option<&Rc<T>> {
        (i < self.len).then(|| &self.chunks[i >> CHUNK_BITS][i & (CHUNK - 1)])
    }

    pub fn get(&self, i: usize) -> Option<&T> {
        self.slot(i).map(|e| &**e)
    }

    pub fn first(&self) -> Option<&T> {
        self.get(0)
    }

    pub fn last(&self) -> Option<&T> {
        self.len.checked_sub(1).and_then(|i| self.get(i))
    }

    pub fn push(&mut self, value: T) {
        if self.len.is_multiple_of(CHUNK) {
            self.chunks.push(Rc::new(Vec::with_capacity(CHUNK)));
        }
        let last = self.chunks.last_mut().expect("a chunk with room");
        Rc::make_mut(last).push(Rc::new(value));
        self.len += 1;
    }

    /// Puts `value` at position `i`, the ones after it moving up (the chunks after it are
    /// made anew: rare, and no dearer than a `Vec` would be).
    pub fn insert(&mut self, i: usize, value: T) {
        let mut all: Vec<Rc<T>> = self.chunks.iter().flat_map(|c| c.iter().cloned()).collect();
        all.insert(i, Rc::new(value));
        *self = SharedVec::of(all);
    }

    fn of(all: Vec<Rc<T>>) -> SharedVec<T> {
        let len = all.len();
        let chunks = all.chunks(CHUNK).map(|c| Rc::new(c.to_vec())).collect();
        SharedVec { chunks, len }
    }

    /// Whether element `i` of both is the very same, not a copy: unchanged between them.
    pub fn same_at(&self, other: &SharedVec<T>, i: usize) -> bool {
        let c = i >> CHUNK_BITS;
        match (self.chunks.get(c), other.chunks.get(c)) {
            (Some(a), Some(b)) if Rc::ptr_eq(a, b) => true,
            _ => match (self.slot(i), other.slot(i)) {
                (Some(a), Some(b)) => Rc::ptr_eq(a, b),
                _ => false,
            },
        }
    }

    /// How many leading elements both hold as the very same (not copies).
    pub fn shared_prefix(&self, other: &SharedVec<T>) -> usize {
        let whole = self
            .chunks
            .iter()
            .zip(&other.chunks)
            .take_while(|(a, b)| Rc::ptr_eq(a, b))
            .count();
        let from = (whole << CHUNK_BITS).min(self.len.min(other.len));
        from + (from..self.len.min(other.len))
            .take_while(|&i| self.same_at(other, i))
            .count()
    }
}

impl<T: PartialEq> SharedVec<T> {
    /// The places where the two hold different values (one of them nothing): the chunks and
    /// elements both still share are passed over by pointer, the rest compared by value.
    pub fn differing(&self, other: &SharedVec<T>) -> Vec<usize> {
        let len = self.len.max(other.len);
        let mut out = Vec::new();
        for c in 0..len.div_ceil(CHUNK) {
            if let (Some(a), Some(b)) = (self.chunks.get(c), other.chunks.get(c))
                && Rc::ptr_eq(a, b)
            {
                continue;
            }
            out.extend(
                ((c << CHUNK_BITS)..((c + 1) << CHUNK_BITS).min(len))
                    .filter(|&i| !self.same_at(other, i) && self.get(i) != other.get(i)),
            );
        }
        out
    }

    /// How many leading elements both hold equal: those still shared passed over by pointer,
    /// the rest compared by value.
    pub fn equal_prefix(&self, other: &SharedVec<T>) -> usize {
        let shared = self.shared_prefix(other);
        shared
            + self
                .iter_from(shared)
                .zip(other.iter_from(shared))
                .take_while(|(a, b)| a == b)
                .count()
    }
}

impl<T: Clone> SharedVec<T> {
    /// The element to change, copied first if another state shares it.
    pub fn get_mut(&mut self, i: usize) -> Option<&mut T> {
        if i >= self.len {
            return None;
        }
        let chunk = Rc::make_mut(&mut self.chunks[i >> CHUNK_BITS]);
        Some(Rc::make_mut(&mut chunk[i & (CHUNK - 1)]))
    }

    pub fn last_mut(&mut self) -> Option<&mut T> {
        self.len.checked_sub(1).and_then(|i| self.get_mut(i))
    }

    /// The first element that `pred` holds for, to change (only that one is copied).
    pub fn find_mut(&mut self, pred: impl Fn(&T) -> bool) -> Option<&mut T> {
        let i = self.iter().position(pred)?;
        self.get_mut(i)
    }

    /// Every element `pred` holds for, changed by `f` (only those are copied).
    pub fn update(&mut self, pred: impl Fn(&T) -> bool, mut f: impl FnMut(&mut T)) {
        for i in 0..self.len {
            if pred(&self[i])
                && let Some(e) = self.get_mut(i)
            {
                f(e);
            }
        }
    }
}

impl<T> Clone for SharedVec<T> {
    fn clone(&self) -> SharedVec<T> {
        SharedVec {
            chunks: self.chunks.clone(),
            len: self.len,
        }
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
        match self.get(i) {
            Some(e) => e,
            None => panic!("index {i} out of range for {} elements", self.len),
        }
    }
}

impl<T: Clone> IndexMut<usize> for SharedVec<T> {
    fn index_mut(&mut self, i: usize) -> &mut T {
        let len = self.len;
        match self.get_mut(i) {
            Some(e) => e,
            None => panic!("index {i} out of range for {len} elements"),
        }
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
        SharedVec::of(iter.into_iter().map(Rc::new).collect())
    }
}

impl<T> From<Vec<T>> for SharedVec<T> {
    fn from(v: Vec<T>) -> SharedVec<T> {
        v.into_iter().collect()
    }
}

impl<T: PartialEq> PartialEq for SharedVec<T> {
    fn eq(&self, other: &SharedVec<T>) -> bool {
        self.len == other.len
            && self.chunks.iter().zip(&other.chunks).all(|(a, b)| {
                Rc::ptr_eq(a, b)
                    || a.iter()
                        .zip(b.iter())
                        .all(|(x, y)| Rc::ptr_eq(x, y) || x == y)
            })
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

/// A map from people's ids (small numbers given in order) to what is known of them, in chunks of
/// 64 ids each shared as a whole between the state and its copies, as [`SharedVec`] is: a copy
/// of 3,000 sign-ins touches 47 chunks, and comparing two copies skips the chunks they share.
/// It reads, compares and is stored (as JSON) as the `BTreeMap` it stands for.
pub struct SharedMap<V> {
    chunks: std::collections::BTreeMap<u32, Rc<std::collections::BTreeMap<u32, V>>>,
}

const MAP_BITS: u32 = 6;

impl<V> SharedMap<V> {
    pub fn new() -> SharedMap<V> {
        SharedMap {
            chunks: std::collections::BTreeMap::new(),
        }
    }

    pub fn get(&self, k: &u32) -> Option<&V> {
        self.chunks.get(&(k >> MAP_BITS))?.get(k)
    }

    /// Every key and value in the order of the keys.
    pub fn iter(&self) -> impl Iterator<Item = (&u32, &V)> {
        self.chunks.values().flat_map(|c| c.iter())
    }

    /// The keys whose values differ from `other`'s (a key in one only included), into `out`;
    /// the chunks both share are passed over.
    pub fn differences(&self, other: &SharedMap<V>, out: &mut std::collections::BTreeSet<u32>)
    where
        V: PartialEq,
    {
        let keys: std::collections::BTreeSet<&u32> =
            self.chunks.keys().chain(other.chunks.keys()).collect();
        for c in keys {
            match (self.chunks.get(c), other.chunks.get(c)) {
                (Some(a), Some(b)) if Rc::ptr_eq(a, b) => {}
                (a, b) => {
                    let empty = std::collections::BTreeMap::new();
                    differing_keys(a.map_or(&empty, |a| a), b.map_or(&empty, |b| b), out);
                }
            }
        }
    }
}

/// The keys whose values differ between two maps (a key in one only included), into `out`,
/// walking both in order side by side.
pub fn differing_keys<V: PartialEq>(
    a: &std::collections::BTreeMap<u32, V>,
    b: &std::collections::BTreeMap<u32, V>,
    out: &mut std::collections::BTreeSet<u32>,
) {
    use std::cmp::Ordering;
    let (mut a, mut b) = (a.iter().peekable(), b.iter().peekable());
    loop {
        let order = match (a.peek(), b.peek()) {
            (None, None) => return,
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (Some((x, _)), Some((y, _))) => x.cmp(y),
        };
        match order {
            Ordering::Less => out.extend(a.next().map(|(k, _)| *k)),
            Ordering::Greater => out.extend(b.next().map(|(k, _)| *k)),
            Ordering::Equal => {
                if let (Some((k, x)), Some((_, y))) = (a.next(), b.next())
                    && x != y
                {
                    out.insert(*k);
                }
            }
        }
    }
}

impl<V: Clone> SharedMap<V> {
    pub fn insert(&mut self, k: u32, v: V) {
        let chunk = self.chunks.entry(k >> MAP_BITS).or_default();
        Rc::make_mut(chunk).insert(k, v);
    }

    pub fn remove(&mut self, k: &u32) {
        let c = k >> MAP_BITS;
        if let Some(chunk) = self.chunks.get_mut(&c)
            && chunk.contains_key(k)
        {
            Rc::make_mut(chunk).remove(k);
            if chunk.is_empty() {
                self.chunks.remove(&c);
            }
        }
    }
}

impl<V> Clone for SharedMap<V> {
    fn clone(&self) -> SharedMap<V> {
        SharedMap {
            chunks: self.chunks.clone(),
        }
    }
}

impl<V> Default for SharedMap<V> {
    fn default() -> SharedMap<V> {
        SharedMap::new()
    }
}

impl<V: PartialEq> PartialEq for SharedMap<V> {
    fn eq(&self, other: &SharedMap<V>) -> bool {
        self.chunks.len() == other.chunks.len()
            && self
                .chunks
                .iter()
                .zip(&other.chunks)
                .all(|((ka, a), (kb, b))| ka == kb && (Rc::ptr_eq(a, b) || a == b))
    }
}

impl<V: Eq> Eq for SharedMap<V> {}

impl<V: fmt::Debug> fmt::Debug for SharedMap<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<V: Serialize> Serialize for SharedMap<V> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.iter())
    }
}

impl<'de, V: Deserialize<'de> + Clone> Deserialize<'de> for SharedMap<V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<SharedMap<V>, D::Error> {
        let all = std::collections::BTreeMap::<u32, V>::deserialize(d)?;
        let mut map = SharedMap::new();
        for (k, v) in all {
            map.insert(k, v);
        }
        Ok(map)
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
        assert_eq!(copy.equal_prefix(&original), 2);
    }

    #[test]
    fn a_map_reads_changes_and_is_stored_as_a_btreemap() {
        use std::collections::{BTreeMap, BTreeSet};
        let mut m: SharedMap<&str> = SharedMap::new();
        let mut plain = BTreeMap::new();
        for k in [3u32, 200, 64, 63, 1, 130] {
            m.insert(k, "到场");
            plain.insert(k, "到场");
        }
        let kept = m.clone();
        m.insert(64, "线上");
        plain.insert(64, "线上");
        m.remove(&200);
        plain.remove(&200);
        m.remove(&999);
        assert_eq!(
            m.iter().collect::<Vec<_>>(),
            plain.iter().collect::<Vec<_>>()
        );
        assert_eq!(m.get(&64), Some(&"线上"));
        assert_eq!(kept.get(&64), Some(&"到场"), "the copy kept as it was");
        assert_eq!(
            serde_json::to_string(&m).unwrap(),
            serde_json::to_string(&plain).unwrap()
        );
        let json = serde_json::to_string(&plain).unwrap();
        let back: SharedMap<&str> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, m);
        let mut changed = BTreeSet::new();
        m.differences(&kept, &mut changed);
        assert_eq!(changed, BTreeSet::from([64, 200]));
        assert_ne!(m, kept);
    }

    #[test]
    fn a_long_vector_reads_and_changes_as_a_vec_does() {
        let mut v: SharedVec<u32> = (0..100).collect();
        let mut plain: Vec<u32> = (0..100).collect();
        let kept = v.clone();
        v[40] = 1_000;
        plain[40] = 1_000;
        v.push(7);
        plain.push(7);
        v.insert(3, 9);
        plain.insert(3, 9);
        *v.last_mut().unwrap() += 1;
        *plain.last_mut().unwrap() += 1;
        v.update(|x| *x == 50, |x| *x = 5);
        plain.iter_mut().filter(|x| **x == 50).for_each(|x| *x = 5);
        assert_eq!(v.iter().copied().collect::<Vec<_>>(), plain);
        assert_eq!(
            v.iter().rev().copied().collect::<Vec<_>>(),
            plain.iter().rev().copied().collect::<Vec<_>>()
        );
        assert_eq!(
            v.iter_from(98).copied().collect::<Vec<_>>(),
            plain[98..].to_vec()
        );
        assert_eq!(v.iter().nth(64), plain.get(64));
        assert_eq!(v.len(), 102);
        assert_eq!(
            kept.iter().copied().collect::<Vec<_>>(),
            (0..100).collect::<Vec<_>>(),
            "the copy kept as it was"
        );
        // A copy that pushed one more still shares every element it had.
        let mut pushed = kept.clone();
        pushed.push(100);
        assert_eq!(pushed.shared_prefix(&kept), 100);
        assert!(pushed.same_at(&kept, 99) && !pushed.same_at(&kept, 100));
        assert_ne!(pushed, kept);
        pushed[0] = 0;
        assert_eq!(pushed.shared_prefix(&kept), 0, "equal, but a copy");
    }

    #[test]
    fn the_places_where_two_copies_differ() {
        let kept: SharedVec<u32> = (0..100).collect();
        let mut v = kept.clone();
        assert!(v.differing(&kept).is_empty(), "a copy differs nowhere");
        v[40] = 1_000;
        v[70] = 70; // written, the same value: a copy of the element, not a difference
        v.push(5);
        assert_eq!(v.differing(&kept), vec![40, 100]);
        assert_eq!(kept.differing(&v), vec![40, 100], "either way round");
        // Equal values made apart (as a replay makes them) are no difference either.
        let apart: SharedVec<u32> = (0..100).collect();
        assert!(apart.differing(&kept).is_empty());
        let shorter: SharedVec<u32> = (0..98).collect();
        assert_eq!(shorter.differing(&kept), vec![98, 99]);
    }
}
