//! Which part of an item name is its attribute (the kind of thing the item is
//! about: `dep_gate` in `20111201/AA-10-LAX-JFK/dep_gate`), decided once for a whole
//! table of item names.
//!
//! A name is split only where the user names the separator (`--attribute-separator`)
//! or where every name of the table has the same shape: the same number of `/`,
//! text between each, a last part without spaces, and some last part shared by
//! several items. A stray slash in one name ("Twyfelfontein or /Ui-//aes") therefore
//! splits nothing, and neither does "rain and/or snow" among names without one.

/// How a table's item names are split, once decided.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AttributeSplit {
    /// Split at the last occurrence of this; `None`: no item has an attribute.
    separator: Option<String>,
}

impl AttributeSplit {
    /// No item has an attribute.
    pub fn none() -> Self {
        Self::default()
    }

    /// Split at the last occurrence of `separator`, as the user asked.
    pub fn on(separator: &str) -> Self {
        AttributeSplit {
            separator: (!separator.is_empty()).then(|| separator.to_string()),
        }
    }

    /// The separator given, or else `/` where every name has the same shape, or
    /// else no split.
    pub fn decide<'a>(given: Option<&str>, names: impl IntoIterator<Item = &'a str>) -> Self {
        match given {
            Some(separator) => Self::on(separator),
            None if same_shape(names) => Self::on("/"),
            None => Self::none(),
        }
    }

    pub fn separator(&self) -> Option<&str> {
        self.separator.as_deref()
    }

    /// The attribute of an item name: what follows the separator's last occurrence,
    /// when there is text on both sides; otherwise none ("").
    pub fn attribute_of<'a>(&self, item: &'a str) -> &'a str {
        let Some(separator) = &self.separator else {
            return "";
        };
        match item.rsplit_once(separator.as_str()) {
            Some((object, attribute)) if !object.is_empty() && !attribute.is_empty() => attribute,
            _ => "",
        }
    }
}

/// Whether every name has the same number (one or more) of `/` with text between
/// each, and ends in a part without spaces that more than one name ends in. One pass,
/// keeping only the attributes seen so far.
fn same_shape<'a>(names: impl IntoIterator<Item = &'a str>) -> bool {
    let mut slashes = None;
    let mut attributes = rustc_hash::FxHashSet::default();
    let mut count = 0usize;
    for name in names {
        let parts = name.split('/').count() - 1;
        if parts == 0 || *slashes.get_or_insert(parts) != parts {
            return false;
        }
        if name.split('/').any(str::is_empty) {
            return false;
        }
        let attribute = name.rsplit('/').next().unwrap_or_default();
        if attribute.contains(char::is_whitespace) {
            return false;
        }
        attributes.insert(attribute);
        count += 1;
    }
    // Every name its own attribute is no attribute at all.
    count > 0 && attributes.len() < count
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inferred(names: &[&str]) -> AttributeSplit {
        AttributeSplit::decide(None, names.iter().copied())
    }

    #[test]
    fn names_of_one_shape_split_on_the_slash() {
        let split = inferred(&[
            "20111201/AA-10/act_dep",
            "20111201/AA-10/dep_gate",
            "20111202/UA-1/act_dep",
        ]);
        assert_eq!(split.attribute_of("20111201/AA-10/act_dep"), "act_dep");
        let split = inferred(&["dog1/breed", "dog2/breed"]);
        assert_eq!(split.attribute_of("dog1/breed"), "breed");
    }

    #[test]
    fn a_stray_slash_splits_nothing() {
        let split = inferred(&["Twyfelfontein or /Ui-//aes", "Brandberg", "Spitzkoppe"]);
        assert_eq!(split, AttributeSplit::none());
        assert_eq!(split.attribute_of("Twyfelfontein or /Ui-//aes"), "");
        // The same shape, but each name its own attribute.
        assert_eq!(inferred(&["a/x", "b/y"]), AttributeSplit::none());
        // Shapes that differ.
        assert_eq!(inferred(&["a/x", "b/c/x"]), AttributeSplit::none());
        assert_eq!(
            inferred(&["rain and/or snow", "sun and/or snow"]),
            AttributeSplit::none()
        );
        assert_eq!(inferred(&[]), AttributeSplit::none());
    }

    #[test]
    fn a_given_separator_splits_where_it_stands() {
        let split = AttributeSplit::decide(Some("|"), ["berlin|temp", "plain"]);
        assert_eq!(split.attribute_of("berlin|temp"), "temp");
        assert_eq!(split.attribute_of("plain"), "");
        assert_eq!(split.attribute_of("|temp"), "");
        assert_eq!(split.attribute_of("a/b"), "");
    }
}
