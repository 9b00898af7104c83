//! The domain's own concepts, in one place: how sure a source says it is (ICD-203
//! certainty), what a statement claims for truth discovery and how much it counts,
//! dates as statements carry them, and names interned as dense ids.

pub mod certainty;
pub mod claim;
pub mod dates;
pub mod names;

pub use certainty::Certainty;
pub use claim::Claim;
pub use names::Interner;
