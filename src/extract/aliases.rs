//! How much a YAML text grows when its aliases are expanded, measured before it is
//! read into a sheet: `*name` repeats the node anchored as `&name`, so a megabyte of
//! text with a thousand aliases of a long string becomes gigabytes once read.
//!
//! The measuring pass walks the document as serde_norway hands it over, borrowing
//! every scalar from the text and keeping nothing, and stops as soon as the walk has
//! seen more than the text holds plus [`ALIAS_ALLOWANCE`].

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use std::cell::Cell;
use std::fmt;

/// How many bytes (a byte per scalar byte and one per node) aliases may add to a
/// document beyond its own text.
pub const ALIAS_ALLOWANCE: usize = 1 << 20;

/// Aliases expand a document past its budget: the message, and where serde_norway
/// was when the budget ran out (the anchored node being repeated).
#[derive(Debug)]
pub struct TooMuchExpansion {
    pub message: String,
    pub location: Option<(u64, u64)>,
}

/// Walks `text` as YAML and fails when its aliases expand it past its length plus
/// [`ALIAS_ALLOWANCE`]. Text without `*` has no alias and is not walked. A text
/// that is not YAML passes: reading it as a sheet reports that.
pub fn check_expansion(text: &str) -> Result<(), TooMuchExpansion> {
    if !text.contains('*') {
        return Ok(());
    }
    let budget = Cell::new(text.len().saturating_add(ALIAS_ALLOWANCE));
    for document in serde_norway::Deserializer::from_str(text) {
        match (Walk { budget: &budget }).deserialize(document) {
            Ok(()) => {}
            Err(error) if budget.get() == 0 => {
                return Err(TooMuchExpansion {
                    message: format!(
                        "the aliases (`*name`) of the node anchored here would expand the text by more than {} MB; write the repeated values out instead",
                        ALIAS_ALLOWANCE >> 20
                    ),
                    location: error
                        .location()
                        .map(|l| (l.line() as u64, l.column() as u64)),
                });
            }
            Err(_) => return Ok(()),
        }
    }
    Ok(())
}

/// One node of the walk and all below it, drawing on a budget shared by the whole
/// document.
#[derive(Clone, Copy)]
struct Walk<'b> {
    budget: &'b Cell<usize>,
}

impl Walk<'_> {
    fn spend<E: de::Error>(self, bytes: usize) -> Result<(), E> {
        match self.budget.get().checked_sub(bytes + 1) {
            Some(left) if left > 0 => {
                self.budget.set(left);
                Ok(())
            }
            _ => {
                self.budget.set(0);
                Err(E::custom("aliases expand the document past its budget"))
            }
        }
    }
}

impl<'de> DeserializeSeed<'de> for Walk<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Walk<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML node")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        self.spend(0)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        self.spend(0)
    }

    fn visit_i128<E: de::Error>(self, _: i128) -> Result<(), E> {
        self.spend(0)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        self.spend(0)
    }

    fn visit_u128<E: de::Error>(self, _: u128) -> Result<(), E> {
        self.spend(0)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        self.spend(0)
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<(), E> {
        self.spend(value.len())
    }

    fn visit_bytes<E: de::Error>(self, value: &[u8]) -> Result<(), E> {
        self.spend(value.len())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.spend(0)
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.spend(0)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<(), A::Error> {
        self.spend(0)?;
        while items.next_element_seed(self)?.is_some() {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut entries: A) -> Result<(), A::Error> {
        self.spend(0)?;
        while entries.next_entry_seed(self, self)?.is_some() {}
        Ok(())
    }

    fn visit_enum<A: de::EnumAccess<'de>>(self, tagged: A) -> Result<(), A::Error> {
        use de::VariantAccess;
        let ((), value) = tagged.variant_seed(self)?;
        value.newtype_variant_seed(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_few_aliases_pass_and_a_bomb_is_stopped() {
        assert!(check_expansion("a: &x [1, 2]\nb: *x\nc: 'no * alias'\n").is_ok());
        let long = "y".repeat(100_000);
        let aliases = "*x, ".repeat(50);
        let bomb = format!("a: &x \"{long}\"\nb: [{aliases}]\n");
        let error = check_expansion(&bomb).unwrap_err();
        assert!(error.message.contains("aliases"), "{}", error.message);
        assert_eq!(error.location.map(|(line, _)| line), Some(1));
    }

    #[test]
    fn text_that_is_not_yaml_is_left_to_the_reader() {
        assert!(check_expansion("a: [*unknown").is_ok());
    }
}
